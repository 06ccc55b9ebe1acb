import { expect } from 'chai';
import { startTestApp, createUser, csrfFrom, type TestApp } from '../../helpers/app';
import { AuthToken } from '../../../core/auth/token-model';

/** What differs between two renderings of the same page for reasons that say nothing about accounts. */
function normalise(html: string): string {
  return html
    .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""')
    .replace(/nonce="[^"]*"/g, 'nonce=""')
    .replace(/name="login" value="[^"]*"/g, 'name="login" value=""');
}

describe('account enumeration', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: [], smtp: true });
  });
  after(async () => t.close());

  async function post(page: string, action: string, fields: Record<string, string>) {
    const agent = t.agent();
    const form = await agent.get(page);
    return agent.post(action).type('form').send({ _csrf: csrfFrom(form.text), ...fields });
  }

  it('answers a failed login the same whether or not the account exists', async () => {
    const { user } = await createUser();
    const known = await post('/login', '/login', { login: user.email, password: 'not-the-password' });
    const unknown = await post('/login', '/login', { login: 'nobody-here@example.test', password: 'not-the-password' });
    const knownName = await post('/login', '/login', { login: user.username, password: 'not-the-password' });
    expect(known.status).to.equal(401);
    expect(unknown.status).to.equal(401);
    expect(knownName.status).to.equal(401);
    expect(known.text).to.contain('That email or username and password do not match an account.');
    expect(normalise(unknown.text)).to.equal(normalise(known.text));
    expect(normalise(knownName.text)).to.equal(normalise(known.text));
  });

  it('answers a password reset request the same whether or not the account exists, and mails only the real one', async () => {
    const { user } = await createUser();
    const known = await post('/password/forgot', '/password/forgot', { email: user.email });
    const unknown = await post('/password/forgot', '/password/forgot', { email: 'nobody-here@example.test' });
    expect(known.status).to.equal(200);
    expect(unknown.status).to.equal(200);
    expect(normalise(unknown.text)).to.equal(normalise(known.text));
    expect(known.text).to.not.contain(user.email);

    await t.platform.jobs.idle();
    await t.smtp!.waitFor(user.email, /Reset your password/);
    expect(t.smtp!.to('nobody-here@example.test')).to.have.length(0);
    expect(await AuthToken.count()).to.equal(1);
  });
});
