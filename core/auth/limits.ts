import type { RateLimitRequestHandler } from 'express-rate-limit';
import type { Platform } from '../platform';

export interface AuthLimits {
  /** Failed logins and wrong current passwords, per address: the 11th failure in 15 minutes is refused. */
  login: RateLimitRequestHandler;
  register: RateLimitRequestHandler;
  passwordReset: RateLimitRequestHandler;
  /** Resending verification mail. */
  mail: RateLimitRequestHandler;
}

const MINUTE = 60 * 1000;

export function authLimits(platform: Platform): AuthLimits {
  const limits = platform.rateLimits;
  return {
    // Successful logins are not counted: only guessing is.
    login: limits.create('login', { windowMs: 15 * MINUTE, limit: 10, skipSuccessfulRequests: true }),
    register: limits.create('register', { windowMs: 60 * MINUTE, limit: 20 }),
    passwordReset: limits.create('password-reset', { windowMs: 15 * MINUTE, limit: 10 }),
    mail: limits.create('verify-mail', { windowMs: 15 * MINUTE, limit: 5 }),
  };
}
