import crypto from 'node:crypto';
import { User } from './user-model';
import { hashPassword } from './passwords';

export interface CreatedAdmin {
  email: string;
  /** Present when the password was generated here and must be shown once. */
  generatedPassword?: string;
}

/** On an empty database, makes the first admin from ADMIN_EMAIL/ADMIN_PASSWORD, or generates a password. */
export async function ensureFirstAdmin(email?: string, password?: string): Promise<CreatedAdmin | undefined> {
  if ((await User.count({ where: { role: 'admin' } })) > 0) return undefined;
  return createAdmin({ email: email ?? 'admin@agora.local', password });
}

export async function createAdmin(input: { email: string; password?: string; username?: string }): Promise<CreatedAdmin> {
  const generated = input.password ? undefined : crypto.randomBytes(12).toString('base64url');
  const email = input.email.trim().toLowerCase();
  const base = (input.username ?? email.split('@')[0]).toLowerCase().replace(/[^a-z0-9_]/g, '').slice(0, 30) || 'admin';
  let username = base;
  for (let i = 2; await User.findOne({ where: { username } }); i++) username = `${base}${i}`;
  await User.create({
    username,
    email,
    // Named for the person, not the role: the header shows this beside its "Admin" link ("Site Admin Admin").
    first_name: 'Store',
    last_name: 'Owner',
    display_name: 'Store owner',
    password_hash: await hashPassword(input.password ?? generated!),
    birth_date: null,
    role: 'admin',
    email_verified_at: new Date(),
  });
  return { email, generatedPassword: generated };
}
