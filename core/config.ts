import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { scryptCost } from './auth/passwords';

/** Raised when the environment holds a value Agora cannot run with; server.ts prints its one line. */
export class ConfigError extends Error {}

const flag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const urlWithProtocol = (protocols: string[]) =>
  z.string().refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.map((p) => p + '//').join(' or ')}`);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce
    .number({ message: 'must be a port number from 0 to 65535' })
    .int('must be a port number from 0 to 65535')
    .min(0, 'must be a port number from 0 to 65535')
    .max(65535, 'must be a port number from 0 to 65535')
    .default(3000),
  HOST: z.string().default('0.0.0.0'),
  BASE_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: urlWithProtocol(['postgres:', 'postgresql:', 'sqlite:']).optional(),
  REDIS_URL: urlWithProtocol(['redis:', 'rediss:']).optional(),
  /** Starts every Redis key and channel of this store (sessions, rate limits, jobs, the instance bus): two stores on one Redis need two prefixes. */
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1 to 64 letters, digits or _ . : -').default('agora:'),
  SMTP_URL: urlWithProtocol(['smtp:', 'smtps:']).optional(),
  MAIL_FROM: z.string().default('Agora <no-reply@agora.local>'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** A logged-in person's session expiry is renewed in the store at most this often (0: on every request). */
  SESSION_TOUCH_MINUTES: z.coerce.number({ message: 'must be a number of minutes' }).min(0, 'must be 0 or more minutes').max(24 * 60, 'must be at most 1440 minutes').default(5),
  /** Encrypts settings of type `secret` (API keys) at rest; generated once into DATA_DIR when not set. */
  SETTINGS_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Encrypts the most sensitive personal fields at rest (docs/security.md); generated once into DATA_DIR/data-keys when not set. */
  DATA_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Older data keys, comma-separated, still read after a rotation until every value is re-encrypted. */
  DATA_KEYS_PREVIOUS: z
    .string()
    .refine((v) => v.split(',').every((k) => k.trim().length >= 32), 'must be data keys of at least 32 characters, separated by commas')
    .optional(),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  DEMO_SEED: flag.default(true),
  TRUST_PROXY: z.string().default('0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(5 * 1024 * 1024),
  PLUGIN_ZIP_MAX_BYTES: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  /** How long a shutdown (SIGTERM, SIGINT) waits for in-flight requests before it closes what is left and exits. */
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number({ message: 'must be a number of seconds' }).positive('must be a number of seconds above 0').default(10),
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Env {
  dataDir: string;
  uploadsDir: string;
  installedPluginsDir: string;
  databaseUrl: string;
  sessionSecret: string;
  settingsKey: string;
  /** The data keys, the current one first, and where they came from (for error messages). */
  dataKeys: { materials: string[]; source: string };
  baseUrl: string;
  rootDir: string;
}

export const rootDir = path.resolve(import.meta.dirname, '..');
/**
 * The project folder a relative DATA_DIR is read from: the nearest folder with a package.json, which is
 * rootDir itself when running from source and its parent when running the compiled build (dist/ has no
 * package.json of its own), so both use the same store.
 */
export const projectDir = findProjectDir(rootDir);

function findProjectDir(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}

/** Reads the environment (and `.env`, when present) into typed settings; throws ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(withoutBlanks(env));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${String(issue.path[0])}: ${issue.message}`);
  }
  const e = parsed.data;
  try {
    scryptCost(env);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const dataDir = path.resolve(projectDir, e.DATA_DIR);
  fs.mkdirSync(dataDir, { recursive: true });
  const uploadsDir = path.join(dataDir, 'uploads');
  const installedPluginsDir = path.join(dataDir, 'plugins');
  fs.mkdirSync(uploadsDir, { recursive: true });
  fs.mkdirSync(installedPluginsDir, { recursive: true });
  return {
    ...e,
    rootDir,
    dataDir,
    uploadsDir,
    installedPluginsDir,
    databaseUrl: e.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'agora.sqlite')}`,
    sessionSecret: e.SESSION_SECRET ?? persistentSecret(dataDir, 'session-secret'),
    settingsKey: e.SETTINGS_KEY ?? persistentSecret(dataDir, 'settings-key'),
    dataKeys: dataKeysFrom(e, dataDir),
    baseUrl: e.BASE_URL ?? `http://localhost:${e.PORT}`,
  };
}

/**
 * DATA_KEY (and DATA_KEYS_PREVIOUS) when set; otherwise DATA_DIR/data-keys, one key per line, the current one
 * first, generated with one random key on the first start. To rotate a generated key, put a new first line.
 */
function dataKeysFrom(e: Env, dataDir: string): Config['dataKeys'] {
  const previous = (e.DATA_KEYS_PREVIOUS ?? '').split(',').map((k) => k.trim()).filter(Boolean);
  if (e.DATA_KEY) return { materials: [e.DATA_KEY, ...previous], source: previous.length ? 'DATA_KEY and DATA_KEYS_PREVIOUS' : 'DATA_KEY' };
  const file = path.join(dataDir, 'data-keys');
  let lines: string[];
  try {
    lines = fs.readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  } catch {
    lines = [crypto.randomBytes(32).toString('hex')];
    fs.writeFileSync(file, `${lines[0]}\n`, { mode: 0o600 });
  }
  if (lines.length === 0) throw new ConfigError(`DATA_KEY: ${file} holds no key`);
  const short = lines.findIndex((l) => l.length < 32);
  if (short >= 0) throw new ConfigError(`DATA_KEY: line ${short + 1} of ${file} is shorter than 32 characters`);
  return { materials: [...lines, ...previous], source: file };
}

function withoutBlanks(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

/** A secret generated once and kept in DATA_DIR, so restarts keep sessions valid. */
function persistentSecret(dataDir: string, name: string): string {
  const file = path.join(dataDir, name);
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    const secret = crypto.randomUUID().replaceAll('-', '') + crypto.randomUUID().replaceAll('-', '');
    fs.writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}
