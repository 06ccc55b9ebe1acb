import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { rootDir } from '../../core/config';

/** A free TCP port on loopback. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/** A raw socket that has sent `data` and is left hanging, as a slow or broken client leaves it. */
function hangingClient(port: number, data: string): Promise<{ socket: net.Socket; closedAt: Promise<number>; received: () => string }> {
  return new Promise((resolve, reject) => {
    let got = '';
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(data);
      resolve({ socket, closedAt, received: () => got });
    });
    socket.on('data', (chunk) => (got += chunk.toString()));
    const closedAt = new Promise<number>((done) => socket.once('close', () => done(Date.now())));
    socket.once('error', reject);
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; at: number }> {
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, at: Date.now() })));
}

describe('the real server (tsx server.ts) and slow clients', function () {
  this.timeout(120_000);
  let child: ChildProcess;
  let port: number;
  let dataDir: string;
  let output = '';

  before(async () => {
    port = await freePort();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-server-'));
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', DATA_DIR: dataDir, DEMO_SEED: '0', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', LOG_FORMAT: 'json' };
    child = spawn(path.join(rootDir, 'node_modules', '.bin', 'tsx'), ['server.ts'], { cwd: rootDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    const started = Date.now();
    while (!output.includes('Agora is running')) {
      if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
      if (Date.now() - started > 90_000) throw new Error(`server did not start: ${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 413 at once to a body announced above the size limit, without waiting for it', async () => {
    const client = await hangingClient(port, `POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${10 * 1024 * 1024 * 1024}\r\n\r\n`);
    const sent = Date.now();
    const closed = await client.closedAt;
    expect(client.received()).to.match(/^HTTP\/1\.1 413/);
    expect(closed - sent).to.be.below(2000);
  });

  it('on SIGTERM closes a half-sent request at once, cuts a stalled body at the deadline, refuses new connections, and exits in time', async () => {
    const halfHeaders = await hangingClient(port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow');
    const shortBody = await hangingClient(port, 'POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nlogin=a');
    await new Promise((r) => setTimeout(r, 300));
    const exit = exited(child);
    const signalled = Date.now();
    child.kill('SIGTERM');

    expect((await halfHeaders.closedAt) - signalled).to.be.below(2000);
    await new Promise((r) => setTimeout(r, 200));
    const refused = await new Promise<boolean>((resolve) => {
      const probe = net.connect(port, '127.0.0.1');
      probe.once('connect', () => {
        probe.destroy();
        resolve(false);
      });
      probe.once('error', () => resolve(true));
    });
    expect(refused, 'a new connection after SIGTERM').to.equal(true);

    const { code, at } = await exit;
    expect(at - signalled, output).to.be.below(10_000);
    expect(code, output).to.equal(0);
    expect(await shortBody.closedAt).to.be.at.most(at + 100);
  });
});
