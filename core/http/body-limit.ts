import type { RequestHandler } from 'express';

/**
 * A request whose Content-Length announces more than any form accepts is answered 413 at once, before a byte
 * of its body is read, and its connection closed: nothing would read that body to its end anyway.
 */
export function announcedBodyLimit(maxBytes: number): RequestHandler {
  return (req, res, next) => {
    const announced = Number(req.headers['content-length'] ?? 0);
    if (!Number.isFinite(announced) || announced <= maxBytes) return next();
    // Connection: close makes Node end the socket once the answer is out, instead of reading the body to discard it.
    res.setHeader('Connection', 'close');
    res.status(413).type('text/plain').send(`What you sent is too large (at most ${Math.floor(maxBytes / 1048576)} MB).`);
  };
}

/** The largest body a form of this platform takes: a plugin zip, or a product form with its pictures, plus its fields. */
export function largestBody(config: { UPLOAD_MAX_BYTES: number; PLUGIN_ZIP_MAX_BYTES: number }): number {
  const fields = 1024 * 1024;
  return Math.max(config.PLUGIN_ZIP_MAX_BYTES, config.UPLOAD_MAX_BYTES * MAX_FILES_PER_FORM) + fields;
}

/** More pictures than any form accepts at once (a product takes up to 8). */
const MAX_FILES_PER_FORM = 12;
