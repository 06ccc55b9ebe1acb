import type { RightsRequest } from '../models/rights-request';
import { isoMinute } from './legal-clock';

/** How the request reached the store (the register's "channel"). */
export const CHANNEL_LABELS: Record<RightsRequest['source'], string> = {
  email: 'Email form',
  account: 'Signed-in account',
};

/**
 * How the person's identity was verified (Art. 12(6)): a request by email is verified by the single-use link
 * sent to the address; one from the account by the login itself.
 */
export function verificationOf(request: Pick<RightsRequest, 'source' | 'status' | 'verified_at' | 'token_expires_at'>): { done: boolean; text: string } {
  if (request.source === 'account') return { done: true, text: `Signed in to the account${request.verified_at ? `, ${isoMinute(request.verified_at)}` : ''}` };
  if (request.verified_at) return { done: true, text: `Followed the link sent to the address, ${isoMinute(request.verified_at)}` };
  if (request.status === 'expired') return { done: false, text: 'Not verified: the link sent to the address was not followed in time' };
  return { done: false, text: `Awaiting: a link was sent to the address${request.token_expires_at ? `, valid until ${isoMinute(request.token_expires_at)}` : ''}` };
}
