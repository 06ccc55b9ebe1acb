import type { RegisterRow } from './consent/service';

/** What the gdpr plugin declares for others: the slot of its account privacy page. */
declare module '@agora/core' {
  interface SlotMap {
    /**
     * `/account/privacy`, under the consents: the person's other privacy matters (gdpr part 2 shows the status
     * of their requests here). `history` is the person's own consent register rows.
     */
    'gdpr.account.privacy': { history: RegisterRow[] };
  }
}

export {};
