import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ProcessedImage } from './images';

/** A file anyone may fetch, under `/uploads`. `path` is relative to the uploads folder; store it, not the url. */
export interface PublicFile {
  path: string;
  url: string;
}

const SEGMENT = /^[a-z0-9][a-z0-9_-]{0,63}$/i;
const EXTENSION = /^[a-z0-9]{1,10}$/;

/**
 * One plugin's public files: `<uploads>/<plugin>/<folder>/<random>.<ext>`, served by core at `/uploads`.
 * Names are random (never the uploader's), so a file cannot be guessed or overwritten; a plugin can only
 * remove files in its own folder.
 */
export class PublicFiles {
  /** The folders this plugin's files may be in, absolute. */
  private readonly roots: string[];

  constructor(
    private readonly uploadsDir: string,
    readonly owner: string,
    /**
     * Top-level folders of the uploads that a plugin owns instead of `<plugin>/`: only for shops, whose
     * product pictures (`products/...`) and shop logos (`shops/...`) predate per-plugin folders and whose
     * addresses are kept. A folder passed to `save` must then start with one of them.
     */
    private readonly areas?: readonly string[],
  ) {
    const base = path.resolve(uploadsDir);
    this.roots = (areas ?? [owner]).map((a) => path.join(base, a));
  }

  /** Writes bytes as a new file; `folder` is one or more simple segments (`products/12`). */
  async save(data: Buffer, options: { ext: string; folder?: string }): Promise<PublicFile> {
    const ext = options.ext.replace(/^\./, '').toLowerCase();
    if (!EXTENSION.test(ext)) throw new Error(`Not a file extension: "${options.ext}"`);
    return this.write(options.folder, [{ suffix: '', ext, data }]).then((files) => files[0]);
  }

  /** Writes every variant of a processed image under one random name; returns them by suffix ('' is the main one). */
  async saveImage(image: ProcessedImage, options: { folder?: string } = {}): Promise<Record<string, PublicFile>> {
    const files = await this.write(
      options.folder,
      image.variants.map((v) => ({ suffix: v.suffix, ext: 'webp', data: v.data })),
    );
    return Object.fromEntries(image.variants.map((v, i) => [v.suffix, files[i]]));
  }

  /** `/uploads/<path>` */
  url(relPath: string): string {
    return `/uploads/${relPath.split('/').map(encodeURIComponent).join('/')}`;
  }

  /** Removes files by their stored paths; a path outside this plugin's folder, or already gone, is ignored. */
  async remove(relPaths: ReadonlyArray<string | null | undefined>): Promise<void> {
    for (const rel of relPaths) {
      const full = this.inside(rel);
      if (full) await fs.rm(full, { force: true }).catch(() => undefined);
    }
  }

  /** Every public file of the plugin (on uninstall). */
  async removeAll(): Promise<void> {
    for (const root of this.roots) await fs.rm(root, { recursive: true, force: true });
  }

  /**
   * A batch for one request: files written through it can all be removed when the transaction that refers
   * to them fails, so a failed save leaves no orphan on disk.
   */
  batch(): PublicFileBatch {
    return new PublicFileBatch(this);
  }

  private inside(rel: string | null | undefined): string | undefined {
    if (!rel) return undefined;
    const full = path.resolve(this.uploadsDir, rel);
    return this.roots.some((root) => full.startsWith(root + path.sep)) ? full : undefined;
  }

  private async write(folder: string | undefined, parts: Array<{ suffix: string; ext: string; data: Buffer }>): Promise<PublicFile[]> {
    const segments = [...(this.areas ? [] : [this.owner]), ...(folder ? folder.split('/') : [])];
    if (!segments.every((s) => SEGMENT.test(s))) throw new Error(`Not a folder name: "${folder}"`);
    if (this.areas && !this.areas.includes(segments[0])) throw new Error(`Plugin "${this.owner}" keeps its public files in ${this.areas.join(', ')}, not "${folder}"`);
    await fs.mkdir(path.join(this.uploadsDir, ...segments), { recursive: true });
    const name = crypto.randomBytes(9).toString('base64url');
    const out: PublicFile[] = [];
    for (const part of parts) {
      const rel = [...segments, `${name}${part.suffix}.${part.ext}`].join('/');
      // 'wx': a name that somehow exists is never overwritten.
      await fs.writeFile(path.join(this.uploadsDir, rel), part.data, { flag: 'wx' });
      out.push({ path: rel, url: this.url(rel) });
    }
    return out;
  }
}

/** Public files written for one request, removable together if what refers to them is rolled back. */
export class PublicFileBatch {
  readonly written: string[] = [];

  constructor(private readonly files: PublicFiles) {}

  async save(data: Buffer, options: { ext: string; folder?: string }): Promise<PublicFile> {
    const file = await this.files.save(data, options);
    this.written.push(file.path);
    return file;
  }

  async saveImage(image: ProcessedImage, options: { folder?: string } = {}): Promise<Record<string, PublicFile>> {
    const saved = await this.files.saveImage(image, options);
    this.written.push(...Object.values(saved).map((f) => f.path));
    return saved;
  }

  /** Removes everything this batch wrote. */
  async discard(): Promise<void> {
    await this.files.remove(this.written);
    this.written.length = 0;
  }
}
