import { expect } from 'chai';
import type supertest from 'supertest';
import { startTestApp, loginAsAdmin, createUser, login, type TestApp } from '../helpers/app';

const thanks = (to: string, name: string) => ({ to, subject: 'Thanks for your greeting', template: 'hello/mail-thanks', data: { name } });

describe('mail', () => {
  describe('with SMTP_URL set', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp({ plugins: ['hello'], fixtures: true, smtp: true });
    });
    after(async () => t.close());

    it('delivers a message sent with platform.mailer.send to the SMTP server, with subject, text and html', async () => {
      const id = await t.platform.mailer.send(thanks('dana@example.test', 'Dana <b>D</b>'));
      const mail = await t.smtp!.waitFor('dana@example.test', /Thanks for your greeting/);
      expect(mail.subject).to.equal('Thanks for your greeting');
      expect(mail.from).to.equal('no-reply@agora.local');
      expect(mail.text).to.contain('Dear Dana <b>D</b>,').and.to.contain('thank you for the greeting you left on Agora.');
      expect(mail.text, 'the layout footer names the site').to.contain('This message was sent by Agora');
      expect(mail.html).to.contain('Dear Dana &lt;b&gt;D&lt;/b&gt;,');
      await t.platform.jobs.idle();
      const [row] = await t.platform.mailer.list(1, 0, id);
      expect(row.status).to.equal('sent');
      expect(row.sent_at).to.be.instanceOf(Date);
    });

    it('lets listeners of core.email.subject shape the subject', async () => {
      const dispose = t.platform.hooks.filter('hello', 'core.email.subject', (subject) => `[Agora] ${subject}`);
      try {
        await t.platform.mailer.send(thanks('eli@example.test', 'Eli'));
        const mail = await t.smtp!.waitFor('eli@example.test');
        expect(mail.subject).to.equal('[Agora] Thanks for your greeting');
      } finally {
        dispose();
      }
    });
  });

  describe('when the SMTP server cannot be reached', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp({ plugins: ['hello'], fixtures: true, env: { SMTP_URL: 'smtp://127.0.0.1:9' } });
    });
    after(async () => t.close());

    it('keeps the message in the outbox as failed, with the error, for the job to retry', async () => {
      const id = await t.platform.mailer.send(thanks('fay@example.test', 'Fay'));
      const deadline = Date.now() + 10_000;
      let row = (await t.platform.mailer.list(1, 0, id))[0];
      while (row.status === 'queued' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 25));
        row = (await t.platform.mailer.list(1, 0, id))[0];
      }
      expect(row.status).to.equal('failed');
      expect(row.error).to.match(/ECONNREFUSED|connect/i);
      const admin = t.agent();
      await loginAsAdmin(admin);
      const page = await admin.get(`/admin/outbox/${id}`).expect(200);
      expect(page.text).to.contain('To fay@example.test · failed').and.to.match(/Delivery failed: [^<]*(ECONNREFUSED|connect)/i);
    });
  });

  describe('without SMTP_URL', () => {
    let t: TestApp;
    let admin: supertest.Agent;
    before(async () => {
      t = await startTestApp({ plugins: ['hello'], fixtures: true });
      admin = t.agent();
      await loginAsAdmin(admin);
    });
    after(async () => t.close());

    it('keeps the message in the outbox, where the admin reads it at /admin/outbox', async () => {
      const id = await t.platform.mailer.send(thanks('gus@example.test', 'Gus'));
      await t.platform.jobs.idle();
      const [row] = await t.platform.mailer.list(1, 0, id);
      expect(row.status).to.equal('kept');

      const outbox = await admin.get('/admin/outbox').expect(200);
      expect(outbox.text).to.contain('No SMTP_URL is set: mail is kept here instead of being sent.');
      expect(outbox.text).to.contain('gus@example.test');
      expect(outbox.text).to.contain(`<a href="/admin/outbox/${id}">Thanks for your greeting</a>`);
      expect(outbox.text).to.match(new RegExp(`<td>${id}</td><td>gus@example.test</td>[\\s\\S]*?<td>kept</td>`));

      const message = await admin.get(`/admin/outbox/${id}`).expect(200);
      expect(message.text).to.contain('Dear Gus,').and.to.contain('To gus@example.test · kept');
      await admin.get('/admin/outbox/999999').expect(404);
      await admin.get('/admin/outbox/not-a-number').expect(404);
    });

    it('shows the outbox to admins only', async () => {
      const { user, password } = await createUser({ role: 'moderator' });
      const moderator = t.agent();
      await login(moderator, user.email, password);
      await moderator.get('/admin/outbox').expect(403);
      await t.agent().get('/admin/outbox').expect(302);
    });
  });
});
