import { expect } from 'chai';
import { startTestApp, createUser, csrfFrom, login, tokenFor, type TestApp } from '../../../helpers/app';
import { signToken } from '../../../../core/http/signed-tokens';
import { NewsletterEvent, NewsletterSubscriber } from '../../../../plugins/newsletter/models';
import { addressHash } from '../../../../plugins/newsletter/services/addresses';
import { confirmWith, linkIn, saveSettings, signup } from '../helpers';

describe('newsletter: double opt-in signup', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['newsletter'], smtp: true, env: { TRUST_PROXY: '1' } });
  });
  after(async () => t.close());

  it('shows the form at /newsletter and in the footer of other pages', async () => {
    const page = await t.agent().get('/newsletter');
    expect(page.status).to.equal(200);
    expect(page.text).to.include('action="/newsletter"').and.include('name="email"');
    const home = await t.agent().get('/');
    expect(home.text).to.include('newsletter-footer-form').and.include('name="source" value="footer"');
    expect(home.text).to.include('<a href="/newsletter">Newsletter</a>');
  });

  it('refuses a bad address with 422 and the message on the same page, writing nothing', async () => {
    const res = await signup(t.agent(), 'not-an-address');
    expect(res.status).to.equal(422);
    expect(res.text).to.include('Enter a valid email address');
    expect(res.text).to.include('value="not-an-address"');
    expect(await NewsletterSubscriber.count({ where: { email: 'not-an-address' } })).to.equal(0);
  });

  it('sends a signed confirmation link; only following it (with the button) confirms, and the record says how and from where', async () => {
    const agent = t.agent();
    const res = await signup(agent, 'Ada@Example.test', {}, '203.0.113.7');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/newsletter/sent');
    expect((await agent.get('/newsletter/sent')).text).to.include('Check your inbox');

    const pending = (await NewsletterSubscriber.findOne({ where: { email: 'ada@example.test' } }))!;
    expect(pending.status).to.equal('pending');
    expect(pending.source).to.equal('page');

    const mail = await t.smtp!.waitFor('ada@example.test', /Confirm your subscription/);
    const link = linkIn(mail, '/newsletter/confirm');
    // Opening the link alone (a mail scanner) confirms nothing.
    const opened = await agent.get(link);
    expect(opened.text).to.include('Yes, subscribe me');
    expect((await pending.reload()).status).to.equal('pending');

    const done = await confirmWith(agent, link);
    expect(done.status).to.equal(200);
    expect(done.text).to.include('You are subscribed');
    await pending.reload();
    expect(pending.status).to.equal('confirmed');
    expect(pending.confirmed_at).to.be.instanceOf(Date);

    const events = await NewsletterEvent.findAll({ where: { subscriber_id: pending.id }, order: [['id', 'ASC']] });
    expect(events.map((e) => [e.kind, e.how])).to.deep.equal([
      ['subscribed', 'signup form at /newsletter'],
      ['confirmed', 'confirmation link'],
    ]);
    expect(events[0].ip).to.equal('203.0.113.7');
  });

  it('uses a link once: a second confirmation changes nothing, and a newer link replaces an older one', async () => {
    const agent = t.agent();
    await signup(agent, 'twice@example.test');
    const first = linkIn(await t.smtp!.waitFor('twice@example.test'), '/newsletter/confirm');
    t.smtp!.clear();
    await signup(agent, 'twice@example.test');
    const second = linkIn(await t.smtp!.waitFor('twice@example.test'), '/newsletter/confirm');
    const old = await agent.get(first);
    expect(old.status).to.equal(409);
    expect(old.text).to.include('cannot be used any more');
    expect((await confirmWith(agent, second)).status).to.equal(200);
    const token = new URL(`http://x${second}`).searchParams.get('token')!;
    const again = await agent.post('/newsletter/confirm').type('form').send({ _csrf: await tokenFor(agent, '/newsletter'), token });
    expect(again.text).to.include('already confirmed');
    const subscriber = (await NewsletterSubscriber.findOne({ where: { email: 'twice@example.test' } }))!;
    expect(await NewsletterEvent.count({ where: { subscriber_id: subscriber.id, kind: 'confirmed' } })).to.equal(1);
  });

  it('confirms once when the button is pressed twice at once', async () => {
    const agent = t.agent();
    await signup(agent, 'double@example.test');
    const link = linkIn(await t.smtp!.waitFor('double@example.test'), '/newsletter/confirm');
    const page = await agent.get(link);
    const token = new URL(`http://x${link}`).searchParams.get('token')!;
    const press = () => agent.post('/newsletter/confirm').type('form').send({ _csrf: csrfFrom(page.text), token });
    const answers = await Promise.all([press(), press()]);
    expect(answers.map((r) => r.status)).to.deep.equal([200, 200]);
    const subscriber = (await NewsletterSubscriber.findOne({ where: { email: 'double@example.test' } }))!;
    expect(subscriber.status).to.equal('confirmed');
    expect(await NewsletterEvent.count({ where: { subscriber_id: subscriber.id, kind: 'confirmed' } })).to.equal(1);
  });

  it('refuses an expired link with a clear page (410) that offers a new one, and a tampered link with 400', async () => {
    const agent = t.agent();
    await signup(agent, 'late@example.test');
    const subscriber = (await NewsletterSubscriber.findOne({ where: { email: 'late@example.test' } }))!;
    const expired = signToken(t.config.sessionSecret, 'newsletter.confirm', { s: subscriber.id, n: subscriber.confirm_nonce! }, { ttlMs: 1000, now: Date.now() - 60_000 });
    const page = await agent.get(`/newsletter/confirm?token=${expired}`);
    expect(page.status).to.equal(410);
    expect(page.text).to.include('This link has expired').and.include('Send me a new link');
    const post = await agent.post('/newsletter/confirm').type('form').send({ _csrf: csrfFrom(page.text), token: expired });
    expect(post.status).to.equal(410);
    expect((await subscriber.reload()).status).to.equal('pending');

    const good = linkIn(await t.smtp!.waitFor('late@example.test'), '/newsletter/confirm');
    const token = new URL(`http://x${good}`).searchParams.get('token')!;
    const [payload, sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), s: subscriber.id + 1 })).toString('base64url');
    const tampered = await agent.get(`/newsletter/confirm?token=${forged}.${sig}`);
    expect(tampered.status).to.equal(400);
    expect(tampered.text).to.include('This link cannot be used');
  });

  it('answers the same for an address already subscribed, and mails it nothing (no enumeration)', async () => {
    const agent = t.agent();
    const res = await signup(agent, 'ada@example.test');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/newsletter/sent');
    t.smtp!.clear();
    await t.platform.jobs.idle();
    expect(t.smtp!.to('ada@example.test')).to.have.length(0);
  });

  it('writes one subscription and sends one link for two identical requests at once', async () => {
    const agent = t.agent();
    const page = await agent.get('/newsletter');
    const token = csrfFrom(page.text);
    const send = () => agent.post('/newsletter').type('form').send({ _csrf: token, email: 'race@example.test', source: 'footer' });
    const answers = await Promise.all([send(), send()]);
    expect(answers.map((r) => r.status)).to.deep.equal([303, 303]);
    expect(await NewsletterSubscriber.count({ where: { email: 'race@example.test' } })).to.equal(1);
    await t.platform.jobs.idle();
    const subscriber = (await NewsletterSubscriber.findOne({ where: { email: 'race@example.test' } }))!;
    expect(subscriber.source).to.equal('footer');
    // One link per request that did the work: at most one 'subscribed', and the newest link is the only live one.
    expect(await NewsletterEvent.count({ where: { subscriber_id: subscriber.id, kind: 'subscribed' } })).to.equal(1);
  });

  it('ignores a bot that fills the hidden field, answering as usual', async () => {
    const res = await signup(t.agent(), 'bot@example.test', { website: 'http://spam.example' });
    expect(res.status).to.equal(303);
    expect(await NewsletterSubscriber.count({ where: { email: 'bot@example.test' } })).to.equal(0);
  });

  it('limits signups per address (a setting) with 429', async () => {
    await saveSettings(t, { signupLimitPerHour: 2 });
    const ip = '198.51.100.77';
    const agent = t.agent();
    expect((await signup(agent, 'limit1@example.test', {}, ip)).status).to.equal(303);
    expect((await signup(agent, 'limit2@example.test', {}, ip)).status).to.equal(303);
    const refused = await signup(agent, 'limit3@example.test', {}, ip);
    expect(refused.status).to.equal(429);
    expect(refused.text).to.include('Too many attempts');
    expect(await NewsletterSubscriber.count({ where: { email: 'limit3@example.test' } })).to.equal(0);
  });

  it('offers a box on the registration form that starts the double opt-in for the new account', async () => {
    const agent = t.agent();
    const page = await agent.get('/register');
    expect(page.text).to.include('name="newsletter_subscribe"');
    const res = await agent.post('/register').type('form').send({
      _csrf: csrfFrom(page.text),
      first_name: 'Grace',
      last_name: 'Hopper',
      username: 'gracehopper',
      display_name: 'Grace',
      email: 'grace@example.test',
      password: 'a long enough password 123',
      birth_date: '1990-05-05',
      newsletter_subscribe: 'on',
    });
    expect(res.status, res.text).to.equal(303);
    const subscriber = (await NewsletterSubscriber.findOne({ where: { email: 'grace@example.test' } }))!;
    expect(subscriber.status).to.equal('pending');
    expect(subscriber.source).to.equal('register');
    expect(subscriber.user_id).to.be.a('number');
    await t.smtp!.waitFor('grace@example.test', /Confirm your subscription/);
  });

  it('shows the subscription on the account page; unticking it unsubscribes, ticking it sends a new link', async () => {
    const { user, password } = await createUser({ email: 'member@example.test' });
    const agent = t.agent();
    await login(agent, user.email, password);
    let page = await agent.get('/account');
    expect(page.text).to.include('name="newsletter_subscribe"');
    expect(page.text).to.not.match(/name="newsletter_subscribe" value="on" checked/);
    const profile = { first_name: 'Test', last_name: 'Member', display_name: user.display_name, email: user.email };
    let res = await agent.post('/account').type('form').send({ _csrf: csrfFrom(page.text), ...profile, newsletter_subscribe: 'on' });
    expect(res.status, res.text).to.equal(303);
    const link = linkIn(await t.smtp!.waitFor('member@example.test', /Confirm your subscription/), '/newsletter/confirm');
    expect((await confirmWith(agent, link)).status).to.equal(200);
    page = await agent.get('/account');
    expect(page.text).to.match(/name="newsletter_subscribe" value="on" checked/);
    res = await agent.post('/account').type('form').send({ _csrf: csrfFrom(page.text), ...profile });
    expect(res.status).to.equal(303);
    const subscriber = (await NewsletterSubscriber.findOne({ where: { email_hash: addressHash('member@example.test') } }))!;
    expect(subscriber.status).to.equal('unsubscribed');
    expect(subscriber.email).to.equal(null);
    const last = await NewsletterEvent.findOne({ where: { subscriber_id: subscriber.id }, order: [['id', 'DESC']] });
    expect([last!.kind, last!.how]).to.deep.equal(['unsubscribed', 'box on the account page']);
  });
});
