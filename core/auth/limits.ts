import type { RateLimitRequestHandler } from 'express-rate-limit';
import type { Platform } from '../platform';
import { LoginThrottle } from './login-throttle';

export interface AuthLimits {
  /**
   * Failed logins per address: the 101st failure in 15 minutes is refused. High, because many people share
   * an address (an office, a shop's staff); guessing at one account is slowed by `account` instead.
   */
  login: RateLimitRequestHandler;
  /** Failed logins per account: a growing wait after a few failures, never a lock (login-throttle.ts). */
  account: LoginThrottle;
  /** Wrong current passwords on the account pages (a logged-in person), per address: the 11th in 15 minutes is refused. */
  currentPassword: RateLimitRequestHandler;
  register: RateLimitRequestHandler;
  passwordReset: RateLimitRequestHandler;
  /** Resending verification mail. */
  mail: RateLimitRequestHandler;
}

const MINUTE = 60 * 1000;

/** The login throttle's key of an account (a password reset clears it). */
export const accountThrottleKey = (userId: number): string => `user:${userId}`;

export function authLimits(platform: Platform): AuthLimits {
  const limits = platform.rateLimits;
  return {
    // Successful logins are not counted: only guessing is.
    login: limits.create('login', { windowMs: 15 * MINUTE, limit: 100, skipSuccessfulRequests: true }),
    account: new LoginThrottle(limits.redisConnection(), undefined, limits.keyPrefix),
    currentPassword: limits.create('current-password', { windowMs: 15 * MINUTE, limit: 10, skipSuccessfulRequests: true }),
    register: limits.create('register', { windowMs: 60 * MINUTE, limit: 20 }),
    passwordReset: limits.create('password-reset', { windowMs: 15 * MINUTE, limit: 10 }),
    mail: limits.create('verify-mail', { windowMs: 15 * MINUTE, limit: 5 }),
  };
}
