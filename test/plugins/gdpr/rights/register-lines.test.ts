import { expect } from 'chai';
import type { Request } from 'express';
import { startTestApp, createUser, login, loginAsAdmin, csrfFrom, tokenFor, type TestApp } from '../../../helpers/app';
import { OutboxMessage } from '../../../../core/mail/outbox-model';
import { RightsRequest, REQUEST_STATUSES, type RequestStatus, type RequestKind } from '../../../../plugins/gdpr/rights/models/rights-request';
import { RightsRequestEvent } from '../../../../plugins/gdpr/rights/models/rights-request-event';
import { ALLOWED_TRANSITIONS, moveRequest } from '../../../../plugins/gdpr/rights/services/transitions';
import { NewsletterSubscriber } from '../../../../plugins/newsletter/models';
import { addressHash } from '../../../../plugins/newsletter/services/addresses';
import { askByEmail, confirmFromMail } from './rights-helpers';

const AUTHORITY = { rightsAuthorityName: 'Commission nationale de l’informatique et des libertés (CNIL)', rightsAuthorityAddress: '3 Place de Fontenoy, 75007 Paris', rightsAuthorityWebsite: 'https://www.cnil.fr' };

/** The register of requests, line by line of the issue: channel, verification, clock, statuses, history, refusal, status page, objection. */
describe('gdpr rights: the register line by line (statuses, races, refusal and authority, status page, objection)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let admin: ReturnType<TestApp['agent']>;
  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'gdpr', 'newsletter', 'follows'], smtp: true });
    admin = t.agent();
    await loginAsAdmin(admin);
    const form = await admin.get('/admin/settings/gdpr');
    const saved = await admin.post('/admin/settings/gdpr').type('form').send({ _csrf: csrfFrom(form.text), ...AUTHORITY, rightsVerifyHours: '48', rightsExportDays: '3', rightsNearlyDueDays: '7' });
    expect(saved.status).to.equal(303);
  });
  after(async () => t.close());

  let seq = 0;
  const requestIn = (status: RequestStatus, kind: RequestKind = 'access') =>
    RightsRequest.create({ kind, email: `state${++seq}.${status}@example.test`, email_hash: `h${seq}`, user_id: null, source: 'email', status, received_at: new Date(), verified_at: status === 'awaiting_verification' ? null : new Date(), due_at: new Date(Date.now() + 20 * 86_400_000) });

  it('lets only the allowed status changes through: every other pair is refused and changes nothing', async () => {
    let tried = 0;
    for (const from of REQUEST_STATUSES) {
      for (const to of REQUEST_STATUSES) {
        const request = await requestIn(from);
        const moved = await t.platform.sequelize.transaction((tx) => moveRequest(tx, request, from, to, { action: 'test' }));
        const allowed = ALLOWED_TRANSITIONS[from].includes(to);
        expect(moved, `${from} → ${to}`).to.equal(allowed);
        expect((await RightsRequest.findByPk(request.id))!.status, `${from} → ${to}`).to.equal(allowed ? to : from);
        expect(await RightsRequestEvent.count({ where: { request_id: request.id } })).to.equal(allowed ? 1 : 0);
        // A move from a status the request is not in is refused too (someone else moved it first).
        const stale = REQUEST_STATUSES.find((s) => s !== from && ALLOWED_TRANSITIONS[s].length)!;
        if (!allowed) expect(await t.platform.sequelize.transaction((tx) => moveRequest(tx, request, stale, ALLOWED_TRANSITIONS[stale][0], { action: 'test' }))).to.equal(false);
        tried++;
      }
    }
    expect(tried).to.equal(36);
    expect(ALLOWED_TRANSITIONS).to.deep.equal({
      awaiting_verification: ['verified', 'expired'],
      verified: ['accepted', 'rejected'],
      accepted: ['completed'],
      rejected: [],
      completed: [],
      expired: [],
    });
  });

  it("refuses every admin action a request's status does not allow (409 or 422 on the page), and leaves it as it was", async () => {
    const reasons = { reason: 'A reason that is long enough' };
    for (const status of REQUEST_STATUSES) {
      const request = await requestIn(status);
      const csrf = csrfFrom((await admin.get(`/admin/privacy/requests/${request.id}`)).text);
      const tries: Array<[string, Record<string, string>, boolean]> = [
        ['accept', {}, status === 'verified'],
        ['reject', reasons, status === 'verified'],
        ['retry', {}, status === 'accepted'],
        ['extend', { months: '1', ...reasons }, status === 'verified' || status === 'accepted'],
      ];
      for (const [action, body, allowed] of tries) {
        if (allowed) continue;
        const res = await admin.post(`/admin/privacy/requests/${request.id}/${action}`).type('form').send({ _csrf: csrf, ...body });
        expect([409, 422], `${action} on ${status}`).to.include(res.status);
        expect(res.text).to.include('class="flash flash-error"');
        const after = (await RightsRequest.findByPk(request.id))!;
        expect(after.status, `${action} on ${status}`).to.equal(status);
        expect(after.extended_months).to.equal(0);
      }
    }
  });

  it('two accepts at once of an access request: one archive, one download email, one "accepted" line', async () => {
    const agent = t.agent();
    const email = 'race.access@example.test';
    await askByEmail(agent, 'access', email);
    await confirmFromMail(agent, t.smtp!, email);
    const request = (await RightsRequest.findOne({ where: { email } }))!;
    const csrf = csrfFrom((await admin.get(`/admin/privacy/requests/${request.id}`)).text);
    const accept = () => admin.post(`/admin/privacy/requests/${request.id}/accept`).type('form').send({ _csrf: csrf });
    const answers = await Promise.all([accept(), accept(), accept()]);
    expect(answers.map((a) => a.status).sort()).to.deep.equal([303, 409, 409]);
    const done = (await RightsRequest.findByPk(request.id))!;
    expect(done.status).to.equal('completed');
    expect(await OutboxMessage.count({ where: { to_address: email, subject: 'Your data is ready to download' } })).to.equal(1);
    const history = await RightsRequestEvent.findAll({ where: { request_id: request.id } });
    expect(history.filter((e) => e.action === 'accepted')).to.have.length(1);
    expect(history.filter((e) => e.action === 'completed')).to.have.length(1);
  });

  it('shows channel, identity verification, received and due dates, status and history in the register', async () => {
    const agent = t.agent();
    await askByEmail(agent, 'erasure', 'register.columns@example.test');
    const waiting = (await RightsRequest.findOne({ where: { email: 'register.columns@example.test' } }))!;
    let detail = await admin.get(`/admin/privacy/requests/${waiting.id}`);
    expect(detail.text).to.include('Email form');
    expect(detail.text).to.include('Awaiting: a link was sent to the address');
    expect(detail.text).to.include('Awaiting verification');
    await confirmFromMail(agent, t.smtp!, 'register.columns@example.test');
    detail = await admin.get(`/admin/privacy/requests/${waiting.id}`);
    expect(detail.text).to.include('Followed the link sent to the address');
    const verified = (await RightsRequest.findByPk(waiting.id))!;
    expect(detail.text).to.include(verified.due_at!.toISOString().slice(0, 10));
    expect(detail.text).to.include(verified.received_at.toISOString().slice(0, 16).replace('T', ' '));
    expect(detail.text).to.match(/awaiting_verification → verified/);
    const list = await admin.get('/admin/privacy/requests');
    expect(list.text).to.include('<th>Channel and identity</th>');
    expect(list.text).to.match(/Email form<br><span class="muted">identity verified/);
  });

  it('refuses only with a reason; the email names the supervisory authority from the settings, also shown on the rights page', async () => {
    const page = await t.agent().get('/privacy/rights');
    for (const v of Object.values(AUTHORITY)) expect(page.text).to.include(v);
    const agent = t.agent();
    const sent = await askByEmail(agent, 'access', 'refused.person@example.test');
    const confirmed = await confirmFromMail(agent, t.smtp!, 'refused.person@example.test');
    // Every rights page names the authority: the form, the "check your inbox" page, the confirmation.
    for (const shown of [sent.text, confirmed.text]) for (const v of Object.values(AUTHORITY)) expect(shown).to.include(v);
    const request = (await RightsRequest.findOne({ where: { email: 'refused.person@example.test' } }))!;
    const csrf = csrfFrom((await admin.get(`/admin/privacy/requests/${request.id}`)).text);
    const blank = await admin.post(`/admin/privacy/requests/${request.id}/reject`).type('form').send({ _csrf: csrf, reason: '   ' });
    expect(blank.status).to.equal(422);
    expect(blank.text).to.include('Give the reason');
    expect((await RightsRequest.findByPk(request.id))!.status).to.equal('verified');
    const res = await admin.post(`/admin/privacy/requests/${request.id}/reject`).type('form').send({ _csrf: csrf, reason: 'The request repeats one answered last week' });
    expect(res.status).to.equal(303);
    const mail = await t.smtp!.waitFor('refused.person@example.test', /refused/);
    const text = mail.text.replace(/\s+/g, ' ');
    expect(text).to.include('The request repeats one answered last week');
    for (const v of Object.values(AUTHORITY)) expect(text).to.include(v);
    expect(mail.html).to.include('href="https://www.cnil.fr"');
  });

  it('lets the person follow the status of their requests at /account/privacy', async () => {
    const { user, password } = await createUser();
    const agent = t.agent();
    await login(agent, user.email, password);
    const csrf = await tokenFor(agent, '/privacy/rights');
    expect((await agent.post('/privacy/rights/erasure').type('form').send({ _csrf: csrf, confirm: 'on' })).status).to.equal(303);
    const request = (await RightsRequest.findOne({ where: { user_id: user.id, kind: 'erasure' } }))!;
    let page = await agent.get('/account/privacy');
    expect(page.status).to.equal(200);
    expect(page.text).to.include('Your privacy requests');
    expect(page.text).to.include('badge-verified');
    expect(page.text).to.include(request.due_at!.toISOString().slice(0, 10));
    const adminCsrf = csrfFrom((await admin.get(`/admin/privacy/requests/${request.id}`)).text);
    await admin.post(`/admin/privacy/requests/${request.id}/extend`).type('form').send({ _csrf: adminCsrf, months: '1', reason: 'Orders in many shops to check' }).expect(303);
    await admin.post(`/admin/privacy/requests/${request.id}/reject`).type('form').send({ _csrf: adminCsrf, reason: 'An open dispute on order 12 needs the account' }).expect(303);
    page = await agent.get('/account/privacy');
    expect(page.text).to.include('badge-rejected');
    expect(page.text).to.include('An open dispute on order 12 needs the account');
    expect(page.text).to.include('Orders in many shops to check');
  });

  it('one objection stops the newsletter, follow emails and targeting cookies at once, and is logged', async () => {
    const { user, password } = await createUser();
    await NewsletterSubscriber.create({ email: user.email, email_hash: addressHash(user.email), user_id: user.id, status: 'confirmed', source: 'account', consented_at: new Date(), confirmed_at: new Date() } as never);
    const agent = t.agent();
    await login(agent, user.email, password);
    const req = { user: { id: user.id, email: user.email }, session: {} } as unknown as Request;
    const targeting = async () => (await t.platform.hooks.apply('core.consent.categories', new Set(['necessary', 'marketing'] as const), req)).has('marketing');
    expect(await targeting()).to.equal(true);

    const csrf = await tokenFor(agent, '/privacy/rights');
    expect((await agent.post('/privacy/rights/objection').type('form').send({ _csrf: csrf, confirm: 'on' })).status).to.equal(303);
    // Newsletter: unsubscribed, and the address suppressed.
    expect((await NewsletterSubscriber.findOne({ where: { user_id: user.id } }))!.status).to.equal('unsubscribed');
    // Follow emails are marketing: the next one to the person is cancelled in the outbox.
    const follow = await t.platform.mailer.send({ to: user.email, userId: user.id, category: 'marketing', subject: 'New from the shop you follow', template: 'gdpr/rights/mail/objection', data: { rightsUrl: '/' } });
    const row = (await OutboxMessage.findByPk(follow))!;
    expect(row.status).to.equal('cancelled');
    expect(row.cancel_reason).to.match(/objected/);
    // Targeting off at once (no cache left from before).
    expect(await targeting()).to.equal(false);
    // Logged: a completed objection in the register, with its history, seen by the person too.
    const logged = (await RightsRequest.findOne({ where: { user_id: user.id, kind: 'objection' } }))!;
    expect(logged.status).to.equal('completed');
    expect(await RightsRequestEvent.count({ where: { request_id: logged.id } })).to.be.at.least(1);
    expect((await agent.get('/account/privacy')).text).to.include('Objection');
  });
});
