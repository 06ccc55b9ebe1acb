import { Op, Sequelize, type WhereOptions } from 'sequelize';
import type { RetentionScope } from './declarations';

/** Which columns of a rule's table name the person: user id columns, and email columns (compared in lower case). */
export interface PersonColumns {
  user?: string | string[];
  email?: string | string[];
}

export interface RetentionWhere {
  /** The rule's condition, minus every row of a restricted person: what the rule may remove or anonymize. */
  where: WhereOptions;
  /** The rule's condition, restricted people only: count it as `skipped`. Undefined when nobody is restricted. */
  held?: WhereOptions;
}

/**
 * Splits a retention rule's `where` by the sweep's restriction, null-safe (a row with no user id is never
 * taken for a restricted person's, and is never lost by `NOT IN` with a NULL).
 */
export function retentionWhere(base: WhereOptions, scope: RetentionScope | undefined, columns: PersonColumns): RetentionWhere {
  const users = [...(scope?.restrictedUserIds ?? [])];
  const emails = [...(scope?.restrictedEmails ?? [])].map((e) => e.toLowerCase());
  const userColumns = users.length ? [columns.user ?? []].flat() : [];
  const emailColumns = emails.length ? [columns.email ?? []].flat() : [];
  if (!userColumns.length && !emailColumns.length) return { where: base };
  const isHeld: WhereOptions[] = [];
  const isFree: WhereOptions[] = [];
  for (const c of userColumns) {
    isHeld.push({ [c]: { [Op.in]: users } });
    isFree.push({ [Op.or]: [{ [c]: null }, { [c]: { [Op.notIn]: users } }] });
  }
  for (const c of emailColumns) {
    isHeld.push(Sequelize.where(Sequelize.fn('lower', Sequelize.col(c)), { [Op.in]: emails }));
    isFree.push({ [Op.or]: [{ [c]: null }, Sequelize.where(Sequelize.fn('lower', Sequelize.col(c)), { [Op.notIn]: emails })] });
  }
  return { where: { [Op.and]: [base, ...isFree] }, held: { [Op.and]: [base, { [Op.or]: isHeld }] } };
}
