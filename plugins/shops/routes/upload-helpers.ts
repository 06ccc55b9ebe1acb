import type { Request } from 'express';
import { filesOf, ImageRejected, processImage, type FieldErrors, type ImageVariant, type ProcessedImage } from '@agora/core';

/**
 * Checks and resizes the images uploaded in one field, in memory, with core's image processing (the same
 * code as ctx.files.images). Problems go to `errors[field]`
 * (an upload cut short by the size cap, a file that is not an image); nothing is written to disk here.
 */
export async function imagesFrom(
  req: Request,
  field: string,
  variants: ImageVariant[],
  maxBytes: number,
  errors: FieldErrors,
  /** Receives the uploads that were accepted (to keep them when another field refuses the form). */
  accepted?: Express.Multer.File[],
): Promise<ProcessedImage[]> {
  if (req.uploadProblem?.field === field) {
    errors[field] = req.uploadProblem.message;
    return [];
  }
  const out: ProcessedImage[] = [];
  for (const file of filesOf(req, field)) {
    try {
      out.push(await processImage(file.buffer, { variants, maxBytes }));
      accepted?.push(file);
    } catch (error) {
      if (!(error instanceof ImageRejected)) throw error;
      errors[field] ??= file.originalname ? `${file.originalname}: ${error.message}` : error.message;
    }
  }
  return out;
}

/** A form-wide upload problem (too many parts, a field that takes no file). */
export function formUploadProblem(req: Request, errors: FieldErrors): void {
  if (req.uploadProblem?.field === 'form') errors.form = req.uploadProblem.message;
}

/** A positive integer route parameter, or undefined (the route answers 404). */
export function idParam(value: unknown): number | undefined {
  const s = String(value);
  return /^\d{1,9}$/.test(s) ? Number(s) : undefined;
}
