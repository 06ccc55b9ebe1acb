import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig, rootDir } from '../../core/config';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ DATA_DIR: path.join(os.tmpdir(), 'agora-config-test-unused'), ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('configuration from the environment', () => {
  it('explains a bad PORT in one line naming the variable', () => {
    for (const port of ['abc', '70000', '-1', '80.5']) {
      const error = configError({ PORT: port });
      expect(error.message, `PORT=${port}`).to.equal('PORT: must be a port number from 0 to 65535');
    }
  });

  it('explains a bad DATABASE_URL in one line naming the variable', () => {
    expect(configError({ DATABASE_URL: 'mysql://db/agora' }).message).to.equal('DATABASE_URL: must be a URL starting with postgres:// or postgresql:// or sqlite://');
    expect(configError({ DATABASE_URL: 'not a url' }).message).to.match(/^DATABASE_URL: /);
  });

  it('explains a bad SMTP_URL in one line naming the variable', () => {
    expect(configError({ SMTP_URL: 'http://mail.example.test' }).message).to.equal('SMTP_URL: must be a URL starting with smtp:// or smtps://');
  });

  it('refuses a scrypt cost below 15 outside the test suite in one line', () => {
    expect(configError({ NODE_ENV: 'production', PASSWORD_SCRYPT_COST: '10' }).message).to.equal('PASSWORD_SCRYPT_COST must be a whole number from 15 to 20');
  });

  it('keeps every message to one line', () => {
    const bad: Array<Record<string, string>> = [{ PORT: 'x' }, { DATABASE_URL: 'x' }, { SMTP_URL: 'x' }, { SESSION_SECRET: 'short' }, { ADMIN_EMAIL: 'nope' }];
    for (const env of bad) {
      const message = configError(env).message;
      expect(message.split('\n'), message).to.have.length(1);
      expect(message.startsWith(`${Object.keys(env)[0]}: `), message).to.equal(true);
    }
  });

  it('accepts good values and derives the rest', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-config-'));
    try {
      const config = loadConfig({ DATA_DIR: dataDir, PORT: '8080', DATABASE_URL: 'postgres://u@127.0.0.1/agora', SMTP_URL: 'smtp://127.0.0.1:2525' });
      expect(config.PORT).to.equal(8080);
      expect(config.baseUrl).to.equal('http://localhost:8080');
      expect(config.databaseUrl).to.equal('postgres://u@127.0.0.1/agora');
      expect(config.installedPluginsDir).to.equal(path.join(dataDir, 'plugins'));
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('makes `npx tsx server.ts` with a bad PORT exit 1 printing one line and no stack trace', function () {
    this.timeout(60_000);
    const env = { ...process.env, PORT: 'not-a-port', NODE_ENV: 'production', LOG_LEVEL: 'info', npm_config_loglevel: 'silent' };
    const run = spawnSync('npx', ['tsx', 'server.ts'], { cwd: rootDir, env, encoding: 'utf8', timeout: 50_000 });
    expect(run.status, run.stderr).to.equal(1);
    // npm itself may warn about this machine's npm configuration; that line is not Agora's.
    const lines = `${run.stdout}${run.stderr}`.split('\n').filter((l) => l.trim() && !l.startsWith('npm warn'));
    expect(lines).to.deep.equal(['Agora cannot start: PORT: must be a port number from 0 to 65535']);
  });
});
