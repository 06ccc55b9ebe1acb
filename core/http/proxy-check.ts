import type { RequestHandler } from 'express';
import { log } from '../log';

/** What the admin dashboard shows when cookies are Secure but requests do not arrive as HTTPS. */
export interface ProxyWarning {
  message: string;
  /** When the first such request arrived (none yet: only the start-up note applies). */
  seenAt?: Date;
}

export const INSECURE_BEHIND_PROXY =
  'Cookies are sent only over HTTPS (TRUST_PROXY is set and BASE_URL starts with https:), but a request reached Agora without "X-Forwarded-Proto: https": ' +
  'it gets no session cookie, so logging in there seems to do nothing. Make the proxy in front of Agora send X-Forwarded-Proto, or set TRUST_PROXY to the number of proxies in front of it.';

/**
 * With Secure cookies behind a proxy, express-session silently sets no cookie on a request that does not look
 * like HTTPS (`req.secure`, from X-Forwarded-Proto): the login "works" and the person is still a guest. Says so
 * once at start-up, and once in the log and on the admin dashboard when the first such request arrives.
 */
export function proxyCheck(secure: boolean, trustProxy: string): { middleware: RequestHandler; warning(): ProxyWarning | undefined } {
  let warning: ProxyWarning | undefined;
  if (secure) {
    log.info(
      { TRUST_PROXY: trustProxy },
      'cookies are Secure: requests must reach Agora with "X-Forwarded-Proto: https" from the proxy, or logins set no cookie',
    );
  }
  const middleware: RequestHandler = (req, _res, next) => {
    // Only a form post counts: a load balancer's plain-HTTP health check is no sign of a misconfigured proxy.
    if (secure && !warning && !req.secure && req.method === 'POST') {
      warning = { message: INSECURE_BEHIND_PROXY, seenAt: new Date() };
      log.warn({ url: req.originalUrl, forwardedProto: req.headers['x-forwarded-proto'] ?? null }, INSECURE_BEHIND_PROXY);
    }
    next();
  };
  return { middleware, warning: () => warning };
}
