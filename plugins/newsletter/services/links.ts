import crypto from 'node:crypto';
import { readToken, signToken, type MailUnsubscribe, type PluginContext } from '@agora/core';

const CONFIRM = 'newsletter.confirm';
const UNSUBSCRIBE = 'newsletter.unsubscribe';

export const newNonce = (): string => crypto.randomBytes(16).toString('base64url');

/** The confirmation link: signed, expiring, and single-use through the subscriber's current nonce. */
export function confirmUrl(ctx: PluginContext, subscriberId: number, nonce: string, hours: number): string {
  const token = signToken(ctx.config.sessionSecret, CONFIRM, { s: subscriberId, n: nonce }, { ttlMs: hours * 3600_000 });
  return `${ctx.config.baseUrl}/newsletter/confirm?token=${token}`;
}

export type ConfirmReading = { ok: true; subscriberId: number; nonce: string } | { ok: false; reason: 'invalid' | 'expired' };

export function readConfirm(ctx: PluginContext, token: unknown): ConfirmReading {
  const read = readToken(ctx.config.sessionSecret, CONFIRM, token);
  if (!read.ok) return read;
  const { s, n } = read.claims;
  if (typeof s !== 'number' || typeof n !== 'string') return { ok: false, reason: 'invalid' };
  return { ok: true, subscriberId: s, nonce: n };
}

/** Unsubscribe links name the address by its hash and never expire (an old email must still let one leave). */
export function unsubscribeToken(ctx: PluginContext, hash: string): string {
  return signToken(ctx.config.sessionSecret, UNSUBSCRIBE, { h: hash });
}

export function readUnsubscribe(ctx: PluginContext, token: unknown): string | undefined {
  const read = readToken(ctx.config.sessionSecret, UNSUBSCRIBE, token);
  return read.ok && typeof read.claims.h === 'string' && /^[0-9a-f]{64}$/.test(read.claims.h) ? read.claims.h : undefined;
}

/** The page a person opens from the email's footer link. */
export const unsubscribePageUrl = (ctx: PluginContext, hash: string): string => `${ctx.config.baseUrl}/newsletter/unsubscribe?token=${unsubscribeToken(ctx, hash)}`;
/** The RFC 8058 one-click address of the `List-Unsubscribe` header (POST, no session, no CSRF). */
export const oneClickUrl = (ctx: PluginContext, hash: string): string => `${ctx.config.baseUrl}/newsletter/one-click?token=${unsubscribeToken(ctx, hash)}`;

/** Every newsletter email's one-click address: core's mail turns it into the List-Unsubscribe headers. */
export function unsubscribeOption(ctx: PluginContext, hash: string): MailUnsubscribe {
  return { url: oneClickUrl(ctx, hash) };
}
