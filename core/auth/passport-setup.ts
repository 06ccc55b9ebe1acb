import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { Op } from 'sequelize';
import { User } from './user-model';
import { DUMMY_HASH, verifyPassword } from './passwords';

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

/** passport-local by email or username; an unknown account costs the same time as a wrong password. */
export function configurePassport(): passport.PassportStatic {
  passport.use(
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
  passport.serializeUser((user, done) => done(null, user.id));
  passport.deserializeUser((id: number, done) => {
    User.findByPk(id)
      .then((user) => done(null, user ? toSessionUser(user) : false))
      .catch(done);
  });
  return passport;
}
