import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Response } from 'express';
import { Op, type ModelStatic } from 'sequelize';
import { notFound } from '../http/errors';
import type { PrivateFileRow } from './private-file-model';

export interface PrivateFileInfo {
  id: string;
  name: string;
  type: string;
  size: number;
  createdAt: Date;
  /** Set for a temporary file: when removeExpired may delete it. */
  expiresAt: Date | null;
}

/** Types a browser may show in the page; anything else is always a download, so an uploaded HTML file never runs as the site. */
const INLINE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif', 'text/plain']);
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,60}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,60}$/i;
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * One plugin's private files: bytes under `DATA_DIR/private/<plugin>/<id>`, never under `/uploads`, and a
 * row naming the plugin. Nothing serves them by itself: the plugin's own route checks who may see a file,
 * then calls `send`. A file of another plugin, or no file, is a 404, the same answer a stranger gets.
 */
export class PrivateFiles {
  private readonly root: string;

  constructor(
    privateDir: string,
    readonly owner: string,
    private readonly model: ModelStatic<PrivateFileRow>,
  ) {
    this.root = path.join(privateDir, owner);
  }

  /**
   * Stores bytes; `name` is what it is downloaded as, `type` its MIME type (the plugin checked the content).
   * `expiresAt` makes it temporary: `removeExpired()` deletes it once that time has passed.
   */
  async save(data: Buffer, options: { name: string; type: string; expiresAt?: Date }): Promise<PrivateFileInfo> {
    if (!MIME.test(options.type)) throw new Error(`Not a MIME type: "${options.type}"`);
    const id = crypto.randomUUID();
    await fs.mkdir(this.root, { recursive: true });
    const file = this.fileOf(id);
    await fs.writeFile(file, data, { flag: 'wx' });
    try {
      const row = await this.model.create({ id, owner: this.owner, name: cleanName(options.name), type: options.type.toLowerCase(), size: data.length, expires_at: options.expiresAt ?? null });
      return infoOf(row);
    } catch (error) {
      // No row, no file: a failed save leaves nothing behind.
      await fs.rm(file, { force: true });
      throw error;
    }
  }

  async info(id: string): Promise<PrivateFileInfo | undefined> {
    const row = await this.row(id);
    return row ? infoOf(row) : undefined;
  }

  async read(id: string): Promise<Buffer | undefined> {
    const row = await this.row(id);
    if (!row) return undefined;
    return fs.readFile(this.fileOf(row.id)).catch(() => undefined);
  }

  /**
   * Answers the request with the file, after the caller's own access check. Throws a 404 HttpError when the
   * file does not exist or belongs to another plugin. `inline` shows an image or plain text in the browser;
   * every other type is sent as a download whatever is asked.
   */
  async send(res: Response, id: string, options: { inline?: boolean } = {}): Promise<void> {
    const row = await this.row(id);
    if (!row) throw notFound('file');
    const file = this.fileOf(row.id);
    try {
      await fs.access(file);
    } catch {
      throw notFound('file');
    }
    res.attachment(row.name);
    if (options.inline && INLINE_TYPES.has(row.type)) res.setHeader('Content-Disposition', String(res.getHeader('Content-Disposition')).replace(/^attachment/, 'inline'));
    res.type(row.type);
    // Private: no shared cache keeps a copy; sandboxed: even a file opened directly cannot run script as the site.
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('Content-Security-Policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox");
    await new Promise<void>((resolve, reject) => res.sendFile(file, { dotfiles: 'deny', lastModified: false }, (error) => (error ? reject(error) : resolve())));
  }

  /** Deletes one file; false when there was none of this plugin's with that id. */
  async remove(id: string): Promise<boolean> {
    const row = await this.row(id);
    if (!row) return false;
    await row.destroy();
    await fs.rm(this.fileOf(row.id), { force: true });
    return true;
  }

  /**
   * Deletes the plugin's temporary files whose time has passed (rows and bytes); returns how many. Safe to run
   * on several instances at once: a row is deleted by one of them only, and only that one removes the bytes.
   */
  async removeExpired(now = new Date()): Promise<number> {
    const due = await this.model.findAll({ where: { owner: this.owner, expires_at: { [Op.lte]: now } }, attributes: ['id'], limit: 1000 });
    let removed = 0;
    for (const { id } of due) {
      if (!(await this.model.destroy({ where: { id, owner: this.owner } }))) continue;
      await fs.rm(this.fileOf(id), { force: true });
      removed++;
    }
    return removed;
  }

  /** Every private file of the plugin, rows and bytes (on uninstall). */
  async removeAll(): Promise<number> {
    const count = await this.model.destroy({ where: { owner: this.owner } });
    await fs.rm(this.root, { recursive: true, force: true });
    return count;
  }

  private async row(id: string): Promise<PrivateFileRow | null> {
    if (typeof id !== 'string' || !ID.test(id)) return null;
    return this.model.findOne({ where: { id, owner: this.owner } });
  }

  private fileOf(id: string): string {
    return path.join(this.root, id);
  }
}

function infoOf(row: PrivateFileRow): PrivateFileInfo {
  return { id: row.id, name: row.name, type: row.type, size: row.size, createdAt: row.created_at, expiresAt: row.expires_at ?? null };
}

/** The last path segment, without control characters, at most 255 characters; never empty. */
function cleanName(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must not reach a header
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(-255);
  return base || 'file';
}
