import crypto from 'node:crypto';
import type { Request } from 'express';
import type { ConsentCategory, PluginContext } from '@agora/core';
import { CONSENT_COOKIE, decodeChoice, type CookieChoice } from './consent-cookie';
import { GPC_REFUSED } from './categories';

/** What this request's visitor decided, worked out once per request. */
export interface VisitorConsent {
  /** The choice in force: present, signed, not expired and made on the cookies declared now. */
  choice: CookieChoice | undefined;
  /** The browser sends Global Privacy Control (`Sec-GPC: 1`). */
  gpc: boolean;
  /** Categories allowed now: `necessary`, plus what the choice accepted, minus what GPC refuses. */
  allowed: Set<ConsentCategory>;
  /** The banner is shown: no choice in force. */
  ask: boolean;
}

const memo = new WeakMap<Request, VisitorConsent>();

/** A short hash of every declared cookie and script with its category: a change asks every visitor again. */
export function declarationsHash(ctx: PluginContext): string {
  const { cookies, scripts } = ctx.assets.declared();
  const lines = [...cookies.map((c) => `c:${c.name}:${c.consent}`), ...scripts.map((s) => `s:${s.src}:${s.consent}`)].sort();
  return crypto.createHash('sha256').update(lines.join('\n')).digest('base64url').slice(0, 10);
}

export function hasGpc(req: Request): boolean {
  return req.get('sec-gpc')?.trim() === '1';
}

export function visitorConsent(ctx: PluginContext, req: Request, months: number): VisitorConsent {
  const known = memo.get(req);
  if (known) return known;
  const cookies = (req as Request & { cookies?: Record<string, unknown> }).cookies ?? {};
  let choice = decodeChoice(ctx.config.sessionSecret, cookies[CONSENT_COOKIE]);
  const expiresAt = choice ? choice.issuedAt * 1000 + months * 30.44 * 24 * 3600 * 1000 : 0;
  if (choice && (expiresAt < Date.now() || choice.declarations !== declarationsHash(ctx))) choice = undefined;
  const gpc = hasGpc(req);
  const allowed = new Set<ConsentCategory>(['necessary']);
  for (const category of choice?.categories ?? []) if (!(gpc && GPC_REFUSED.has(category))) allowed.add(category as ConsentCategory);
  const decided: VisitorConsent = { choice, gpc, allowed, ask: !choice };
  memo.set(req, decided);
  return decided;
}

/** After the visitor chose in this request: what later code in the same request (and the page) sees. */
export function rememberChoice(req: Request, decided: VisitorConsent): void {
  memo.set(req, decided);
}
