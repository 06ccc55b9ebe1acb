import 'dotenv/config';
import { ConfigError, loadConfig } from './core/config';
import { createPlatform, startPlatform, stopPlatform } from './core/create-platform';
import { buildApp } from './core/app';
import { log } from './core/log';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Agora cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const platform = await createPlatform(config);
  const { app, close } = buildApp(platform);
  const { admin } = await startPlatform(platform);
  const server = app.listen(config.PORT, config.HOST, () => {
    console.log(`Agora is running at ${config.baseUrl} (database: ${platform.sequelize.getDialect()}, jobs: ${platform.jobs.kind})`);
    if (admin) {
      console.log(`First admin created. Log in at ${config.baseUrl}/login with`);
      console.log(`  email:    ${admin.email}`);
      console.log(`  password: ${admin.generatedPassword ?? '(the ADMIN_PASSWORD you set)'}`);
      if (admin.generatedPassword) console.log('This password is shown only once; change it under /account.');
    }
  });
  // Another instance may activate or deactivate plugins; pick that up.
  const sync = setInterval(() => void platform.plugins.sync().catch((e) => log.error({ err: e }, 'plugin sync failed')), 10_000);
  sync.unref();
  const shutdown = () => {
    server.close(() => {
      void close()
        .then(() => stopPlatform(platform))
        .finally(() => process.exit(0));
    });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(`Agora failed to start: ${error instanceof Error ? error.message : String(error)}`);
  log.error({ err: error }, 'start failed');
  process.exit(1);
});
