import { expect } from 'chai';
import { startTestApp, createUser, login, type TestApp } from '../../helpers/app';
import { User } from '../../../core/auth/user-model';
import { OutboxMessage } from '../../../core/mail/outbox-model';
import { submit } from './support';

describe('closing an account', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: [] });
  });
  after(async () => t.close());

  it('asks for the password and the confirmation, and removes nothing without them', async () => {
    const { user, password } = await createUser();
    const agent = t.agent();
    await login(agent, user.email, password);
    const page = await agent.get('/account/close').expect(200);
    expect(page.text).to.contain('This cannot be undone');

    const wrong = await submit(agent, '/account/close', '/account/close', { password: 'not-the-password', confirm: 'on' });
    expect(wrong.status).to.equal(422);
    expect(wrong.text).to.contain('That is not your password.');
    const unconfirmed = await submit(agent, '/account/close', '/account/close', { password });
    expect(unconfirmed.status).to.equal(422);
    expect(unconfirmed.text).to.contain('Tick the box');
    expect(await User.findByPk(user.id)).to.not.equal(null);
  });

  it("runs the privacy registry's erasers, logs out, and shows what was removed", async () => {
    const { user, password } = await createUser();
    const agent = t.agent();
    await login(agent, user.email, password);
    await t.platform.mailer.send({ to: user.email, subject: 'A message kept in the outbox', template: 'core/mail/email-in-use', data: {} });
    const erased: string[] = [];
    const offEraser = t.platform.privacy.addEraser({
      owner: 'test-plugin',
      name: 'notes',
      covers: {},
      async erasePage(person) {
        erased.push(person.email);
        return { removed: ['3 notes'], anonymized: ['2 public comments'], retained: [{ what: '1 paid order', reason: 'tax law', until: '2031-12-31' }], done: true };
      },
    });
    const deleted: Array<[number, string]> = [];
    const offHook = t.platform.hooks.on('test', 'core.user.deleted', async (id, email) => void deleted.push([id, email]));
    try {
      const res = await submit(agent, '/account/close', '/account/close', { password, confirm: 'on' });
      expect(res.status).to.equal(200);
      expect(res.text).to.contain('Your account is closed');
      expect(res.text).to.contain('the account (name, username, email, date of birth, password)');
      expect(res.text).to.contain('3 notes');
      expect(res.text).to.contain('2 public comments');
      expect(res.text).to.contain('1 paid order, because tax law (until 2031-12-31)');
      expect(res.text).to.contain('Log in');
    } finally {
      offEraser();
      offHook();
    }
    expect(erased).to.deep.equal([user.email]);
    expect(deleted).to.deep.equal([[user.id, user.email]]);
    expect(await User.findByPk(user.id)).to.equal(null);
    expect(await OutboxMessage.count({ where: { to_address: user.email } })).to.equal(0);
    expect((await agent.get('/account')).status).to.equal(302);
    expect((await submit(t.agent(), '/login', '/login', { login: user.email, password })).status).to.equal(401);
  });
});
