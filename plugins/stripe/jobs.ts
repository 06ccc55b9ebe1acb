import type { PluginContext } from '@agora/core';
import type { StripeSettings } from './settings';
import { TRANSFER_JOB } from './services/ledger';
import { sendTransfer, splitRefund, type RefundSplitPayload } from './services/transfers';

export const REFUND_SPLIT_JOB = 'stripe.refund-split';

declare module '@agora/core' {
  interface JobMap {
    'stripe.transfer': { transferId: number };
    'stripe.refund-split': RefundSplitPayload;
  }
}

export function defineStripeJobs(ctx: PluginContext, settings: () => StripeSettings): void {
  ctx.jobs.define(TRANSFER_JOB, (payload) => sendTransfer(ctx, settings(), payload.transferId));
  ctx.jobs.define(REFUND_SPLIT_JOB, (payload) => splitRefund(ctx, settings(), payload));
}
