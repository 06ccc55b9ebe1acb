import { expect } from 'chai';
import { DataTypes, QueryTypes } from 'sequelize';
import type supertest from 'supertest';
import { z } from 'zod';
import { createUser, csrfFrom, startTestApp, tokenFor, type TestApp } from '../../helpers/app';
import { FormSectionError } from '../../../core/forms/section-error';
import { fragment } from '../../../core/forms/fragment';
import type { Disposer } from '../../../core/hooks';

/** Sends the login form and returns the answer (not following the redirect). */
async function postLogin(agent: supertest.Agent, login: string, password: string, next: string): Promise<supertest.Response> {
  const token = await tokenFor(agent, `/login?next=${encodeURIComponent(next)}`);
  return agent.post('/login').type('form').send({ _csrf: token, login, password, next });
}

describe('form sections: core.login.after (the gate after login)', function () {
  this.timeout(60_000);
  let t: TestApp;
  let dispose: Disposer;
  /** Whom the terms apply to: every user in this set who has not accepted version 2 yet. */
  const asked = new Set<number>();
  let refuseNext = false;

  const accepted = async (userId: number) =>
    (await t.platform.sequelize.query('SELECT user_id FROM gate_terms WHERE user_id = :userId', { type: QueryTypes.SELECT, replacements: { userId } })).length > 0;

  before(async () => {
    // hello has a public file (hello.js) and a route under /plugins/hello/ (greetings.json).
    t = await startTestApp({ plugins: ['hello'], fixtures: true });
    await t.platform.sequelize.getQueryInterface().createTable('gate_terms', { user_id: { type: DataTypes.INTEGER, primaryKey: true }, accepted_at: { type: DataTypes.DATE, allowNull: false } });
    // What gdpr's re-consent does: applies to users who have not accepted the current terms; commit records it.
    dispose = t.platform.forms.extend('terms', 'core.login.after', {
      schema: z.object({ terms_accept: z.literal('on', 'Accept the new terms to continue') }),
      applies: async ({ user }) => asked.has(user.id) && !(await accepted(user.id)),
      render: ({ values, errors }) =>
        fragment`<label><input type="checkbox" name="terms_accept" value="on"${values.terms_accept === 'on' ? ' checked' : ''}> I accept the terms of version 2</label>${errors.terms_accept ? fragment`<p class="error">${errors.terms_accept}</p>` : ''}`,
      async commit(tx, _data, _req, { user }) {
        await t.platform.sequelize.query('INSERT INTO gate_terms (user_id, accepted_at) VALUES (:userId, :now)', { replacements: { userId: user.id, now: new Date() }, transaction: tx });
        if (refuseNext) throw new FormSectionError('The terms changed again a moment ago; read them and accept once more.', 'terms_accept');
      },
    });
  });
  after(async () => {
    dispose();
    await t.close();
  });

  it('lets a user to whom no extension applies go straight on', async () => {
    const { user, password } = await createUser();
    const agent = t.agent();
    const res = await postLogin(agent, user.email, password, '/account');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/account');
    await agent.get('/account').expect(200);
  });

  it('sends a user to whom it applies to the gate, holds them there, and goes on to next once it is sent', async () => {
    const { user, password } = await createUser();
    asked.add(user.id);
    const agent = t.agent();
    const res = await postLogin(agent, user.username, password, '/account');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/login/continue');

    // Every other page sends them back to the gate; they are logged in all the same.
    for (const path of ['/account', '/', '/admin', '/register']) {
      const held = await agent.get(path);
      expect(held.status, path).to.equal(303);
      expect(held.headers.location, path).to.equal('/login/continue');
    }
    // Plugins' public files still load (the gate page may need them): only files that exist in an active
    // plugin's public folder; a plugin's route under /plugins/<name>/, a missing file or traversal get the gate.
    const script = await agent.get('/plugins/hello/hello.js');
    expect(script.status).to.equal(200);
    expect(script.text).to.contain('hello');
    for (const path of ['/plugins/hello/greetings.json', '/plugins/hello/missing.js', '/plugins/nobody/app.js', '/plugins/hello/..%2Findex.ts', '/plugins/hello/']) {
      const held = await agent.get(path);
      expect(held.status, path).to.equal(303);
      expect(held.headers.location, path).to.equal('/login/continue');
    }
    const gate = await agent.get('/login/continue').expect(200);
    expect(gate.text).to.contain('I accept the terms of version 2').and.contain('Before you go on');
    const token = csrfFrom(gate.text);

    // Sent without the box: 422, the message, still held, nothing stored.
    const refused = await agent.post('/login/continue').type('form').send({ _csrf: token });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('Accept the new terms to continue');
    expect(await accepted(user.id)).to.equal(false);
    expect((await agent.get('/account')).headers.location).to.equal('/login/continue');

    const sent = await agent.post('/login/continue').type('form').send({ _csrf: token, terms_accept: 'on' });
    expect(sent.status).to.equal(303);
    expect(sent.headers.location).to.equal('/account');
    expect(await accepted(user.id)).to.equal(true);
    const account = await agent.get('/account').expect(200);
    expect(account.text).to.contain(`@${user.username}`);

    // Next time, nothing applies any more.
    const again = t.agent();
    expect((await postLogin(again, user.email, password, '/account')).headers.location).to.equal('/account');
  });

  it('rolls back and shows the message when a commit refuses, and keeps holding', async () => {
    const { user, password } = await createUser();
    asked.add(user.id);
    const agent = t.agent();
    await postLogin(agent, user.email, password, '/account');
    const token = csrfFrom((await agent.get('/login/continue').expect(200)).text);
    refuseNext = true;
    try {
      const res = await agent.post('/login/continue').type('form').send({ _csrf: token, terms_accept: 'on' });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('The terms changed again a moment ago');
      expect(res.text).to.contain('value="on" checked');
    } finally {
      refuseNext = false;
    }
    expect(await accepted(user.id)).to.equal(false);
    expect((await agent.get('/account')).headers.location).to.equal('/login/continue');
  });

  it('lets a held person log out, and the gate does not outlive the session', async () => {
    const { user, password } = await createUser();
    asked.add(user.id);
    const agent = t.agent();
    await postLogin(agent, user.email, password, '/account');
    const token = csrfFrom((await agent.get('/login/continue')).text);
    const out = await agent.post('/logout').type('form').send({ _csrf: token });
    expect(out.status).to.equal(303);
    expect(out.headers.location).to.equal('/');
    await agent.get('/').expect(200);
    expect((await agent.get('/login/continue')).headers.location).to.equal('/login');
  });

  it('opens the gate when the extension no longer applies (its plugin was deactivated meanwhile)', async () => {
    const { user, password } = await createUser();
    asked.add(user.id);
    const agent = t.agent();
    await postLogin(agent, user.email, password, '/account');
    asked.delete(user.id);
    const res = await agent.get('/login/continue');
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal('/account');
    await agent.get('/account').expect(200);
  });
});
