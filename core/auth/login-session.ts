import type { Request } from 'express';
import type { Platform } from '../platform';
import './hooks';

/** A local path to go back to after login; anything else (another host, `//evil`) goes to `fallback`. */
export function safeNext(next: unknown, fallback = '/'): string {
  return typeof next === 'string' && /^\/(?!\/)[^\\]*$/.test(next) ? next : fallback;
}

/**
 * Logs the request in under a new session id (passport regenerates it, so an id planted before login is
 * worthless after it), then fires `core.user.logged_in` with what the guest session held (the cart).
 */
export function logInFresh(platform: Platform, req: Request, user: Express.User): Promise<void> {
  const guestSession = { ...req.session } as Record<string, unknown>;
  return new Promise((resolve, reject) => {
    req.logIn(user, (error) => {
      if (error) return reject(error);
      platform.hooks.do('core.user.logged_in', user, { guestSession }).then(resolve, reject);
    });
  });
}
