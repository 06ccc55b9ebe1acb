import { Op, type WhereOptions } from 'sequelize';
import { OutboxMessage } from './outbox-model';

/** What is left of an erased email in the outbox: the record that it was sent, not what it said. */
export const ERASED_BODY = '[Erased: this email held personal data of a person whose data was erased.]';
export const ERASED_ADDRESS = 'erased@erased.invalid';

/** Which kept emails to erase: sent to an account or an address, or with a subject naming one of these references. */
export interface MailSelector {
  userId?: number;
  toAddresses?: string[];
  /** Order numbers, checkout references: mail about them (a seller's copy of an order) names them in its subject. */
  subjectIncludes?: string[];
  /** Keep the recipient's address (mail to someone else, about the person: only its text is theirs). */
  keepAddress?: boolean;
}

/**
 * Removes the bodies (text and HTML) of the outbox emails selected and keeps their send record (when, subject,
 * status, category), so the admin's outbox still shows that a mail went out; returns how many were erased.
 */
export async function eraseMailBodies(selector: MailSelector): Promise<number> {
  const any: WhereOptions<OutboxMessage>[] = [];
  if (selector.userId) any.push({ user_id: selector.userId });
  if (selector.toAddresses?.length) any.push({ to_address: selector.toAddresses });
  for (const reference of selector.subjectIncludes ?? []) if (reference) any.push({ subject: { [Op.like]: `%${reference.replace(/[\\%_]/g, (c) => `\\${c}`)}%` } });
  if (!any.length) return 0;
  // Only what still holds something to erase (another eraser may have taken the text and left the address).
  const left: WhereOptions<OutboxMessage> = selector.keepAddress
    ? { text_body: { [Op.ne]: ERASED_BODY } }
    : { [Op.or]: [{ text_body: { [Op.ne]: ERASED_BODY } }, { to_address: { [Op.ne]: ERASED_ADDRESS } }] };
  const rows = await OutboxMessage.findAll({ where: { [Op.and]: [{ [Op.or]: any }, left] }, attributes: ['id'] });
  const ids = rows.map((r) => r.id);
  if (!ids.length) return 0;
  await OutboxMessage.update({ text_body: ERASED_BODY, html_body: null, ...(selector.keepAddress ? {} : { to_address: ERASED_ADDRESS }) }, { where: { id: ids } });
  return ids.length;
}
