import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { rootDir } from '../../core/config';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts `node <build>/server.js` (no TypeScript loader) and resolves once it says it is running. */
function startBuilt(build: string, env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(build, 'server.js')], {
      cwd: rootDir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'error', HOST: '127.0.0.1', ...env },
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the built server did not start in 240 s: ${out}`)), 240_000);
    const collect = (d: Buffer) => {
      out += d.toString();
      if (/Agora is running at/.test(out)) {
        clearTimeout(timer);
        resolve({ child, output: () => out });
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`the built server exited with ${code}: ${out}`));
    });
  });
}

describe('the compiled build (npm run build, node dist/server.js)', function () {
  // tsc over the whole app, then a first start with every migration and the demo store: slow on a busy machine.
  this.timeout(600_000);
  let build: string;
  let dataDir: string;
  let db: TestDatabase;
  let child: ChildProcess | undefined;
  let base: string;

  before(async () => {
    // Inside the project, so the build finds node_modules and package.json ("type": "module") as dist/ does.
    fs.mkdirSync(path.join(rootDir, 'test-data'), { recursive: true });
    build = fs.mkdtempSync(path.join(rootDir, 'test-data', 'build-'));
    const made = spawnSync(process.execPath, [path.join(rootDir, 'scripts', 'build.mjs'), build], { cwd: rootDir, encoding: 'utf8' });
    expect(made.status, made.stdout + made.stderr).to.equal(0);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-built-'));
    db = await createTestDatabase(path.join(dataDir, 'agora.sqlite'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const started = await startBuilt(build, { PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: db.url, BASE_URL: base });
    child = started.child;
  });

  after(async () => {
    if (child && child.exitCode === null) {
      child.removeAllListeners('close');
      await new Promise<void>((resolve) => {
        child!.on('close', () => resolve());
        child!.kill('SIGTERM');
      });
    }
    await db?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    if (build) fs.rmSync(build, { recursive: true, force: true });
  });

  it('holds compiled JavaScript, no TypeScript, with the templates and assets beside it', () => {
    expect(fs.existsSync(path.join(build, 'server.js'))).to.equal(true);
    expect(fs.existsSync(path.join(build, 'plugins', 'shops', 'index.js'))).to.equal(true);
    expect(fs.existsSync(path.join(build, 'plugins', 'shops', 'views', 'product.ejs'))).to.equal(true);
    expect(fs.existsSync(path.join(build, 'core', 'plugins', 'public-api-hook.mjs'))).to.equal(true);
    const migrations = fs.readdirSync(path.join(build, 'core', 'db', 'migrations'));
    expect(migrations.length).to.be.greaterThan(0);
    expect(migrations.every((f) => f.endsWith('.js'))).to.equal(true);
    const ts = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? ts(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [e.name] : []));
    expect(ts(build)).to.deep.equal([]);
  });

  it('starts without a TypeScript loader and answers /healthz and the home page', async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).to.equal(200);
    expect(((await health.json()) as { status: string }).status).to.equal('ok');
    const home = await fetch(`${base}/`);
    expect(home.status).to.equal(200);
    expect(await home.text()).to.match(/<html/i);
  });

  it('runs every bundled plugin (their compiled entries resolve @agora/core through the hook)', async () => {
    const catalog = await fetch(`${base}/products`);
    expect(catalog.status).to.equal(200);
    const html = await catalog.text();
    // The demo store's products, rendered by the shops plugin's compiled routes and templates.
    expect(html).to.match(/class="[^"]*product/);
    const rights = await fetch(`${base}/privacy/rights`);
    expect(rights.status).to.equal(200);
  });
});
