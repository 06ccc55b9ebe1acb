import { filesOf, megabytes, type PluginContext } from '@agora/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { MessagingSettings } from '../settings';

export const ATTACHMENT_FIELD = 'attachments';

/** A file to keep with a message, with the type read from its first bytes. */
export interface IncomingFile {
  buffer: Buffer;
  name: string;
  type: string;
}

/** Images and PDF only, recognised by their content: a renamed .exe stays refused whatever its name or declared type. */
export function sniffType(buffer: Buffer): string | undefined {
  const starts = (bytes: number[], at = 0) => bytes.every((b, i) => buffer[at + i] === b);
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0x47, 0x49, 0x46, 0x38])) return 'image/gif';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  return undefined;
}

/** A download name without path or control characters (the browser's file name is the sender's, not ours). */
export function cleanName(name: string, type: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are what is being removed
  const clean = base.replace(/[\u0000-\u001f\u007f"<>|:*?]+/g, '').trim().slice(0, 150);
  return clean || `attachment.${type === 'application/pdf' ? 'pdf' : type.split('/')[1]}`;
}

/** The upload parser for a form with attachments, with the size cap and count read from the settings now. */
export function attachmentUpload(ctx: PluginContext, settings: () => MessagingSettings): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const s = settings();
    ctx.files.upload([{ name: ATTACHMENT_FIELD, maxCount: Math.max(1, s.maxAttachments) }], Math.round(s.maxAttachmentMb * 1024 * 1024))(req, res, next);
  };
}

/** The request's attachments, checked: a message for the form when one is refused. */
export function readAttachments(req: Request, settings: MessagingSettings): { files: IncomingFile[] } | { error: string } {
  if (req.uploadProblem) return { error: req.uploadProblem.message };
  const uploaded = filesOf(req, ATTACHMENT_FIELD);
  if (uploaded.length > settings.maxAttachments) return { error: settings.maxAttachments === 0 ? 'Attachments are turned off.' : `Attach at most ${settings.maxAttachments} files.` };
  const files: IncomingFile[] = [];
  for (const file of uploaded) {
    const type = sniffType(file.buffer);
    if (!type) return { error: `“${cleanName(file.originalname, 'application/pdf')}” is not an image (JPEG, PNG, WebP, GIF) or a PDF.` };
    if (file.size > settings.maxAttachmentMb * 1024 * 1024) return { error: `The file is larger than ${megabytes(Math.round(settings.maxAttachmentMb * 1024 * 1024))}.` };
    files.push({ buffer: file.buffer, name: cleanName(file.originalname, type), type });
  }
  return { files };
}
