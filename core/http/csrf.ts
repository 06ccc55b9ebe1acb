import type { Request, RequestHandler } from 'express';
import { doubleCsrf } from 'csrf-csrf';
import { SESSION_COOKIE } from './session';

/**
 * Double-submit CSRF tokens (csrf-csrf), bound to the session once there is one. A form sends the token
 * as `_csrf`; a multipart form, whose body is read by its own route, sends it in the query string.
 */
export function createCsrf(
  secret: string,
  secure: boolean,
  /** Path prefixes with no cookie session to protect (payment webhooks, signed by their sender instead). */
  skip: readonly string[] = [],
): { protect: RequestHandler; token: (req: Request, res: Parameters<RequestHandler>[1]) => string } {
  const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: (req) => (req.cookies?.[SESSION_COOKIE] ? req.sessionID : ''),
    cookieName: 'agora.csrf',
    cookieOptions: { sameSite: 'lax', secure, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req) => {
      const fromBody = typeof req.body === 'object' && req.body ? (req.body as Record<string, unknown>)._csrf : undefined;
      return (fromBody ?? req.headers['x-csrf-token'] ?? req.query._csrf) as string | undefined;
    },
    skipCsrfProtection: (req) => skip.some((prefix) => req.path.startsWith(prefix)),
  });
  return { protect: doubleCsrfProtection, token: (req, res) => generateCsrfToken(req, res) };
}
