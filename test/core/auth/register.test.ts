import { expect } from 'chai';
import { startTestApp, login, loginAsAdmin, type TestApp } from '../../helpers/app';
import { User } from '../../../core/auth/user-model';
import { bornYearsAgo, linkIn, register, registrationFields, submit } from './support';

describe('registration', () => {
  let t: TestApp;
  before(async () => {
    // Many registrations are made here: each visitor comes from its own address so the registration limit stays out of the way.
    t = await startTestApp({ plugins: [], smtp: true, env: { TRUST_PROXY: '1' } });
  });
  after(async () => t.close());
  let address = 0;
  const visitor = () => t.agent().set('X-Forwarded-For', `10.20.${Math.floor(++address / 250)}.${(address % 250) + 1}`);

  it('registers an adult, stores email and username lowercased, and logs them in when the mailed link is opened in the same browser', async () => {
    const agent = visitor();
    const fields = registrationFields({ username: 'Grace_Hopper', email: 'Grace.Hopper@Example.TEST', display_name: 'Amazing Grace' });
    const res = await register(agent, fields);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/register/sent');
    const sent = await agent.get('/register/sent').expect(200);
    expect(sent.text).to.contain('Check your email').and.contain('grace.hopper@example.test');
    const user = await User.findOne({ where: { username: 'grace_hopper' } });
    expect(user).to.not.equal(null);
    expect(user!.email).to.equal('grace.hopper@example.test');
    expect(user!.guardian_confirmed).to.equal(false);
    expect(user!.email_verified_at).to.equal(null);
    expect(user!.password_hash).to.match(/^scrypt\$/);
    // Not logged in yet: the answer must be the same as for an address that has an account.
    expect((await agent.get('/account')).status).to.equal(302);

    const link = linkIn(await t.smtp!.waitFor('grace.hopper@example.test', /Verify/), '/verify-email/');
    const opened = await agent.get(link);
    expect(opened.status).to.equal(303);
    expect(opened.headers.location).to.equal('/account');
    const account = await agent.get('/account').expect(200);
    expect(account.text).to.contain('Amazing Grace').and.contain('@grace_hopper').and.contain('Welcome, Amazing Grace');
    expect(account.text).to.not.contain('is not verified yet');
  });

  it('answers the same for an address that has an account, creates nothing, and mails its owner instead', async () => {
    const owner = registrationFields();
    await register(visitor(), owner);
    await t.smtp!.waitFor(owner.email, /Verify/);
    const before = await User.count();

    const free = registrationFields();
    const freeAgent = visitor();
    const freeAnswer = await register(freeAgent, free);
    const takenAgent = visitor();
    const taken = registrationFields({ email: owner.email.toUpperCase() });
    const takenAnswer = await register(takenAgent, taken);

    expect(takenAnswer.status).to.equal(freeAnswer.status).and.to.equal(303);
    expect(takenAnswer.headers.location).to.equal(freeAnswer.headers.location);
    expect(takenAnswer.text).to.equal(freeAnswer.text);
    expect(Boolean(takenAnswer.headers['set-cookie'])).to.equal(Boolean(freeAnswer.headers['set-cookie']));
    const page = (text: string, email: string) => text.replace(email.toLowerCase(), 'ADDRESS').replace(/name="_csrf" value="[^"]+"/g, '').replace(/nonce="[^"]+"/g, '');
    const freePage = await freeAgent.get('/register/sent').expect(200);
    const takenPage = await takenAgent.get('/register/sent').expect(200);
    expect(page(takenPage.text, taken.email)).to.equal(page(freePage.text, free.email));

    expect(await User.count()).to.equal(before + 1);
    expect(await User.count({ where: { username: taken.username } })).to.equal(0);
    const notice = await t.smtp!.waitFor(owner.email, /already have an account/);
    expect(notice.text).to.contain('no second account was made').and.contain('/password/forgot');
    expect(t.smtp!.to(owner.email).filter((m) => /Verify/.test(m.subject))).to.have.length(1);
    expect((await takenAgent.get('/account')).status).to.equal(302);
  });

  it('only verifies, without logging in, when the link is opened in another browser', async () => {
    const fields = registrationFields();
    await register(visitor(), fields);
    const link = linkIn(await t.smtp!.waitFor(fields.email, /Verify/), '/verify-email/');
    const elsewhere = visitor();
    const opened = await elsewhere.get(link).expect(200);
    expect(opened.text).to.contain('is verified');
    expect((await elsewhere.get('/account')).status).to.equal(302);
  });

  it('refuses anyone under the minimum age, and writes nothing', async () => {
    const fields = registrationFields({ birth_date: bornYearsAgo(16, 1) });
    const res = await register(visitor(), fields);
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('You must be at least 16 years old');
    expect(await User.count({ where: { username: fields.username } })).to.equal(0);
  });

  it('lets a 16 or 17 year old register only with the parent or guardian statement ticked', async () => {
    const fields = registrationFields({ birth_date: bornYearsAgo(16) });
    const without = await register(visitor(), fields);
    expect(without.status).to.equal(422);
    expect(without.text).to.contain('a parent or guardian must hold the account');
    expect(await User.count({ where: { username: fields.username } })).to.equal(0);

    const withIt = await register(visitor(), { ...fields, guardian_confirmed: 'on' });
    expect(withIt.status).to.equal(303);
    const user = await User.findOne({ where: { username: fields.username } });
    expect(user!.guardian_confirmed).to.equal(true);
  });

  it('registers someone turning 18 today as an adult, without the statement', async () => {
    const fields = registrationFields({ birth_date: bornYearsAgo(18) });
    expect((await register(visitor(), fields)).status).to.equal(303);
    expect((await User.findOne({ where: { username: fields.username } }))!.guardian_confirmed).to.equal(false);
  });

  it('applies the ages set in the admin settings at registration time', async () => {
    const admin = visitor();
    await loginAsAdmin(admin);
    const saved = await submit(admin, '/admin/settings/core', '/admin/settings/core', { siteName: 'Agora', minimumAge: '13', adultAge: '21' });
    expect(saved.status).to.equal(303);
    try {
      const fourteen = registrationFields({ birth_date: bornYearsAgo(14) });
      const refused = await register(visitor(), fourteen);
      expect(refused.status).to.equal(422);
      expect(refused.text).to.contain('Under 21, a parent or guardian');
      expect((await register(visitor(), { ...fourteen, guardian_confirmed: 'on' })).status).to.equal(303);
      const twenty = registrationFields({ birth_date: bornYearsAgo(20) });
      expect((await register(visitor(), twenty)).status).to.equal(422);
    } finally {
      await submit(admin, '/admin/settings/core', '/admin/settings/core', { siteName: 'Agora', minimumAge: '16', adultAge: '18' });
    }
  });

  it('re-renders the form with a message per field and 422 for bad input, keeping what was typed but not the password', async () => {
    const res = await register(visitor(), { first_name: '', last_name: 'X', username: 'no spaces!', display_name: 'Y', email: 'not-an-email', password: 'abc', birth_date: '2001-02-30' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Enter your first name');
    expect(res.text).to.contain('Use only letters, digits and _');
    expect(res.text).to.contain('Your display name needs at least 2 characters');
    expect(res.text).to.contain('Enter a valid email address');
    expect(res.text).to.contain('Enter your date of birth');
    expect(res.text).to.contain('value="not-an-email"');
    expect(res.text).to.not.contain('value="abc"');
    expect(await User.count({ where: { email: 'not-an-email' } })).to.equal(0);
  });

  it('refuses a common or short password, and one equal to the username', async () => {
    for (const [password, message] of [
      ['password123', 'too common'],
      ['Sunshine2024!', 'too common'],
      ['short', 'at least 10 characters'],
    ]) {
      const fields = registrationFields({ password });
      const res = await register(visitor(), fields);
      expect(res.status, password).to.equal(422);
      expect(res.text).to.contain(message);
      expect(await User.count({ where: { username: fields.username } })).to.equal(0);
    }
    const fields = registrationFields();
    const same = await register(visitor(), { ...fields, username: 'samesame_name', password: 'samesame_name' });
    expect(same.status).to.equal(422);
    expect(same.text).to.contain('cannot be your username');
  });

  it('refuses a taken username, whatever its case', async () => {
    const first = registrationFields();
    expect((await register(visitor(), first)).status).to.equal(303);
    const again = await register(visitor(), registrationFields({ username: first.username.toUpperCase() }));
    expect(again.status).to.equal(422);
    expect(again.text).to.contain('This username is taken');
  });

  it('reports the password, the age and every other field at once', async () => {
    const res = await register(visitor(), registrationFields({ first_name: '', email: 'not-an-email', password: 'password123', birth_date: bornYearsAgo(15) }));
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Enter your first name').and.contain('Enter a valid email address').and.contain('too common').and.contain('You must be at least 16 years old');
    const guardian = await register(visitor(), registrationFields({ last_name: '', password: 'short', birth_date: bornYearsAgo(17) }));
    expect(guardian.text).to.contain('Enter your last name').and.contain('at least 10 characters').and.contain('a parent or guardian must hold the account');
  });

  it('says the age rule once, and names no date format the browser does not show', async () => {
    const young = await register(visitor(), registrationFields({ birth_date: bornYearsAgo(15) }));
    expect(young.status).to.equal(422);
    expect(young.text.match(/at least 16/g)).to.have.length(1);
    const form = await visitor().get('/register').expect(200);
    const wrong = await register(visitor(), registrationFields({ birth_date: '12/04/1990' }));
    expect(wrong.status).to.equal(422);
    for (const html of [form.text, wrong.text]) expect(html).to.not.match(/YYYY|MM-DD/);
    expect(wrong.text).to.contain('Enter your date of birth');
  });

  it('sends a verification email whose link verifies the address, and shows a banner until then', async () => {
    const agent = visitor();
    const fields = registrationFields();
    await register(agent, fields);
    await login(agent, fields.username, fields.password);
    const before = await agent.get('/account');
    expect(before.text).to.contain('is not verified yet');

    const mail = await t.smtp!.waitFor(fields.email, /Verify/);
    const link = linkIn(mail, '/verify-email/');
    const verified = await visitor().get(link).expect(200);
    expect(verified.text).to.contain('is verified');
    const user = await User.findOne({ where: { username: fields.username } });
    expect(user!.email_verified_at).to.be.instanceOf(Date);
    const after = await agent.get('/account');
    expect(after.text).to.not.contain('is not verified yet');

    const tampered = link.slice(0, -3) + (link.endsWith('AAA') ? 'BBB' : 'AAA');
    expect((await visitor().get(tampered)).status).to.equal(400);
  });

  it('resends the verification link from the account page', async () => {
    const agent = visitor();
    const fields = registrationFields();
    await register(agent, fields);
    await t.smtp!.waitFor(fields.email, /Verify/);
    await login(agent, fields.username, fields.password);
    const res = await submit(agent, '/account', '/account/verify/resend', {});
    expect(res.status).to.equal(303);
    await t.platform.jobs.idle();
    const deadline = Date.now() + 5000;
    while (t.smtp!.to(fields.email).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(t.smtp!.to(fields.email).filter((m) => /Verify/.test(m.subject))).to.have.length(2);
  });

  it('fires core.user.registered with the new user', async () => {
    const seen: string[] = [];
    const off = t.platform.hooks.on('test', 'core.user.registered', async (user) => {
      seen.push(user.username);
    });
    try {
      const fields = registrationFields();
      await register(visitor(), fields);
      expect(seen).to.deep.equal([fields.username]);
    } finally {
      off();
    }
  });
});
