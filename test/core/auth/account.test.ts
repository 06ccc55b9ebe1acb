import { expect } from 'chai';
import { startTestApp, createUser, login, type TestApp } from '../../helpers/app';
import { User } from '../../../core/auth/user-model';
import { linkIn, submit } from './support';

describe('the account page', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: [], smtp: true });
  });
  after(async () => t.close());

  it('sends a guest to log in first', async () => {
    const res = await t.agent().get('/account').expect(302);
    expect(res.headers.location).to.equal('/login?next=%2Faccount');
  });

  it('changes first name, last name and display name, and never the username', async () => {
    const { user, password } = await createUser({ display_name: 'Before' });
    const agent = t.agent();
    await login(agent, user.email, password);
    const changed: string[][] = [];
    const off = t.platform.hooks.on('test', 'core.user.updated', async (_u, fields) => void changed.push(fields));
    try {
      const res = await submit(agent, '/account', '/account', { first_name: 'Mary', last_name: 'Shelley', display_name: 'Frankie', email: user.email, username: 'hijacked' });
      expect(res.status).to.equal(303);
    } finally {
      off();
    }
    await user.reload();
    expect([user.first_name, user.last_name, user.display_name, user.username]).to.deep.equal(['Mary', 'Shelley', 'Frankie', user.username]);
    expect(user.username).to.not.equal('hijacked');
    expect(changed).to.deep.equal([['first_name', 'last_name', 'display_name']]);
    const page = await agent.get('/account');
    expect(page.text).to.contain('Your account was updated.');
    expect(page.text).to.contain('Frankie');
  });

  it("keeps a save's message for the next real page, even when the browser fetches /favicon.ico first", async () => {
    const { user, password } = await createUser();
    const agent = t.agent();
    await login(agent, user.email, password);
    await submit(agent, '/account', '/account', { first_name: 'New', last_name: user.last_name, display_name: user.display_name, email: user.email });
    expect((await agent.get('/favicon.ico')).status).to.equal(404);
    expect((await agent.get('/account')).text).to.contain('Your account was updated.');
  });

  it('re-renders with 422 and changes nothing on bad input', async () => {
    const { user, password } = await createUser();
    const agent = t.agent();
    await login(agent, user.username, password);
    const res = await submit(agent, '/account', '/account', { first_name: '', last_name: 'X', display_name: 'x', email: 'nope' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Enter your first name');
    expect(res.text).to.contain('Enter a valid email address');
    const fresh = await User.findByPk(user.id);
    expect(fresh!.first_name).to.equal(user.first_name);
    expect(fresh!.pending_email).to.equal(null);
  });

  it('changes the email only when the link sent to the new address is followed', async () => {
    const { user, password } = await createUser();
    const agent = t.agent();
    await login(agent, user.email, password);
    const oldEmail = user.email;
    const newEmail = `new-${user.username}@example.test`;
    const res = await submit(agent, '/account', '/account', { first_name: user.first_name, last_name: user.last_name, display_name: user.display_name, email: newEmail.toUpperCase() });
    expect(res.status).to.equal(303);
    await user.reload();
    expect(user.email).to.equal(oldEmail);
    expect(user.pending_email).to.equal(newEmail);
    expect((await agent.get('/account')).text).to.contain(`We sent a link to <strong>${newEmail}</strong>`);

    const mail = await t.smtp!.waitFor(newEmail, /Verify your new email/);
    const link = linkIn(mail, '/verify-email/');
    const done = await t.agent().get(link).expect(200);
    expect(done.text).to.contain(`Your email address is now ${newEmail}`);
    await user.reload();
    expect(user.email).to.equal(newEmail);
    expect(user.pending_email).to.equal(null);
    expect(user.email_verified_at).to.be.instanceOf(Date);
    await t.smtp!.waitFor(oldEmail, /Your email address was changed/);

    // The session continues, now showing the new address; following the link again is harmless.
    expect((await agent.get('/account')).text).to.contain(`value="${newEmail}"`);
    expect((await t.agent().get(link)).status).to.equal(200);
    await login(t.agent(), newEmail, password);
  });

  it('does not tell whether a new address belongs to another account, and never moves onto it', async () => {
    const { user: other } = await createUser();
    const { user, password } = await createUser();
    const agent = t.agent();
    await login(agent, user.email, password);
    const res = await submit(agent, '/account', '/account', { first_name: user.first_name, last_name: user.last_name, display_name: user.display_name, email: other.email });
    expect(res.status).to.equal(303);
    const page = (await agent.get('/account')).text;
    expect(page).to.contain(`We sent a link to ${other.email}`);
    expect(page).to.contain(`We sent a link to <strong>${other.email}</strong>`);
    const mail = await t.smtp!.waitFor(other.email, /Someone tried to use your email address/);
    expect(mail.text).to.not.contain('/verify-email/');
    expect(await submit(agent, '/account', '/account/verify/resend', {})).to.have.property('status', 303);
    await t.platform.jobs.idle();
    await user.reload();
    expect(user.email).to.not.equal(other.email);
    expect(t.smtp!.to(other.email).every((m) => !m.text.includes('/verify-email/'))).to.equal(true);
  });

  it('changes the password only with the current one, and logs out the other sessions', async () => {
    const { user, password } = await createUser();
    const here = t.agent();
    const elsewhere = t.agent();
    await login(here, user.email, password);
    await login(elsewhere, user.email, password);

    const wrong = await submit(here, '/account', '/account/password', { current_password: 'not-my-password', new_password: 'a-brand-new-long-secret' });
    expect(wrong.status).to.equal(422);
    expect(wrong.text).to.contain('That is not your current password.');
    const weak = await submit(here, '/account', '/account/password', { current_password: password, new_password: 'qwerty12345' });
    expect(weak.status).to.equal(422);
    expect(weak.text).to.contain('too common');
    await user.reload();
    const hashBefore = user.password_hash;

    const ok = await submit(here, '/account', '/account/password', { current_password: password, new_password: 'a-brand-new-long-secret' });
    expect(ok.status).to.equal(303);
    await user.reload();
    expect(user.password_hash).to.not.equal(hashBefore);
    expect((await here.get('/account')).status).to.equal(200);
    expect((await elsewhere.get('/account')).status).to.equal(302);
    await login(t.agent(), user.email, 'a-brand-new-long-secret');
  });

  it('shows only the logged-in person, whatever id is put in the URL or the form', async () => {
    const { user: a, password } = await createUser({ display_name: 'Person A' });
    const { user: b } = await createUser({ display_name: 'Person B' });
    const agent = t.agent();
    await login(agent, a.email, password);
    const page = await agent.get(`/account?id=${b.id}&user_id=${b.id}`).expect(200);
    expect(page.text).to.contain('Person A');
    expect(page.text).to.not.contain('Person B');
    expect(page.text).to.not.contain(b.email);
    expect((await agent.get(`/account/${b.id}`)).status).to.equal(404);

    const res = await submit(agent, '/account', '/account', { id: String(b.id), user_id: String(b.id), first_name: 'Changed', last_name: 'Changed', display_name: 'Changed by A', email: a.email });
    expect(res.status).to.equal(303);
    await b.reload();
    expect(b.display_name).to.equal('Person B');
    await a.reload();
    expect(a.display_name).to.equal('Changed by A');
  });
});
