import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

/** The reason an upload was refused, shown next to its field. */
export class ImageRejected extends Error {}

/** What we accept, judged by the decoded content (sharp), never by the file name or the declared type. */
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'avif']);
/** A decompression bomb (a small file that decodes to gigapixels) is refused before it is decoded. */
const MAX_INPUT_PIXELS = 40_000_000;

export interface ImageVariant {
  suffix: string;
  width: number;
  height: number;
  fit: 'inside' | 'cover';
}

export const PRODUCT_VARIANTS: ImageVariant[] = [
  { suffix: '', width: 1600, height: 1600, fit: 'inside' },
  { suffix: '-thumb', width: 480, height: 480, fit: 'cover' },
];
export const LOGO_VARIANTS: ImageVariant[] = [{ suffix: '', width: 320, height: 320, fit: 'cover' }];
export const BANNER_VARIANTS: ImageVariant[] = [{ suffix: '', width: 1600, height: 400, fit: 'cover' }];

/** An image checked and resized in memory; nothing is on disk until `storeImages`. */
export interface ProcessedImage {
  variants: Array<{ suffix: string; data: Buffer }>;
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1048576).toFixed(bytes % 1048576 === 0 ? 0 : 1)} MB`;
}

/** Checks the real type with sharp and makes every variant as WebP; throws ImageRejected with a message for people. */
export async function processImage(buffer: Buffer, variants: ImageVariant[], maxBytes: number, options: { effort?: number } = {}): Promise<ProcessedImage> {
  if (buffer.length === 0) throw new ImageRejected('The file is empty.');
  if (buffer.length > maxBytes) throw new ImageRejected(`The image is larger than ${megabytes(maxBytes)}.`);
  let format: string | undefined;
  try {
    format = (await sharp(buffer, { limitInputPixels: MAX_INPUT_PIXELS }).metadata()).format;
  } catch {
    throw new ImageRejected('This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF.');
  }
  if (!format || !ACCEPTED_FORMATS.has(format)) throw new ImageRejected('Upload a JPEG, PNG, WebP or GIF image.');
  try {
    const out: ProcessedImage['variants'] = [];
    for (const v of variants) {
      const data = await sharp(buffer, { limitInputPixels: MAX_INPUT_PIXELS })
        .rotate()
        .resize({ width: v.width, height: v.height, fit: v.fit, withoutEnlargement: v.fit === 'inside' })
        .webp({ quality: 80, effort: options.effort ?? 4 })
        .toBuffer();
      out.push({ suffix: v.suffix, data });
    }
    return { variants: out };
  } catch {
    throw new ImageRejected('This image is damaged or too large to process.');
  }
}

/** Files written for one request, so they can be removed when the transaction that refers to them fails. */
export class StoredFiles {
  readonly written: string[] = [];

  constructor(readonly uploadsDir: string) {}

  /**
   * Writes each image's variants under `<uploadsDir>/<folder>/` with a random name; returns, per image,
   * the relative path of each variant by suffix ('' is the main one).
   */
  async store(folder: string, images: ProcessedImage[]): Promise<Array<Record<string, string>>> {
    const dir = path.join(this.uploadsDir, folder);
    await fs.mkdir(dir, { recursive: true });
    const result: Array<Record<string, string>> = [];
    for (const image of images) {
      const name = crypto.randomBytes(9).toString('base64url');
      const paths: Record<string, string> = {};
      for (const v of image.variants) {
        const rel = `${folder}/${name}${v.suffix}.webp`;
        await fs.writeFile(path.join(this.uploadsDir, rel), v.data, { flag: 'wx' });
        this.written.push(rel);
        paths[v.suffix] = rel;
      }
      result.push(paths);
    }
    return result;
  }

  async removeAll(): Promise<void> {
    await removeUploads(this.uploadsDir, this.written);
    this.written.length = 0;
  }
}

/** Best-effort removal of upload files by their relative paths; a path outside the uploads folder is ignored. */
export async function removeUploads(uploadsDir: string, relPaths: Array<string | null | undefined>): Promise<void> {
  const root = path.resolve(uploadsDir);
  for (const rel of relPaths) {
    if (!rel) continue;
    const full = path.resolve(root, rel);
    if (!full.startsWith(root + path.sep)) continue;
    await fs.rm(full, { force: true }).catch(() => undefined);
  }
}
