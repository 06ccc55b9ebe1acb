import { expect } from 'chai';
import type { PaymentGateway } from '../../../../plugins/shops/payments/gateway';
import { ADMIN, createUser, login, startTestApp, type TestApp } from '../../../helpers/app';
import { addToCart, checkout, checkoutForm, makeProduct, makeShop, setShopsSettings } from '../order-helpers';
import { shopModels } from '../shop-models';

describe('shops: checkout', function () {
  this.timeout(60_000);
  let t: TestApp;

  before(async () => {
    t = await startTestApp({ smtp: true });
    await setShopsSettings(t, { feePercent: 5, feeFixed: 30 });
  });
  after(async () => t.close());

  it('turns a cart with items from two shops into one group of two orders with server-side totals, fees and emails to everyone', async () => {
    const a = await makeShop(t, { name: 'North Wool', methods: [{ name: 'Post', price: 590, free_over: 10_000 }] });
    const b = await makeShop(t, { name: 'Clay Works', methods: [{ name: 'Courier', price: 790 }] });
    const sweater = await makeProduct(t, a.shop, { title: 'Sweater', price: 12_900, stock: 5 });
    const plate = await makeProduct(t, b.shop, { title: 'Plate', price: 1_050, stock: 7 });
    const agent = t.agent();
    expect((await addToCart(agent, sweater.id, 1)).status).to.equal(303);
    expect((await addToCart(agent, plate.id, 2)).status).to.equal(303);
    const cart = await agent.get('/cart');
    expect(cart.text).to.include('Sweater').and.include('Plate').and.include('Cart (3)');

    const res = await checkout(agent, { email: 'Guest.Buyer@Example.test', price: '1', total: '1', platform_fee: '0', subtotal: '1' });
    expect(res.status, res.text.slice(0, 2000)).to.equal(303);
    expect(res.headers.location).to.match(/^\/checkout\/orders\/AG-[A-Z0-9-]+\?key=/);

    const { CheckoutGroup, Order, OrderItem, Product } = shopModels();
    const groups = await CheckoutGroup.findAll();
    expect(groups).to.have.length(1);
    const orders = await Order.findAll({ where: { group_id: groups[0].id }, order: [['shop_id', 'ASC']] });
    expect(orders).to.have.length(2);
    const [oa, ob] = orders;
    // North Wool: 129.00, free shipping over 100.00; fee 5% = 6.45 + 0.30.
    expect([oa.subtotal, oa.shipping_total, oa.total, oa.platform_fee]).to.deep.equal([12_900, 0, 12_900, 645 + 30]);
    // Clay Works: 21.00 + 7.90; fee 5% of 2100 = 105 + 30.
    expect([ob.subtotal, ob.shipping_total, ob.total, ob.platform_fee]).to.deep.equal([2_100, 790, 2_890, 105 + 30]);
    expect(groups[0].total).to.equal(12_900 + 2_890);
    expect(groups[0].email).to.equal('guest.buyer@example.test');
    expect(orders.every((o) => o.status === 'pending' && o.buyer_id === null)).to.equal(true);
    expect(await OrderItem.count()).to.equal(2);
    expect((await Product.findByPk(sweater.id))!.stock).to.equal(4);
    expect((await Product.findByPk(plate.id))!.stock).to.equal(5);

    const page = await agent.get(res.headers.location);
    expect(page.status).to.equal(200);
    expect(page.text).to.include(groups[0].reference).and.include('How to pay');
    expect((await agent.get('/cart')).text).to.include('Cart (0)');

    await t.platform.jobs.idle();
    const buyerMail = await t.smtp!.waitFor('guest.buyer@example.test', /Your order AG-/);
    expect(buyerMail.text).to.include('North Wool').and.include('Clay Works').and.include('Sweater').and.include('Plate');
    expect(buyerMail.text).to.include(`/checkout/orders/${groups[0].reference}?key=`);
    const sellerA = await t.smtp!.waitFor(a.seller.email, /New order .* for North Wool/);
    expect(sellerA.text).to.include('Sweater').and.not.include('Plate');
    expect(sellerA.text).to.include('Ada Lovelace').and.include('guest.buyer@example.test');
    const sellerB = await t.smtp!.waitFor(b.seller.email, /New order .* for Clay Works/);
    expect(sellerB.text).to.include('Plate').and.not.include('Sweater');
    const admin = await t.smtp!.waitFor(ADMIN.email, /Checkout AG-/);
    expect(admin.text).to.include('€8.10'); // 6.75 + 1.35 of fees
  });

  it('lets a guest come back to the confirmation with the link, and nobody without it', async () => {
    const { CheckoutGroup } = shopModels();
    const group = (await CheckoutGroup.findAll({ order: [['id', 'DESC']], limit: 1 }))[0];
    const stranger = t.agent();
    expect((await stranger.get(`/checkout/orders/${group.reference}`)).status).to.equal(404);
    expect((await stranger.get(`/checkout/orders/${group.reference}?key=${'x'.repeat(32)}`)).status).to.equal(404);
  });

  it('refuses a tampered checkout form with 422 and writes nothing', async () => {
    const { shop } = await makeShop(t);
    const p = await makeProduct(t, shop, { stock: 3 });
    const other = await makeProduct(t, shop, { stock: 3 });
    const agent = t.agent();
    await addToCart(agent, p.id, 2);
    const { CheckoutGroup, Order, Product } = shopModels();
    const before = { groups: await CheckoutGroup.count(), orders: await Order.count() };
    const form = await checkoutForm(agent);
    const send = (fields: Record<string, string>, drop: string[] = []) => {
      const body: Record<string, string> = { ...form, email: 'x@example.test', name: 'X', line1: 'Y', line2: '', city: 'Z', postcode: '1', country: 'FR', phone: '', gateway: 'manual', ...fields };
      for (const d of drop) delete body[d];
      return agent.post('/checkout').type('form').send(body);
    };
    const cases: Array<[Record<string, string>, string[]]> = [
      [{ is_admin: '1' }, []],
      [{ [`item_${other.id}`]: '1' }, []],
      [{ [`item_${p.id}`]: '-1' }, []],
      [{ [`item_${p.id}`]: '99999999999' }, []],
      [{ [`item_${p.id}`]: '1' }, []],
      [{}, [`item_${p.id}`]],
      [{ gateway: 'free-money' }, []],
    ];
    for (const [fields, drop] of cases) {
      const res = await send(fields, drop);
      expect(res.status, JSON.stringify(fields)).to.equal(422);
    }
    expect(await CheckoutGroup.count()).to.equal(before.groups);
    expect(await Order.count()).to.equal(before.orders);
    expect((await Product.findByPk(p.id))!.stock).to.equal(3);
    // The same cart goes through untampered.
    expect((await send({})).status).to.equal(303);
  });

  it('saves the address of a logged-in buyer and offers it next time', async () => {
    const { shop } = await makeShop(t);
    const p = await makeProduct(t, shop);
    const { user, password } = await createUser();
    const agent = t.agent();
    await login(agent, user.username, password);
    await addToCart(agent, p.id, 1);
    const res = await checkout(agent, { save_address: 'on', email: user.email, phone: '+33 1 23 45 67 89' });
    expect(res.status, res.text.slice(0, 1500)).to.equal(303);
    const { Address, Order } = shopModels();
    const saved = await Address.findAll({ where: { user_id: user.id } });
    expect(saved).to.have.length(1);
    expect(saved[0].phone).to.equal('+33 1 23 45 67 89');
    const order = await Order.findOne({ where: { buyer_id: user.id } });
    expect(order!.email).to.equal(user.email);
    await addToCart(agent, p.id, 1);
    const page = await agent.get('/checkout');
    expect(page.text).to.include('10 Downing Street');
    // Checking out with the saved address only.
    const again = await checkout(agent, { address_id: String(saved[0].id), name: '', line1: '', city: '', postcode: '', country: '' });
    expect(again.status, again.text.slice(0, 1500)).to.equal(303);
    expect(await Address.count({ where: { user_id: user.id } })).to.equal(1);
    // Someone else's address id is refused.
    const { user: other, password: otherPw } = await createUser();
    const otherAgent = t.agent();
    await login(otherAgent, other.username, otherPw);
    await addToCart(otherAgent, p.id, 1);
    const stolen = await checkout(otherAgent, { address_id: String(saved[0].id) });
    expect(stolen.status).to.equal(422);
  });
  it('checks out one currency at a time when the cart holds two, leaving the other in the cart', async () => {
    const { shop: eur } = await makeShop(t, { currency: 'EUR' });
    const { shop: usd } = await makeShop(t, { name: 'Dollar Store', currency: 'USD' });
    const e = await makeProduct(t, eur, { title: 'Euro Thing' });
    const u = await makeProduct(t, usd, { title: 'Dollar Thing' });
    const agent = t.agent();
    await addToCart(agent, e.id, 1);
    await addToCart(agent, u.id, 1);
    expect((await agent.get('/cart')).text).to.include('One payment is in one currency');
    const choose = await agent.get('/checkout');
    expect(choose.text).to.include('/checkout?currency=EUR').and.include('/checkout?currency=USD');
    expect(choose.text).to.not.include('Place order');
    // Without choosing, the form is refused.
    const form = await checkoutForm(agent, '/checkout?currency=USD');
    const mixed = await agent.post('/checkout').type('form').send({ ...form, currency: '', [`item_${e.id}`]: '1', email: 'x@example.test', name: 'X', line1: 'Y', city: 'Z', postcode: '1', country: 'FR', gateway: 'manual' });
    expect(mixed.status).to.equal(422);
    const res = await checkout(agent, {}, '/checkout?currency=USD');
    expect(res.status, res.text.slice(0, 1000)).to.equal(303);
    const { Order, OrderItem } = shopModels();
    const item = (await OrderItem.findOne({ where: { product_id: u.id } }))!;
    expect((await Order.findByPk(item.order_id))!.currency).to.equal('USD');
    expect(await OrderItem.count({ where: { product_id: e.id } })).to.equal(0);
    const cart = await agent.get('/cart');
    expect(cart.text).to.include('Euro Thing').and.include('Cart (1)');
  });

  it('sends guests to log in when guest checkout is off, and writes nothing', async () => {
    const { shop } = await makeShop(t);
    const p = await makeProduct(t, shop);
    const agent = t.agent();
    await addToCart(agent, p.id, 1);
    const form = await checkoutForm(agent);
    await setShopsSettings(t, { guestCheckout: false });
    try {
      const page = await agent.get('/checkout');
      expect(page.status).to.equal(302);
      expect(page.headers.location).to.equal('/login?next=%2Fcheckout');
      const { Order } = shopModels();
      const before = await Order.count();
      const res = await agent.post('/checkout').type('form').send({ ...form, email: 'x@example.test', name: 'X', line1: 'Y', city: 'Z', postcode: '1', country: 'FR', gateway: 'manual' });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.match(/^\/login/);
      expect(await Order.count()).to.equal(before);
    } finally {
      await setShopsSettings(t, { guestCheckout: true });
    }
  });

  it('refuses an address the shop does not ship to, and a delivery method of another shop', async () => {
    const { shop, methods } = await makeShop(t, { name: 'Local Only', methods: [{ name: 'Bike courier', price: 300, countries: 'PT' }] });
    const p = await makeProduct(t, shop);
    const agent = t.agent();
    await addToCart(agent, p.id, 1);
    let res = await checkout(agent, { country: 'FR' });
    expect(res.status).to.equal(422);
    expect(res.text).to.include('Local Only does not ship to France');
    const { methods: others } = await makeShop(t);
    res = await checkout(agent, { country: 'PT', [`shipping_${shop.id}`]: String(others[0].id) });
    expect(res.status).to.equal(422);
    res = await checkout(agent, { country: 'PT', [`shipping_${shop.id}`]: String(methods[0].id) });
    expect(res.status).to.equal(303);
  });

  it('links the buyer’s orders from the account page', async () => {
    const { user, password } = await createUser();
    const agent = t.agent();
    await login(agent, user.username, password);
    const page = await agent.get('/account');
    expect(page.text).to.include('href="/account/orders"');
  });
  it('cancels the orders and keeps the cart when the payment cannot start', async () => {
    const broken: PaymentGateway = {
      id: 'brokenpay',
      title: 'BrokenPay',
      description: 'A provider that is down.',
      isAvailable: () => true,
      createPayment: async () => {
        throw new Error('provider unreachable');
      },
      paymentStatus: async () => 'failed',
      refund: async () => ({ refundRef: '', status: 'failed' }),
    };
    const dispose = t.platform.hooks.filter('test', 'shops.payment.gateways', (list) => [...list, broken]);
    try {
      const { shop } = await makeShop(t);
      const p = await makeProduct(t, shop, { stock: 2 });
      const { user, password } = await createUser();
      const agent = t.agent();
      await login(agent, user.username, password);
      await addToCart(agent, p.id, 2);
      const res = await checkout(agent, { gateway: 'brokenpay', email: user.email });
      expect(res.status).to.equal(422);
      expect(res.text).to.include('The payment could not be started');
      const { Order, Product, CheckoutGroup } = shopModels();
      const order = (await Order.findOne({ where: { buyer_id: user.id } }))!;
      expect(order.status).to.equal('cancelled');
      expect((await CheckoutGroup.findByPk(order.group_id))!.status).to.equal('failed');
      expect((await Product.findByPk(p.id))!.stock).to.equal(2);
      expect((await agent.get('/cart')).text).to.include('Cart (2)');
    } finally {
      dispose();
    }
  });
});
