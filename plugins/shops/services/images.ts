import { ImageRejected, megabytes, processImage as processCoreImage, type PluginContext, type PublicFiles, type ImageVariant, type ProcessedImage } from '@agora/core';

// Image checking and resizing, and the public files they are written to, live in core (ctx.files); shops
// keeps its own sizes and the small adapters its services were written against.
export { ImageRejected, megabytes };
export type { ImageVariant, ProcessedImage };

export const PRODUCT_VARIANTS: ImageVariant[] = [
  { suffix: '', width: 1600, height: 1600, fit: 'inside' },
  { suffix: '-thumb', width: 480, height: 480, fit: 'cover' },
];
export const LOGO_VARIANTS: ImageVariant[] = [{ suffix: '', width: 320, height: 320, fit: 'cover' }];
export const BANNER_VARIANTS: ImageVariant[] = [{ suffix: '', width: 1600, height: 400, fit: 'cover' }];

/** Core's image processing with shops' variants; throws ImageRejected with a message for people. */
export function processImage(buffer: Buffer, variants: ImageVariant[], maxBytes: number, options: { effort?: number } = {}): Promise<ProcessedImage> {
  return processCoreImage(buffer, { variants, maxBytes, effort: options.effort });
}

/** The top-level folders of the uploads shops keeps its pictures in (claimed through ctx.files.publicAreas). */
export const SHOPS_AREAS = ['products', 'shops'] as const;

/** Shops' public files by uploads folder: one per platform (tests run several in one process). */
const bound = new Map<string, PublicFiles>();

/**
 * Called from shops' setup: shops' public files are core's `ctx.files.publicAreas`, so product pictures stay
 * under `products/` and shop images under `shops/` of the uploads, the addresses they had before files moved
 * into core, and no other plugin can write or remove there.
 */
export function bindShopsFiles(ctx: Pick<PluginContext, 'files' | 'config'>): PublicFiles {
  const files = ctx.files.publicAreas(SHOPS_AREAS);
  bound.set(ctx.config.uploadsDir, files);
  return files;
}

/** Shops' public files for the platform whose uploads folder this is (set up by `bindShopsFiles`). */
export function shopsFiles(uploadsDir: string): PublicFiles {
  const files = bound.get(uploadsDir);
  if (!files) throw new Error(`shops' public files are not set up for ${uploadsDir} (bindShopsFiles runs in shops' setup)`);
  return files;
}

/** Files written for one request, so they can be removed when the transaction that refers to them fails. */
export class StoredFiles {
  private readonly batch;

  constructor(readonly uploadsDir: string) {
    this.batch = shopsFiles(uploadsDir).batch();
  }

  get written(): readonly string[] {
    return this.batch.written;
  }

  /**
   * Writes each image's variants under `<folder>/` (`products/12`, `shops/3`) with a random name; returns, per image, the path
   * (relative to the uploads folder, served at `/uploads/<path>`) of each variant by suffix ('' is the main one).
   */
  async store(folder: string, images: ProcessedImage[]): Promise<Array<Record<string, string>>> {
    const result: Array<Record<string, string>> = [];
    for (const image of images) {
      const saved = await this.batch.saveImage(image, { folder });
      result.push(Object.fromEntries(Object.entries(saved).map(([suffix, file]) => [suffix, file.path])));
    }
    return result;
  }

  async removeAll(): Promise<void> {
    await this.batch.discard();
  }
}

/** Best-effort removal of shops' upload files by their stored paths; a path outside shops' folder is ignored. */
export async function removeUploads(uploadsDir: string, relPaths: Array<string | null | undefined>): Promise<void> {
  await shopsFiles(uploadsDir).remove(relPaths);
}
