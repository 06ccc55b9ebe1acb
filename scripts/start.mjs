// `npm start`: runs the compiled build (dist/server.js) in this process, building it first when dist/ is
// missing or older than any source file, so a fresh clone's `npm install && npm start` works and later
// starts cost no compilation. Production runs `node dist/server.js` after `npm run build` (one process, no
// npm wrapper: docs/performance.md has the memory of each way).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, isFresh, projectDir } from './build.mjs';

const dist = path.join(projectDir, 'dist');
if (!isFresh(dist)) {
  const started = Date.now();
  console.log('Compiling Agora into dist/ (the sources changed since the last build) ...');
  build(dist);
  console.log(`Compiled in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}
await import(pathToFileURL(path.join(dist, 'server.js')).href);
