import type { RequestKind } from '../models/rights-request';

export const KIND_LABELS: Record<RequestKind, string> = {
  access: 'Access to personal information',
  export: 'Data portability (download)',
  erasure: 'Deletion ("to be forgotten")',
  objection: 'Objection to marketing and profiling',
  correction: 'Correction of personal data',
};

/** Kinds a guest may ask for by email (each confirmed by a link sent to that address). */
export const EMAIL_KINDS = ['access', 'erasure', 'objection'] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];
