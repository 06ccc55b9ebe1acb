import { expect } from 'chai';
import { startTestApp, loginAsAdmin, type TestApp } from '../../helpers/app';
import { User } from '../../../core/auth/user-model';
import { bornYearsAgo, linkIn, register, registrationFields, submit } from './support';

describe('registration', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: [], smtp: true });
  });
  after(async () => t.close());

  it('registers an adult, stores email and username lowercased, and logs them in', async () => {
    const agent = t.agent();
    const fields = registrationFields({ username: 'Grace_Hopper', email: 'Grace.Hopper@Example.TEST', display_name: 'Amazing Grace' });
    const res = await register(agent, fields);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/account');
    const user = await User.findOne({ where: { username: 'grace_hopper' } });
    expect(user).to.not.equal(null);
    expect(user!.email).to.equal('grace.hopper@example.test');
    expect(user!.guardian_confirmed).to.equal(false);
    expect(user!.email_verified_at).to.equal(null);
    expect(user!.password_hash).to.match(/^scrypt\$/);
    const account = await agent.get('/account').expect(200);
    expect(account.text).to.contain('Amazing Grace');
    expect(account.text).to.contain('@grace_hopper');
  });

  it('refuses anyone under the minimum age, and writes nothing', async () => {
    const fields = registrationFields({ birth_date: bornYearsAgo(16, 1) });
    const res = await register(t.agent(), fields);
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('You must be at least 16 years old');
    expect(await User.count({ where: { username: fields.username } })).to.equal(0);
  });

  it('lets a 16 or 17 year old register only with the parent or guardian statement ticked', async () => {
    const fields = registrationFields({ birth_date: bornYearsAgo(16) });
    const without = await register(t.agent(), fields);
    expect(without.status).to.equal(422);
    expect(without.text).to.contain('a parent or guardian must hold the account');
    expect(await User.count({ where: { username: fields.username } })).to.equal(0);

    const withIt = await register(t.agent(), { ...fields, guardian_confirmed: 'on' });
    expect(withIt.status).to.equal(303);
    const user = await User.findOne({ where: { username: fields.username } });
    expect(user!.guardian_confirmed).to.equal(true);
  });

  it('registers someone turning 18 today as an adult, without the statement', async () => {
    const fields = registrationFields({ birth_date: bornYearsAgo(18) });
    expect((await register(t.agent(), fields)).status).to.equal(303);
    expect((await User.findOne({ where: { username: fields.username } }))!.guardian_confirmed).to.equal(false);
  });

  it('applies the ages set in the admin settings at registration time', async () => {
    const admin = t.agent();
    await loginAsAdmin(admin);
    const saved = await submit(admin, '/admin/settings/core', '/admin/settings/core', { siteName: 'Agora', minimumAge: '13', adultAge: '21' });
    expect(saved.status).to.equal(303);
    try {
      const fourteen = registrationFields({ birth_date: bornYearsAgo(14) });
      const refused = await register(t.agent(), fourteen);
      expect(refused.status).to.equal(422);
      expect(refused.text).to.contain('Under 21, a parent or guardian');
      expect((await register(t.agent(), { ...fourteen, guardian_confirmed: 'on' })).status).to.equal(303);
      const twenty = registrationFields({ birth_date: bornYearsAgo(20) });
      expect((await register(t.agent(), twenty)).status).to.equal(422);
    } finally {
      await submit(admin, '/admin/settings/core', '/admin/settings/core', { siteName: 'Agora', minimumAge: '16', adultAge: '18' });
    }
  });

  it('re-renders the form with a message per field and 422 for bad input, keeping what was typed but not the password', async () => {
    const res = await register(t.agent(), { first_name: '', last_name: 'X', username: 'no spaces!', display_name: 'Y', email: 'not-an-email', password: 'abc', birth_date: '2001-02-30' });
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
      const res = await register(t.agent(), fields);
      expect(res.status, password).to.equal(422);
      expect(res.text).to.contain(message);
      expect(await User.count({ where: { username: fields.username } })).to.equal(0);
    }
    const fields = registrationFields();
    const same = await register(t.agent(), { ...fields, username: 'samesame_name', password: 'samesame_name' });
    expect(same.status).to.equal(422);
    expect(same.text).to.contain('cannot be your username');
  });

  it('refuses a taken username or email, whatever their case', async () => {
    const first = registrationFields();
    expect((await register(t.agent(), first)).status).to.equal(303);
    const again = await register(t.agent(), registrationFields({ username: first.username.toUpperCase() }));
    expect(again.status).to.equal(422);
    expect(again.text).to.contain('This username is taken');
    const sameEmail = await register(t.agent(), registrationFields({ email: first.email.toUpperCase() }));
    expect(sameEmail.status).to.equal(422);
    expect(sameEmail.text).to.contain('already exists');
  });

  it('sends a verification email whose link verifies the address, and shows a banner until then', async () => {
    const agent = t.agent();
    const fields = registrationFields();
    await register(agent, fields);
    const before = await agent.get('/account');
    expect(before.text).to.contain('is not verified yet');

    const mail = await t.smtp!.waitFor(fields.email, /Verify/);
    const link = linkIn(mail, '/verify-email/');
    const verified = await t.agent().get(link).expect(200);
    expect(verified.text).to.contain('is verified');
    const user = await User.findOne({ where: { username: fields.username } });
    expect(user!.email_verified_at).to.be.instanceOf(Date);
    const after = await agent.get('/account');
    expect(after.text).to.not.contain('is not verified yet');

    const tampered = link.slice(0, -3) + (link.endsWith('AAA') ? 'BBB' : 'AAA');
    expect((await t.agent().get(tampered)).status).to.equal(400);
  });

  it('resends the verification link from the account page', async () => {
    const agent = t.agent();
    const fields = registrationFields();
    await register(agent, fields);
    await t.smtp!.waitFor(fields.email, /Verify/);
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
      await register(t.agent(), fields);
      expect(seen).to.deep.equal([fields.username]);
    } finally {
      off();
    }
  });
});
