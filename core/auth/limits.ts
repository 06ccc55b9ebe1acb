import type { RateLimitRequestHandler } from 'express-rate-limit';
import type { Platform } from '../platform';
import { createRateLimit } from '../http/rate-limit';

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
  const redisUrl = platform.config.REDIS_URL;
  return {
    // Successful logins are not counted: only guessing is.
    login: createRateLimit('login', { windowMs: 15 * MINUTE, limit: 10, skipSuccessfulRequests: true, redisUrl }),
    register: createRateLimit('register', { windowMs: 60 * MINUTE, limit: 20, redisUrl }),
    passwordReset: createRateLimit('password-reset', { windowMs: 15 * MINUTE, limit: 10, redisUrl }),
    mail: createRateLimit('verify-mail', { windowMs: 15 * MINUTE, limit: 5, redisUrl }),
  };
}
