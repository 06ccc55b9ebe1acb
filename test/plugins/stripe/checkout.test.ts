import { expect } from 'chai';
import { createUser, login } from '../../helpers/app';
import { stripeSignature } from '../../helpers/stripe-server';
import { StripeEvent, StripePayment } from '../../../plugins/stripe/models';
import { makeProduct, makeShop } from '../shops/order-helpers';
import { shopModels } from '../shops/shop-models';
import { WEBHOOK_SECRET, checkoutWithStripe, deliver, expectLedgerIdentity, jobsDone, startStripeApp, type StripeTestApp } from './stripe-helpers';

/** Issue 9: paying a checkout group with Stripe Checkout, and the webhooks that settle it. */
describe('stripe: checkout and webhooks', function () {
  // Each test is a few requests; the margin is for a machine shared with other suites.
  this.timeout(45_000);
  let s: StripeTestApp;
  // One buyer and one shop for the file (passwords are hashed slowly on purpose); each test its own product.
  let agent: ReturnType<StripeTestApp['t']['agent']>;
  let shop: Awaited<ReturnType<typeof makeShop>>['shop'];
  before(async function () {
    // A fresh database, a seller and a buyer with hashed passwords: slow on purpose, once for the file.
    this.timeout(60_000);
    s = await startStripeApp();
    shop = (await makeShop(s.t)).shop;
    const { user, password } = await createUser();
    agent = s.t.agent();
    await login(agent, user.username, password);
  });
  after(async () => s?.close());

  async function placed(price = 1250, quantity = 2, stock: number | null = 10) {
    const product = await makeProduct(s.t, shop, { price, stock });
    const out = await checkoutWithStripe(s, agent, [{ id: product.id, quantity }]);
    return { ...out, agent, shop, product };
  }

  const groupOf = async (id: number) => (await shopModels().CheckoutGroup.findByPk(id))!;
  const ordersOf = async (groupId: number) => shopModels().Order.findAll({ where: { group_id: groupId }, order: [['id', 'ASC']] });

  it('makes one Checkout Session for the group: line items that match the order, the amount from the server, the reference and metadata, and an idempotency key', async () => {
    const { res, session, payment, product } = await placed(1250, 2);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(session!.url);
    const call = s.stripe.requestsTo('POST', '/v1/checkout/sessions').at(-1)!;
    const group = await groupOf(payment!.group_id);
    expect(call.idempotencyKey).to.equal(`agora-${group.reference}-attempt-1`);
    expect(call.body.mode).to.equal('payment');
    expect(call.body.client_reference_id).to.equal(group.reference);
    expect(call.body.metadata).to.deep.equal({ agora_group_id: String(group.id), agora_reference: group.reference, agora_attempt: '1' });
    const items = call.body.line_items as Array<{ quantity: string; price_data: { currency: string; unit_amount: string; product_data: { name: string } } }>;
    expect(items[0]).to.deep.include({ quantity: '2' });
    expect(items[0].price_data).to.deep.include({ currency: 'eur', unit_amount: '1250' });
    expect(items[0].price_data.product_data.name).to.equal(product.title);
    expect(items[1].price_data.product_data.name).to.equal(`Shipping: ${shop.name}`);
    expect(session!.amount_total).to.equal(group.total);
    expect(group.total).to.equal(1250 * 2 + 500);
    expect((call.body.payment_intent_data as Record<string, string>).statement_descriptor_suffix).to.equal('AGORA MARKET');
    expect(String(call.body.cancel_url)).to.match(/^http:\/\/agora\.test\/stripe\/cancel\?t=/);
    expect(group.payment_ref).to.equal(session!.id);
    expect(payment!.status).to.equal('open');
  });

  it('shows "payment pending" on the return page until the webhook confirms, however often it is reloaded', async () => {
    const { payment } = await placed();
    for (let i = 0; i < 2; i++) {
      const page = await agent.get(payment!.return_url.replace('http://agora.test', '')).expect(200);
      expect(page.text).to.contain('Payment pending');
    }
    expect((await ordersOf(payment!.group_id)).map((o) => o.status)).to.deep.equal(['pending']);
  });

  it('marks the orders paid on checkout.session.completed (shops.order.paid fires), once: a replay and concurrent duplicates change nothing', async () => {
    const { sessionId, payment } = await placed(2000, 1);
    const paidEvents: number[] = [];
    s.t.platform.hooks.on('test', 'shops.order.paid', async (order) => void paidEvents.push(order.id));
    const event = s.stripe.event('checkout.session.completed', s.stripe.pay(sessionId!));
    const answers = await Promise.all([deliver(s.t, event), deliver(s.t, event), deliver(s.t, event)]);
    expect(answers.map((a) => a.status)).to.deep.equal([200, 200, 200]);
    expect(answers.filter((a) => a.body.duplicate === false)).to.have.length(1);
    const again = await deliver(s.t, event);
    expect(again.status).to.equal(200);
    expect(again.body.duplicate).to.equal(true);

    const orders = await ordersOf(payment!.group_id);
    expect(orders.map((o) => o.status)).to.deep.equal(['paid']);
    expect(paidEvents.filter((id) => id === orders[0].id)).to.have.length(1);
    expect(await StripeEvent.count({ where: { event_id: event.id } })).to.equal(1);
    await payment!.reload();
    expect(payment!.status).to.equal('paid');
    expect(payment!.payment_intent_id).to.match(/^pi_/);
    expect(payment!.amount_paid).to.equal(2500);
    const page = await agent.get(payment!.return_url.replace('http://agora.test', '')).expect(200);
    expect(page.text).to.not.contain('Payment pending');
    await jobsDone(s.t);
    await expectLedgerIdentity();
  });

  it('refuses a forged, a missing and a stale signature with 400 and changes nothing', async () => {
    const { sessionId, payment } = await placed();
    const event = s.stripe.event('checkout.session.completed', s.stripe.pay(sessionId!));
    const payload = JSON.stringify(event, null, 2);
    expect((await deliver(s.t, event, { secret: 'whsec_someoneElse000' })).status).to.equal(400);
    expect((await deliver(s.t, event, { signature: '' })).status).to.equal(400);
    expect((await deliver(s.t, event, { timestamp: Math.floor(Date.now() / 1000) - 301 })).status).to.equal(400);
    // Signed right, but the body changed after signing.
    const tampered = await s.t.agent().post('/stripe/webhook').set('Content-Type', 'application/json').set('Stripe-Signature', stripeSignature(payload, WEBHOOK_SECRET)).send(payload.replace('"paid"', '"paid" '));
    expect(tampered.status).to.equal(400);
    expect(await StripeEvent.count({ where: { event_id: event.id } })).to.equal(0);
    expect((await ordersOf(payment!.group_id)).map((o) => o.status)).to.deep.equal(['pending']);
  });

  it('puts the group in needs_review when Stripe reports another amount or currency, and never marks it paid', async () => {
    const { sessionId, payment } = await placed(1000, 1);
    const session = s.stripe.pay(sessionId!);
    const event = s.stripe.event('checkout.session.completed', { ...session, amount_total: Number(session.amount_total) - 1 });
    expect((await deliver(s.t, event)).status).to.equal(200);
    const group = await groupOf(payment!.group_id);
    expect(group.status).to.equal('needs_review');
    expect((await ordersOf(group.id)).map((o) => o.status)).to.deep.equal(['pending']);
    await payment!.reload();
    expect(payment!.status).to.equal('needs_review');
    const { session: other, payment: p2 } = await placed(1000, 1);
    const paid = s.stripe.pay(other!.id as string);
    await deliver(s.t, s.stripe.event('checkout.session.completed', { ...paid, currency: 'usd' }));
    expect((await groupOf(p2!.group_id)).status).to.equal('needs_review');
  });

  it('cancels the orders and puts the stock back on an expired session or a failed delayed payment; a late completion never reopens them', async () => {
    const { sessionId, payment, product } = await placed(700, 3, 5);
    const { Product } = shopModels();
    expect((await Product.findByPk(product.id))!.stock).to.equal(2);
    await deliver(s.t, s.stripe.event('checkout.session.expired', { ...s.stripe.sessions.get(sessionId!)!, status: 'expired' })).expect(200);
    expect((await ordersOf(payment!.group_id)).map((o) => o.status)).to.deep.equal(['expired']);
    expect((await Product.findByPk(product.id))!.stock).to.equal(5);
    // A completion arriving after the expiry is money for closed orders: an admin looks, nothing reopens.
    await deliver(s.t, s.stripe.event('checkout.session.completed', s.stripe.pay(sessionId!))).expect(200);
    expect((await ordersOf(payment!.group_id)).map((o) => o.status)).to.deep.equal(['expired']);

    const delayed = await placed(900, 1, 4);
    const pending = s.stripe.pay(delayed.sessionId!, { paymentStatus: 'unpaid' });
    await deliver(s.t, s.stripe.event('checkout.session.completed', pending)).expect(200);
    expect((await ordersOf(delayed.payment!.group_id)).map((o) => o.status)).to.deep.equal(['pending']);
    await deliver(s.t, s.stripe.event('checkout.session.async_payment_failed', pending)).expect(200);
    expect((await ordersOf(delayed.payment!.group_id)).map((o) => o.status)).to.deep.equal(['cancelled']);
    expect((await Product.findByPk(delayed.product.id))!.stock).to.equal(4);
  });

  it('answers 200 and ignores events for sessions Agora did not make, and events it does not use', async () => {
    const stranger = s.stripe.event('checkout.session.completed', { id: 'cs_test_notours', object: 'checkout.session', payment_status: 'paid', amount_total: 100, currency: 'eur' });
    const res = await deliver(s.t, stranger);
    expect(res.status).to.equal(200);
    expect((await StripeEvent.findOne({ where: { event_id: stranger.id } }))!.result).to.match(/not a session Agora made/);
    expect((await deliver(s.t, s.stripe.event('customer.created', { id: 'cus_x', object: 'customer' }))).status).to.equal(200);
  });

  it('when Stripe answers 500 or does not answer, the buyer sees a clear message, nothing is paid, the cart is kept, and a retry makes a new session and charges once', async () => {
    const product = await makeProduct(s.t, shop, { price: 1500, stock: 3 });
    for (const [i, failure] of [{ status: 500 }, { hang: true as const }].entries()) {
      s.stripe.failNext('/v1/checkout/sessions', failure);
      // The first attempt fills the cart; the second finds it given back as it was.
      const failed = await checkoutWithStripe(s, agent, i === 0 ? [{ id: product.id }] : []);
      expect(failed.res.status).to.equal(422);
      expect(failed.res.text).to.contain('The payment could not be started. Nothing was charged');
      expect((await shopModels().Product.findByPk(product.id))!.stock).to.equal(3);
      const cart = await agent.get('/cart');
      expect(cart.text).to.contain(product.title);
    }
    const failedPayments = await StripePayment.findAll({ where: { status: 'failed' } });
    expect(failedPayments.some((p) => /Session not created/.test(p.failure ?? ''))).to.equal(true);
    const retry = await checkoutWithStripe(s, agent, []);
    expect(retry.res.status).to.equal(303);
    await deliver(s.t, s.stripe.event('checkout.session.completed', s.stripe.pay(retry.sessionId!))).expect(200);
    const paid = await StripePayment.findAll({ where: { status: 'paid', group_id: retry.payment!.group_id } });
    expect(paid).to.have.length(1);
    expect((await ordersOf(retry.payment!.group_id)).map((o) => o.status)).to.deep.equal(['paid']);
    expect((await shopModels().Product.findByPk(product.id))!.stock).to.equal(2);
    // Each attempt had its own key: Stripe was never asked to change an old session.
    const keys = s.stripe.requestsTo('POST', '/v1/checkout/sessions').map((r) => r.idempotencyKey);
    expect(new Set(keys).size).to.equal(keys.length);
  });

  it('"cancel" on Stripe’s page expires the session, cancels the orders (stock back) and returns to the cart with the cart intact', async () => {
    const { session, payment, product } = await placed(800, 2, 6);
    const cancel = new URL(String(session!.cancel_url));
    const res = await agent.get(`${cancel.pathname}${cancel.search}`);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/cart');
    expect(s.stripe.sessions.get(session!.id as string)!.status).to.equal('expired');
    expect((await ordersOf(payment!.group_id)).map((o) => o.status)).to.deep.equal(['cancelled']);
    expect((await shopModels().Product.findByPk(product.id))!.stock).to.equal(6);
    const cart = await agent.get('/cart');
    expect(cart.text).to.contain('Your cart is as you left it');
    expect(cart.text).to.contain(product.title);
    expect(cart.text).to.match(/name="quantity[^"]*" value="2"|value="2"/);
    // Stripe's own expiry event that follows changes nothing more.
    await deliver(s.t, s.stripe.event('checkout.session.expired', s.stripe.sessions.get(session!.id as string)!)).expect(200);
    expect((await ordersOf(payment!.group_id)).map((o) => o.status)).to.deep.equal(['cancelled']);
    expect((await agent.get('/stripe/cancel?t=forged')).headers.location).to.equal('/cart');
  });
});
