import { ImageRejected, filesOf, type PluginContext } from '@agora/core';
import type { Request } from 'express';
import { ReviewPhoto } from '../models';

export interface SavedPhoto {
  fileId: string;
  thumbFileId: string;
}

/**
 * Processes the uploaded photos with core's image handling (type sniffed, size and pixel caps, WebP) and keeps
 * them as private files: nobody but the author and moderators sees them until the review is approved.
 * Throws ImageRejected with a message for people; what was saved before a refusal is removed.
 */
export async function savePhotos(ctx: PluginContext, req: Request, room: number): Promise<SavedPhoto[]> {
  const files = filesOf(req, 'photos').filter((f) => f.size > 0);
  if (files.length > room) throw new ImageRejected(room === 0 ? 'This review cannot take more photos.' : `Add at most ${room} ${room === 1 ? 'photo' : 'photos'}.`);
  const saved: SavedPhoto[] = [];
  try {
    for (const file of files) {
      const image = await ctx.files.images.process(file.buffer);
      const full = image.variants.find((v) => v.suffix === '') ?? image.variants[0];
      const thumb = image.variants.find((v) => v.suffix === '-thumb') ?? full;
      const a = await ctx.files.private.save(full.data, { name: 'review-photo.webp', type: 'image/webp' });
      const b = await ctx.files.private.save(thumb.data, { name: 'review-photo-thumb.webp', type: 'image/webp' });
      saved.push({ fileId: a.id, thumbFileId: b.id });
    }
  } catch (error) {
    await discardPhotos(ctx, saved);
    throw error;
  }
  return saved;
}

export async function discardPhotos(ctx: PluginContext, photos: SavedPhoto[]): Promise<void> {
  for (const p of photos) {
    await ctx.files.private.remove(p.fileId);
    await ctx.files.private.remove(p.thumbFileId);
  }
}

/** Deletes photo rows and their files (an edit that removes them, an erasure). */
export async function removePhotoRows(ctx: PluginContext, rows: ReviewPhoto[]): Promise<void> {
  for (const row of rows) {
    await ctx.files.private.remove(row.file_id);
    await ctx.files.private.remove(row.thumb_file_id);
    await row.destroy();
  }
}
