import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { megabytes } from './images';

/**
 * A body the multipart parser could not read to its end (cut off before its closing boundary, a malformed part
 * header): the person's browser or connection failed, not the server, so it is a 400 with a message, not a 500.
 */
export function unreadableForm(): HttpError {
  return new HttpError(400, 'The form arrived incomplete, so nothing was saved. Check your connection, reload the page and send it again.');
}
import { HttpError } from '../http/errors';
import { isStorableInput, UNSTORABLE_MESSAGE } from '../http/clean-input';

/** Why a multipart upload was cut short, to show beside its field on a 422 page. */
export interface UploadProblem {
  field: string;
  message: string;
}

export type UploadField = multer.Field;

/** Multipart bodies already read by core's CSRF check (core/http/multipart-csrf.ts): the request stream is spent. */
const readBodies = new WeakMap<Request, Buffer>();

/** Keeps the bytes of a multipart body read before its route, for the route's parser. */
export function keepReadBody(req: Request, body: Buffer): void {
  readBodies.set(req, body);
}

/**
 * Feeds a multipart parser (busboy, through multer's `streamHandler`) the body core's CSRF check already read, or
 * the request stream when nothing read it. Every multer of core is given this.
 */
export function feedMultipart(req: Request, busboy: NodeJS.WritableStream): void {
  const body = readBodies.get(req);
  if (body) busboy.end(body);
  else req.pipe(busboy);
}

/** multer's options with `streamHandler` set to feedMultipart (multer 2.5 takes it; @types/multer does not name it). */
export function multerReadingKeptBody(options: multer.Options): multer.Multer {
  const withHandler: multer.Options & { streamHandler: (req: Request, busboy: NodeJS.WritableStream) => void } = { ...options, streamHandler: feedMultipart };
  return multer(withHandler);
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express declares its types in this namespace
  namespace Express {
    interface Request {
      uploadProblem?: UploadProblem;
    }
  }
}

/**
 * Parses a multipart form into memory (multer) with a size cap per file. An upload over the cap, or too
 * many files, does not end the request: the route sees `req.uploadProblem` and re-renders its form with 422.
 * The CSRF token of such a form travels in its `_csrf` field: core checked it before the route ran.
 */
export function multipartForm(fields: UploadField[], maxBytes: number): RequestHandler {
  const upload = multerReadingKeptBody({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: fields.reduce((n, f) => n + (f.maxCount ?? 1), 0), fields: 300, fieldSize: 100 * 1024, parts: 400 },
  }).fields(fields);
  return (req, res, next) => {
    upload(req, res, (error: unknown) => {
      // The body is parsed only now, after core's rule for unstorable text ran: the same rule, here.
      if (!error) return next(isStorableInput(req.body) ? undefined : new HttpError(400, UNSTORABLE_MESSAGE));
      // Anything else busboy raises ("Unexpected end of form", "Malformed part header") is an unreadable body.
      if (!(error instanceof multer.MulterError)) return next(unreadableForm());
      // A count limit names no field; with one file field it can only be that one.
      const field = error.field ?? (fields.length === 1 ? fields[0].name : 'form');
      const max = fields.find((f) => f.name === field)?.maxCount ?? 1;
      const message =
        error.code === 'LIMIT_FILE_SIZE'
          ? `The file is larger than ${megabytes(maxBytes)}.`
          : error.code === 'LIMIT_FILE_COUNT' || error.code === 'LIMIT_UNEXPECTED_FILE'
            ? `Upload at most ${max} ${max === 1 ? 'file' : 'files'} here.`
            : 'The form could not be read. Please try again.';
      req.uploadProblem = { field: fields.some((f) => f.name === field) ? field : 'form', message };
      req.body ??= {};
      next();
    });
  };
}

/** The files uploaded in one field (none when the field was left empty). */
export function filesOf(req: Request, field: string): Express.Multer.File[] {
  const files = req.files as Record<string, Express.Multer.File[]> | undefined;
  return (files?.[field] ?? []).filter((f) => f.size > 0 || f.originalname !== '');
}
