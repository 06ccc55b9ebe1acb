import type { RequestHandler } from 'express';
import { HttpError } from './errors';

/**
 * What nothing behind this rule should ever see: a NUL byte (SQLite's dialect writes values into the SQL
 * text and the statement ends at it; PostgreSQL refuses it in text) or an unpaired UTF-16 surrogate (it has
 * no UTF-8 form, so it would be stored as something other than what was sent). One rule for every form and
 * query, instead of a check per field.
 */
export const UNSTORABLE_MESSAGE =
  'What you sent contains a character that cannot be stored (a NUL byte or a broken character). Remove it and try again.';

/** Nesting deeper than this is not a form; the body parsers already cap it lower. */
const MAX_DEPTH = 32;

/** A high surrogate not followed by a low one, or a low one not preceded by a high one (String#isWellFormed, ES2024). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}

/** True when every string in a parsed query or body (keys too) is storable text. */
export function isStorableInput(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return isStorableText(value);
  if (value === null || typeof value !== 'object') return true;
  if (depth > MAX_DEPTH) return false;
  if (Buffer.isBuffer(value)) return true;
  for (const [key, item] of Object.entries(value)) {
    if (!isStorableText(key) || !isStorableInput(item, depth + 1)) return false;
  }
  return true;
}

/**
 * Refuses the request with 400 at the edge, on the site's error page, when its path, query or parsed body
 * holds unstorable text. Multipart bodies are parsed later, by the route (core/files/multipart.ts); they
 * are checked with `isStorableInput` there.
 */
export function cleanInput(): RequestHandler {
  return (req, _res, next) => {
    let path: string;
    try {
      path = decodeURIComponent(req.path);
    } catch {
      // A malformed escape is not ours to judge here; the router answers it as it always did.
      path = req.path;
    }
    if (!isStorableText(path) || !isStorableInput(req.query) || !isStorableInput(req.body)) return next(new HttpError(400, UNSTORABLE_MESSAGE));
    next();
  };
}
