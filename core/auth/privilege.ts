import type { Request } from 'express';
import type { Hooks } from '../hooks';
import './hooks';
import { ROLES, type Role } from './capabilities';
import { User } from './user-model';
import { toSessionUser } from './passport-setup';

/** Roles from least to most privileged; `grantRole` only ever moves up this list. */
export const ROLE_RANK: Record<Role, number> = Object.fromEntries(ROLES.map((r, i) => [r, i])) as Record<Role, number>;

export interface RoleChange {
  userId: number;
  from: Role;
  to: Role;
}

let boundHooks: Pick<Hooks, 'do'> | undefined;

/** Called by the auth routes when the app is built: role changes fire their hooks on the app's registry. */
export function bindPrivilege(hooks: Pick<Hooks, 'do'>): void {
  boundHooks = hooks;
}

/** With `onlyRaise`, a role at or above `role` is left as it is. */
async function changeRole(req: Request | undefined, userId: number, role: Role, onlyRaise: boolean): Promise<RoleChange | undefined> {
  const hooks = boundHooks;
  if (!hooks) throw new Error('Roles cannot change before the app is built (bindPrivilege was not called)');
  const user = await User.findByPk(userId);
  if (!user) throw new Error(`No user ${userId}`);
  const from = user.role as Role;
  if (from === role || (onlyRaise && ROLE_RANK[from] >= ROLE_RANK[role])) return undefined;
  await user.update({ role });
  if (req?.user?.id === userId) {
    req.user = toSessionUser(user);
    await regenerateSession(req);
    if (req.res) req.res.locals.user = req.user;
  }
  await hooks.do('core.user.role.changed', userId, from, role);
  await hooks.do('core.user.updated', toSessionUser(user), ['role']);
  return { userId, from, to: role };
}

/**
 * Logs the request's user in again under a new session id, keeping what the session held (cart, flash).
 * A session whose privileges changed must not keep an id that may have been seen before the change.
 */
export function regenerateSession(req: Request): Promise<void> {
  const user = req.user;
  if (!user) return Promise.resolve();
  return new Promise((resolve, reject) => req.login(user, { session: true, keepSessionInfo: true }, (error) => (error ? reject(error) : resolve())));
}

/**
 * Sets a person's role and fires `core.user.role.changed` and `core.user.updated`. When `req` is that
 * person's own request, their session id is regenerated at once and they stay logged in; anyone else's
 * session is regenerated on their next request. Call it after your transaction has committed.
 */
export function setRole(req: Request | undefined, userId: number, role: Role): Promise<RoleChange | undefined> {
  return changeRole(req, userId, role, false);
}

/**
 * Raises a person to at least `role` and never lowers them: an admin who opens a shop stays admin. Plugins
 * call it when a person earns a role by their own action (the shops plugin, when someone opens a shop):
 * `await grantRole(req, req.user, 'seller')`. Returns the change, or undefined when there was none.
 */
export function grantRole(req: Request | undefined, user: { id: number }, role: Role): Promise<RoleChange | undefined> {
  return changeRole(req, user.id, role, true);
}
