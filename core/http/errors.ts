import type { ErrorRequestHandler, RequestHandler } from 'express';
import { log } from '../log';

/** An error with the status and the message a person should see. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what = 'page'): HttpError => new HttpError(404, `We could not find that ${what}.`);
export const forbidden = (): HttpError => new HttpError(403, 'You do not have permission to do that.');
export const temporarilyUnavailable = (): HttpError =>
  new HttpError(503, 'This part of the store is temporarily unavailable. Please try again later.');

export function notFoundHandler(): RequestHandler {
  return (_req, _res, next) => next(notFound());
}

/** Renders the theme's error page; a stack trace never reaches the browser, the request id does. */
export function errorHandler(): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const known = error instanceof HttpError;
    const status = known ? error.status : httpStatusOf(error) ?? 500;
    const message = known ? error.message : status < 500 ? clientMessage(status) : 'Something went wrong on our side. It has been logged.';
    if (status >= 500) (req.log ?? log).error({ err: error, reqId: req.id }, 'request failed');
    if (res.headersSent) return;
    res.status(status);
    const render = res.renderPage;
    if (!render) {
      res.type('text/plain').send(`${message} (request ${String(req.id)})`);
      return;
    }
    // 503: a part of the site that is off for now (a deactivated plugin's pages); browsers and crawlers may come back.
    if (status === 503) res.setHeader('Retry-After', '300');
    const title = status === 404 ? 'Not found' : status === 503 ? 'Temporarily unavailable' : 'Error';
    render(status === 404 ? 'core/not-found' : 'core/error', { title, status, message, requestId: req.id }, status).catch(
      (renderError: unknown) => {
        log.error({ err: renderError }, 'error page failed to render');
        if (!res.headersSent) res.type('text/plain').send(`${message} (request ${String(req.id)})`);
      },
    );
  };
}

function httpStatusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error && 'status' in error && typeof error.status === 'number' && error.status >= 400 && error.status < 600) return error.status;
  if (typeof error === 'object' && error && 'statusCode' in error && typeof error.statusCode === 'number') return error.statusCode;
  return undefined;
}

function clientMessage(status: number): string {
  if (status === 403) return 'This form has expired or was not sent from this site. Go back, reload the page and try again.';
  if (status === 413) return 'What you sent is too large.';
  if (status === 429) return 'Too many attempts. Please wait a while and try again.';
  return 'The request could not be understood.';
}
