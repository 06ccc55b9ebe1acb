import { expect } from 'chai';
import { readToken, signToken } from '../../../core/http/signed-tokens';

describe('signed link tokens (signToken / readToken)', () => {
  const secret = 'a-secret-that-is-long-enough-for-the-tests-1234';

  it('reads back the claims it signed, for the same purpose', () => {
    const token = signToken(secret, 'newsletter.confirm', { s: 12, n: 'abc' }, { ttlMs: 60_000 });
    expect(readToken(secret, 'newsletter.confirm', token)).to.deep.equal({ ok: true, claims: { s: 12, n: 'abc' } });
  });

  it('refuses a token signed for another purpose or with another secret', () => {
    const token = signToken(secret, 'newsletter.confirm', { s: 12 });
    expect(readToken(secret, 'newsletter.unsubscribe', token)).to.deep.equal({ ok: false, reason: 'invalid' });
    expect(readToken(`${secret}-rotated`, 'newsletter.confirm', token)).to.deep.equal({ ok: false, reason: 'invalid' });
  });

  it('refuses a tampered payload, a cut signature and things that are not tokens', () => {
    const token = signToken(secret, 'p', { s: 12 });
    const [payload, sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ s: 13 })).toString('base64url');
    expect(readToken(secret, 'p', `${forged}.${sig}`).ok).to.equal(false);
    expect(readToken(secret, 'p', `${payload}.${sig.slice(0, -2)}`).ok).to.equal(false);
    for (const bad of [undefined, 42, '', 'x', 'a.b.c', `${payload}.`, 'é.é', 'a'.repeat(3000)]) expect(readToken(secret, 'p', bad).ok, String(bad)).to.equal(false);
  });

  it('tells an expired token apart from an invalid one; without ttlMs it never expires', () => {
    const issued = Date.UTC(2026, 0, 1);
    const token = signToken(secret, 'p', { s: 1 }, { ttlMs: 3600_000, now: issued });
    expect(readToken(secret, 'p', token, issued + 3599_000).ok).to.equal(true);
    expect(readToken(secret, 'p', token, issued + 3601_000)).to.deep.equal({ ok: false, reason: 'expired' });
    const forever = signToken(secret, 'p', { s: 1 }, { now: issued });
    expect(readToken(secret, 'p', forever, issued + 10 * 365 * 24 * 3600_000).ok).to.equal(true);
  });

  it('keeps the expiry claim to itself', () => {
    expect(() => signToken(secret, 'p', { x: 1 })).to.throw(TypeError);
  });
});
