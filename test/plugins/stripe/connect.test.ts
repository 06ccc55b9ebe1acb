import { expect } from 'chai';
import type supertest from 'supertest';
import { createUser, csrfFrom, login, loginAsAdmin } from '../../helpers/app';
import { StripeAccount, StripeLedgerEntry, StripePayment, StripeTransfer } from '../../../plugins/stripe/models';
import { makeProduct, makeShop } from '../shops/order-helpers';
import { shopModels } from '../shops/shop-models';
import { PUBLISHABLE, WEBHOOK_SECRET, captureLogs, checkoutWithStripe, deliver, expectLedgerIdentity, jobsDone, startStripeApp, type StripeTestApp } from './stripe-helpers';

/** Issue 9: sellers paid through Stripe Connect, one transfer per order, refunds taking back their share; settings and the admin page. */
describe('stripe: Connect payouts, refunds, ledger and admin', function () {
  // Each test is a few requests; the margin is for a machine shared with other suites.
  this.timeout(45_000);
  let s: StripeTestApp;
  let admin: supertest.Agent;
  let buyer: supertest.Agent;
  let connected: Awaited<ReturnType<typeof makeShop>>;
  let byHand: Awaited<ReturnType<typeof makeShop>>;
  let sellerAgent: supertest.Agent;
  let accountId = '';
  let logs: ReturnType<typeof captureLogs>;

  before(async function () {
    // Four people with hashed passwords, logged in: slow on purpose, once for the file.
    this.timeout(60_000);
    logs = captureLogs();
    s = await startStripeApp();
    admin = s.t.agent();
    await loginAsAdmin(admin);
    connected = await makeShop(s.t, { name: 'Connected Crafts' });
    byHand = await makeShop(s.t, { name: 'Paper Goods' });
    sellerAgent = s.t.agent();
    await login(sellerAgent, connected.seller.username, connected.password);
    const { user, password } = await createUser({ email: 'stripe-buyer@example.test' });
    buyer = s.t.agent();
    await login(buyer, user.username, password);
  });
  after(async () => {
    logs?.restore();
    await s?.close();
  });

  it('keeps the keys sealed in the database and masked on the settings page', async () => {
    const page = await admin.get('/admin/settings/stripe').expect(200);
    expect(page.text).to.not.contain(s.stripe.secretKey);
    expect(page.text).to.not.contain(WEBHOOK_SECRET);
    expect(page.text).to.contain('Stored: ••••••••');
    const [rows] = await s.t.platform.sequelize.query('SELECT value FROM options WHERE "key" = ?', { replacements: ['settings.stripe'], transaction: null });
    const stored = JSON.stringify(rows);
    expect(stored).to.not.contain(s.stripe.secretKey);
    expect(stored).to.not.contain(PUBLISHABLE);
    expect(stored).to.contain('sealed:v1:');
  });

  it('onboards a seller: an Express account once per shop, an Account Link, and payouts only after account.updated enables it', async () => {
    const dashboard = await sellerAgent.get('/seller').expect(200);
    expect(dashboard.text).to.contain('Connect with Stripe');
    const post = () => sellerAgent.post('/seller/stripe/connect').type('form').send({ _csrf: csrfFrom(dashboard.text), shop_id: String(connected.shop.id) });
    const first = await post();
    expect(first.status).to.equal(303);
    expect(first.headers.location).to.match(/^https:\/\/connect\.stripe\.com\/setup\/e\/acct_/);
    const second = await post();
    expect(second.status).to.equal(303);
    const created = s.stripe.requestsTo('POST', '/v1/accounts');
    expect(created).to.have.length(1);
    expect(created[0].body).to.deep.include({ type: 'express' });
    expect(created[0].idempotencyKey).to.equal(`agora-connect-shop-${connected.shop.id}`);
    const links = s.stripe.requestsTo('POST', '/v1/account_links');
    expect(links.at(-1)!.body).to.deep.include({ type: 'account_onboarding', return_url: 'http://agora.test/seller/stripe/return', refresh_url: 'http://agora.test/seller/stripe/refresh' });
    const account = (await StripeAccount.findOne({ where: { shop_id: connected.shop.id } }))!;
    accountId = account.account_id;
    expect(accountId).to.match(/^acct_/);
    const { Shop } = shopModels();
    expect((await Shop.findByPk(connected.shop.id))!.payout_enabled).to.equal(false);
    expect((await sellerAgent.get('/seller')).text).to.contain('Continue with Stripe');

    // Someone else's shop: refused.
    expect((await sellerAgent.post('/seller/stripe/connect').type('form').send({ _csrf: csrfFrom(dashboard.text), shop_id: String(byHand.shop.id) })).status).to.equal(403);

    const stripeAccount = s.stripe.accounts.get(accountId)!;
    Object.assign(stripeAccount, { charges_enabled: true, payouts_enabled: true, details_submitted: true });
    await deliver(s.t, s.stripe.event('account.updated', stripeAccount)).expect(200);
    const shop = (await Shop.findByPk(connected.shop.id))!;
    expect(shop.payout_enabled).to.equal(true);
    expect(shop.payout_account).to.equal(accountId);
    expect((await sellerAgent.get('/seller')).text).to.contain('Your Stripe account is connected');
  });

  let paidGroupId = 0;

  it('pays a checkout across two shops with one charge and one transfer per order (less the platform fee); the shop without an account is paid by hand', async () => {
    const a = await makeProduct(s.t, connected.shop, { price: 4000 });
    const b = await makeProduct(s.t, byHand.shop, { price: 1500 });
    const { sessionId, payment, session } = await checkoutWithStripe(s, buyer, [{ id: a.id }, { id: b.id, quantity: 2 }]);
    expect(payment!.orders_json).to.have.length(2);
    expect(session!.amount_total).to.equal(4000 + 500 + 3000 + 500);
    expect((s.stripe.requestsTo('POST', '/v1/checkout/sessions').at(-1)!.body.payment_intent_data as Record<string, string>).transfer_group).to.equal(payment!.reference);
    await deliver(s.t, s.stripe.event('checkout.session.completed', s.stripe.pay(sessionId!))).expect(200);
    await jobsDone(s.t);
    paidGroupId = payment!.group_id;

    const { Order } = shopModels();
    const orders = await Order.findAll({ where: { group_id: payment!.group_id }, order: [['shop_id', 'ASC']] });
    expect(orders.map((o) => o.status)).to.deep.equal(['paid', 'paid']);
    const mine = orders.find((o) => o.shop_id === connected.shop.id)!;
    expect(mine.platform_fee).to.be.greaterThan(0);
    const transfers = s.stripe.requestsTo('POST', '/v1/transfers');
    expect(transfers).to.have.length(1);
    const intent = s.stripe.intents.get(s.stripe.sessions.get(sessionId!)!.payment_intent as string)!;
    expect(transfers[0].body).to.deep.include({ amount: String(mine.total - mine.platform_fee), currency: 'eur', destination: accountId, transfer_group: payment!.reference, source_transaction: intent.latest_charge });
    expect(transfers[0].idempotencyKey).to.equal(`agora-transfer-order-${mine.id}`);
    const rows = await StripeTransfer.findAll({ where: { payment_id: payment!.id }, order: [['shop_id', 'ASC']] });
    expect(rows.map((r) => r.status)).to.deep.equal(['paid', 'manual']);
    await expectLedgerIdentity();

    // The transfer job run again (a retry) sends nothing more.
    await s.t.platform.jobs.enqueue('stripe.transfer', { transferId: rows[0].id });
    await jobsDone(s.t);
    expect(s.stripe.requestsTo('POST', '/v1/transfers')).to.have.length(1);
  });

  it('refunds part of an order from the seller’s order page: Stripe refunds it with a key, the transfer’s share and the fee come back in proportion, the buyer is told', async () => {
    const { Order } = shopModels();
    const order = (await Order.findOne({ where: { group_id: paidGroupId, shop_id: connected.shop.id } }))!;
    const page = await sellerAgent.get(`/seller/orders/${encodeURIComponent(order.number)}`).expect(200);
    const key = /name="idempotency_key" value="([^"]+)"/.exec(page.text)?.[1] ?? /name="refund_key" value="([^"]+)"/.exec(page.text)?.[1];
    const form: Record<string, string> = { _csrf: csrfFrom(page.text), amount: '15.00', reason: 'One item arrived scratched' };
    for (const m of page.text.matchAll(/<input type="hidden" name="([a-z_]*key[a-z_]*)" value="([^"]+)"/g)) form[m[1]] = m[2];
    const res = await sellerAgent.post(`/seller/orders/${encodeURIComponent(order.number)}/refund`).type('form').send(form);
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    await jobsDone(s.t);
    const refundCall = s.stripe.requestsTo('POST', '/v1/refunds').at(-1)!;
    expect(refundCall.body).to.deep.include({ amount: '1500' });
    expect(String(refundCall.body.payment_intent)).to.match(/^pi_/);
    expect(refundCall.idempotencyKey).to.be.a('string').and.not.equal('');
    if (key) expect(refundCall.idempotencyKey).to.contain(key);

    const reversals = s.stripe.requestsTo('POST', '/v1/transfers/');
    expect(reversals).to.have.length(1);
    const sellerShare = Math.round(((order.total - order.platform_fee) * 1500) / order.total);
    expect(reversals[0].body).to.deep.include({ amount: String(sellerShare) });
    const feeRefund = await StripeLedgerEntry.findOne({ where: { order_id: order.id, kind: 'fee_refund' } });
    expect(feeRefund!.amount).to.equal(1500 - sellerShare);
    expect((await order.reload()).refunded_total).to.equal(1500);
    await expectLedgerIdentity();
    const mail = await s.t.smtp!.waitFor('buyer@example.test', /€15\.00 refunded/);
    expect(mail.text).to.contain('15.00');

    // Stripe's own events about that refund settle nothing twice.
    const refund = [...s.stripe.refunds.values()].at(-1)!;
    await deliver(s.t, s.stripe.event('refund.updated', refund)).expect(200);
    await deliver(s.t, s.stripe.event('charge.refunded', { id: refund.charge, object: 'charge', payment_intent: refund.payment_intent, amount_refunded: 1500 })).expect(200);
    await jobsDone(s.t);
    expect((await order.reload()).refunded_total).to.equal(1500);
    expect(s.stripe.requestsTo('POST', '/v1/transfers/')).to.have.length(1);
    await expectLedgerIdentity();
  });

  it('takes a refund made in Stripe’s dashboard as a refund of the order it names', async () => {
    const { Order } = shopModels();
    const order = (await Order.findOne({ where: { group_id: paidGroupId, shop_id: byHand.shop.id } }))!;
    const payment = (await StripePayment.findOne({ where: { group_id: paidGroupId } }))!;
    const intent = s.stripe.intents.get(payment.payment_intent_id!)!;
    const refund = { id: 're_dashboard1', object: 'refund', amount: 700, currency: 'eur', status: 'succeeded', payment_intent: intent.id, charge: intent.latest_charge, metadata: { agora_order_id: String(order.id) } };
    s.stripe.refunds.set(refund.id, refund);
    await deliver(s.t, s.stripe.event('charge.refunded', { id: intent.latest_charge, object: 'charge', payment_intent: intent.id, amount_refunded: 2200 })).expect(200);
    await jobsDone(s.t);
    expect((await order.reload()).refunded_total).to.equal(700);
    await expectLedgerIdentity();
  });

  it('shows the seller their earnings per order and balance, and the admin each payment with its Stripe ids and events and what each shop is owed', async () => {
    const dashboard = await sellerAgent.get('/seller').expect(200);
    expect(dashboard.text).to.contain('stripe-earnings');
    expect(dashboard.text).to.match(/Earned <strong>€/);
    const status = await admin.get('/admin/stripe').expect(200);
    expect(status.text).to.contain('Connected Crafts');
    expect(status.text).to.contain('Paper Goods');
    expect(status.text).to.contain('by hand');
    const payment = (await StripePayment.findOne({ where: { group_id: paidGroupId } }))!;
    const detail = await admin.get(`/admin/stripe/payments/${payment.id}`).expect(200);
    expect(detail.text).to.contain(payment.payment_intent_id!);
    expect(detail.text).to.contain('checkout.session.completed');
    expect(detail.text).to.contain('charge.refunded');
    const check = await admin.post('/admin/stripe/check').type('form').send({ _csrf: csrfFrom(status.text) });
    expect(check.status).to.equal(303);
    expect((await admin.get('/admin/stripe')).text).to.contain('the keys work');
    expect((await buyer.get('/admin/stripe')).status).to.equal(403);
  });

  it('lets the admin record what a shop without Stripe was paid by hand, once per form and never more than it is owed', async () => {
    const { balances, owed } = await import('../../../plugins/stripe/services/ledger');
    const [before] = await balances(byHand.shop.id);
    const due = owed(before.money);
    expect(due).to.be.greaterThan(0);
    const page = await admin.get('/admin/stripe').expect(200);
    const key = /name="payout_key" value="([^"]+)"/.exec(page.text)![1];
    const send = (amount: string, payoutKey = key) =>
      admin.post('/admin/stripe/payouts').type('form').send({ _csrf: csrfFrom(page.text), shop_id: String(byHand.shop.id), currency: 'EUR', amount, payout_key: payoutKey });
    const tooMuch = await send(((due + 1) / 100).toFixed(2));
    expect(tooMuch.status).to.equal(422);
    expect(tooMuch.text).to.contain('Record at most what is owed');
    expect((await send('abc')).status).to.equal(422);
    const [one, two] = await Promise.all([send((due / 100).toFixed(2)), send((due / 100).toFixed(2))]);
    expect([one.status, two.status]).to.include(303);
    const [after] = await balances(byHand.shop.id);
    expect(owed(after.money)).to.equal(0);
    expect(after.money.manualPayout).to.equal(due);
    await expectLedgerIdentity();
  });

  it('settles a refund Stripe answers as pending when refund.updated says it succeeded', async () => {
    const a = await makeProduct(s.t, connected.shop, { price: 3000 });
    const { sessionId } = await checkoutWithStripe(s, buyer, [{ id: a.id }]);
    await deliver(s.t, s.stripe.event('checkout.session.completed', s.stripe.pay(sessionId!))).expect(200);
    await jobsDone(s.t);
    const payment = (await StripePayment.findOne({ where: { session_id: sessionId } }))!;
    const { Order } = shopModels();
    const order = (await Order.findOne({ where: { group_id: payment.group_id } }))!;
    s.stripe.refundStatus = 'pending';
    const page = await sellerAgent.get(`/seller/orders/${encodeURIComponent(order.number)}`).expect(200);
    const form: Record<string, string> = { _csrf: csrfFrom(page.text), amount: '35.00', reason: 'Never arrived' };
    for (const m of page.text.matchAll(/<input type="hidden" name="([a-z_]*key[a-z_]*)" value="([^"]+)"/g)) form[m[1]] = m[2];
    expect((await sellerAgent.post(`/seller/orders/${encodeURIComponent(order.number)}/refund`).type('form').send(form)).status).to.equal(303);
    s.stripe.refundStatus = 'succeeded';
    expect((await order.reload()).refunded_total).to.equal(0);
    const refund = [...s.stripe.refunds.values()].at(-1)!;
    refund.status = 'succeeded';
    await deliver(s.t, s.stripe.event('refund.updated', refund)).expect(200);
    await jobsDone(s.t);
    expect((await order.reload()).refunded_total).to.equal(3500);
    expect(order.status).to.equal('cancelled');
    const transfer = (await StripeTransfer.findOne({ where: { order_id: order.id } }))!;
    expect(transfer.reversed).to.equal(transfer.amount);
    await expectLedgerIdentity();
  });

  it('stores or logs no card number, CVC or card field, never sends one to Stripe, and never logs a key', async () => {
    expect(logs.lines.length, 'the flows above were logged').to.be.greaterThan(10);
    for (const line of logs.lines) {
      expect(line).to.not.match(/4242424242424242|\bcvc\b|card_number|exp_month|"card":\{/i);
      for (const secret of [s.stripe.secretKey, WEBHOOK_SECRET, PUBLISHABLE]) expect(line).to.not.contain(secret);
    }
    const tables = ['stripe_payments', 'stripe_events', 'stripe_accounts', 'stripe_ledger_entries', 'stripe_transfers', 'payment_events', 'checkout_groups', 'orders', 'options'];
    for (const table of tables) {
      const [rows] = await s.t.platform.sequelize.query(`SELECT * FROM ${table}`, { transaction: null });
      const text = JSON.stringify(rows);
      expect(text, table).to.not.match(/4242424242424242|\bcvc\b|card_number|exp_month|"card":\{/i);
    }
    for (const r of s.stripe.requests) expect(JSON.stringify(r.body)).to.not.match(/"card":\{|cvc|card_number|exp_month/i);
  });

  it('hides Stripe from checkout and says what is missing when the keys are removed', async () => {
    const page = await admin.get('/admin/settings/stripe');
    const res = await admin.post('/admin/settings/stripe').type('form').send({ _csrf: csrfFrom(page.text), secretKey: '', secretKey_clear: 'on', publishableKey: '', webhookSecret: '', connectPayouts: 'on', statementDescriptor: '', apiBase: s.stripe.apiBase, timeoutSeconds: '1' });
    expect(res.status).to.equal(303);
    const status = await admin.get('/admin/stripe').expect(200);
    expect(status.text).to.contain('the secret key');
    expect(status.text).to.contain('is missing');
    const p = await makeProduct(s.t, byHand.shop, { price: 900 });
    const { res: placed } = await checkoutWithStripe(s, buyer, [{ id: p.id }]);
    expect(placed.status).to.equal(422);
    expect(placed.text).to.contain('Choose one of the payment methods offered');
    const bad = await admin.post('/admin/settings/stripe').type('form').send({ _csrf: csrfFrom(page.text), secretKey: 'not-a-key', publishableKey: '', webhookSecret: '', statementDescriptor: '', apiBase: '', timeoutSeconds: '1' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('A secret key starts with sk_test_');
    expect(bad.text).to.not.contain('not-a-key');
  });
});
