import 'dotenv/config';
import { ConfigError, loadConfig } from './core/config';
import { createPlatform, startPlatform, stopPlatform } from './core/create-platform';
import { buildApp } from './core/app';
import { log } from './core/log';
import { limitSlowClients, trackConnections } from './core/http/shutdown';

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
  // A missing or wrong DATA_KEY is found once the database is open: the same one-line refusal.
  const platform = await createPlatform(config).catch((error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(`Agora cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  });
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
  limitSlowClients(server);
  const connections = trackConnections(server);
  // A clean stop: no new connections, idle and stalled sockets closed at once, in-flight requests finished, then
  // the platform closed; the whole within SHUTDOWN_TIMEOUT_SECONDS, however slow a client is.
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const deadlineMs = config.SHUTDOWN_TIMEOUT_SECONDS * 1000;
    log.info({ signal, deadlineMs }, 'shutting down');
    setTimeout(() => {
      log.error({ deadlineMs }, 'shutdown did not finish in time; exiting');
      process.exit(1);
    }, deadlineMs).unref();
    // Requests get most of the time; closing the sessions, jobs and database the rest.
    void connections
      .drain(Math.round(deadlineMs * 0.7))
      .then((how) => {
        if (how === 'forced') log.warn('requests still running at the shutdown deadline were cut off');
        return close();
      })
      .then(() => stopPlatform(platform))
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(`Agora failed to start: ${error instanceof Error ? error.message : String(error)}`);
  log.error({ err: error }, 'start failed');
  process.exit(1);
});
