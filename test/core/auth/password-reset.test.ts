import { expect } from 'chai';
import { startTestApp, createUser, login, type TestApp } from '../../helpers/app';
import { AuthToken } from '../../../core/auth/token-model';
import { linkIn, submit } from './support';

describe('password reset', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: [], smtp: true });
  });
  after(async () => t.close());

  const ask = async (email: string) => submit(t.agent(), '/password/forgot', '/password/forgot', { email });

  it('mails a link that sets a new password once, and ends every session of the account', async () => {
    const { user, password } = await createUser();
    const loggedIn = t.agent();
    await login(loggedIn, user.email, password);

    const res = await ask(user.email.toUpperCase());
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('If an account uses that address');
    await t.platform.jobs.idle();
    const mail = await t.smtp!.waitFor(user.email, /Reset your password/);
    const link = linkIn(mail, '/password/reset/');
    const stored = await AuthToken.findAll({ where: { user_id: user.id } });
    expect(stored).to.have.length(1);
    // Only a hash is stored: the token in the link is nowhere in the database.
    expect(stored[0].token_hash).to.not.equal(link.split('/').pop());

    const agent = t.agent();
    const form = await agent.get(link).expect(200);
    expect(form.text).to.contain('Choose a new password');
    const weak = await submit(agent, link, link, { password: 'iloveyou123' });
    expect(weak.status).to.equal(422);
    expect(weak.text).to.contain('too common');

    const done = await submit(agent, link, link, { password: 'lanterns-over-the-quiet-bay' });
    expect(done.status).to.equal(303);
    expect(done.headers.location).to.equal('/login');
    await login(t.agent(), user.email, 'lanterns-over-the-quiet-bay');
    expect((await submit(t.agent(), '/login', '/login', { login: user.email, password })).status).to.equal(401);

    // The session that was open before the reset is logged out.
    expect((await loggedIn.get('/account')).status).to.equal(302);

    // Used once: the same link is refused now.
    expect((await t.agent().get(link)).status).to.equal(400);
    // (The link's own page has no form any more; the CSRF token comes from another page of the site.)
    const again = await submit(t.agent(), '/password/forgot', link, { password: 'another-fine-long-passphrase' });
    expect(again.status).to.equal(400);
    await login(t.agent(), user.email, 'lanterns-over-the-quiet-bay');
  });

  it('refuses a link older than an hour', async () => {
    const { user } = await createUser();
    await ask(user.email);
    await t.platform.jobs.idle();
    const link = linkIn(await t.smtp!.waitFor(user.email, /Reset your password/), '/password/reset/');
    await AuthToken.update({ expires_at: new Date(Date.now() - 1000) }, { where: { user_id: user.id } });
    const res = await t.agent().get(link);
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('This link does not work');
  });

  it('keeps only the newest of several links working', async () => {
    const { user } = await createUser();
    await ask(user.email);
    await t.platform.jobs.idle();
    await t.smtp!.waitFor(user.email, /Reset your password/);
    await ask(user.email);
    await t.platform.jobs.idle();
    const deadline = Date.now() + 10_000;
    while (t.smtp!.to(user.email).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    const [first, second] = t.smtp!.to(user.email).map((mail) => linkIn(mail, '/password/reset/'));
    expect(first).to.not.equal(second);
    const older = await t.agent().get(first);
    expect(older.status).to.equal(400);
    expect(older.text).to.contain('newer one');
    const refused = await submit(t.agent(), '/password/forgot', first, { password: 'older-link-should-not-work' });
    expect(refused.status).to.equal(400);
    await t.agent().get(second).expect(200);
    expect((await submit(t.agent(), second, second, { password: 'the-newest-link-works-fine' })).status).to.equal(303);
    await login(t.agent(), user.email, 'the-newest-link-works-fine');
  });

  it('refuses a made-up token', async () => {
    expect((await t.agent().get('/password/reset/' + 'x'.repeat(43))).status).to.equal(400);
  });

  it('re-renders the forgot form with 422 for an address that is not one', async () => {
    const res = await ask('not an email');
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Enter a valid email address');
  });
});
