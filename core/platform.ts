import type { Sequelize } from 'sequelize';
import type { Config } from './config';
import type { Options } from './db/options';
import type { Hooks } from './hooks';
import type { TemplateResolver } from './themes/template-resolver';
import type { Renderer } from './themes/renderer';
import type { ThemeService } from './themes/theme-service';
import type { PluginManager } from './plugins/plugin-manager';
import type { PrivacyRegistry } from './privacy/registry';
import type { FieldEncryption } from './privacy/encryption/field-encryption';
import type { Capabilities } from './auth/capabilities';
import type { AdminShell } from './admin/menu';
import type { SettingsRegistry } from './admin/settings-registry';
import type { JobQueue } from './jobs/job-queue';
import type { Mailer } from './mail/mailer';
import type { AssetRegistry } from './http/assets';
import type { HttpExtensions } from './http/http-extensions';
import type { FileService } from './files/file-service';
import type { FormRegistry } from './forms/registry';
import type { Privilege } from './auth/privilege';
import type { RateLimits } from './http/rate-limit';
import type { AppPassport } from './auth/passport-setup';
import type { InstanceBus } from './cluster/instance-bus';

/** Everything the running site is made of; built once by `createPlatform` and handed to the app. */
export interface Platform {
  config: Config;
  sequelize: Sequelize;
  options: Options;
  hooks: Hooks;
  resolver: TemplateResolver;
  renderer: Renderer;
  themes: ThemeService;
  plugins: PluginManager;
  privacy: PrivacyRegistry;
  /** Encrypted personal fields: the keys, which fields, re-encryption (ctx.privacy.encryption). */
  encryption: FieldEncryption;
  capabilities: Capabilities;
  admin: AdminShell;
  settings: SettingsRegistry;
  jobs: JobQueue;
  mailer: Mailer;
  assets: AssetRegistry;
  /** Plugins' raw-body paths, early/late middleware and the cookie guard (ctx.http). */
  http: HttpExtensions;
  /** Public and private files of every plugin (ctx.files). */
  files: FileService;
  forms: FormRegistry;
  /** Role changes, firing their hooks on this platform (ctx.roles). */
  roles: Privilege;
  /** Rate limits and their Redis connection, closed with the platform. */
  rateLimits: RateLimits;
  /** This app's passport (login strategy, session serializers). */
  passport: AppPassport;
  /** Messages between the instances of this store (Redis pub/sub with REDIS_URL); closed with the platform. */
  bus: InstanceBus;
}
