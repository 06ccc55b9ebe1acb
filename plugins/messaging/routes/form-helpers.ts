import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import type { FieldErrors, PluginContext } from '@agora/core';
import { MessagingRefusal } from '../services/refusal';

/** A fresh one-time key for a form: sent twice, the form still makes one message. */
export const newSubmissionKey = (): string => crypto.randomBytes(18).toString('base64url');

/** The fields of a form as typed (strings only), to show them again. */
export function typedValues(body: unknown, fields: readonly string[]): Record<string, string> {
  const source = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(fields.filter((f) => typeof source[f] === 'string').map((f) => [f, source[f] as string]));
}

/**
 * The messages a failed send shows on its own form: a refusal of ours (its status: 422, 429 for the hourly
 * limit, 403 for a suspended sender), or another plugin's section refusing (422). Anything else is a bug.
 */
export function refusalOf(ctx: PluginContext, error: unknown): { errors: FieldErrors; status: number } | undefined {
  if (error instanceof MessagingRefusal) return { errors: { [error.field]: error.message }, status: error.status };
  const section = ctx.forms.refusal(error);
  return section ? { errors: section, status: 422 } : undefined;
}

/** A page that says why a form cannot be shown (your own shop, a guest's order), with a way back. */
export async function notice(res: Response, req: Request, message: string, back: { href: string; label: string }, status = 409): Promise<void> {
  await res.renderPage('messaging/notice', { title: 'Messages', message, back, requestPath: req.path }, status);
}
