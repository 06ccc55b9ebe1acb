import type { Transaction } from 'sequelize';

/** The lawful bases of GDPR Art. 6(1), by the names the record of processing uses. */
export const LEGAL_BASES = ['consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interests'] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

/** What one run of a retention rule did, in counts of rows (or records) of its kind. */
export interface RetentionOutcome {
  removed: number;
  anonymized: number;
  /** Rows older than the cutoff that must still be kept (a paid order still inside its tax years). */
  kept?: number;
  /** Rows older than the cutoff left alone because their person is restricted (`RetentionScope`). */
  skipped?: number;
}

/**
 * Who the sweep must not touch, and how it runs. A person with a pending request (access, erasure, objection:
 * verified or accepted, not completed) or a restriction of processing has their records kept until it is
 * answered (GDPR Art. 18); a rule leaves every row of theirs alone and counts it as `skipped`.
 */
export interface RetentionScope {
  restrictedUserIds: readonly number[];
  /** Lower case. */
  restrictedEmails: readonly string[];
  /** The sweep's transaction will be rolled back: a rule may skip work that only matters after a commit. */
  dryRun: boolean;
}

/**
 * A kind of data a plugin keeps for a limited time: `apply(cutoff)` removes or anonymizes what is older
 * than the cutoff. The gdpr plugin builds the retention sweep from these; the site owner may change the
 * days, so `defaultDays` is only where it starts (a function when it follows another setting).
 */
export interface RetentionDeclaration {
  owner: string;
  /** `<owner>.<kind>`, unique: `shops.carts`, `core.sessions`. */
  kind: string;
  /** What the data is, for the admin ("Abandoned carts"). */
  label: string;
  defaultDays: number | (() => number);
  legalBasis: LegalBasis;
  /**
   * Removes or anonymizes this kind's data older than `cutoff`; joins `transaction` when given. Rows of the
   * people in `scope` are skipped (see `retentionWhere`, which builds both conditions).
   */
  apply(cutoff: Date, transaction?: Transaction, scope?: RetentionScope): Promise<RetentionOutcome>;
}

/** One line of the record of processing activities (GDPR Art. 30). */
export interface ProcessingDeclaration {
  owner: string;
  /** The personal data processed ("email address", "delivery address"). */
  data: string[];
  purpose: string;
  legalBasis: LegalBasis;
  /** Who receives it besides the site owner ("the seller of the order", "the payment provider"). */
  recipients: string[];
  /** How long it is kept, in words, or the retention kind that enforces it. */
  retention: string;
}

/**
 * Records of a plugin that an account is needed for (orders to follow, a shop, conversations with another
 * party): core's rule `core.unverified-accounts` keeps an unverified account while any plugin holds it,
 * because deleting the login would cut the person off from a contract that is still theirs.
 */
export interface AccountHoldDeclaration {
  owner: string;
  /** What holds the accounts, for the admin ("orders or a shop"). */
  label: string;
  /** Of `userIds`, the accounts this plugin's records hold; joins `transaction` when given. */
  heldAmong(userIds: readonly number[], transaction?: Transaction): Promise<number[]>;
}

/** The days a declaration starts with, whether fixed or following a setting. */
export function retentionDays(declaration: Pick<RetentionDeclaration, 'defaultDays'>): number {
  return typeof declaration.defaultDays === 'function' ? declaration.defaultDays() : declaration.defaultDays;
}

/** Retention rules and processing records of core and every active plugin; entries go with their plugin. */
export class PrivacyDeclarations {
  private readonly retentionList: RetentionDeclaration[] = [];
  private readonly processingList: ProcessingDeclaration[] = [];
  private readonly holdList: AccountHoldDeclaration[] = [];

  addRetention(declaration: RetentionDeclaration): () => void {
    if (!(LEGAL_BASES as readonly string[]).includes(declaration.legalBasis)) throw new Error(`Retention "${declaration.kind}": unknown legal basis "${declaration.legalBasis}"`);
    const days = retentionDays(declaration);
    if (!Number.isInteger(days) || days < 1) throw new Error(`Retention "${declaration.kind}": defaultDays must be a whole number of days, at least 1`);
    // Two rules for one kind would let the shorter silently win: the second is a mistake.
    if (this.retentionList.some((r) => r.kind === declaration.kind)) throw new Error(`Retention kind "${declaration.kind}" is already declared`);
    this.retentionList.push(declaration);
    return () => remove(this.retentionList, declaration);
  }

  addProcessing(declaration: ProcessingDeclaration): () => void {
    if (!(LEGAL_BASES as readonly string[]).includes(declaration.legalBasis)) throw new Error(`Processing "${declaration.purpose}": unknown legal basis "${declaration.legalBasis}"`);
    this.processingList.push(declaration);
    return () => remove(this.processingList, declaration);
  }

  addAccountHold(declaration: AccountHoldDeclaration): () => void {
    this.holdList.push(declaration);
    return () => remove(this.holdList, declaration);
  }

  /** Every plugin's account holds (see `AccountHoldDeclaration`). */
  accountHolds(): readonly AccountHoldDeclaration[] {
    return [...this.holdList];
  }

  retentions(): readonly RetentionDeclaration[] {
    return [...this.retentionList];
  }

  processings(): readonly ProcessingDeclaration[] {
    return [...this.processingList];
  }

  retention(kind: string): RetentionDeclaration | undefined {
    return this.retentionList.find((r) => r.kind === kind);
  }
}

function remove<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}
