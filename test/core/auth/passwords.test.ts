import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { rootDir } from '../../../core/config';
import { hashPassword, scryptCost, verifyPassword } from '../../../core/auth/passwords';
import { isCommonPassword, passwordProblem } from '../../../core/auth/password-policy';

describe('passwords', () => {
  it('hashes with scrypt and a salt of its own per hash', async () => {
    const a = await hashPassword('the same password');
    const b = await hashPassword('the same password');
    expect(a).to.match(new RegExp(`^scrypt\\$${2 ** scryptCost()}\\$8\\$1\\$[\\w-]{22}\\$[\\w-]{86}$`));
    expect(a).to.not.equal(b);
    expect(a.split('$')[4]).to.not.equal(b.split('$')[4]);
    expect(await verifyPassword('the same password', a)).to.equal(true);
    expect(await verifyPassword('the same password!', a)).to.equal(false);
    expect(await verifyPassword('anything', 'bcrypt$whatever')).to.equal(false);
  });

  it('hashes at cost 2^15 unless told otherwise, never below it outside the test suite', () => {
    expect(scryptCost({})).to.equal(15);
    expect(scryptCost({ PASSWORD_SCRYPT_COST: '17' })).to.equal(17);
    expect(() => scryptCost({ PASSWORD_SCRYPT_COST: '10', NODE_ENV: 'production' })).to.throw(/15 to 20/);
    expect(() => scryptCost({ PASSWORD_SCRYPT_COST: '21' })).to.throw(/PASSWORD_SCRYPT_COST/);
    expect(scryptCost({ PASSWORD_SCRYPT_COST: '10', NODE_ENV: 'test' })).to.equal(10);
  });

  it('verifies a hash made at another cost (the cost is stored in the hash)', async () => {
    const salt = 'AAAAAAAAAAAAAAAAAAAAAA';
    const { scryptSync } = await import('node:crypto');
    const key = scryptSync('old password', Buffer.from(salt, 'base64url'), 64, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    const stored = ['scrypt', 2 ** 15, 8, 1, salt, key.toString('base64url')].join('$');
    expect(await verifyPassword('old password', stored)).to.equal(true);
    expect(await verifyPassword('other password', stored)).to.equal(false);
  });

  it('ships a list of several thousand common passwords', () => {
    const lines = fs.readFileSync(path.join(rootDir, 'config', 'common-passwords.txt'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines.length).to.be.greaterThan(3000);
    for (const p of ['123456', 'password', 'qwerty', 'iloveyou', 'letmein', 'monkey', 'dragon', 'football']) expect(lines).to.include(p);
  });

  it('refuses common passwords, also with digits or symbols added or in capitals', () => {
    for (const p of ['password123', 'Password123', 'qwertyuiop', '1234567890', 'iloveyou12', 'Football2024!', 'aaaaaaaaaaaa']) {
      expect(isCommonPassword(p), p).to.equal(true);
    }
    for (const p of ['velvet-otter-climbs-9-hills', 'correct horse battery staple', 'Tr0ub4dor&3xyz']) expect(isCommonPassword(p), p).to.equal(false);
  });

  it('asks for at least 10 characters and nothing that is the username or email', () => {
    expect(passwordProblem('short')).to.contain('at least 10 characters');
    expect(passwordProblem('x'.repeat(201))).to.contain('at most 200');
    expect(passwordProblem('ada_lovelace', { username: 'ada_lovelace' })).to.contain('username');
    expect(passwordProblem('ada.lovelace@example.test', { email: 'ada.lovelace@example.test' })).to.contain('email');
    expect(passwordProblem('velvet-otter-climbs-9-hills', { username: 'ada', email: 'ada@example.test' })).to.equal(undefined);
  });
});
