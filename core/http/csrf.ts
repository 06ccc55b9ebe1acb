import type { Request, RequestHandler } from 'express';
import { doubleCsrf } from 'csrf-csrf';
import { SESSION_COOKIE } from './session';

export const CSRF_COOKIE = 'agora.csrf';

/**
 * Double-submit CSRF tokens (csrf-csrf), bound to the session once there is one. A form sends the token
 * as `_csrf` (a multipart form too: core/http/multipart-csrf.ts reads it from the body), or a script as the
 * `X-CSRF-Token` header; never in the address, where it would land in the history, logs and Referer.
 */
export function createCsrf(
  secret: string,
  secure: boolean,
  /** Requests with no cookie session to protect (raw-body webhooks, signed by their sender instead). */
  skip: (req: Request) => boolean = () => false,
): { protect: RequestHandler; token: (req: Request, res: Parameters<RequestHandler>[1]) => string } {
  const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: (req) => (req.cookies?.[SESSION_COOKIE] ? req.sessionID : ''),
    cookieName: CSRF_COOKIE,
    cookieOptions: { sameSite: 'lax', secure, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req) => {
      const fromBody = typeof req.body === 'object' && req.body ? (req.body as Record<string, unknown>)._csrf : undefined;
      return (fromBody ?? req.headers['x-csrf-token']) as string | undefined;
    },
    skipCsrfProtection: skip,
  });
  return { protect: doubleCsrfProtection, token: (req, res) => generateCsrfToken(req, res) };
}
