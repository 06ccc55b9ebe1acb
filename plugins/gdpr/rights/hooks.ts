import type { Transaction } from 'sequelize';
import type {} from '@agora/core';

/** The hooks part 2 of the gdpr plugin fires (declaration merging; see docs/gdpr.md). */
declare module '@agora/core' {
  interface ActionMap {
    /**
     * The person objected to marketing and profiling (Art. 21): newsletter, follow emails and targeting must
     * stop at once. Fired inside the transaction that records it (`transaction`), so a listener's writes commit with it.
     */
    'gdpr.objection.recorded': [person: { email: string; userId?: number }, transaction: Transaction];
    /** An erasure request was carried out through every plugin's eraser; `report` is what each one did. */
    'gdpr.erasure.completed': [request: { id: number; userId: number | null }, report: { sections: Array<{ owner: string; eraser: string; removed: string[]; anonymized: string[]; error?: string }> }];
    /** A request moved to another status (every change is also a line of its history). */
    'gdpr.request.status.changed': [request: { id: number; kind: string; userId: number | null }, from: string, to: string];
  }
}
