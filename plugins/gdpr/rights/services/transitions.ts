import { Op, type Transaction } from 'sequelize';
import { RightsRequest, type RequestStatus } from '../models/rights-request';
import { RightsRequestEvent } from '../models/rights-request-event';

/** The only status changes a request may make; everything else is refused. */
export const ALLOWED_TRANSITIONS: Record<RequestStatus, readonly RequestStatus[]> = {
  awaiting_verification: ['verified', 'expired'],
  verified: ['accepted', 'rejected'],
  accepted: ['completed'],
  rejected: [],
  completed: [],
  expired: [],
};

export const OPEN_STATUSES: readonly RequestStatus[] = ['awaiting_verification', 'verified', 'accepted'];

export const STATUS_LABELS: Record<RequestStatus, string> = {
  awaiting_verification: 'Awaiting verification',
  verified: 'Verified',
  accepted: 'Accepted',
  rejected: 'Rejected',
  completed: 'Completed',
  expired: 'Expired',
};

export function mayMove(from: RequestStatus, to: RequestStatus): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}

export async function recordEvent(
  transaction: Transaction | undefined,
  requestId: number,
  action: string,
  from: RequestStatus | null,
  to: RequestStatus,
  note: string | null = null,
  actorId: number | null = null,
): Promise<void> {
  await RightsRequestEvent.create({ request_id: requestId, action, from_status: from, to_status: to, note, actor_id: actorId }, { transaction });
}

/**
 * Moves a request from one status to another with a conditional update, so of two people acting on the
 * same request at once only one succeeds; writes the history line in the same transaction. Returns false
 * when the request was not (or no longer) in `from`, or when the change is not an allowed one.
 */
export async function moveRequest(
  transaction: Transaction,
  request: Pick<RightsRequest, 'id'>,
  from: RequestStatus,
  to: RequestStatus,
  change: { action: string; note?: string | null; actorId?: number | null; fields?: Partial<RightsRequest> },
): Promise<boolean> {
  if (!mayMove(from, to)) return false;
  const [count] = await RightsRequest.update({ ...(change.fields ?? {}), status: to }, { where: { id: request.id, status: from }, transaction });
  if (count !== 1) return false;
  await recordEvent(transaction, request.id, change.action, from, to, change.note ?? null, change.actorId ?? null);
  return true;
}

/** Requests not verified in time: each moves to expired, with its history line; returns how many. */
export async function expireUnverified(transaction: Transaction, now = new Date()): Promise<number> {
  const stale = await RightsRequest.findAll({ where: { status: 'awaiting_verification', token_expires_at: { [Op.lt]: now } }, attributes: ['id'], limit: 500, transaction });
  let n = 0;
  for (const r of stale) {
    if (await moveRequest(transaction, r, 'awaiting_verification', 'expired', { action: 'expired', note: 'The confirmation link was not followed in time', fields: { pending_key: null } })) n++;
  }
  return n;
}
