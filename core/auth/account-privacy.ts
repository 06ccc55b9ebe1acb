import { Op } from 'sequelize';
import type { Platform } from '../platform';
import { User } from './user-model';
import { OutboxMessage } from '../mail/outbox-model';

/** Core's own personal data: the account and the mail sent to the person. */
export function registerAccountPrivacy(platform: Platform): void {
  const { privacy } = platform;
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
        items: rows.map((m) => ({ group: 'Emails we sent you', id: m.id, data: { subject: m.subject, sent_at: m.sent_at ?? m.created_at, text: m.text_body } })),
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
      return { removed: n ? [`${n} emails in the outbox`] : [], anonymized: [], retained: [], done: true };
    },
  });
  privacy.addEraser({
    owner: 'core',
    name: 'account',
    covers: { User: ['username', 'email', 'first_name', 'last_name', 'display_name', 'birth_date', 'pending_email'] },
    async erasePage(person) {
      const where = person.userId ? { [Op.or]: [{ id: person.userId }, { email: person.email }] } : { email: person.email };
      const n = await User.destroy({ where });
      return { removed: n ? ['the account (name, username, email, date of birth, password)'] : [], anonymized: [], retained: [], done: true };
    },
  });
}
