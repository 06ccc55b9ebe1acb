// Loaded before every test file (see .mocharc.json): quiet logs, test mode.
import fs from 'node:fs';
import type { Context } from 'mocha';

process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL ??= 'silent';
// Test accounts are hashed at scrypt cost 2^10 instead of 2^15 (see scryptCost): the suite hashes thousands.
process.env.PASSWORD_SCRYPT_COST ??= '10';

/**
 * TEST_TIMES=<file> appends one line per test file, `<seconds>\t<path>`, hooks included: where the suite's
 * time goes (.ci/run prints the slowest). In parallel mode the root hooks run once per file.
 */
const timesFile = process.env.TEST_TIMES;
let fileStarted = 0;

function currentFile(context: Context): string | undefined {
  const root = context.test?.parent;
  return root?.file ?? root?.suites.find((s) => s.file)?.file;
}

export const mochaHooks = timesFile
  ? {
      beforeAll(this: Context) {
        fileStarted = performance.now();
      },
      afterAll(this: Context) {
        const file = currentFile(this) ?? 'unknown';
        const seconds = ((performance.now() - fileStarted) / 1000).toFixed(1);
        fs.appendFileSync(timesFile, `${seconds}\t${file.replace(`${process.cwd()}/`, '')}\n`);
      },
    }
  : {};
