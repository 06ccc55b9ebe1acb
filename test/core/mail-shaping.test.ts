import { expect } from 'chai';
import type supertest from 'supertest';
import { startTestApp, loginAsAdmin, tokenFor, type TestApp } from '../helpers/app';
import { OutboxMessage } from '../../core/mail/outbox-model';
import { cancelMail, type MailCategory, type MailMessage } from '@agora/core';

const UNSUBSCRIBE = { 'List-Unsubscribe': '<https://agora.test/newsletter/unsubscribe?t=abc123>, <mailto:unsubscribe@agora.test>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
const mail = (to: string, fields: Partial<MailMessage> = {}): MailMessage => ({ to, subject: 'Thanks for your greeting', template: 'hello/mail-thanks', data: { name: 'Reader' }, ...fields });
const row = async (id: number) => (await OutboxMessage.findByPk(id, { rejectOnEmpty: true })).reload();

describe('mail that plugins can shape and stop', () => {
  describe('with SMTP', () => {
    let t: TestApp;
    let admin: supertest.Agent;
    before(async () => {
      t = await startTestApp({ plugins: ['hello'], fixtures: true, smtp: true });
      admin = t.agent();
      await loginAsAdmin(admin);
    });
    after(async () => t.close());

    it('sends the headers a message carries (List-Unsubscribe, List-Unsubscribe-Post) to the SMTP server, and keeps them in the outbox', async () => {
      const id = await t.platform.mailer.send(mail('hana@example.test', { headers: UNSUBSCRIBE, category: 'marketing', userId: 42 }));
      const received = await t.smtp!.waitFor('hana@example.test');
      expect(received.headers['list-unsubscribe']).to.equal(UNSUBSCRIBE['List-Unsubscribe']);
      expect(received.headers['list-unsubscribe-post']).to.equal('List-Unsubscribe=One-Click');
      await t.platform.jobs.idle();
      const stored = await row(id);
      expect(stored.status).to.equal('sent');
      expect(stored.category).to.equal('marketing');
      expect(stored.user_id).to.equal(42);
      expect(stored.headerMap()).to.deep.equal(UNSUBSCRIBE);
    });

    it('writes both RFC 8058 headers from the unsubscribe option, and refuses an address that is not http(s)', async () => {
      const id = await t.platform.mailer.send(mail('kim@example.test', { unsubscribe: { url: 'https://agora.test/x/one-click?t=abc', mailto: 'leave@agora.test' }, category: 'marketing' }));
      const received = await t.smtp!.waitFor('kim@example.test');
      expect(received.headers['list-unsubscribe']).to.equal('<https://agora.test/x/one-click?t=abc>, <mailto:leave@agora.test>');
      expect(received.headers['list-unsubscribe-post']).to.equal('List-Unsubscribe=One-Click');
      expect((await row(id)).headerMap()['List-Unsubscribe-Post']).to.equal('List-Unsubscribe=One-Click');
      let refused: unknown;
      await t.platform.mailer.send(mail('lea@example.test', { unsubscribe: { url: 'javascript:alert(1)' } })).catch((e: unknown) => (refused = e));
      expect(refused).to.be.instanceOf(TypeError);
    });

    it("lets the example plugin's core.email.message filter add one-click unsubscribe headers to marketing mail only", async () => {
      await t.platform.mailer.send(mail('ivo@example.test', { category: 'marketing' }));
      await t.platform.mailer.send(mail('jan@example.test'));
      const marketing = await t.smtp!.waitFor('ivo@example.test');
      const transactional = await t.smtp!.waitFor('jan@example.test');
      expect(marketing.headers['list-unsubscribe']).to.equal('<http://agora.test/hello/unsubscribe?email=ivo%40example.test>');
      expect(marketing.headers['list-unsubscribe-post']).to.equal('List-Unsubscribe=One-Click');
      expect(transactional.headers).to.not.have.property('list-unsubscribe');
    });

    it('never delivers a message a filter cancelled, and records it in the outbox as cancelled, with why and by which plugin', async () => {
      t.smtp!.clear();
      const id = await t.platform.mailer.send(mail('nobody@example.invalid', { category: 'marketing' }));
      // A message sent after it arrives; had the cancelled one been handed to SMTP, it would have arrived first.
      await t.platform.mailer.send(mail('after@example.test'));
      await t.smtp!.waitFor('after@example.test');
      await t.platform.jobs.idle();
      expect(t.smtp!.to('nobody@example.invalid')).to.deep.equal([]);
      const stored = await row(id);
      expect(stored.status).to.equal('cancelled');
      expect(stored.cancel_reason).to.equal('the address is on the suppression list (.invalid)');
      expect(stored.cancelled_by).to.equal('hello');
      expect(stored.sent_at).to.equal(null);
      expect(stored.html_body, 'nothing of a stopped message is kept beyond its envelope').to.equal(null);

      const outbox = await admin.get('/admin/outbox').expect(200);
      expect(outbox.text).to.match(new RegExp(`<td>${id}</td><td>nobody@example.invalid</td>[\\s\\S]*?<td>marketing</td><td>cancelled <span class="small muted">by hello: the address is on the suppression list \\(.invalid\\)</span></td>`));
      const page = await admin.get(`/admin/outbox/${id}`).expect(200);
      expect(page.text).to.contain('Cancelled by hello: the address is on the suppression list (.invalid). This message was never sent.');
    });

    it('shows the filter the category (transactional by default, or marketing) and the recipient, and lets it change the message', async () => {
      const seen: Array<{ to: string; category: MailCategory; userId?: number }> = [];
      const dispose = t.platform.hooks.filter('probe', 'core.email.message', (message) => {
        seen.push({ to: message.to, category: message.category, userId: message.userId });
        return { ...message, subject: `${message.subject} (${message.category})`, headers: { ...message.headers, 'X-Probe': message.category } };
      });
      try {
        await t.platform.mailer.send(mail('kim@example.test', { userId: 7 }));
        await t.platform.mailer.send(mail('lou@example.test', { category: 'marketing' }));
        const kim = await t.smtp!.waitFor('kim@example.test');
        const lou = await t.smtp!.waitFor('lou@example.test');
        expect(seen).to.deep.include({ to: 'kim@example.test', category: 'transactional', userId: 7 });
        expect(seen).to.deep.include({ to: 'lou@example.test', category: 'marketing', userId: undefined });
        expect(kim.subject).to.equal('Thanks for your greeting (transactional)');
        expect(lou.subject).to.equal('Thanks for your greeting (marketing)');
        expect(kim.headers['x-probe']).to.equal('transactional');
      } finally {
        dispose();
      }
    });

    it('cancels through cancelMail from any listener; the old core.email.subject filter still shapes what is sent', async () => {
      const stop = t.platform.hooks.filter('probe', 'core.email.message', (message) => (message.to.startsWith('objector@') ? cancelMail(message, 'objected to marketing') : message));
      const prefix = t.platform.hooks.filter('probe', 'core.email.subject', (subject) => `[Agora] ${subject}`);
      try {
        const id = await t.platform.mailer.send(mail('objector@example.test', { category: 'marketing' }));
        await t.platform.mailer.send(mail('mo@example.test'));
        expect((await t.smtp!.waitFor('mo@example.test')).subject).to.equal('[Agora] Thanks for your greeting');
        await t.platform.jobs.idle();
        expect(t.smtp!.to('objector@example.test')).to.deep.equal([]);
        const stored = await row(id);
        expect([stored.status, stored.cancel_reason]).to.deep.equal(['cancelled', 'objected to marketing']);
      } finally {
        stop();
        prefix();
      }
    });

    it('refuses a header that would inject another (a line break) or one core sets itself, writing nothing', async () => {
      const before = await OutboxMessage.count();
      let error: unknown;
      try {
        await t.platform.mailer.send(mail('x@example.test', { headers: { 'List-Unsubscribe': '<https://a.test>\r\nBcc: victim@example.test' } }));
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(TypeError);
      expect(String(error)).to.contain('A header value is one line');
      await t.platform.mailer.send(mail('x@example.test', { headers: { Bcc: 'victim@example.test' } })).then(
        () => expect.fail('a Bcc header was accepted'),
        (e: Error) => expect(e.message).to.contain('This header is set by core'),
      );
      expect(await OutboxMessage.count()).to.equal(before);
    });

    it('keeps as failed, never sent, a message a listener broke (an invalid header added by a filter)', async () => {
      const dispose = t.platform.hooks.filter('probe', 'core.email.message', (message) => ({ ...message, headers: { ...message.headers, 'Reply-To': 'a@b.test\nBcc: c@d.test' } }));
      try {
        const id = await t.platform.mailer.send(mail('broken@example.test'));
        await t.platform.jobs.idle();
        const stored = await row(id);
        expect(stored.status).to.equal('failed');
        expect(stored.error).to.contain('A header value is one line');
        expect(t.smtp!.to('broken@example.test')).to.deep.equal([]);
      } finally {
        dispose();
      }
    });

    it("shows a message's category, recipient account and headers on its outbox page", async () => {
      const id = await t.platform.mailer.send(mail('nia@example.test', { headers: UNSUBSCRIBE, category: 'marketing', userId: 9 }));
      await t.smtp!.waitFor('nia@example.test');
      const page = await admin.get(`/admin/outbox/${id}`).expect(200);
      expect(page.text).to.contain('<dt>Category</dt><dd>marketing</dd>').and.to.contain('user #9');
      expect(page.text).to.contain('<tr><th scope="row">List-Unsubscribe-Post</th><td><code>List-Unsubscribe=One-Click</code></td></tr>');
      expect(page.text).to.contain('&lt;https://agora.test/newsletter/unsubscribe?t=abc123&gt;');
    });
  });

  describe('the mail layout', () => {
    let t: TestApp;
    let admin: supertest.Agent;
    before(async () => {
      t = await startTestApp({ plugins: ['hello'], fixtures: true, smtp: true });
      admin = t.agent();
      await loginAsAdmin(admin);
    });
    after(async () => t.close());

    const saveGeneral = async (fields: Record<string, string>) => {
      const token = await tokenFor(admin, '/admin/settings/core');
      return admin.post('/admin/settings/core').type('form').send({ _csrf: token, siteName: 'Agora', minimumAge: '16', adultAge: '18', ...fields });
    };

    it("shows the store's name, logo, postal address and policy links from the General settings", async () => {
      const saved = await saveGeneral({
        siteName: 'Harbour Market',
        storeAddress: 'Harbour Market Ltd\n1 Quay Street\nBristol BS1 4DJ',
        logoUrl: '/assets/logo.png',
        termsUrl: '/privacy/policies/terms',
        privacyUrl: 'https://legal.example.test/privacy',
      });
      expect(saved.status).to.equal(303);
      await t.platform.mailer.send(mail('owen@example.test'));
      const received = await t.smtp!.waitFor('owen@example.test');
      expect(received.html).to.contain('<img src="http://agora.test/assets/logo.png" alt="Harbour Market"');
      expect(received.html).to.contain('This message was sent by Harbour Market');
      expect(received.html).to.contain('<p class="mail-address">Harbour Market Ltd<br>1 Quay Street<br>Bristol BS1 4DJ</p>');
      expect(received.html).to.contain('<a href="http://agora.test/privacy/policies/terms">Terms</a> · <a href="https://legal.example.test/privacy">Privacy policy</a>');
      expect(received.text).to.contain('Bristol BS1 4DJ').and.to.contain('Dear Reader,');
    });

    it('refuses a logo or policy link that is not a web address, with 422 and the message on the form', async () => {
      const res = await saveGeneral({ logoUrl: 'javascript:alert(1)', termsUrl: '//evil.test/x' });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('Enter an https:// address or a path on this site');
      const settings = t.platform.settings.get<{ logoUrl: string }>('core');
      expect(settings.logoUrl).to.equal('/assets/logo.png');
    });

    it("is drawn by the active theme's override of core/mail/layout", async () => {
      await t.platform.themes.activate('fixture-mail');
      try {
        await t.platform.mailer.send(mail('pia@example.test'));
        const received = await t.smtp!.waitFor('pia@example.test');
        expect(received.html).to.contain('<h1 class="fixture-mail-brand">★ Harbour Market ★ (fixture mail theme)</h1>');
        expect(received.html).to.contain('<address>Harbour Market Ltd; 1 Quay Street; Bristol BS1 4DJ; </address>');
        expect(received.html).to.contain('Dear Reader,');
        expect(received.html).to.not.contain('This message was sent by');
      } finally {
        await t.platform.themes.activate('storefront');
      }
    });
  });
});
