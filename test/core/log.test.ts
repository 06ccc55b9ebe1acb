import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { rootDir } from '../../core/config';
import { logFormat } from '../../core/log';

const probe = "import { log } from './core/log.ts'; log.info({ order: 42 }, 'probe line');";

/** Runs a one-line program that logs once, with stdout a pipe or (through script(1)) a terminal. */
function run(env: Record<string, string>, tty: boolean): string {
  const tsx = path.join(rootDir, 'node_modules', '.bin', 'tsx');
  const childEnv = { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'info', LOG_FORMAT: '', ...env };
  if (!tty) return execFileSync(tsx, ['--eval', probe], { cwd: rootDir, env: childEnv, encoding: 'utf8' });
  const command = `${tsx} --eval ${JSON.stringify(probe)}`;
  return execFileSync('script', ['-qec', command, '/dev/null'], { cwd: rootDir, env: childEnv, encoding: 'utf8' });
}

describe('log format (pino-pretty in a terminal, JSON otherwise)', function () {
  this.timeout(30_000);

  it('chooses by the terminal unless LOG_FORMAT says', () => {
    expect(logFormat({ tty: true, format: '' })).to.equal('pretty');
    expect(logFormat({ tty: false, format: '' })).to.equal('json');
    expect(logFormat({ tty: true, format: 'json' })).to.equal('json');
    expect(logFormat({ tty: false, format: 'pretty' })).to.equal('pretty');
  });

  it('writes one JSON object per line when stdout is a pipe', () => {
    const line = run({}, false).trim();
    const entry = JSON.parse(line) as { msg: string; order: number; level: number };
    expect(entry.msg).to.equal('probe line');
    expect(entry.order).to.equal(42);
  });

  it('writes a readable line when stdout is a terminal', () => {
    const out = run({}, true);
    expect(out).to.contain('probe line').and.contain('INFO');
    expect(out.trim().startsWith('{')).to.equal(false);
    expect(() => JSON.parse(out.trim())).to.throw();
  });
});
