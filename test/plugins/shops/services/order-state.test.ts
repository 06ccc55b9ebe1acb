import { expect } from 'chai';
import { startTestApp, type TestApp } from '../../../helpers/app';
import { log } from '../../../../core/log';
import type * as OrderStateModule from '../../../../plugins/shops/services/order-state';
import type * as OrderPaymentsModule from '../../../../plugins/shops/services/order-payments';
import type { Order, OrderStatus } from '../../../../plugins/shops/models/order';
import { addToCart, checkout, makeProduct, makeShop, pluginModule, setShopsSettings } from '../order-helpers';
import { shopModels } from '../shop-models';

describe('shops: the order state machine', function () {
  this.timeout(60_000);
  let t: TestApp;
  let states: typeof OrderStateModule;
  let payments: typeof OrderPaymentsModule;
  const fired: string[] = [];

  /** A pending order of a fresh product with 5 units, 2 of them bought, placed through the checkout. */
  async function pendingOrder(): Promise<Order> {
    const { shop } = await makeShop(t);
    const product = await makeProduct(t, shop, { stock: 5 });
    const agent = t.agent();
    await addToCart(agent, product.id, 2);
    const res = await checkout(agent);
    if (res.status !== 303) throw new Error(`checkout answered ${res.status}`);
    const { Order, OrderItem } = shopModels();
    const item = (await OrderItem.findOne({ where: { product_id: product.id } }))!;
    return (await Order.findByPk(item.order_id))!;
  }

  before(async () => {
    t = await startTestApp();
    states = await pluginModule<typeof OrderStateModule>('services/order-state.ts');
    payments = await pluginModule<typeof OrderPaymentsModule>('services/order-payments.ts');
    t.platform.hooks.on('test', 'shops.order.status.changed', (order, from, to) => {
      fired.push(`${order.number}:${from}->${to}`);
    });
    t.platform.hooks.on('test', 'shops.order.paid', (order) => {
      fired.push(`${order.number}:paid!`);
    });
  });
  after(async () => t.close());

  it('allows exactly the documented moves', () => {
    const legal: Array<[OrderStatus, OrderStatus]> = [
      ['pending', 'paid'],
      ['paid', 'shipped'],
      ['shipped', 'completed'],
      ['pending', 'cancelled'],
      ['pending', 'expired'],
    ];
    const all: OrderStatus[] = ['pending', 'paid', 'shipped', 'completed', 'cancelled', 'expired'];
    for (const from of all) {
      for (const to of all) {
        const expected = legal.some(([f, tt]) => f === from && tt === to);
        expect(states.canMove(from, to), `${from} -> ${to}`).to.equal(expected);
      }
    }
  });

  it('walks pending → paid → shipped → completed, writing history, counting the sale and firing hooks after commit', async () => {
    const order = await pendingOrder();
    const { Shop, OrderStatusHistory, Order } = shopModels();
    const salesBefore = (await Shop.findByPk(order.shop_id))!.sales_count;
    fired.length = 0;
    await states.moveOrder(t.platform, order, 'paid', { note: 'Cash received' });
    await states.moveOrder(t.platform, order, 'shipped', { trackingNumber: 'TRACK-42' });
    await states.moveOrder(t.platform, order, 'completed');
    const fresh = (await Order.findByPk(order.id))!;
    expect(fresh.status).to.equal('completed');
    expect(fresh.tracking_number).to.equal('TRACK-42');
    expect(fresh.paid_at).to.be.instanceOf(Date);
    expect(fresh.shipped_at).to.be.instanceOf(Date);
    expect(fresh.completed_at).to.be.instanceOf(Date);
    const history = await OrderStatusHistory.findAll({ where: { order_id: order.id }, order: [['id', 'ASC']] });
    expect(history.map((h) => `${h.from_status}->${h.to_status}`)).to.deep.equal(['null->pending', 'pending->paid', 'paid->shipped', 'shipped->completed']);
    expect(history[1].note).to.equal('Cash received');
    expect((await Shop.findByPk(order.shop_id))!.sales_count).to.equal(salesBefore + 1);
    expect(fired).to.deep.equal([`${order.number}:pending->paid`, `${order.number}:paid!`, `${order.number}:paid->shipped`, `${order.number}:shipped->completed`]);
  });

  it('refuses an illegal move with a typed error and changes nothing', async () => {
    const order = await pendingOrder();
    fired.length = 0;
    for (const to of ['shipped', 'completed'] as const) {
      let error: unknown;
      try {
        await states.moveOrder(t.platform, order, to);
      } catch (e) {
        error = e;
      }
      expect(error, to).to.be.instanceOf(states.IllegalTransition);
      expect((error as InstanceType<typeof states.IllegalTransition>).status).to.equal(409);
    }
    const { Order, OrderStatusHistory } = shopModels();
    expect((await Order.findByPk(order.id))!.status).to.equal('pending');
    expect(await OrderStatusHistory.count({ where: { order_id: order.id } })).to.equal(1);
    expect(fired).to.deep.equal([]);
  });

  it('lets only one of two simultaneous moves from the same status win', async () => {
    const order = await pendingOrder();
    const { Order } = shopModels();
    const copy = (await Order.findByPk(order.id))!;
    const results = await Promise.allSettled([states.moveOrder(t.platform, order, 'paid'), states.moveOrder(t.platform, copy, 'cancelled')]);
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).to.be.instanceOf(states.IllegalTransition);
  });

  it('puts the stock back when an order is cancelled or expires', async () => {
    const { Product, OrderItem, Order } = shopModels();
    const cancelled = await pendingOrder();
    const item = (await OrderItem.findOne({ where: { order_id: cancelled.id } }))!;
    expect((await Product.findByPk(item.product_id!))!.stock).to.equal(3);
    await states.moveOrder(t.platform, cancelled, 'cancelled');
    expect((await Product.findByPk(item.product_id!))!.stock).to.equal(5);

    // Expiry: the job expires pending orders older than pendingOrderHours.
    await setShopsSettings(t, { pendingOrderHours: 2 });
    const old = await pendingOrder();
    const fresh = await pendingOrder();
    await Order.update({ created_at: new Date(Date.now() - 3 * 3600_000) }, { where: { id: old.id }, silent: true });
    const expired = await payments.expirePending({ hooks: t.platform.hooks, sequelize: t.platform.sequelize, log }, 2);
    expect(expired).to.equal(1);
    expect((await Order.findByPk(old.id))!.status).to.equal('expired');
    expect((await Order.findByPk(fresh.id))!.status).to.equal('pending');
    const oldItem = (await OrderItem.findOne({ where: { order_id: old.id } }))!;
    expect((await Product.findByPk(oldItem.product_id!))!.stock).to.equal(5);
    const { CheckoutGroup } = shopModels();
    expect((await CheckoutGroup.findByPk(old.group_id))!.status).to.equal('expired');
  });

  it('runs the expiry as a background job', async () => {
    const { Order } = shopModels();
    const old = await pendingOrder();
    await Order.update({ created_at: new Date(Date.now() - 3 * 3600_000) }, { where: { id: old.id }, silent: true });
    await t.platform.jobs.enqueue('shops.expire-pending', {});
    await t.platform.jobs.idle();
    expect((await Order.findByPk(old.id))!.status).to.equal('expired');
  });
});
