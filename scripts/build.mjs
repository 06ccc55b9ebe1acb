// `npm run build`: the production build. TypeScript is compiled by tsc (tsconfig.build.json, no type check:
// `npm run typecheck` is the check) into dist/, a complete tree of the app: dist/server.js, dist/core,
// dist/plugins, dist/themes, with every file that is not TypeScript (templates, manifests, assets,
// config/common-passwords.txt) copied beside the compiled code, so `node dist/server.js` needs nothing
// from the source tree but node_modules (and the store's DATA_DIR, which stays outside dist).
//
// The sources import each other without an extension (moduleResolution "Bundler"); Node's ES module
// loader needs the full file name, so each relative import in the emitted JavaScript gets its `.js`
// (or `/index.js`). Plain JavaScript, so it runs before anything is compiled.
//
// Usage: node scripts/build.mjs [outDir]   (default dist; the test builds into a temporary folder)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The folders that hold the app: code and its files (tests, bench and data are not part of a build). */
export const SOURCE_DIRS = ['core', 'plugins', 'themes', 'views', 'public', 'config'];
export const STAMP = '.agora-build.json';

/** Compiles and copies the app into outDir; returns the number of compiled files. */
export function build(outDir = path.join(projectDir, 'dist')) {
  const out = path.resolve(projectDir, outDir);
  fs.rmSync(out, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(projectDir, 'tsconfig.build.json'), '--outDir', out], { cwd: projectDir, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`tsc failed (exit ${result.status})`);
  const compiled = walk(out).filter((f) => f.endsWith('.js'));
  for (const file of compiled) addExtensions(file);
  for (const dir of SOURCE_DIRS) copyAssets(path.join(projectDir, dir), path.join(out, dir));
  fs.writeFileSync(path.join(out, STAMP), JSON.stringify({ builtAt: new Date().toISOString(), newestSource: newestSourceTime() }, null, 2) + '\n');
  return compiled.length;
}

/** The newest modification time (ms) of any file a build is made of; a build older than it is stale. */
export function newestSourceTime() {
  const files = [path.join(projectDir, 'server.ts'), path.join(projectDir, 'tsconfig.build.json'), path.join(projectDir, 'package-lock.json')];
  for (const dir of SOURCE_DIRS) files.push(...walk(path.join(projectDir, dir)));
  let newest = 0;
  for (const f of files) {
    try {
      newest = Math.max(newest, fs.statSync(f).mtimeMs);
    } catch {
      // a file removed while we look: it cannot make the build stale
    }
  }
  return newest;
}

/** True when outDir holds a build at least as new as every source file. */
export function isFresh(outDir = path.join(projectDir, 'dist')) {
  try {
    const stamp = JSON.parse(fs.readFileSync(path.join(outDir, STAMP), 'utf8'));
    return typeof stamp.newestSource === 'number' && stamp.newestSource >= newestSourceTime();
  } catch {
    return false;
  }
}

function walk(dir) {
  if (!fs.existsSync(dir)) return [];
  const files = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...walk(full));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}

// `from '…'`, `import '…'` and `import('…')` with a relative specifier, as tsc writes them.
const RELATIVE_IMPORT = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.\.?\/[^'"]*)\2/g;

function addExtensions(file) {
  const dir = path.dirname(file);
  const text = fs.readFileSync(file, 'utf8');
  const rewritten = text.replace(RELATIVE_IMPORT, (whole, lead, quote, specifier) => {
    const target = path.resolve(dir, specifier);
    if (/\.(m?js|json|cjs)$/.test(specifier) && fs.existsSync(target)) return whole;
    if (fs.existsSync(`${target}.js`)) return `${lead}${quote}${specifier}.js${quote}`;
    if (fs.existsSync(path.join(target, 'index.js'))) return `${lead}${quote}${specifier}/index.js${quote}`;
    return whole;
  });
  if (rewritten !== text) fs.writeFileSync(file, rewritten);
}

/** Every file that is not TypeScript, at the same place under `to`. */
function copyAssets(from, to) {
  for (const file of walk(from)) {
    if (file.endsWith('.ts')) continue;
    const dest = path.join(to, path.relative(from, file));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(file, dest);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const outDir = process.argv[2] ?? path.join(projectDir, 'dist');
  const count = build(outDir);
  console.log(`Built ${count} files into ${path.relative(process.cwd(), path.resolve(outDir)) || '.'} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}
