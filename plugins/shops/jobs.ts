import type { JobMap } from '@agora/core';

// Declaration merging needs the module that declares JobMap (core's public API re-exports it, and an
// augmentation of a re-export does not merge).

/** The background jobs of the shops plugin and their payloads (see JobMap in core/jobs/job-map.ts). */
declare module '@agora/core' {
  interface JobMap {
    /** The buyer's and the sellers' mails after a checkout; `instructions` are the manual gateway's payment instructions. */
    'shops.checkout-mails': { groupId: number; instructions: string };
    /** Mails a new order note to the other side. */
    'shops.order-note-mail': { noteId: number };
    /** Tells the buyer an order moved to status `to`. */
    'shops.order-status-mail': { orderId: number; to: string };
    /** Tells the buyer a refund was made on an order. */
    'shops.refund-mail': { refundId: number };
    /** Expires one checkout group left unpaid past the pending-order hours. */
    'shops.expire-group': { groupId: number };
    /** Expires every unpaid group past the pending-order hours (at start, and every quarter hour). */
    'shops.expire-pending': Record<string, never>;
    /** Deletes the pictures kept for refused product forms once their keptUploadHours have passed (hourly). */
    'shops.kept-uploads.sweep': Record<string, never>;
  }
}

export type ShopsJobName = Extract<keyof JobMap, `shops.${string}`>;
