import type { default as Sharp } from 'sharp';

/** sharp (libvips, about 25 MB resident) is loaded on the first image, not at start: most processes never handle one. */
const loadSharp = async (): Promise<typeof Sharp> => (await import('sharp')).default;

/** The reason an upload was refused, shown next to its field. */
export class ImageRejected extends Error {}

/** What we accept, judged by the decoded content (sharp), never by the file name or the declared type. */
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'avif']);
/** A decompression bomb (a small file that decodes to gigapixels) is refused before it is decoded. */
const MAX_INPUT_PIXELS = 40_000_000;

/** One size to make of an uploaded image; every variant is written as WebP. */
export interface ImageVariant {
  /** Added to the stored name: '' for the main image, '-thumb' for a thumbnail. */
  suffix: string;
  width: number;
  height: number;
  /** `inside` keeps the whole picture (never enlarged), `cover` crops to the exact size. */
  fit: 'inside' | 'cover';
}

/** A large picture and a square thumbnail: what product images, review photos and attachments need. */
export const STANDARD_VARIANTS: ImageVariant[] = [
  { suffix: '', width: 1600, height: 1600, fit: 'inside' },
  { suffix: '-thumb', width: 480, height: 480, fit: 'cover' },
];

/** An image checked and resized in memory; nothing is on disk until it is saved. */
export interface ProcessedImage {
  variants: Array<{ suffix: string; data: Buffer }>;
}

export interface ImageOptions {
  variants?: ImageVariant[];
  /** The size cap; `ctx.files.images.process` defaults it to UPLOAD_MAX_BYTES. */
  maxBytes: number;
  /** WebP encoder effort 0–6 (the demo seed uses less, to start fast). */
  effort?: number;
}

/** A size cap for people: "5 MB", "1.5 MB", "20 KB" under a megabyte. */
export function megabytes(bytes: number): string {
  if (bytes < 1048576) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / 1048576).toFixed(bytes % 1048576 === 0 ? 0 : 1)} MB`;
}

/** Checks the real type with sharp and makes every variant as WebP; throws ImageRejected with a message for people. */
export async function processImage(buffer: Buffer, options: ImageOptions): Promise<ProcessedImage> {
  const { maxBytes, variants = STANDARD_VARIANTS } = options;
  if (buffer.length === 0) throw new ImageRejected('The file is empty.');
  if (buffer.length > maxBytes) throw new ImageRejected(`The image is larger than ${megabytes(maxBytes)}.`);
  const sharp = await loadSharp();
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
