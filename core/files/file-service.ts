import path from 'node:path';
import type { RequestHandler } from 'express';
import type { ModelStatic, Sequelize } from 'sequelize';
import type { Config } from '../config';
import { log } from '../log';
import { processImage, type ImageOptions, type ProcessedImage } from './images';
import { multipartForm, type UploadField } from './multipart';
import { definePrivateFileModel, type PrivateFileRow } from './private-file-model';
import { PrivateFiles } from './private-files';
import { PublicFiles } from './public-files';

/** A public area: one folder name at the top of the uploads. */
const AREA = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** What `ctx.files` hands one plugin. */
export interface PluginFiles {
  /** Files anyone may fetch, under `/uploads/<plugin>/`. */
  readonly public: PublicFiles;
  /**
   * Public files kept in top-level folders of the uploads the plugin claims instead of `<plugin>/` (shops'
   * `products/` and `shops/`, whose addresses predate per-plugin folders). Core decides: an area is a simple
   * folder name that is no other plugin's folder or area; a refused claim throws.
   */
  publicAreas(areas: readonly string[]): PublicFiles;
  /** Files served only through the plugin's own route, after its access check. */
  readonly private: PrivateFiles;
  readonly images: {
    /** Sniffs the type with sharp, applies the size cap (UPLOAD_MAX_BYTES unless given), makes WebP variants. */
    process(buffer: Buffer, options?: Partial<ImageOptions>): Promise<ProcessedImage>;
  };
  /** A multipart parser for a form with file fields, capped at UPLOAD_MAX_BYTES per file unless given. */
  upload(fields: UploadField[], maxBytes?: number): RequestHandler;
}

/** Core's file storage: public uploads, private files, image processing; per plugin, and erased with it. */
export class FileService {
  readonly privateDir: string;
  private readonly model: ModelStatic<PrivateFileRow>;

  constructor(
    private readonly config: Config,
    sequelize: Sequelize,
  ) {
    this.privateDir = path.join(config.dataDir, 'private');
    this.model = definePrivateFileModel(sequelize);
  }

  /** Top-level folders of the uploads, by who has them: every plugin its own name, and the areas it claimed. */
  private readonly folders = new Map<string, string>();

  forOwner(owner: string): PluginFiles {
    const maxBytes = this.config.UPLOAD_MAX_BYTES;
    const folder = owner.toLowerCase();
    const holder = this.folders.get(folder);
    if (holder && holder !== owner) throw new Error(`Plugin "${owner}": its uploads folder "${folder}/" is an area of ${holder}`);
    this.folders.set(folder, owner);
    return {
      public: new PublicFiles(this.config.uploadsDir, owner),
      publicAreas: (areas) => new PublicFiles(this.config.uploadsDir, owner, this.claimAreas(owner, areas)),
      private: new PrivateFiles(this.privateDir, owner, this.model),
      images: { process: (buffer, options = {}) => processImage(buffer, { maxBytes, ...options }) },
      upload: (fields, cap = maxBytes) => multipartForm(fields, cap),
    };
  }

  private claimAreas(owner: string, areas: readonly string[]): string[] {
    if (!areas.length) throw new Error(`Plugin "${owner}": name at least one public area`);
    const names = areas.map((a) => a.toLowerCase());
    for (const area of names) {
      if (!AREA.test(area)) throw new Error(`Plugin "${owner}": a public area is a simple folder name, not "${area}"`);
      const holder = this.folders.get(area);
      if (holder && holder !== owner) throw new Error(`Plugin "${owner}": the uploads folder "${area}/" is already ${holder}'s`);
    }
    for (const area of names) this.folders.set(area, owner);
    return names;
  }

  /** Removes every public and private file of a plugin: part of uninstalling it. */
  async eraseOwner(owner: string): Promise<void> {
    const files = this.forOwner(owner);
    const removed = await files.private.removeAll();
    await files.public.removeAll();
    log.info({ plugin: owner, privateFiles: removed }, 'files of an uninstalled plugin erased');
  }
}
