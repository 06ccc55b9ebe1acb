import fs from 'node:fs';
import path from 'node:path';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { parseManifest, type PluginManifest } from './manifest';

export class PluginUploadError extends Error {}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const MAX_ENTRIES = 2000;
const MAX_UNPACKED_BYTES = 50 * 1024 * 1024;

interface ZipEntryData {
  name: string;
  data: Buffer;
}

/**
 * Validates a plugin `.zip` entirely in memory, then writes it to `<installDir>/<name>` in one rename.
 * Refused: over the size cap, no valid `plugin.json`, an entry that escapes the folder or is a link,
 * a name already taken. A refusal leaves nothing on disk.
 */
export async function installPluginZip(
  zip: Buffer,
  installDir: string,
  options: { maxBytes: number; nameTaken: (name: string) => boolean },
): Promise<PluginManifest> {
  if (zip.length > options.maxBytes) {
    throw new PluginUploadError(`The file is ${(zip.length / 1048576).toFixed(1)} MB; plugins may be at most ${(options.maxBytes / 1048576).toFixed(1)} MB.`);
  }
  const entries = await readEntries(zip);
  const prefix = commonFolder(entries.map((e) => e.name));
  const manifestEntry = entries.find((e) => e.name === `${prefix}plugin.json`);
  if (!manifestEntry) throw new PluginUploadError('The zip has no plugin.json at its top level.');
  let manifest: PluginManifest;
  try {
    manifest = parseManifest(JSON.parse(manifestEntry.data.toString('utf8')));
  } catch (error) {
    throw new PluginUploadError(`The plugin.json is not valid: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!entries.some((e) => e.name === `${prefix}${manifest.main}`)) throw new PluginUploadError(`The entry file "${manifest.main}" named in plugin.json is missing.`);
  if (options.nameTaken(manifest.name)) throw new PluginUploadError(`A plugin named "${manifest.name}" already exists.`);
  checkModuleType(entries.find((e) => e.name === `${prefix}package.json`));

  const target = path.join(installDir, manifest.name);
  const staging = fs.mkdtempSync(path.join(installDir, '.upload-'));
  try {
    for (const entry of entries) {
      const relative = entry.name.slice(prefix.length);
      if (!relative || relative.endsWith('/')) continue;
      const file = path.resolve(staging, relative);
      if (!file.startsWith(staging + path.sep)) throw new PluginUploadError(`The entry "${entry.name}" would be written outside the plugin folder.`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, entry.data);
    }
    fs.renameSync(staging, target);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  return manifest;
}

/**
 * Plugins are ES modules, like core, so that their `import ... from '@agora/core'` reaches the one running
 * core (see plugin-loader). A zip without package.json gets one on activation; one that says otherwise is refused.
 */
function checkModuleType(entry: ZipEntryData | undefined): void {
  if (!entry) return;
  let type: unknown;
  try {
    type = (JSON.parse(entry.data.toString('utf8')) as { type?: unknown }).type;
  } catch {
    throw new PluginUploadError('The package.json of the plugin is not valid JSON.');
  }
  if (type !== 'module') throw new PluginUploadError('Plugins are ES modules: the package.json of the plugin must say "type": "module" (or leave it out).');
}

function readEntries(zip: Buffer): Promise<ZipEntryData[]> {
  return new Promise((resolve, reject) => {
    // yauzl's own checks refuse absolute paths, `..` segments and backslashes (zip-slip), with an error.
    yauzl.fromBuffer(zip, { lazyEntries: true, strictFileNames: true, validateEntrySizes: true }, (openError, zipfile?: ZipFile) => {
      if (openError || !zipfile) return reject(new PluginUploadError(`The file is not a readable zip archive (${openError?.message ?? 'unknown error'}).`));
      const out: ZipEntryData[] = [];
      let total = 0;
      const fail = (error: Error) => {
        zipfile.close();
        reject(error instanceof PluginUploadError ? error : new PluginUploadError(`The zip was refused: ${error.message}`));
      };
      zipfile.on('error', fail);
      zipfile.on('end', () => resolve(out));
      zipfile.on('entry', (entry: Entry) => {
        const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
        if (mode === S_IFLNK) return fail(new PluginUploadError(`The entry "${entry.fileName}" is a link; links are not allowed.`));
        if (entry.fileName.split('/').includes('..') || path.isAbsolute(entry.fileName)) {
          return fail(new PluginUploadError(`The entry "${entry.fileName}" would be written outside the plugin folder.`));
        }
        if (out.length >= MAX_ENTRIES) return fail(new PluginUploadError(`The zip has more than ${MAX_ENTRIES} entries.`));
        total += entry.uncompressedSize;
        if (total > MAX_UNPACKED_BYTES) return fail(new PluginUploadError('The zip unpacks to more than 50 MB.'));
        if (entry.fileName.endsWith('/')) {
          out.push({ name: entry.fileName, data: Buffer.alloc(0) });
          return zipfile.readEntry();
        }
        zipfile.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return fail(streamError ?? new Error('unreadable entry'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', fail);
          stream.on('end', () => {
            out.push({ name: entry.fileName, data: Buffer.concat(chunks) });
            zipfile.readEntry();
          });
        });
      });
      zipfile.readEntry();
    });
  });
}

/** Zips made by "compress folder" wrap everything in one folder; treat its content as the plugin. */
function commonFolder(names: string[]): string {
  if (names.includes('plugin.json')) return '';
  const first = names[0]?.split('/')[0];
  if (first && names.every((n) => n.startsWith(`${first}/`))) return `${first}/`;
  return '';
}
