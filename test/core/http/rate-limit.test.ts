import crypto from 'node:crypto';
import { expect } from 'chai';
import type supertest from 'supertest';
import { startTestApp, createUser, csrfFrom, type TestApp } from '../../helpers/app';
import { User } from '../../../core/auth/user-model';
import { registrationFields } from '../auth/support';
import { delayAfter } from '../../../core/auth/login-throttle';

/**
 * Each test comes from an address of its own (TRUST_PROXY=1 makes the app read X-Forwarded-For), so the
 * limits one test uses up do not spill into the next.
 */
describe('rate limits', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: [], env: { TRUST_PROXY: '1' } });
  });
  after(async () => t.close());

  const newAddress = () => `10.${crypto.randomInt(256)}.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`;

  async function post(agent: supertest.Agent, ip: string, page: string, action: string, fields: Record<string, string>) {
    const form = await agent.get(page).set('X-Forwarded-For', ip);
    return agent.post(action).set('X-Forwarded-For', ip).type('form').send({ _csrf: csrfFrom(form.text), ...fields });
  }

  it('refuses the 101st failed login in 15 minutes from one address with 429 and a page that says why, whatever the accounts', async function () {
    this.timeout(120_000);
    const { user, password } = await createUser();
    const ip = newAddress();
    // Successful logins are not counted.
    for (let i = 0; i < 3; i++) expect((await post(t.agent(), ip, '/login', '/login', { login: user.email, password })).status).to.equal(303);
    // Names that are no account each fail once, so only the address's count grows; most are sent without a
    // password (422, no hashing: every refused attempt counts) to keep the test quick on a busy machine.
    for (let i = 1; i <= 100; i++) {
      const guess = i % 10 === 0;
      const res = await post(t.agent(), ip, '/login', '/login', { login: `nobody-${i}@example.test`, password: guess ? `wrong-${i}` : '' });
      expect(res.status, `attempt ${i}`).to.equal(guess ? 401 : 422);
    }
    const refused = await post(t.agent(), ip, '/login', '/login', { login: 'nobody-101@example.test', password: 'wrong-101' });
    expect(refused.status).to.equal(429);
    expect(refused.text).to.contain('Too many attempts from your address. Please wait 15 minutes and try again.');
    expect(refused.headers['ratelimit-policy'] ?? refused.headers.ratelimit).to.be.a('string');
    // Now even the right password waits: guessing cannot go on.
    expect((await post(t.agent(), ip, '/login', '/login', { login: user.email, password })).status).to.equal(429);
    // Another address is not affected.
    expect((await post(t.agent(), newAddress(), '/login', '/login', { login: user.email, password })).status).to.equal(303);
  });

  it('slows guessing at one account with a wait, without locking the other accounts behind the same address', async function () {
    this.timeout(30_000);
    const { user, password } = await createUser();
    const colleague = await createUser();
    const office = newAddress();
    for (let i = 1; i <= 5; i++) {
      const res = await post(t.agent(), office, '/login', '/login', { login: user.username, password: `guess-${i}` });
      expect(res.status, `attempt ${i}`).to.equal(401);
    }
    // The sixth try at once waits, even with the right password, and is told how long; by email or by username alike.
    const waiting = await post(t.agent(), newAddress(), '/login', '/login', { login: user.email.toUpperCase(), password });
    expect(waiting.status).to.equal(429);
    expect(Number(waiting.headers['retry-after'])).to.be.within(1, 5);
    expect(waiting.text).to.contain('Too many failed attempts for this account').and.contain('reset your password');
    // A colleague behind the same address logs in as usual.
    expect((await post(t.agent(), office, '/login', '/login', { login: colleague.user.email, password: colleague.password })).status).to.equal(303);

    // The owner gets in once the wait is over, and that clears the count (a slip afterwards costs no wait).
    await new Promise((r) => setTimeout(r, Number(waiting.headers['retry-after']) * 1000 + 200));
    expect((await post(t.agent(), office, '/login', '/login', { login: user.username, password })).status).to.equal(303);
    expect((await post(t.agent(), office, '/login', '/login', { login: user.username, password: 'one-slip' })).status).to.equal(401);
    expect((await post(t.agent(), office, '/login', '/login', { login: user.username, password })).status).to.equal(303);
  });

  it('treats a name that is no account like an account (the wait does not tell which names exist)', async () => {
    const ip = newAddress();
    for (let i = 1; i <= 5; i++) expect((await post(t.agent(), ip, '/login', '/login', { login: 'ghost@example.test', password: `x-${i}` })).status).to.equal(401);
    const res = await post(t.agent(), ip, '/login', '/login', { login: 'ghost@example.test', password: 'x-6' });
    expect(res.status).to.equal(429);
    expect(res.text).to.contain('Too many failed attempts for this account');
  });

  it('caps the wait at a minute, so strangers can slow the owner but never keep them out', () => {
    expect([4, 5, 6, 7, 8, 9, 50].map((n) => delayAfter(n))).to.deep.equal([0, 5000, 10_000, 20_000, 40_000, 60_000, 60_000]);
  });

  it('limits registrations from one address', async () => {
    const ip = newAddress();
    for (let i = 1; i <= 20; i++) {
      const res = await post(t.agent(), ip, '/register', '/register', { ...registrationFields(), password: 'short' });
      expect(res.status, `attempt ${i}`).to.equal(422);
    }
    const fields = registrationFields();
    const refused = await post(t.agent(), ip, '/register', '/register', fields);
    expect(refused.status).to.equal(429);
    expect(refused.text).to.contain('Please wait 60 minutes');
    expect(await User.count({ where: { username: fields.username } })).to.equal(0);
  });

  it('limits password reset requests from one address', async () => {
    const ip = newAddress();
    for (let i = 1; i <= 10; i++) {
      const res = await post(t.agent(), ip, '/password/forgot', '/password/forgot', { email: `someone${i}@example.test` });
      expect(res.status, `attempt ${i}`).to.equal(200);
    }
    const refused = await post(t.agent(), ip, '/password/forgot', '/password/forgot', { email: 'someone11@example.test' });
    expect(refused.status).to.equal(429);
    expect(refused.text).to.contain('Too many attempts');
  });

  it('counts wrong current passwords on the account page like failed logins', async () => {
    const { user, password } = await createUser();
    const ip = newAddress();
    const agent = t.agent();
    expect((await post(agent, ip, '/login', '/login', { login: user.email, password })).status).to.equal(303);
    for (let i = 1; i <= 10; i++) {
      const res = await post(agent, ip, '/account', '/account/password', { current_password: `guess-${i}`, new_password: 'a-new-long-passphrase' });
      expect(res.status, `attempt ${i}`).to.equal(422);
    }
    const refused = await post(agent, ip, '/account', '/account/password', { current_password: password, new_password: 'a-new-long-passphrase' });
    expect(refused.status).to.equal(429);
    expect((await User.findByPk(user.id))!.password_hash).to.equal(user.password_hash);
  });
});
