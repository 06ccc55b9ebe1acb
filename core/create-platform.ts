import path from 'node:path';
import { ConfigError, type Config } from './config';
import { createDatabase, tuneDatabase } from './db/database';
import { migrateUp } from './db/migrator';
import { Options } from './db/options';
import { Hooks } from './hooks';
import { TemplateResolver } from './themes/template-resolver';
import { Renderer } from './themes/renderer';
import { ThemeService } from './themes/theme-service';
import { PluginManager } from './plugins/plugin-manager';
import { PrivacyRegistry } from './privacy/registry';
import { Capabilities } from './auth/capabilities';
import { AdminShell } from './admin/menu';
import { SecretBox } from './admin/secret-box';
import { DataKeyError, DataKeyring } from './privacy/encryption/data-keys';
import { bindDataKeys } from './privacy/encryption/encrypted-attribute';
import { FieldEncryption } from './privacy/encryption/field-encryption';
import { SettingsRegistry } from './admin/settings-registry';
import { DatabaseQueue } from './jobs/database-queue';
import { Mailer } from './mail/mailer';
import type { StoreMailSettings } from './mail/mail-layout';
import { AssetRegistry } from './http/assets';
import { createHttpExtensions } from './http/http-extensions';
import { FileService } from './files/file-service';
import { FormRegistry } from './forms/registry';
import { Privilege } from './auth/privilege';
import { RateLimits } from './http/rate-limit';
import { configurePassport } from './auth/passport-setup';
import { User } from './auth/user-model';
import { OutboxMessage } from './mail/outbox-model';
import { ensureFirstAdmin, type CreatedAdmin } from './auth/first-admin';
import { registerCoreParts } from './core-parts';
import type { Platform } from './platform';
import { createInstanceBus } from './cluster/instance-bus';
import { withAdvisoryLock } from './cluster/advisory-lock';
import { shareReadCachesThrough } from './db/read-cache';

declare module './hooks' {
  interface ActionMap {
    /** Fired once, on the first start of an empty store with DEMO_SEED on: plugins add their demo data. */
    'core.demo.seeded': [context: { adminEmail: string }];
  }
}

/** The plugins activated on a fresh install. */
export const DEFAULT_PLUGINS = ['shops', 'stripe', 'reviews', 'follows', 'newsletter', 'messaging', 'gdpr'];

export interface PlatformOptions {
  /** Extra folders of bundled plugins (the test fixtures). */
  pluginDirs?: string[];
  /** Extra folders of themes, searched after `themes/` (the test fixtures). */
  themeDirs?: string[];
  jobPollMs?: number;
}

/** Connects the database, runs core migrations and assembles every core service; plugins are not started yet. */
export async function createPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  const sequelize = createDatabase(config.databaseUrl);
  await sequelize.authenticate();
  await tuneDatabase(sequelize);
  // Bound before any migration: migrations that start encrypting a column encrypt the rows already there.
  const dataKeys = keyringOf(config);
  bindDataKeys(sequelize, dataKeys);
  await migrateUp(sequelize, 'core', path.join(config.rootDir, 'core', 'db', 'migrations'));
  User.initModel(sequelize);
  OutboxMessage.initModel(sequelize);

  const opts = new Options(sequelize);
  await opts.load();
  const encryption = new FieldEncryption(sequelize, dataKeys, opts);
  await encryption.verifyKeys(config.dataKeys.source).catch(async (error: unknown) => {
    await sequelize.close();
    throw error;
  });
  const hooks = new Hooks();
  const resolver = new TemplateResolver();
  resolver.registerOwner('core', path.join(config.rootDir, 'views', 'core'));
  const renderer = new Renderer(resolver, hooks);
  const themes = new ThemeService([path.join(config.rootDir, 'themes'), ...(options.themeDirs ?? [])], opts, resolver, renderer);
  themes.load();
  const bus = await createInstanceBus(config.REDIS_URL, config.REDIS_PREFIX);
  // Options (settings, the theme) changed on another instance are read again here at once.
  opts.shareThrough(bus);
  // Read caches (core/db/read-cache.ts) dropped on one instance are dropped on every other one.
  shareReadCachesThrough(sequelize, bus);
  opts.onChange((key) => {
    if (key === 'theme.active') themes.refresh();
  });
  // BullMQ (about 15 MB resident) is loaded only when Redis runs the jobs.
  const jobs = config.REDIS_URL ? new (await import('./jobs/redis-queue')).RedisQueue(config.REDIS_URL, sequelize, { schedulePollMs: options.jobPollMs, prefix: `${config.REDIS_PREFIX}bull` }) : new DatabaseQueue(sequelize, options.jobPollMs, options.jobPollMs);
  const mailer = new Mailer(renderer, hooks, jobs, {
    smtpUrl: config.SMTP_URL,
    from: config.MAIL_FROM,
    baseUrl: config.baseUrl,
    siteName: () => opts.get('site.name', 'Agora'),
    // Read at send time (the registry is built below): the store's address, logo and policy links in every mail.
    store: () => platform.settings.get<Partial<StoreMailSettings>>('core'),
  });

  const assets = new AssetRegistry();
  const platform = {
    config,
    sequelize,
    options: opts,
    hooks,
    resolver,
    renderer,
    themes,
    privacy: new PrivacyRegistry(),
    encryption,
    capabilities: new Capabilities(),
    admin: new AdminShell(),
    settings: new SettingsRegistry(opts, new SecretBox(config.settingsKey)),
    jobs,
    mailer,
    assets,
    http: createHttpExtensions(assets, hooks),
    files: new FileService(config, sequelize),
    forms: new FormRegistry(renderer),
    roles: new Privilege(hooks),
    rateLimits: new RateLimits(config.REDIS_URL, config.REDIS_PREFIX),
    passport: configurePassport(),
    bus,
  } as Omit<Platform, 'plugins'> as Platform;
  platform.plugins = new PluginManager(platform, [
    { dir: path.join(config.rootDir, 'plugins'), source: 'bundled' },
    ...(options.pluginDirs ?? []).map((dir) => ({ dir, source: 'bundled' as const })),
    { dir: config.installedPluginsDir, source: 'installed' },
  ]);
  encryption.attach((model) => platform.plugins.modelOwner(model));
  registerCoreParts(platform);
  return platform;
}

function keyringOf(config: Config): DataKeyring {
  try {
    return new DataKeyring(config.dataKeys.materials);
  } catch (error) {
    if (error instanceof DataKeyError) throw new ConfigError(`DATA_KEY: ${error.message} (${config.dataKeys.source})`);
    throw error;
  }
}

export interface StartResult {
  admin?: CreatedAdmin;
}

/** Activates plugins, creates the first admin, seeds the demo on first start and starts the job worker. */
export async function startPlatform(platform: Platform, defaults: string[] = DEFAULT_PLUGINS): Promise<StartResult> {
  // Two instances starting at once on one fresh database take turns (PostgreSQL advisory lock): the second
  // finds the plugin states, the first admin and the demo data the first one made.
  const admin = await withAdvisoryLock(platform.sequelize, 'agora:startup', async () => {
    await platform.options.load();
    await platform.plugins.boot(defaults);
    const first = await ensureFirstAdmin(platform.config.ADMIN_EMAIL, platform.config.ADMIN_PASSWORD);
    if (first && platform.config.DEMO_SEED && !platform.options.get('demo.seeded', false)) {
      await platform.hooks.do('core.demo.seeded', { adminEmail: first.email });
      await platform.options.set('demo.seeded', true);
    }
    return first;
  });
  await platform.jobs.start();
  return { admin };
}

export async function stopPlatform(platform: Platform): Promise<void> {
  await platform.jobs.stop();
  await platform.bus.close();
  platform.rateLimits.close();
  await platform.sequelize.close();
}
