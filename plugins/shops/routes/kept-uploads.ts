import type { Request, Response } from 'express';
import { notFound, processImage, type FieldErrors, type ImageVariant, type PluginContext, type ProcessedImage } from '@agora/core';

declare module 'express-session' {
  interface SessionData {
    /** Private files holding pictures a product form accepted before it was refused for another field. */
    keptUploads?: string[];
  }
}

export const KEPT_FIELD = 'kept_images';
const MAX_KEPT = 20;
const SWEEP_JOB = 'shops.kept-uploads.sweep';

/**
 * Kept pictures whose product form was never sent again (the seller left) expire after `keptUploadHours`:
 * an hourly sweep, once across all instances, deletes them.
 */
export function scheduleKeptUploadSweep(ctx: PluginContext): void {
  ctx.jobs.define(SWEEP_JOB, async () => {
    const removed = await ctx.files.private.removeExpired();
    if (removed) ctx.log.info({ removed }, 'expired kept uploads removed');
  });
  ctx.jobs.schedule(SWEEP_JOB, '17 * * * *');
}

/**
 * Pictures chosen on a product form that was refused for another reason (a missing title, a bad price)
 * are kept as private files, named in the re-rendered form, so the seller does not pick them again.
 * Only the session that uploaded them may see or use them; they are removed once the product is saved.
 */
export class KeptUploads {
  constructor(private readonly ctx: PluginContext) {}

  /** The kept files this form names and this session owns; any other id is ignored. */
  idsFrom(req: Request, body: Record<string, unknown>): string[] {
    const own = new Set(req.session.keptUploads ?? []);
    const sent = body[KEPT_FIELD];
    const list = Array.isArray(sent) ? sent : sent === undefined ? [] : [sent];
    return [...new Set(list.filter((v): v is string => typeof v === 'string' && own.has(v)))];
  }

  /** Re-checks and resizes the kept pictures, in the order they were chosen. */
  async images(ids: string[], variants: ImageVariant[], maxBytes: number, errors: FieldErrors): Promise<ProcessedImage[]> {
    const out: ProcessedImage[] = [];
    for (const id of ids) {
      const bytes = await this.ctx.files.private.read(id);
      if (!bytes) continue;
      try {
        out.push(await processImage(bytes, { variants, maxBytes }));
      } catch {
        errors.images ??= 'A picture kept from before could not be read; choose it again.';
      }
    }
    return out;
  }

  /** Keeps the accepted uploads of a refused form; returns their ids, to be named in the re-rendered form. */
  async keep(req: Request, files: Express.Multer.File[]): Promise<string[]> {
    const ids: string[] = [];
    const hours = this.ctx.settings.get<{ keptUploadHours: number }>().keptUploadHours;
    const expiresAt = new Date(Date.now() + hours * 3_600_000);
    for (const file of files) {
      const saved = await this.ctx.files.private.save(file.buffer, { name: file.originalname || 'picture', type: file.mimetype || 'application/octet-stream', expiresAt });
      ids.push(saved.id);
    }
    req.session.keptUploads = [...(req.session.keptUploads ?? []), ...ids].slice(-MAX_KEPT);
    return ids;
  }

  /** The product was saved with them: the temporary copies go. */
  async release(req: Request, ids: string[]): Promise<void> {
    for (const id of ids) await this.ctx.files.private.remove(id);
    req.session.keptUploads = (req.session.keptUploads ?? []).filter((id) => !ids.includes(id));
  }

  /** The preview in the re-rendered form, for the session that uploaded it only. */
  async send(req: Request, res: Response): Promise<void> {
    const id = String(req.params.id);
    if (!(req.session.keptUploads ?? []).includes(id)) throw notFound('picture');
    res.setHeader('Cache-Control', 'private, no-store');
    await this.ctx.files.private.send(res, id, { inline: true });
  }
}
