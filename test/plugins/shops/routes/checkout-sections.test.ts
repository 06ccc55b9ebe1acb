import { expect } from 'chai';
import { DataTypes, QueryTypes } from 'sequelize';
import { z } from 'zod';
import { createUser, login, startTestApp, type TestApp } from '../../../helpers/app';
import { FormSectionError } from '../../../../core/forms/section-error';
import { fragment } from '../../../../core/forms/fragment';
import type { Disposer } from '../../../../core/hooks';
import { addToCart, checkout, makeProduct, makeShop } from '../order-helpers';
import { shopModels } from '../shop-models';

describe('shops: checkout form sections (shops.checkout)', function () {
  this.timeout(60_000);
  let t: TestApp;
  let dispose: Disposer | undefined;
  let refuse = false;

  type GiftRow = { group_id: number; orders: number; email: string; user_id: number | null; note: string };
  const gifts = () => t.platform.sequelize.query<GiftRow>('SELECT group_id, orders, email, user_id, note FROM gift_notes', { type: QueryTypes.SELECT });

  /** A plugin's gift note on checkout, kept in its own table with the order group, in the order's transaction. */
  function extendCheckout(): Disposer {
    return t.platform.forms.extend('gift', 'shops.checkout', {
      schema: z.object({ gift_note: z.string().trim().max(30, 'A gift note fits in 30 characters') }),
      render: ({ values, errors }) =>
        fragment`<label for="f-gift">Gift note</label><input id="f-gift" name="gift_note" value="${values.gift_note ?? ''}">${errors.gift_note ? fragment`<p class="error">${errors.gift_note}</p>` : ''}`,
      async commit(tx, data, _req, context) {
        await t.platform.sequelize.query('INSERT INTO gift_notes (group_id, orders, email, user_id, note) VALUES (:groupId, :orders, :email, :userId, :note)', {
          replacements: { groupId: context.groupId, orders: context.orders.length, email: context.email, userId: context.userId, note: data.gift_note },
          transaction: tx,
        });
        if (refuse) throw new FormSectionError('Gift wrapping is not available right now; nothing was ordered.', 'gift_note');
      },
    });
  }

  before(async () => {
    t = await startTestApp({});
    await t.platform.sequelize.getQueryInterface().createTable('gift_notes', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      group_id: { type: DataTypes.INTEGER, allowNull: false },
      orders: { type: DataTypes.INTEGER, allowNull: false },
      email: { type: DataTypes.STRING(320), allowNull: false },
      user_id: { type: DataTypes.INTEGER, allowNull: true },
      note: { type: DataTypes.STRING(100), allowNull: false },
    });
  });
  afterEach(() => {
    dispose?.();
    dispose = undefined;
    refuse = false;
  });
  after(async () => t.close());

  async function cartWith(stock = 3) {
    const { shop } = await makeShop(t);
    const product = await makeProduct(t, shop, { price: 2_000, stock });
    const agent = t.agent();
    expect((await addToCart(agent, product.id, 2)).status).to.equal(303);
    return { agent, product };
  }

  /** Orders and groups written so far, to compare with after a refused checkout. */
  async function counts() {
    const { CheckoutGroup, Order } = shopModels();
    return { groups: await CheckoutGroup.count(), orders: await Order.count(), gifts: (await gifts()).length };
  }

  async function nothingOrdered(before: Awaited<ReturnType<typeof counts>>, productId: number, stock: number) {
    const { Product } = shopModels();
    expect(await counts()).to.deep.equal(before);
    expect((await Product.findByPk(productId))!.stock).to.equal(stock);
  }

  it('still refuses a field nobody declared, and writes no order', async () => {
    const { agent, product } = await cartWith();
    const before = await counts();
    const res = await checkout(agent, { gift_note: 'For you' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('it has fields the page did not send (gift_note)');
    await nothingOrdered(before, product.id, 3);
  });

  it('shows an active extension field right before Place order and accepts it', async () => {
    dispose = extendCheckout();
    const { agent, product } = await cartWith();
    const page = await agent.get('/checkout').expect(200);
    const field = page.text.indexOf('name="gift_note"');
    expect(field).to.be.greaterThan(page.text.indexOf('name="gateway"'));
    expect(field).to.be.lessThan(page.text.indexOf('Place order'));

    const before = await counts();
    const res = await checkout(agent, { gift_note: 'Happy birthday' });
    expect(res.status, res.text.slice(0, 1000)).to.equal(303);
    const { CheckoutGroup, Product } = shopModels();
    const groups = await CheckoutGroup.findAll({ order: [['id', 'DESC']] });
    expect(groups).to.have.length(before.groups + 1);
    expect(await gifts()).to.deep.equal([{ group_id: groups[0].id, orders: 1, email: 'buyer@example.test', user_id: null, note: 'Happy birthday' }]);
    expect((await Product.findByPk(product.id))!.stock).to.equal(1);
  });

  it('refuses a refused extension field with 422 and its message, keeps what was typed, takes no stock and writes no order', async () => {
    dispose = extendCheckout();
    const { agent, product } = await cartWith();
    const before = await counts();
    const res = await checkout(agent, { gift_note: 'x'.repeat(31), name: 'Typed Person' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('A gift note fits in 30 characters').and.contain(`value="${'x'.repeat(31)}"`).and.contain('Typed Person');
    await nothingOrdered(before, product.id, 3);
  });

  it('rolls the order back when a commit refuses: no group, no order, no stock taken, the message shown', async () => {
    dispose = extendCheckout();
    refuse = true;
    const { agent, product } = await cartWith();
    const before = await counts();
    const res = await checkout(agent, { gift_note: 'Wrap it' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Gift wrapping is not available right now');
    await nothingOrdered(before, product.id, 3);
    // The cart is still there to try again.
    expect((await agent.get('/cart')).text).to.contain('Cart (2)');
  });

  it("gives a logged-in buyer's commit their user id, and rolls their cart rows back with the order when it refuses", async () => {
    dispose = extendCheckout();
    const { user, password } = await createUser();
    const { shop } = await makeShop(t);
    const product = await makeProduct(t, shop, { price: 2_000, stock: 3 });
    const agent = t.agent();
    await login(agent, user.email, password);
    expect((await addToCart(agent, product.id, 1)).status).to.equal(303);
    refuse = true;
    const before = await counts();
    expect((await checkout(agent, { gift_note: 'Wrap it' })).status).to.equal(422);
    await nothingOrdered(before, product.id, 3);
    expect((await agent.get('/cart')).text).to.contain('Cart (1)');
    refuse = false;
    expect((await checkout(agent, { gift_note: 'Now it works' })).status).to.equal(303);
    const row = (await gifts()).find((g) => g.note === 'Now it works');
    expect(row?.user_id).to.equal(user.id);
    expect((await agent.get('/cart')).text).to.contain('Cart (0)');
  });

  it('refuses the field again once the extension is removed', async () => {
    extendCheckout()();
    const { agent, product } = await cartWith();
    expect((await agent.get('/checkout')).text).to.not.contain('gift_note');
    const before = await counts();
    const res = await checkout(agent, { gift_note: 'Late' });
    expect(res.status).to.equal(422);
    await nothingOrdered(before, product.id, 3);
  });
});
