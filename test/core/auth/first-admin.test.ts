import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { rootDir } from '../../../core/config';
import { startTestApp, login, type TestApp } from '../../helpers/app';
import { createTestDatabase, type TestDatabase } from '../../helpers/database';
import { User } from '../../../core/auth/user-model';

const tsx = path.join(rootDir, 'node_modules', '.bin', 'tsx');

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, args, { cwd: rootDir, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent', ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts server.ts and resolves once it printed something matching `until`; `output()` has everything so far. */
function startServer(env: Record<string, string>, until: RegExp): Promise<{ child: ChildProcess; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ['server.ts'], { cwd: rootDir, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent', DEMO_SEED: '0', HOST: '127.0.0.1', ...env } });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (until.test(out)) resolve({ child, output: () => out });
    });
    child.on('error', reject);
    child.on('close', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('close');
    child.on('close', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Logs in through the real login form of a running server. */
async function loginOverHttp(base: string, loginName: string, password: string): Promise<number> {
  const page = await fetch(`${base}/login`);
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1];
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ _csrf: token, login: loginName, password }).toString(),
  });
  return res.status;
}

describe('the first admin and create-admin', () => {
  let dataDir: string;
  let db: TestDatabase;
  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-test-'));
    db = await createTestDatabase(path.join(dataDir, 'agora.sqlite'));
  });
  after(async () => {
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates an admin on the first start of an empty database and prints its login once', async function () {
    this.timeout(60_000);
    const port = await freePort();
    const env = { DATA_DIR: dataDir, DATABASE_URL: db.url, PORT: String(port), BASE_URL: `http://127.0.0.1:${port}` };
    const first = await startServer(env, /shown only once/);
    let password: string;
    try {
      expect(first.output()).to.contain('First admin created');
      expect(first.output()).to.contain('email:    admin@agora.local');
      password = /password: (\S+)/.exec(first.output())![1];
      expect(await loginOverHttp(env.BASE_URL, 'admin@agora.local', password)).to.equal(303);
    } finally {
      await stopServer(first.child);
    }
    const second = await startServer(env, /Agora is running/);
    try {
      // The first-admin lines would be printed with the "running" line; a request answered means they had their chance.
      expect((await fetch(`${env.BASE_URL}/healthz`)).status).to.equal(200);
      expect(second.output()).to.not.contain('First admin created');
      expect(second.output()).to.not.contain(password);
    } finally {
      await stopServer(second.child);
    }
  });

  describe('npm run create-admin', () => {
    const env = () => ({ DATA_DIR: dataDir, DATABASE_URL: db.url });
    let t: TestApp | undefined;
    after(async () => t?.stop());

    it('makes another admin from the command line, with the password given or a generated one', async function () {
      this.timeout(60_000);
      const given = await run(['core/auth/create-admin-cli.ts', '--email', 'Chief@Example.test', '--password', 'a-long-enough-passphrase'], env());
      expect(given.code, given.err).to.equal(0);
      expect(given.out).to.contain('email:    chief@example.test');
      expect(given.out).to.not.contain('a-long-enough-passphrase');

      const generated = await run(['core/auth/create-admin-cli.ts', '--email', 'deputy@example.test', '--username', 'deputy'], env());
      expect(generated.code, generated.err).to.equal(0);
      const password = /password: (\S+)/.exec(generated.out)![1];

      t = await startTestApp({ reuse: { dataDir, db }, plugins: [] });
      for (const [who, secret] of [['chief@example.test', 'a-long-enough-passphrase'], ['deputy', password]]) {
        const agent = t.agent();
        await login(agent, who, secret);
        expect((await agent.get('/admin/users')).status, who).to.equal(200);
      }
      expect((await User.findOne({ where: { email: 'chief@example.test' } }))!.role).to.equal('admin');
    });

    it('refuses an address that has an account, a weak password and a missing email, with a message and exit code 1', async function () {
      this.timeout(60_000);
      const taken = await run(['core/auth/create-admin-cli.ts', '--email', 'chief@example.test', '--password', 'another-long-passphrase'], env());
      expect(taken.code).to.equal(1);
      expect(taken.err).to.contain('There is already an account with chief@example.test');
      const weak = await run(['core/auth/create-admin-cli.ts', '--email', 'new@example.test', '--password', 'password123'], env());
      expect(weak.code).to.equal(1);
      expect(weak.err).to.contain('too common');
      const missing = await run(['core/auth/create-admin-cli.ts'], env());
      expect(missing.code).to.equal(1);
      expect(missing.err).to.contain('--email');
      expect(await User.count({ where: { email: 'new@example.test' } })).to.equal(0);
    });
  });
});
