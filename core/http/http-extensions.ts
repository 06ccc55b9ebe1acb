import type { Hooks } from '../hooks';
import type { AssetRegistry } from './assets';
import { CookieGuard } from './cookie-guard';
import { MiddlewareRegistry } from './middleware-registry';
import { RawBodyPaths } from './raw-body';

/** What plugins add to the request pipeline (`ctx.http`), read per request by the app built in core/app.ts. */
export interface HttpExtensions {
  rawBody: RawBodyPaths;
  middleware: MiddlewareRegistry;
  cookies: CookieGuard;
}

export function createHttpExtensions(assets: AssetRegistry, hooks: Hooks): HttpExtensions {
  return { rawBody: new RawBodyPaths(), middleware: new MiddlewareRegistry(), cookies: new CookieGuard(assets, hooks) };
}
