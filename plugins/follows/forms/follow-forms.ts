import { z } from 'zod';

/** Where to go after following: a path on this site only (never `//elsewhere` or a full URL). */
const localPath = z
  .string()
  .max(300)
  .refine((v) => /^\/(?![/\\])[^\s]*$/.test(v), 'Not a page of this site')
  .optional();

export const followSchema = z.object({ _csrf: z.string().optional(), back: localPath }).strict();

const ids = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.coerce.number({ message: 'Not a shop' }).int().positive()).max(2000, 'Too many shops at once'));

/**
 * The notification settings: `email_all` for every follow email, `email_favourites` for those about
 * favourites, and one box per followed shop shown on
 * the page (`shown` lists them, so an unticked box, which browsers do not send, turns that shop off).
 */
export const settingsSchema = z
  .object({
    _csrf: z.string().optional(),
    email_all: z.enum(['on']).optional(),
    email_favourites: z.enum(['on']).optional(),
    shown: ids,
    email_shop: ids,
  })
  .strict();

export const tokenSchema = z.object({ _csrf: z.string().optional(), t: z.string().min(1).max(2000) }).strict();
