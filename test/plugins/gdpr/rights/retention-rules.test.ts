import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startTestApp, createUser, loginAsAdmin, csrfFrom, tokenFor, type TestApp } from '../../../helpers/app';
import { registrationFields } from '../../../core/auth/support';
import { log } from '../../../../core/log';
import { OutboxMessage } from '../../../../core/mail/outbox-model';
import { RightsRequest } from '../../../../plugins/gdpr/rights/models/rights-request';
import { RetentionRun } from '../../../../plugins/gdpr/rights/models/retention-run';
import { runRetention } from '../../../../plugins/gdpr/rights/services/retention-sweep';
import type { RightsDeps } from '../../../../plugins/gdpr/rights/services/deps';
import { rightsSettingsSchema } from '../../../../plugins/gdpr/rights/settings';
import { consentServiceOf } from '../../../../plugins/gdpr/consent/setup';
import { ConsentIdentity } from '../../../../plugins/gdpr/consent/models';
import { NewsletterEvent, NewsletterSubscriber } from '../../../../plugins/newsletter/models';
import { StripePayment } from '../../../../plugins/stripe/models/stripe-payment';
import { policyId, shownOn } from '../consent/helpers';
import { shopModels } from '../../shops/shop-models';

const DAY = 86_400_000;

/**
 * Every retention rule the issue lists, declared with its default, and each applied by the sweep with time
 * travel (rows moved into the past, or the sweep run in the future where a row's time is part of a hash chain).
 */
describe('gdpr retention: the rules of the issue (unverified accounts, IPs, shipping labels, carts), time travel', function () {
  this.timeout(120_000);
  let t: TestApp;
  let admin: ReturnType<TestApp['agent']>;
  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'gdpr', 'newsletter', 'messaging', 'stripe'] });
    admin = t.agent();
    await loginAsAdmin(admin);
  });
  after(async () => t.close());

  const age = async (table: string, id: number, days: number, columns: string[], key = 'id') => {
    const when = new Date(Date.now() - days * DAY);
    await t.platform.sequelize.query(`UPDATE ${table} SET ${columns.map((c) => `${c} = :when`).join(', ')} WHERE ${key} = :id`, { replacements: { when, id } });
  };
  const run = async (dryRun: boolean) => {
    const page = await admin.get('/admin/privacy/retention');
    const res = await admin.post('/admin/privacy/retention/run').type('form').send({ _csrf: csrfFrom(page.text), ...(dryRun ? { dry_run: '1' } : {}) });
    expect(res.status).to.equal(303);
    const id = Number(/run=(\d+)/.exec(res.headers.location as string)![1]);
    return (await RetentionRun.findByPk(id))!;
  };
  /** The sweep itself (the daily job's code) run at another time: for rows whose time is chained and cannot be rewritten. */
  const sweepAt = (now: Date) => {
    // The sweep reads only these parts of its plugin's context.
    const ctx = { platform: t.platform, sequelize: t.platform.sequelize, log };
    const deps = { ctx, settings: () => rightsSettingsSchema.parse({}) } as unknown as RightsDeps;
    return runRetention(deps, { dryRun: false, trigger: 'admin', now });
  };
  const line = (r: RetentionRun, kind: string) => {
    const found = r.lines().find((l) => l.kind === kind);
    if (!found) throw new Error(`no line ${kind} in the report`);
    expect(found.error, `${kind} failed`).to.equal(undefined);
    return found;
  };
  const orderFor = async (buyer: { id: number; email: string }, fields: Record<string, unknown> = {}) => {
    const { Shop, CheckoutGroup, Order } = shopModels();
    const salt = Math.random().toString(36).slice(2, 8);
    const { user: seller } = await createUser({ role: 'seller' });
    const shop = await Shop.create({ owner_id: seller.id, name: `Shop ${salt}`, slug: `shop-${salt}`, currency: 'EUR' });
    const group = await CheckoutGroup.create({ reference: `AG-${salt}`.toUpperCase(), buyer_id: buyer.id, email: buyer.email, currency: 'EUR', total: 1500, gateway: 'manual', status: 'paid' });
    return Order.create({
      number: `${group.reference}-1`,
      group_id: group.id,
      shop_id: shop.id,
      buyer_id: buyer.id,
      status: 'paid',
      currency: 'EUR',
      subtotal: 1000,
      shipping_total: 500,
      total: 1500,
      platform_fee: 50,
      shipping_method: 'Post',
      email: buyer.email,
      ship_name: 'Ada Lovelace',
      ship_line1: '12 Rue de la Paix',
      ship_line2: 'Bâtiment B',
      ship_city: 'Paris',
      ship_postcode: '75002',
      ship_country: 'FR',
      phone: '+33 6 12 34 56 78',
      paid_at: new Date(),
      ...fields,
    } as never);
  };

  it('declares every rule the issue lists, each with its default, on the retention page', async () => {
    const expected: Record<string, number> = {
      'shops.paid-orders': 6 * 365, // paid orders and invoices: 6 years (the shops setting taxRetentionYears)
      'shops.shipping-addresses': 21, // shipping label addresses: 3 weeks after shipping
      'shops.carts': 30, // abandoned carts
      'core.unverified-accounts': 7,
      'gdpr.exports': 3, // expired exports
      'shops.unpaid-orders': 90, // pending orders expire after shops' pendingOrderHours, then join cancelled ones here
      'gdpr.consent-ips': 30, // logs with IP
      'newsletter.event-ips': 30,
      'shops.download-ips': 30,
      'stripe.unpaid-payments': 90, // failed and abandoned Stripe checkouts
      'core.sessions': 30,
    };
    const page = await admin.get('/admin/privacy/retention');
    expect(page.status).to.equal(200);
    for (const [kind, days] of Object.entries(expected)) {
      const declaration = t.platform.privacy.declarations.retention(kind);
      expect(declaration, kind).to.not.equal(undefined);
      const start = typeof declaration!.defaultDays === 'function' ? declaration!.defaultDays() : declaration!.defaultDays;
      expect(start, kind).to.equal(days);
      expect(page.text).to.include(`days_${kind}`);
    }
  });

  it('erases an unverified account after 7 days (consent identity shredded, chain intact), keeps one holding orders, skips a restricted one; the dry run changes nothing', async () => {
    const { User } = shopModels();
    // A real registration: the account, its consent rows (with the IP) and the verification email.
    const agent = t.agent();
    const fields = registrationFields();
    const form = await agent.get('/register');
    const boxes = [await policyId(t, 'terms'), await policyId(t, 'privacy')].map(String);
    const registered = await agent.post('/register').type('form').send({ _csrf: csrfFrom(form.text), ...fields, gdpr_accept: boxes, gdpr_shown: shownOn(form.text) });
    expect(registered.status).to.equal(303);
    const stale = (await User.findOne({ where: { email: fields.email } }))!;
    expect(stale.email_verified_at).to.equal(null);
    expect(await ConsentIdentity.count({ where: { user_id: stale.id } })).to.equal(2);
    expect(await OutboxMessage.count({ where: { to_address: fields.email } })).to.be.greaterThan(0);

    const unverified = async () => {
      const { user } = await createUser();
      await user.update({ email_verified_at: null });
      return user;
    };
    const recent = await unverified();
    const buyer = await unverified();
    await orderFor(buyer);
    const restricted = await unverified();
    await RightsRequest.create({ kind: 'access', email: restricted.email, email_hash: 'h', user_id: restricted.id, source: 'account', status: 'verified', received_at: new Date() });
    const { user: verified } = await createUser();
    for (const u of [stale, buyer, restricted, verified]) await age('users', u.id, 8, ['created_at']);
    await age('users', recent.id, 6, ['created_at']);

    const deleted: number[] = [];
    const stop = t.platform.hooks.on('test', 'core.user.deleted', async (id) => void deleted.push(id));
    try {
      const dry = await run(true);
      expect(line(dry, 'core.unverified-accounts')).to.include({ removed: 1, kept: 1, skipped: 1 });
      expect(await User.findByPk(stale.id)).to.not.equal(null);
      expect(await ConsentIdentity.count({ where: { user_id: stale.id } })).to.equal(2);

      const real = await run(false);
      expect(line(real, 'core.unverified-accounts')).to.include({ removed: 1, kept: 1, skipped: 1 });
      expect(await User.findByPk(stale.id)).to.equal(null);
      for (const u of [recent, buyer, restricted, verified]) expect(await User.findByPk(u.id), u.email).to.not.equal(null);
      // Erased as a closed account is: the consent rows stay as proof, without the person; the chain verifies.
      const identities = await t.platform.sequelize.query<{ email: string | null; ip: string | null; shredded_at: string | null }>('SELECT email, ip, shredded_at FROM gdpr_consent_identities i JOIN gdpr_consent_register r ON r.id = i.register_id WHERE r.section = :s ORDER BY r.seq DESC LIMIT 2', { type: QueryTypes.SELECT, replacements: { s: 'core.register' } });
      expect(identities.every((i) => i.email === null && i.ip === null && i.shredded_at !== null)).to.equal(true);
      expect((await consentServiceOf().verify()).intact).to.equal(true);
      const mail = await OutboxMessage.findAll({ where: { user_id: stale.id } });
      expect(mail.map((m) => m.text_body).join(' ')).to.not.include(fields.first_name);
      for (let i = 0; i < 40 && !deleted.includes(stale.id); i++) await new Promise((r) => setTimeout(r, 25));
      expect(deleted).to.deep.equal([stale.id]);
    } finally {
      stop();
    }
    // Once the request is answered the restricted account goes too; the buyer's stays while the order holds it.
    await RightsRequest.update({ status: 'completed', completed_at: new Date() }, { where: { user_id: restricted.id } });
    const next = await run(false);
    expect(line(next, 'core.unverified-accounts')).to.include({ removed: 1, kept: 1, skipped: 0 });
    expect(await User.findByPk(restricted.id)).to.equal(null);
    expect(await User.findByPk(buyer.id)).to.not.equal(null);
  });

  it('removes the IP of consent register rows after 30 days, keeping the row, and the chain and identities still verify', async () => {
    const service = consentServiceOf();
    const { user } = await createUser();
    const { user: held } = await createUser();
    const policy = { slug: 'privacy', version: 1, textHash: 'b'.repeat(64) };
    const [mine] = await service.record([{ action: 'accepted', section: 'core.register', policy }], { userId: user.id, email: user.email }, { ip: '198.51.100.0', userAgentHash: null, consentId: null });
    const [theirs] = await service.record([{ action: 'accepted', section: 'core.register', policy }], { userId: held.id, email: held.email }, { ip: '198.51.100.0', userAgentHash: null, consentId: null });
    const request = await RightsRequest.create({ kind: 'access', email: held.email, email_hash: 'h', user_id: held.id, source: 'account', status: 'verified', received_at: new Date() });
    const ipOf = async (id: number) => (await ConsentIdentity.findByPk(id))!;

    const early = await sweepAt(new Date(Date.now() + 29 * DAY));
    expect(line(early, 'gdpr.consent-ips').anonymized).to.equal(0);
    expect((await ipOf(mine.id)).ip).to.equal('198.51.100.0');

    const later = await sweepAt(new Date(Date.now() + 31 * DAY));
    expect(line(later, 'gdpr.consent-ips').anonymized).to.be.at.least(1);
    expect(line(later, 'gdpr.consent-ips').skipped).to.equal(1);
    const removed = await ipOf(mine.id);
    expect(removed.ip).to.equal(null);
    expect(removed.ip_removed_at).to.not.equal(null);
    expect(removed.email).to.equal(user.email.toLowerCase());
    expect((await ipOf(theirs.id)).ip, 'a pending request holds it').to.equal('198.51.100.0');
    const verdict = await service.verify();
    expect(verdict.problems).to.deep.equal([]);
    expect(verdict.intact).to.equal(true);
    // Tampering with an identity after its IP went is still found.
    await t.platform.sequelize.query('UPDATE gdpr_consent_identities SET email = :e WHERE register_id = :id', { replacements: { e: 'someone.else@example.test', id: mine.id } });
    expect((await service.verify()).problems.map((p) => p.id)).to.include(mine.id);
    await t.platform.sequelize.query('UPDATE gdpr_consent_identities SET email = :e WHERE register_id = :id', { replacements: { e: user.email.toLowerCase(), id: mine.id } });
    // So is a changed IP on a row that still has one.
    await t.platform.sequelize.query("UPDATE gdpr_consent_identities SET ip = '192.0.2.0' WHERE register_id = :id", { replacements: { id: theirs.id } });
    expect((await service.verify()).problems.map((p) => p.id)).to.include(theirs.id);
    await t.platform.sequelize.query("UPDATE gdpr_consent_identities SET ip = '198.51.100.0' WHERE register_id = :id", { replacements: { id: theirs.id } });
    expect((await service.verify()).intact).to.equal(true);
    await request.update({ status: 'completed', completed_at: new Date() });
    // The sweep a month ahead also ended every session (core.sessions): the admin signs in again.
    admin = t.agent();
    await loginAsAdmin(admin);
  });

  it('removes the IP from newsletter history after 30 days, keeping the history', async () => {
    const agent = t.agent();
    const email = `ips.${Date.now()}@example.test`;
    const page = await agent.get('/newsletter');
    const signed = await agent.post('/newsletter').type('form').send({ _csrf: csrfFrom(page.text), email, gdpr_accept: String(await policyId(t, 'privacy')), gdpr_shown: shownOn(page.text) });
    expect(signed.status).to.equal(303);
    const subscriber = (await NewsletterSubscriber.findOne({ where: { email } }))!;
    const events = await NewsletterEvent.findAll({ where: { subscriber_id: subscriber.id }, order: [['id', 'ASC']] });
    expect(events.length).to.be.greaterThan(0);
    expect(events[0].ip).to.be.a('string').and.not.equal('');
    const other = await NewsletterEvent.create({ subscriber_id: subscriber.id, kind: 'link_sent', how: 'test', ip: '203.0.113.0' });
    for (const e of events) await age('newsletter_events', e.id, 31, ['created_at']);
    await age('newsletter_events', other.id, 29, ['created_at']);
    // A subscriber whose access request is pending keeps theirs until it is answered.
    const heldEmail = `held.${Date.now()}@example.test`;
    const held = await NewsletterSubscriber.create({ email: heldEmail, email_hash: `hash-${heldEmail}`, user_id: null, status: 'confirmed', source: 'footer', consented_at: new Date(), confirmed_at: new Date() } as never);
    const heldEvent = await NewsletterEvent.create({ subscriber_id: held.id, kind: 'confirmed', how: 'test', ip: '198.51.100.0' });
    await age('newsletter_events', heldEvent.id, 31, ['created_at']);
    const pending = await RightsRequest.create({ kind: 'access', email: heldEmail, email_hash: 'h', user_id: null, source: 'email', status: 'verified', received_at: new Date() });

    const dry = await run(true);
    expect(line(dry, 'newsletter.event-ips').anonymized).to.equal(events.length);
    expect((await NewsletterEvent.findByPk(events[0].id))!.ip).to.not.equal(null);
    const real = await run(false);
    expect(line(real, 'newsletter.event-ips').anonymized).to.equal(events.length);
    for (const e of events) expect((await NewsletterEvent.findByPk(e.id))!.ip).to.equal(null);
    expect((await NewsletterEvent.findByPk(other.id))!.ip).to.equal('203.0.113.0');
    expect(await NewsletterEvent.count({ where: { subscriber_id: subscriber.id } })).to.equal(events.length + 1);
    expect(line(real, 'newsletter.event-ips').skipped).to.equal(1);
    expect((await NewsletterEvent.findByPk(heldEvent.id))!.ip).to.equal('198.51.100.0');
    await pending.update({ status: 'completed', completed_at: new Date() });
    expect(line(await run(false), 'newsletter.event-ips').anonymized).to.equal(1);
    expect((await NewsletterEvent.findByPk(heldEvent.id))!.ip).to.equal(null);
  });

  it('removes the street and phone of an order three weeks after shipping; name, town and postcode stay', async () => {
    const { user } = await createUser();
    const shippedLongAgo = await orderFor(user, { status: 'shipped', shipped_at: new Date(Date.now() - 22 * DAY) });
    const shippedRecently = await orderFor(user, { status: 'shipped', shipped_at: new Date(Date.now() - 20 * DAY) });
    const notShipped = await orderFor(user, { status: 'paid', created_at: new Date(Date.now() - 60 * DAY) });
    const { Order } = shopModels();

    const dry = await run(true);
    expect(line(dry, 'shops.shipping-addresses').anonymized).to.equal(1);
    expect((await Order.findByPk(shippedLongAgo.id))!.ship_line1).to.equal('12 Rue de la Paix');
    const real = await run(false);
    expect(line(real, 'shops.shipping-addresses').anonymized).to.equal(1);
    const cleared = (await Order.findByPk(shippedLongAgo.id))!;
    expect([cleared.ship_line1, cleared.ship_line2, cleared.phone]).to.deep.equal(['', '', '']);
    expect([cleared.ship_name, cleared.ship_city, cleared.ship_postcode, cleared.ship_country]).to.deep.equal(['Ada Lovelace', 'Paris', '75002', 'FR']);
    expect((await Order.findByPk(shippedRecently.id))!.ship_line1).to.equal('12 Rue de la Paix');
    expect((await Order.findByPk(notShipped.id))!.phone).to.equal('+33 6 12 34 56 78');
    // Nothing is left to do for it: the next run leaves the order alone.
    expect(line(await run(false), 'shops.shipping-addresses').anonymized).to.equal(0);
  });

  it('removes the IP of downloads of digital goods after 30 days, keeping the record; a restricted guest order is skipped', async () => {
    const { OrderItem } = shopModels();
    const { user } = await createUser();
    const order = await orderFor(user);
    const guestOrder = await orderFor({ id: null as unknown as number, email: 'guest.downloader@example.test' }, { buyer_id: null });
    const q = (sql: string, replacements: Record<string, unknown>) => t.platform.sequelize.query(sql, { replacements, type: QueryTypes.SELECT });
    const grantFor = async (orderId: number) => {
      const item = await OrderItem.create({ order_id: orderId, product_id: null, title: 'E-book', unit_price: 1000, quantity: 1, line_total: 1000 } as never);
      await t.platform.sequelize.query("INSERT INTO download_grants (order_id, order_item_id, file_id, name, size, downloads_used, revoked_reason, created_at) VALUES (:o, :i, 'f-1', 'book.pdf', 10, 1, '', :now)", { replacements: { o: orderId, i: item.id, now: new Date() } });
      const [g] = await q('SELECT id FROM download_grants WHERE order_item_id = :i', { i: item.id });
      return Number((g as { id: number }).id);
    };
    const record = async (grant: number, orderId: number, userId: number | null, days: number) => {
      await t.platform.sequelize.query("INSERT INTO download_records (grant_id, order_id, user_id, ip, created_at) VALUES (:g, :o, :u, '203.0.113.0', :when)", { replacements: { g: grant, o: orderId, u: userId, when: new Date(Date.now() - days * DAY) } });
    };
    const mine = await grantFor(order.id);
    const guests = await grantFor(guestOrder.id);
    await record(mine, order.id, user.id, 31);
    await record(mine, order.id, user.id, 29);
    await record(guests, guestOrder.id, null, 31);
    const pending = await RightsRequest.create({ kind: 'access', email: 'guest.downloader@example.test', email_hash: 'h', user_id: null, source: 'email', status: 'verified', received_at: new Date() });
    const r = await run(false);
    expect(line(r, 'shops.download-ips')).to.include({ anonymized: 1, skipped: 1 });
    const rows = (await q('SELECT order_id, ip FROM download_records ORDER BY id', {})) as Array<{ order_id: number; ip: string }>;
    expect(rows.map((x) => x.ip)).to.deep.equal(['', '203.0.113.0', '203.0.113.0']);
    await pending.update({ status: 'completed', completed_at: new Date() });
  });

  it('removes cancelled and expired (never paid) orders after 90 days, and anonymizes a failed Stripe checkout; a pending order waits for its expiry', async () => {
    const { Order } = shopModels();
    const { user } = await createUser();
    const cancelled = await orderFor(user, { status: 'cancelled', paid_at: null });
    const expired = await orderFor(user, { status: 'expired', paid_at: null });
    const pending = await orderFor(user, { status: 'pending', paid_at: null });
    await age('orders', cancelled.id, 91, ['created_at', 'updated_at']);
    await age('orders', expired.id, 89, ['created_at', 'updated_at']);
    await age('orders', pending.id, 120, ['created_at', 'updated_at']);
    const payment = (status: 'failed' | 'paid', ref: string) =>
      StripePayment.create({ group_id: cancelled.group_id, reference: ref, attempt: 1, idempotency_key: `key-${ref}`, email: user.email, amount: 1500, currency: 'EUR', orders_json: [], status, session_id: `cs_test_${ref}`, return_url: '/' } as never);
    const failed = await payment('failed', `f${cancelled.id}`);
    const paid = await payment('paid', `p${cancelled.id}`);
    await age('stripe_payments', failed.id, 91, ['created_at']);
    await age('stripe_payments', paid.id, 91, ['created_at']);

    const r = await run(false);
    expect(line(r, 'shops.unpaid-orders').removed).to.equal(1);
    expect(await Order.findByPk(cancelled.id)).to.equal(null);
    expect(await Order.findByPk(expired.id)).to.not.equal(null);
    expect((await Order.findByPk(pending.id))!.status, 'shops expires it first (pendingOrderHours), restocking it').to.equal('pending');
    expect(line(r, 'stripe.unpaid-payments').anonymized).to.equal(1);
    expect((await StripePayment.findByPk(failed.id))!.session_id).to.equal(null);
    expect((await StripePayment.findByPk(paid.id))!.session_id).to.equal(`cs_test_p${cancelled.id}`);
  });

  it('removes database sessions not used for 30 days', async () => {
    const insert = (sid: string, days: number) =>
      t.platform.sequelize.query('INSERT INTO sessions (sid, expires, data, created_at, updated_at) VALUES (:sid, :exp, :data, :when, :when)', { replacements: { sid, exp: new Date(Date.now() + DAY), data: '{"cookie":{}}', when: new Date(Date.now() - days * DAY) } });
    await insert('old-session-for-retention', 31);
    await insert('recent-session-for-retention', 29);
    const r = await run(false);
    expect(line(r, 'core.sessions').removed).to.be.at.least(1);
    const left = (await t.platform.sequelize.query('SELECT sid FROM sessions WHERE sid IN (:sids)', { replacements: { sids: ['old-session-for-retention', 'recent-session-for-retention'] }, type: QueryTypes.SELECT })) as Array<{ sid: string }>;
    expect(left.map((x) => x.sid)).to.deep.equal(['recent-session-for-retention']);
  });

  it('removes abandoned carts after 30 days by default', async () => {
    const { Cart } = shopModels();
    const { user } = await createUser();
    const { user: other } = await createUser();
    const old = await Cart.create({ user_id: user.id } as never);
    const fresh = await Cart.create({ user_id: other.id } as never);
    await age('carts', old.id, 31, ['created_at', 'updated_at']);
    await age('carts', fresh.id, 29, ['created_at', 'updated_at']);
    const r = await run(false);
    expect(line(r, 'shops.carts')).to.include({ days: 30 });
    expect(await Cart.findByPk(old.id)).to.equal(null);
    expect(await Cart.findByPk(fresh.id)).to.not.equal(null);
  });

  it('lets the owner change the days of a rule: unverified accounts kept 10 days survive an 8-day-old account', async () => {
    const { User } = shopModels();
    const { user } = await createUser();
    await user.update({ email_verified_at: null });
    await age('users', user.id, 8, ['created_at']);
    const csrf = await tokenFor(admin, '/admin/privacy/retention');
    expect((await admin.post('/admin/privacy/retention').type('form').send({ _csrf: csrf, 'days_core.unverified-accounts': '10' })).status).to.equal(303);
    const r = await run(false);
    expect(line(r, 'core.unverified-accounts')).to.include({ days: 10, removed: 0 });
    expect(await User.findByPk(user.id)).to.not.equal(null);
    expect((await admin.post('/admin/privacy/retention').type('form').send({ _csrf: csrf, 'days_core.unverified-accounts': '' })).status).to.equal(303);
    expect(line(await run(false), 'core.unverified-accounts').removed).to.equal(1);
    expect(await User.findByPk(user.id)).to.equal(null);
  });
});
