import { Op, Sequelize, type Transaction } from 'sequelize';
import type { RetentionScope } from './declarations';
import { retentionWhere } from './retention-scope';
import type { Platform } from '../platform';
import { AuthToken } from '../auth/token-model';
import { User } from '../auth/user-model';
import { OutboxMessage } from '../mail/outbox-model';
import { afterCommit } from '../db/transaction';

/** Accounts looked at per run of the unverified-accounts rule: the daily sweep takes the rest the next day. */
const UNVERIFIED_BATCH = 200;

/**
 * Core's own retention rules and record of processing: the account, the sessions, the mail it sent and
 * the single-use tokens. Declared through the same registry as every plugin's, so the gdpr plugin's sweep
 * and Art. 30 record cover core too.
 */
export function declareCorePrivacy(platform: Platform): void {
  const { privacy, sequelize } = platform;

  privacy.addRetention({
    owner: 'core',
    kind: 'core.sessions',
    label: 'Sessions not used since the cutoff (database session store; Redis sessions expire by themselves)',
    defaultDays: 30,
    legalBasis: 'legitimate_interests',
    // A session names nobody in a column (its person is inside the serialized data) and is no record a
    // pending request needs: restricted people are not looked for here.
    async apply(cutoff: Date, transaction?: Transaction) {
      // The store's model exists only when sessions live in the database.
      const Session = sequelize.models.Session;
      const removed = Session ? await Session.destroy({ where: { updated_at: { [Op.lt]: cutoff } }, transaction }) : 0;
      return { removed, anonymized: 0 };
    },
  });

  privacy.addRetention({
    owner: 'core',
    kind: 'core.outbox',
    label: 'Emails in the outbox (sent, kept or failed; not those still queued)',
    defaultDays: 90,
    legalBasis: 'legitimate_interests',
    async apply(cutoff: Date, transaction?: Transaction, scope?: RetentionScope) {
      const { where, held } = retentionWhere({ created_at: { [Op.lt]: cutoff }, status: { [Op.ne]: 'queued' } }, scope, { user: 'user_id', email: 'to_address' });
      const skipped = held ? await OutboxMessage.count({ where: held, transaction }) : 0;
      const removed = await OutboxMessage.destroy({ where, transaction });
      return { removed, anonymized: 0, skipped };
    },
  });

  privacy.addRetention({
    owner: 'core',
    kind: 'core.auth-tokens',
    label: 'Password-reset tokens, used or expired',
    defaultDays: 7,
    legalBasis: 'legitimate_interests',
    async apply(cutoff: Date, transaction?: Transaction, scope?: RetentionScope) {
      const { where, held } = retentionWhere({ created_at: { [Op.lt]: cutoff } }, scope, { user: 'user_id' });
      const skipped = held ? await AuthToken.count({ where: held, transaction }) : 0;
      const removed = await AuthToken.destroy({ where, transaction });
      return { removed, anonymized: 0, skipped };
    },
  });

  privacy.addRetention({
    owner: 'core',
    kind: 'core.unverified-accounts',
    label: 'Accounts whose email address was never verified; kept while orders, a shop or conversations hold them',
    defaultDays: 7,
    legalBasis: 'legitimate_interests',
    apply: (cutoff, transaction, scope) => removeUnverifiedAccounts(platform, cutoff, transaction, scope),
  });

  privacy.addProcessing({
    owner: 'core',
    data: ['username', 'email address', 'first and last name', 'display name', 'password (as a hash)'],
    purpose: 'Keep the customer or seller account the person opened, and sign them in',
    legalBasis: 'contract',
    recipients: [],
    retention: 'Until the person closes the account',
  });
  privacy.addProcessing({
    owner: 'core',
    data: ['date of birth'],
    purpose: 'Check the minimum age to open an account and whether a parent or guardian must hold it',
    legalBasis: 'legal_obligation',
    recipients: [],
    retention: 'Until the person closes the account',
  });
  privacy.addProcessing({
    owner: 'core',
    data: ['email address', 'contents of the emails sent'],
    purpose: 'Send account and order emails (verification, password reset, confirmations)',
    legalBasis: 'contract',
    recipients: ['the mail relay (SMTP_URL) that delivers them'],
    retention: 'Outbox copies: core.outbox (90 days by default)',
  });
  privacy.addProcessing({
    owner: 'core',
    data: ['session cookie', 'what the session holds (signed-in user, cart of a guest, messages)'],
    purpose: 'Keep the person signed in and protect forms against forgery (CSRF)',
    legalBasis: 'legitimate_interests',
    recipients: [],
    retention: 'core.sessions (30 days after last use by default)',
  });
}

/**
 * An account whose address was never verified may hold someone else's address (anyone can type any address
 * into the registration form): once its days are over it is erased through the privacy registry, exactly as
 * if the person had closed it (consent identities shredded, mail bodies and carts gone, every plugin's eraser),
 * in the sweep's transaction, so a dry run rolls it all back.
 *
 * An account that any plugin's records hold (orders, a shop, conversations: `ctx.privacy.accountHold`) is
 * neither deleted nor anonymized but kept and counted as `kept`: the buyer of a paid, unverified order
 * reaches its tracking, invoices and downloads through it, and an erasure would cut those off. Its records
 * follow their own rules; once none holds it any more (unpaid orders go after their days) a later sweep
 * erases it. The person can always ask for erasure themselves.
 *
 * Each account is claimed with a conditional update (still unverified) inside the transaction, so one that is
 * verified at the same moment is either verified first (and skipped) or waits for the erasure.
 */
async function removeUnverifiedAccounts(platform: Platform, cutoff: Date, transaction: Transaction | undefined, scope: RetentionScope | undefined) {
  const { sequelize, privacy } = platform;
  const base = { email_verified_at: null, role: { [Op.ne]: 'admin' }, created_at: { [Op.lt]: cutoff } };
  const { where, held } = retentionWhere(base, scope, { user: 'id', email: 'email' });
  const skipped = held ? await User.count({ where: held, transaction }) : 0;
  const candidates = await User.findAll({ where, attributes: ['id', 'email'], order: [['id', 'ASC']], limit: UNVERIFIED_BATCH, transaction });
  const ids = candidates.map((u) => u.id);
  const holding = new Set<number>();
  for (const hold of privacy.declarations.accountHolds()) if (ids.length) for (const id of await hold.heldAmong(ids, transaction)) holding.add(id);
  let removed = 0;
  const gone: Array<{ id: number; email: string }> = [];
  for (const user of candidates) {
    if (holding.has(user.id)) continue;
    // A savepoint per account: one whose erasure fails is rolled back alone and reported by the sweep's log.
    const erased = await sequelize.transaction({ transaction }, async () => {
      const [claimed] = await User.update({ session_version: Sequelize.literal('session_version + 1') as unknown as number }, { where: { id: user.id, email_verified_at: null }, transaction });
      if (claimed !== 1) return false;
      const result = await privacy.erasePerson({ email: user.email, userId: user.id });
      const failed = result.sections.filter((s) => s.error);
      if (failed.length) throw new Error(`erasure of unverified account ${user.id} failed: ${failed.map((s) => `${s.owner}/${s.eraser}: ${s.error}`).join('; ')}`);
      return !(await User.findByPk(user.id, { attributes: ['id'], transaction }));
    });
    if (erased) {
      removed++;
      gone.push(user);
    }
  }
  // Plugins learn of it only when it is for good (never in a dry run, whose transaction is rolled back).
  if (gone.length && transaction && !scope?.dryRun) afterCommit(transaction, async () => {
    for (const u of gone) await platform.hooks.do('core.user.deleted', u.id, u.email);
  });
  return { removed, anonymized: 0, kept: holding.size, skipped };
}
