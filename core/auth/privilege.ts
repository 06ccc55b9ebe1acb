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

/**
 * Role changes of one platform: they fire their hooks on that platform's registry (`platform.roles`;
 * plugins use `ctx.roles`). Was a module-level binding, which a second app in the process overwrote.
 */
export class Privilege {
  constructor(private readonly hooks: Pick<Hooks, 'do'>) {}

  /**
   * Sets a person's role and fires `core.user.role.changed` and `core.user.updated`. When `req` is that
   * person's own request, their session id is regenerated at once and they stay logged in; anyone else's
   * session is regenerated on their next request. Call it after your transaction has committed.
   */
  setRole(req: Request | undefined, userId: number, role: Role): Promise<RoleChange | undefined> {
    return this.change(req, userId, role, false);
  }

  /**
   * Raises a person to at least `role` and never lowers them: an admin who opens a shop stays admin. Plugins
   * call it when a person earns a role by their own action (the shops plugin, when someone opens a shop):
   * `await ctx.roles.grant(req, req.user, 'seller')`. Returns the change, or undefined when there was none.
   */
  grantRole(req: Request | undefined, user: { id: number }, role: Role): Promise<RoleChange | undefined> {
    return this.change(req, user.id, role, true);
  }

  /** With `onlyRaise`, a role at or above `role` is left as it is. */
  private async change(req: Request | undefined, userId: number, role: Role, onlyRaise: boolean): Promise<RoleChange | undefined> {
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
    await this.hooks.do('core.user.role.changed', userId, from, role);
    await this.hooks.do('core.user.updated', toSessionUser(user), ['role']);
    return { userId, from, to: role };
  }
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
