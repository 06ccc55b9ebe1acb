import crypto from 'node:crypto';
import net from 'node:net';
import { groupKey, validGroupKey } from './order-links';

/** What a download link is signed over: the grant and its expiry (seconds since 1970, 0 for none). */
function signature(secret: string, grantId: number, expires: number): string {
  return crypto.createHmac('sha256', secret).update(`shops.download:${grantId}:${expires}`).digest('base64url').slice(0, 32);
}

function expiryOf(expiresAt: Date | null): number {
  return expiresAt ? Math.floor(expiresAt.getTime() / 1000) : 0;
}

/**
 * The link to one grant: `/downloads/<id>?e=<expiry>&s=<signature>`, plus the guest order's key (`k`, the one
 * its confirmation page opens with) when the order has no account. The signature covers the expiry, so a link
 * whose date was moved is refused as tampered, before anything is looked up.
 */
export function downloadPath(secret: string, grant: { id: number; expires_at: Date | null }, guestReference: string | null): string {
  const expires = expiryOf(grant.expires_at);
  const guest = guestReference ? `&k=${groupKey(secret, guestReference)}` : '';
  return `/downloads/${grant.id}?e=${expires}&s=${signature(secret, grant.id, expires)}${guest}`;
}

/** The expiry a link carries, when its signature is the site's; undefined for a changed or cut link. */
export function signedExpiry(secret: string, grantId: number, query: Record<string, unknown>): number | undefined {
  const { e, s } = query;
  if (typeof e !== 'string' || !/^\d{1,12}$/.test(e) || typeof s !== 'string' || s.length !== 32) return undefined;
  const expires = Number(e);
  const expected = Buffer.from(signature(secret, grantId, expires));
  const given = Buffer.from(s);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected) ? expires : undefined;
}

/** Whether the link carries the guest order's key. */
export function hasGuestKey(secret: string, reference: string, query: Record<string, unknown>): boolean {
  return validGroupKey(secret, reference, query.k);
}

/** The IP kept with a download: IPv4 without its last byte, IPv6 to its first 48 bits (the network, not the home). */
export function truncatedIp(ip: string | undefined): string {
  if (!ip) return '';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const address = mapped ? mapped[1] : ip;
  if (net.isIPv4(address)) return address.split('.').slice(0, 3).concat('0').join('.');
  if (!net.isIPv6(address)) return '';
  const [head, tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 3)
    .map((g) => (parseInt(g, 16) || 0).toString(16))
    .join(':')}::`;
}
