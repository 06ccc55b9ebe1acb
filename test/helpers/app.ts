import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import supertest from 'supertest';
import { loadConfig, rootDir, type Config } from '../../core/config';
import { createPlatform, startPlatform, stopPlatform } from '../../core/create-platform';
import { buildApp } from '../../core/app';
import type { Platform } from '../../core/platform';
import { User } from '../../core/auth/user-model';
import { hashPassword } from '../../core/auth/passwords';
import type { Role } from '../../core/auth/capabilities';
import { createTestDatabase, type TestDatabase } from './database';
import { TestSmtp } from './smtp';

export const fixturesDir = path.join(rootDir, 'test', 'fixtures');
export const ADMIN = { email: 'admin@test.local', password: 'admin-password-123' };

export interface TestAppOptions {
  /**
   * Plugins active on first start. Default: shops alone, so a test of core or shops sees no other plugin's
   * boxes or migrations; `DEFAULT_PLUGINS` (what a fresh install activates) is tested in fresh-install.test.ts.
   */
  plugins?: string[];
  /** Load the plugins in test/fixtures/plugins and the themes in test/fixtures/themes too (the `hello` example and friends). */
  fixtures?: boolean;
  smtp?: boolean;
  env?: Record<string, string>;
  /** Reuse this data folder and database (to test a restart). */
  reuse?: { dataDir: string; db: TestDatabase };
  /**
   * Start on an empty database and run every migration, as a fresh install does. By default a test app starts
   * on a copy of a database already migrated for its plugins (test/helpers/database-template.ts), which is the
   * same schema in milliseconds; tests of migrations themselves and of a fresh install ask for the real thing.
   */
  freshMigrations?: boolean;
}

export interface TestApp {
  platform: Platform;
  app: Express;
  config: Config;
  smtp?: TestSmtp;
  dataDir: string;
  db: TestDatabase;
  agent(): supertest.Agent;
  /** Stops the app but keeps its data, for a restart. */
  stop(): Promise<void>;
  /** Stops the app and deletes its data. */
  close(): Promise<void>;
}

/** A whole Agora on a temporary SQLite file (or a fresh PostgreSQL database with DB=postgres). */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = options.reuse?.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'agora-test-'));
  const plugins = options.plugins ?? ['shops'];
  const pluginDirs = options.fixtures ? [path.join(fixturesDir, 'plugins')] : [];
  const template = options.freshMigrations ? undefined : { plugins, pluginDirs };
  const db = options.reuse?.db ?? (await createTestDatabase(path.join(dataDir, 'agora.sqlite'), template));
  const smtp = options.smtp ? await new TestSmtp().start() : undefined;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DATABASE_URL: db.url,
    SESSION_SECRET: 'test-session-secret-that-is-long-enough-1234',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    DEMO_SEED: '0',
    SMTP_URL: smtp?.url ?? '',
    BASE_URL: 'http://agora.test',
    // Every test store keeps its Redis keys (sessions, jobs, bus) apart on one Redis: a prefix of its own, the same
    // across a restart on its database. TEST_APPS_ON_REDIS=1 starts every test app on REDIS_URL.
    ...(process.env.TEST_APPS_ON_REDIS === '1' && process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    REDIS_PREFIX: `agora-test-${crypto.createHash('sha256').update(db.url).digest('hex').slice(0, 12)}:`,
    ...options.env,
  });
  const platform = await createPlatform(config, {
    pluginDirs,
    themeDirs: options.fixtures ? [path.join(fixturesDir, 'themes')] : [],
    jobPollMs: 50,
  });
  const built = buildApp(platform);
  await startPlatform(platform, plugins);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await built.close();
    await stopPlatform(platform);
    await smtp?.stop();
  };
  return {
    platform,
    app: built.app,
    config,
    smtp,
    dataDir,
    db,
    agent: () => supertest.agent(built.app),
    stop,
    async close() {
      await stop();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let userSeq = 0;

/** Makes a verified user directly in the database; returns it with its password. */
export async function createUser(fields: Partial<{ email: string; username: string; role: Role; password: string; display_name: string }> = {}) {
  userSeq++;
  const password = fields.password ?? 'correct-horse-battery-staple';
  const username = fields.username ?? `user${userSeq}${Date.now() % 100000}`;
  const user = await User.create({
    username,
    email: fields.email ?? `${username}@example.test`,
    first_name: 'Test',
    last_name: `User${userSeq}`,
    display_name: fields.display_name ?? `Test User ${userSeq}`,
    password_hash: await hashPassword(password),
    birth_date: '1990-01-01',
    role: fields.role ?? 'customer',
    email_verified_at: new Date(),
  });
  return { user, password };
}

/** The CSRF token of the first form on the page. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('No CSRF token on the page');
  return decodeURIComponent(m[1]);
}

/** GETs a page with the agent and returns the CSRF token of its form. */
export async function tokenFor(agent: supertest.Agent, url: string): Promise<string> {
  const res = await agent.get(url);
  return csrfFrom(res.text);
}

export async function login(agent: supertest.Agent, loginName: string, password: string): Promise<void> {
  const token = await tokenFor(agent, '/login');
  const res = await agent.post('/login').type('form').send({ _csrf: token, login: loginName, password });
  if (res.status !== 303) throw new Error(`login as ${loginName} failed with ${res.status}`);
}

export async function loginAsAdmin(agent: supertest.Agent): Promise<void> {
  await login(agent, ADMIN.email, ADMIN.password);
}
