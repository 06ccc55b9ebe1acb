import crypto from 'node:crypto';
import { expect } from 'chai';
import type supertest from 'supertest';
import { startTestApp, createUser, csrfFrom, type TestApp } from '../../helpers/app';
import { User } from '../../../core/auth/user-model';
import { registrationFields } from '../auth/support';

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

  it('refuses the 11th failed login in 15 minutes from one address with 429 and a page that says why', async () => {
    const { user, password } = await createUser();
    const ip = newAddress();
    // Successful logins are not counted.
    for (let i = 0; i < 3; i++) expect((await post(t.agent(), ip, '/login', '/login', { login: user.email, password })).status).to.equal(303);
    for (let i = 1; i <= 10; i++) {
      const res = await post(t.agent(), ip, '/login', '/login', { login: user.email, password: `wrong-${i}` });
      expect(res.status, `attempt ${i}`).to.equal(401);
    }
    const refused = await post(t.agent(), ip, '/login', '/login', { login: user.email, password: 'wrong-11' });
    expect(refused.status).to.equal(429);
    expect(refused.text).to.contain('Too many attempts from your address. Please wait 15 minutes and try again.');
    expect(refused.headers['ratelimit-policy'] ?? refused.headers.ratelimit).to.be.a('string');
    // Now even the right password waits: guessing cannot go on.
    expect((await post(t.agent(), ip, '/login', '/login', { login: user.email, password })).status).to.equal(429);
    // Another address is not affected.
    expect((await post(t.agent(), newAddress(), '/login', '/login', { login: user.email, password })).status).to.equal(303);
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
