/**
 * `npm run create-admin -- --email someone@example.com [--password ...] [--username name]`
 *
 * Makes an admin account in the configured database (the same .env / environment as the server). Without
 * --password a strong one is generated and printed once. Plugins are not started: only core's tables are needed.
 */
import 'dotenv/config';
import { parseArgs } from 'node:util';
import readline from 'node:readline/promises';
import { ConfigError, loadConfig } from '../config';
import { createPlatform, stopPlatform } from '../create-platform';
import { createAdmin } from './first-admin';
import { emailField, usernameField } from './forms';
import { passwordProblem } from './password-policy';
import { User } from './user-model';

const USAGE = 'Usage: npm run create-admin -- --email someone@example.com [--password "a long passphrase"] [--username name]';

class UsageError extends Error {}

async function ask(question: string): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, password: { type: 'string' }, username: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  let rawEmail = values.email;
  if (!rawEmail && process.stdin.isTTY) rawEmail = await ask('Email of the new admin: ');
  if (!rawEmail) throw new UsageError(`Give the new admin's email with --email.\n${USAGE}`);
  const email = emailField.safeParse(rawEmail);
  if (!email.success) throw new UsageError(`"${rawEmail}" is not an email address.`);
  let username: string | undefined;
  if (values.username) {
    const parsed = usernameField.safeParse(values.username);
    if (!parsed.success) throw new UsageError(`Username: ${parsed.error.issues[0].message}.`);
    username = parsed.data;
  }
  if (values.password !== undefined) {
    const problem = passwordProblem(values.password, { email: email.data, username });
    if (problem) throw new UsageError(`Password: ${problem}`);
  }

  const platform = await createPlatform(loadConfig());
  try {
    if (await User.findOne({ where: { email: email.data } })) {
      throw new UsageError(`There is already an account with ${email.data}. An admin can change its role at /admin/users.`);
    }
    if (username && (await User.findOne({ where: { username } }))) throw new UsageError(`The username "${username}" is taken.`);
    const admin = await createAdmin({ email: email.data, password: values.password, username });
    const user = await User.findOne({ where: { email: admin.email } });
    console.log(`Admin created. Log in at ${platform.config.baseUrl}/login with`);
    console.log(`  email:    ${admin.email}`);
    console.log(`  username: ${user?.username ?? ''}`);
    if (admin.generatedPassword) {
      console.log(`  password: ${admin.generatedPassword}`);
      console.log('This password is shown only once; change it under /account.');
    }
  } finally {
    await stopPlatform(platform);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ConfigError) console.error(error.message);
    else console.error(`create-admin failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
