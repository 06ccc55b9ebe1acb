import fs from 'node:fs';
import path from 'node:path';
import { rootDir } from '../config';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

let common: Set<string> | undefined;

/** config/common-passwords.txt, read once. */
function commonPasswords(): Set<string> {
  if (!common) {
    const text = fs.readFileSync(path.join(rootDir, 'config', 'common-passwords.txt'), 'utf8');
    common = new Set(text.split('\n').map((l) => l.trim().toLowerCase()).filter((l) => l && !l.startsWith('#')));
  }
  return common;
}

/** True for a password on the common list, also when it only adds digits or symbols to a listed one ("Sunshine2024!"). */
export function isCommonPassword(password: string): boolean {
  const list = commonPasswords();
  const lower = password.normalize('NFKC').toLowerCase();
  if (list.has(lower)) return true;
  const stem = lower.replace(/[\d\W_]+$/u, '');
  if (stem.length >= 4 && stem !== lower && list.has(stem)) return true;
  return /^(.)\1+$/u.test(lower);
}

/** The reason a new password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string, person: { username?: string; email?: string } = {}): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  const lower = password.toLowerCase();
  if (person.username && lower === person.username.toLowerCase()) return 'Your password cannot be your username.';
  if (person.email && (lower === person.email.toLowerCase() || lower === person.email.split('@')[0].toLowerCase())) return 'Your password cannot be your email address.';
  if (isCommonPassword(password)) return 'This password is too common and easy to guess. Choose another one, for example a few unrelated words.';
  return undefined;
}
