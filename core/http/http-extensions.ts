import type { Hooks } from '../hooks';
import type { AssetRegistry } from './assets';
import { CookieGuard } from './cookie-guard';
import { FormTargets } from './form-targets';
import { MiddlewareRegistry } from './middleware-registry';
import { RawBodyPaths } from './raw-body';

/** What plugins add to the request pipeline (`ctx.http`), read per request by the app built in core/app.ts. */
export interface HttpExtensions {
  rawBody: RawBodyPaths;
  middleware: MiddlewareRegistry;
  cookies: CookieGuard;
  /** Other sites a form's answer may redirect to (CSP form-action). */
  formTargets: FormTargets;
}

export function createHttpExtensions(assets: AssetRegistry, hooks: Hooks): HttpExtensions {
  return { rawBody: new RawBodyPaths(), middleware: new MiddlewareRegistry(), cookies: new CookieGuard(assets, hooks), formTargets: new FormTargets() };
}
