import type { Request, Response } from 'express';
import type { FieldErrors } from '@agora/core';
import type { RightsDeps } from '../services/deps';

/** The store's supervisory authority (a setting), shown on every rights page and in every refusal. */
export function authorityOf(deps: RightsDeps): { name: string; address: string; website: string } {
  const settings = deps.settings();
  return { name: settings.rightsAuthorityName, address: settings.rightsAuthorityAddress, website: settings.rightsAuthorityWebsite };
}

/** Renders /privacy/rights: every right, the forms that exercise it, and where to complain. */
export async function renderRightsPage(
  deps: RightsDeps,
  req: Request,
  res: Response,
  view: { errors?: FieldErrors; values?: Record<string, unknown>; form?: string } = {},
  status = 200,
): Promise<void> {
  const settings = deps.settings();
  await res.renderPage(
    'gdpr/rights/rights',
    {
      title: 'Exercise your rights',
      signedIn: !!req.user,
      errors: view.errors ?? {},
      values: view.values ?? {},
      form: view.form ?? '',
      authority: authorityOf(deps),
      verifyHours: settings.rightsVerifyHours,
    },
    status,
  );
}
