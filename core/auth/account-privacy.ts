import { Op } from 'sequelize';
import type { Platform } from '../platform';
import { User } from './user-model';
import { OutboxMessage } from '../mail/outbox-model';
import { AuthToken } from './token-model';
import { declareCorePrivacy } from '../privacy/core-declarations';

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
      const rows = await OutboxMessage.findAll({ where: { to_address: person.email }, order: [['id', 'ASC']], limit: 100, offset: (page - 1) * 100 });
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
    async erasePage(person) {
      const n = await OutboxMessage.destroy({ where: { to_address: person.email } });
      return { removed: n ? [`${n} ${n === 1 ? 'email' : 'emails'} in the outbox`] : [], anonymized: [], retained: [], done: true };
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
      if (pending.length) await OutboxMessage.destroy({ where: { to_address: pending } });
      if (ids.length) await AuthToken.destroy({ where: { user_id: ids } });
      const n = ids.length ? await User.destroy({ where: { id: ids } }) : 0;
      return { removed: n ? ['the account (name, username, email, date of birth, password)'] : [], anonymized: [], retained: [], done: true };
    },
  });
}
