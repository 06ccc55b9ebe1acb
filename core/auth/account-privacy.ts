import { Op, type WhereOptions } from 'sequelize';
import type { Platform } from '../platform';
import { User } from './user-model';
import { OutboxMessage } from '../mail/outbox-model';
import { AuthToken } from './token-model';
import { declareCorePrivacy } from '../privacy/core-declarations';
import { eraseMailBodies } from '../mail/outbox-redaction';

/** The person's mail in the outbox: sent to their account (user_id) or to their address. */
function mailOf(person: { email: string; userId?: number }): WhereOptions<OutboxMessage> {
  return person.userId ? { [Op.or]: [{ user_id: person.userId }, { to_address: person.email }] } : { to_address: person.email };
}

/** Core's own personal data: the account and the mail sent to the person. */
export function registerAccountPrivacy(platform: Platform): void {
  const { privacy } = platform;
  declareCorePrivacy(platform);
  privacy.addExporter({
    owner: 'core',
    name: 'account',
    covers: { User: ['username', 'email', 'first_name', 'last_name', 'display_name', 'birth_date', 'pending_email'] },
    async exportPage(person) {
      const user = await User.findOne({ where: { email: person.email } });
      if (!user) return { items: [], done: true };
      const { username, email, first_name, last_name, display_name, birth_date, pending_email, role, created_at, email_verified_at } = user;
      return {
        items: [{ group: 'Account', id: user.id, data: { username, email, first_name, last_name, display_name, birth_date, pending_email, role, created_at, email_verified_at } }],
        done: true,
      };
    },
  });
  privacy.addExporter({
    owner: 'core',
    name: 'mail',
    covers: { OutboxMessage: ['to_address', 'text_body', 'html_body'] },
    async exportPage(person, page) {
      const rows = await OutboxMessage.findAll({ where: mailOf(person), order: [['id', 'ASC']], limit: 100, offset: (page - 1) * 100 });
      return {
        items: rows.map((m) => ({ group: 'Emails we sent you', id: m.id, data: { subject: m.subject, sent_at: m.sent_at ?? m.created_at, text: m.text_body, html: m.html_body } })),
        done: rows.length < 100,
      };
    },
  });
  privacy.addEraser({
    owner: 'core',
    name: 'mail',
    covers: { OutboxMessage: ['to_address', 'text_body', 'html_body'] },
    // Runs after every other eraser (the registry runs them in reverse): the bodies go, the send record stays
    // (when, what subject, which status), so the admin's outbox still shows that a mail went out.
    async erasePage(person) {
      const n = await eraseMailBodies({ userId: person.userId, toAddresses: [person.email] });
      return {
        removed: n ? [`the text of ${n} ${n === 1 ? 'email' : 'emails'} we sent you (the record that ${n === 1 ? 'it was' : 'they were'} sent is kept)`] : [],
        anonymized: [],
        retained: [],
        done: true,
      };
    },
  });
  privacy.addEraser({
    owner: 'core',
    name: 'account',
    covers: { User: ['username', 'email', 'first_name', 'last_name', 'display_name', 'birth_date', 'pending_email'] },
    async erasePage(person) {
      const where = person.userId ? { [Op.or]: [{ id: person.userId }, { email: person.email }] } : { email: person.email };
      const users = await User.findAll({ where, attributes: ['id', 'pending_email'] });
      const ids = users.map((u) => u.id);
      // Mail sent to an address the person was moving to is theirs too; the mail eraser only knows the main one.
      const pending = users.map((u) => u.pending_email).filter((e): e is string => !!e);
      if (pending.length) await eraseMailBodies({ toAddresses: pending });
      if (ids.length) await AuthToken.destroy({ where: { user_id: ids } });
      const n = ids.length ? await User.destroy({ where: { id: ids } }) : 0;
      return { removed: n ? ['the account (name, username, email, date of birth, password)'] : [], anonymized: [], retained: [], done: true };
    },
  });
}
