import type { PluginContext } from '@agora/core';
import type { ThirdPartyCookies } from './third-party';

export interface CookieRow {
  name: string;
  provider: string;
  purpose: string;
  duration: string;
  category: string;
}

/** Every declared cookie, for /privacy/cookies and the Cookie Policy: core's own first, then plugins' and the admin's. */
export function cookieRows(ctx: PluginContext, thirdParty: ThirdPartyCookies, storeName: string): CookieRow[] {
  const rows: CookieRow[] = [
    { name: 'agora.sid', provider: storeName, purpose: 'Keeps you logged in and your cart between pages (your session).', duration: 'session, or 30 days with "remember me"', category: 'necessary' },
    { name: 'agora.csrf', provider: storeName, purpose: 'Protects forms against cross-site request forgery.', duration: 'session', category: 'necessary' },
  ];
  for (const c of ctx.assets.declared().cookies) {
    const provider = c.owner === ctx.name ? (thirdParty.providerOf(c.name) ?? storeName) : storeName;
    rows.push({ name: c.name, provider, purpose: c.purpose, duration: c.duration, category: c.consent });
  }
  return rows;
}
