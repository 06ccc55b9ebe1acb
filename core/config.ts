import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

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
  SMTP_URL: urlWithProtocol(['smtp:', 'smtps:']).optional(),
  MAIL_FROM: z.string().default('Agora <no-reply@agora.local>'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Encrypts settings of type `secret` (API keys) at rest; generated once into DATA_DIR when not set. */
  SETTINGS_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
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
  baseUrl: string;
  rootDir: string;
}

export const rootDir = path.resolve(import.meta.dirname, '..');

/** Reads the environment (and `.env`, when present) into typed settings; throws ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(withoutBlanks(env));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${String(issue.path[0])}: ${issue.message}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(rootDir, e.DATA_DIR);
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
    baseUrl: e.BASE_URL ?? `http://localhost:${e.PORT}`,
  };
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
