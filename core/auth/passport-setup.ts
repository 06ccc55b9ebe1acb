import passport from 'passport';
import type { Request } from 'express';
import { Strategy as LocalStrategy } from 'passport-local';
import { Op } from 'sequelize';
import { User } from './user-model';
import { DUMMY_HASH, verifyPassword } from './passwords';
import type { Role } from './capabilities';

/** The public shape of a signed-in user kept on `req.user` (never the password hash). */
export function toSessionUser(user: User): Express.User {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    first_name: user.first_name,
    last_name: user.last_name,
    display_name: user.display_name,
    role: user.role,
    email_verified_at: user.email_verified_at,
  };
}

/**
 * What the session stores about its user: the id, the account's session version when the session began
 * (raising it ends every session) and the role it was granted under (a change regenerates the session id).
 */
export interface SessionRef {
  id: number;
  v: number;
  r: Role;
}

function isSessionRef(value: unknown): value is SessionRef {
  const ref = value as Partial<SessionRef> | null;
  return typeof ref === 'object' && ref !== null && typeof ref.id === 'number' && typeof ref.v === 'number' && typeof ref.r === 'string';
}

/** The reference stored in this request's session, when someone is logged in. */
export function sessionRefOf(req: Request): SessionRef | undefined {
  const ref = (req.session as unknown as { passport?: { user?: unknown } } | undefined)?.passport?.user;
  return isSessionRef(ref) ? ref : undefined;
}

export type AppPassport = passport.Authenticator;

/**
 * A passport of the app's own (not the module's shared one, which every app in the process would
 * configure): passport-local by email or username; an unknown account costs the same time as a wrong password.
 */
export function configurePassport(): AppPassport {
  const auth = new passport.Authenticator();
  auth.use(
    new LocalStrategy({ usernameField: 'login', passwordField: 'password' }, (login, password, done) => {
      const key = login.trim().toLowerCase();
      User.findOne({ where: { [Op.or]: [{ email: key }, { username: key }] } })
        .then(async (user) => {
          const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
          done(null, ok && user ? toSessionUser(user) : false);
        })
        .catch(done);
    }),
  );
  auth.serializeUser((user, done) => {
    User.findByPk(user.id, { attributes: ['id', 'session_version', 'role'] })
      .then((row) => (row ? done(null, { id: row.id, v: row.session_version, r: row.role } satisfies SessionRef) : done(new Error(`No user ${user.id} to log in`))))
      .catch(done);
  });
  auth.deserializeUser((ref: unknown, done) => {
    // A reference from an older format, or from before the account's sessions were ended, logs nobody in.
    if (!isSessionRef(ref)) return done(null, false);
    User.findByPk(ref.id)
      .then((user) => done(null, user && user.session_version === ref.v ? toSessionUser(user) : false))
      .catch(done);
  });
  return auth;
}
