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

/** What `ctx.files` hands one plugin. */
export interface PluginFiles {
  /** Files anyone may fetch, under `/uploads/<plugin>/`. */
  readonly public: PublicFiles;
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

  forOwner(owner: string): PluginFiles {
    const maxBytes = this.config.UPLOAD_MAX_BYTES;
    return {
      public: new PublicFiles(this.config.uploadsDir, owner),
      private: new PrivateFiles(this.privateDir, owner, this.model),
      images: { process: (buffer, options = {}) => processImage(buffer, { maxBytes, ...options }) },
      upload: (fields, cap = maxBytes) => multipartForm(fields, cap),
    };
  }

  /** Removes every public and private file of a plugin: part of uninstalling it. */
  async eraseOwner(owner: string): Promise<void> {
    const files = this.forOwner(owner);
    const removed = await files.private.removeAll();
    await files.public.removeAll();
    log.info({ plugin: owner, privateFiles: removed }, 'files of an uninstalled plugin erased');
  }
}
