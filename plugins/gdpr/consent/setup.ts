import type { PluginContext } from '@agora/core';
import '../hooks';
import { initConsentModels } from './models';
import { defineConsentSettings } from './settings';
import { ConsentService } from './service';
import { ThirdPartyCookies } from './cookies/third-party';
import { setupCookies } from './cookies/setup-cookies';
import { sectionBoxes } from './section-boxes';
import { holdChangedPolicies, reconsentExtension, RECONSENT_SECTION } from './reconsent';
import { installDefaults } from './install';
import { UNEXTENDED } from './section-labels';
import { setupSite } from './setup-site';
import { publicPolicyRoutes } from './routes/public-policies';
import { adminPolicyRoutes } from './routes/admin-policies';
import { adminSectionRoutes } from './routes/admin-sections';
import { adminConsentRoutes } from './routes/admin-consents';
import { adminCookieRoutes } from './routes/admin-cookies';
import { accountPrivacyRoutes } from './routes/account-privacy';
import { registerConsentPrivacy } from './privacy';
import { declareConsentIpRetention } from './ip-retention';


/** The consent service of this plugin's running instance, for part 2 (rights) to use. */
let running: ConsentService | undefined;
export function consentServiceOf(): ConsentService {
  if (!running) throw new Error('gdpr consent is not set up');
  return running;
}

/** Policies, consent per form section, the consent register and cookie consent (gdpr part 1). */
export async function setupConsent(ctx: PluginContext): Promise<void> {
  initConsentModels(ctx.sequelize);
  const settings = defineConsentSettings(ctx);
  const service = new ConsentService(ctx.sequelize, () => settings().fullIp);
  running = service;
  ctx.onDispose(() => {
    if (running === service) running = undefined;
  });

  const thirdParty = new ThirdPartyCookies(ctx);
  await thirdParty.sync();

  // The first request installs the generated policies: by then every active plugin has declared its data.
  let installed: Promise<void> | undefined;
  ctx.http.use('early', (_req, _res, next) => {
    installed ??= installDefaults(ctx).catch((error: unknown) => {
      installed = undefined;
      throw error;
    });
    installed.then(() => next(), next);
  });

  ctx.http.use('early', holdChangedPolicies(service));

  const secret = ctx.config.sessionSecret;
  // Every form section, those known now and any a plugin activated later declares.
  ctx.forms.extendEach((section) => {
    if (UNEXTENDED.has(section.name)) return undefined;
    if (section.name === RECONSENT_SECTION) return reconsentExtension(service, secret) as never;
    return sectionBoxes(section, service, secret) as never;
  });

  setupSite(ctx);
  setupCookies(ctx, settings, service, thirdParty);
  publicPolicyRoutes(ctx, settings, thirdParty);
  adminPolicyRoutes(ctx);
  adminSectionRoutes(ctx);
  adminConsentRoutes(ctx, service);
  adminCookieRoutes(ctx, thirdParty);
  accountPrivacyRoutes(ctx, service);
  registerConsentPrivacy(ctx, service);
  declareConsentIpRetention(ctx);
}
