import { Op, type Transaction } from 'sequelize';
import type { RetentionScope } from './declarations';
import { retentionWhere } from './retention-scope';
import type { Platform } from '../platform';
import { AuthToken } from '../auth/token-model';
import { OutboxMessage } from '../mail/outbox-model';

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
