import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { HttpError } from './errors';
import { keepReadBody, multerReadingKeptBody, unreadableForm } from '../files/multipart';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Reads a request body to its end, refusing more than `limit` bytes (413) and a body cut short (400). */
function readBody(req: Request, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (error: HttpError) => {
      if (settled) return;
      settled = true;
      req.unpipe();
      req.resume();
      reject(error);
    };
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) return fail(new HttpError(413, `What you sent is too large (at most ${Math.floor(limit / 1048576)} MB).`));
      chunks.push(chunk);
    });
    req.on('aborted', () => fail(unreadableForm()));
    req.on('error', () => fail(unreadableForm()));
    // A client gone before the end of its body: nothing more will come.
    req.on('close', () => {
      if (!req.complete) fail(unreadableForm());
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks));
    });
  });
}

/** A multer storage that keeps nothing: the CSRF check reads only the text fields of a multipart body. */
const discard: multer.StorageEngine = {
  _handleFile(_req, file, callback) {
    file.stream.on('end', () => callback(null, {}));
    file.stream.on('error', (error) => callback(error));
    file.stream.resume();
  },
  _removeFile(_req, _file, callback) {
    callback(null);
  },
};

const fieldsOnly = multerReadingKeptBody({ storage: discard, limits: { fields: 300, fieldSize: 100 * 1024, parts: 400 } }).any();

/**
 * The CSRF check for every request, multipart ones included. A multipart form carries its token in its `_csrf`
 * field like any other form (never in its address): the body is read here, its text fields parsed and the token
 * checked before any route runs, so a refused form keeps no file; the route's parser then reads the same bytes.
 */
export function csrfForEveryBody(protect: RequestHandler, limit: number, skip: (req: Request) => boolean): RequestHandler {
  return (req, res, next) => {
    if (!UNSAFE.has(req.method) || skip(req) || !req.is('multipart/form-data')) return protect(req, res, next);
    readBody(req, limit).then(
      (body) => {
        keepReadBody(req, body);
        fieldsOnly(req, res, (error: unknown) => {
          // A busboy error (cut before its closing boundary, a malformed part header) is an unreadable form; a count
          // limit is the route's to explain, so the check goes on with the fields read so far.
          if (error && !(error instanceof multer.MulterError)) return next(unreadableForm());
          const token = (req.body as Record<string, unknown> | undefined)?._csrf;
          req.body = typeof token === 'string' ? { _csrf: token } : {};
          delete req.files;
          protect(req, res, (refused?: unknown) => {
            // The route's own parser fills the body; a route with none sees an empty form (its 422), not the token.
            req.body = {};
            next(refused);
          });
        });
      },
      (error: unknown) => next(error),
    );
  };
}
