import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { rootDir } from '../core/config';

export interface RunningServer {
  url: string;
  pid: number;
  /** Resident memory (RSS) of the server process now, in MB (read from /proc; 0 where there is none). */
  rssMb(): number;
  stop(): void;
}

export interface ServerCommand {
  /** Arguments to node: a script run through tsx, or compiled JavaScript run as is. */
  args: string[];
  env?: Record<string, string>;
  /** What the server prints once it listens; the first group is its port. */
  ready: RegExp;
}

/** A TypeScript benchmark server, run through tsx, that prints "ready <port>". */
export function tsxScript(script: string, env: Record<string, string> = {}): ServerCommand {
  return { args: ['--import', 'tsx', path.join(rootDir, script)], env, ready: /ready (\d+)/ };
}

/** Starts a benchmark server as its own process (so it does not share an event loop with autocannon). */
export function startServer(command: ServerCommand): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, command.args, {
      cwd: rootDir,
      env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', ...command.env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const name = command.args[command.args.length - 1];
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 180 s`)), 180_000);
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = command.ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${m[1]}`, pid: child.pid!, rssMb: () => rssMb(child.pid!), stop: () => child.kill('SIGTERM') });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}: ${out.slice(-500)}`));
    });
  });
}

function rssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Math.round(Number(kb[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}
