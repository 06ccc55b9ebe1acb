import { User } from '@agora/core';

export const FORMER_CUSTOMER = 'A former customer';

/** Display names of review authors; a review whose account was cut shows "A former customer". */
export async function authorNames(userIds: Array<number | null>): Promise<Map<number, string>> {
  const ids = [...new Set(userIds.filter((id): id is number => id !== null))];
  if (!ids.length) return new Map();
  const users = await User.findAll({ where: { id: ids }, attributes: ['id', 'display_name'] });
  return new Map(users.map((u) => [u.id, u.display_name]));
}

export function nameOf(names: Map<number, string>, userId: number | null): string {
  return (userId !== null && names.get(userId)) || FORMER_CUSTOMER;
}

/** Up to two initials, the author's "photo" (core keeps no profile pictures). */
export function initialsOf(name: string): string {
  if (name === FORMER_CUSTOMER) return '?';
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return (parts.length > 1 ? parts[0][0] + parts[parts.length - 1][0] : (parts[0] ?? '?').slice(0, 2)).toUpperCase();
}
