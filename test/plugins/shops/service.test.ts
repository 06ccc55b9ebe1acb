import { expect } from 'chai';
import type supertest from 'supertest';
import { createUser, csrfFrom, login, startTestApp, type TestApp } from '../../helpers/app';
import type { ShopsService } from '../../../plugins/shops/service';
import { addToCart, checkout, makeProduct, makeShop } from './order-helpers';
import { shopModels } from './shop-models';

describe('shops: the service other plugins use (ctx.service("shops"))', function () {
  this.timeout(60_000);
  let t: TestApp;
  let shops: ShopsService;
  let shop: Awaited<ReturnType<typeof makeShop>>;
  let seller: supertest.Agent;

  /** Posts a form of the seller's order page, as the seller would. */
  async function sellerPost(number: string, action: string, fields: Record<string, string>) {
    const token = csrfFrom((await seller.get(`/seller/orders/${number}`)).text);
    const res = await seller.post(`/seller/orders/${number}/${action}`).type('form').send({ _csrf: token, ...fields });
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
  }

  /** A logged-in buyer's order of one product, through the cart and checkout pages. */
  async function buy(agent: supertest.Agent, productId: number, email: string) {
    await addToCart(agent, productId, 1);
    expect((await checkout(agent, { email })).status).to.equal(303);
    const { Order, OrderItem } = shopModels();
    const item = await OrderItem.findOne({ where: { product_id: productId }, order: [['id', 'DESC']] });
    return (await Order.findByPk(item!.order_id))!;
  }

  before(async () => {
    t = await startTestApp();
    const provided = t.platform.plugins.serviceOf('shops');
    if (!provided) throw new Error('shops provides no service');
    shops = provided;
    shop = await makeShop(t, { name: 'Service Shop' });
    seller = t.agent();
    await login(seller, shop.seller.username, shop.password);
  });
  after(async () => t.close());

  it('is published while shops is active, and gone when it is deactivated', async () => {
    await t.platform.plugins.deactivate('shops');
    expect(t.platform.plugins.serviceOf('shops')).to.equal(undefined);
    await t.platform.plugins.activate('shops');
    const again = t.platform.plugins.serviceOf('shops');
    expect(again).to.be.an('object');
    shops = again!;
  });

  it('hasPaidOrderContaining: only a paid order of that buyer with that product counts, not after a full refund', async () => {
    const mug = await makeProduct(t, shop.shop, { title: 'Service Mug', price: 1000 });
    const other = await makeProduct(t, shop.shop, { title: 'Other Thing', price: 1000 });
    const { user, password } = await createUser();
    const { user: stranger } = await createUser();
    const buyer = t.agent();
    await login(buyer, user.username, password);

    const order = await buy(buyer, mug.id, user.email);
    expect(order.status).to.equal('pending');
    expect(await shops.hasPaidOrderContaining(user.id, mug.id), 'a pending order is no purchase').to.equal(false);

    await sellerPost(order.number, 'status', { to: 'paid' });
    expect(await shops.hasPaidOrderContaining(user.id, mug.id)).to.equal(true);
    expect(await shops.hasPaidOrderContaining(user.id, other.id), 'another product').to.equal(false);
    expect(await shops.hasPaidOrderContaining(stranger.id, mug.id), 'another user').to.equal(false);

    await sellerPost(order.number, 'refund', { amount: '5.00', idempotency_key: 'service-refund-0001', reason: '' });
    expect(await shops.hasPaidOrderContaining(user.id, mug.id), 'partly refunded: still bought').to.equal(true);
    await sellerPost(order.number, 'refund', { amount: '10.00', idempotency_key: 'service-refund-0002', reason: '' });
    const { Order } = shopModels();
    expect((await Order.findByPk(order.id))!.status).to.equal('cancelled');
    expect(await shops.hasPaidOrderContaining(user.id, mug.id), 'refunded in full').to.equal(false);
  });

  it("orderParties and shopMembers: the buyer (account or guest email) and the shop's people, owner first", async () => {
    const { ShopMember } = shopModels();
    const { user: staff } = await createUser({ role: 'seller' });
    await ShopMember.create({ shop_id: shop.shop.id, user_id: staff.id, role: 'staff' });
    const product = await makeProduct(t, shop.shop, { title: 'Party Plate' });

    const { user, password } = await createUser();
    const buyer = t.agent();
    await login(buyer, user.username, password);
    const order = await buy(buyer, product.id, user.email);
    expect(await shops.orderParties(order.id)).to.deep.equal({
      orderId: order.id,
      number: order.number,
      status: 'pending',
      buyerUserId: user.id,
      buyerEmail: user.email,
      shopId: shop.shop.id,
      shopMemberIds: [shop.seller.id, staff.id],
    });

    const guestOrder = await buy(t.agent(), product.id, 'guest-party@example.test');
    const guest = await shops.orderParties(guestOrder.id);
    expect([guest?.buyerUserId, guest?.buyerEmail]).to.deep.equal([null, 'guest-party@example.test']);
    expect(await shops.orderParties(999_999)).to.equal(undefined);

    expect(await shops.shopMembers(shop.shop.id)).to.deep.equal([
      { userId: shop.seller.id, role: 'owner' },
      { userId: staff.id, role: 'staff' },
    ]);
    expect(await shops.shopMembers(999_999)).to.deep.equal([]);
  });

  it('productCard and shopCard: what a list in another plugin shows, with the public addresses', async () => {
    const { Product } = shopModels();
    const product = await makeProduct(t, shop.shop, { title: 'Card Candle', price: 1250 });
    await Product.update({ image_path: 'shops/candle.webp' }, { where: { id: product.id } });
    const shopCard = {
      id: shop.shop.id,
      name: 'Service Shop',
      slug: shop.shop.slug,
      url: `/shops/${shop.shop.slug}`,
      logoUrl: null,
      currency: 'EUR',
    };
    expect(await shops.productCard(product.id)).to.deep.equal({
      id: product.id,
      title: 'Card Candle',
      slug: product.slug,
      url: `/products/${product.slug}`,
      price: 1250,
      currency: 'EUR',
      imageUrl: '/uploads/shops/candle.webp',
      published: true,
      shop: shopCard,
    });
    // The addresses it gives are the real pages.
    expect((await t.agent().get(`/products/${product.slug}`)).text).to.contain('Card Candle');
    expect((await t.agent().get(`/shops/${shop.shop.slug}`)).status).to.equal(200);
    const draft = await makeProduct(t, shop.shop, { title: 'Draft Dish', status: 'draft' });
    expect((await shops.productCard(draft.id))?.published).to.equal(false);
    expect(await shops.productCard(999_999)).to.equal(undefined);
    expect(await shops.shopCard(shop.shop.id)).to.deep.equal(shopCard);
    expect(await shops.shopCard(999_999)).to.equal(undefined);
  });

  it("orderNotes, memberShopIds and buyerOrders: an order's notes, a person's shops, a buyer's orders from one shop", async () => {
    const product = await makeProduct(t, shop.shop, { title: 'Note Bowl' });
    const { user, password } = await createUser();
    const buyer = t.agent();
    await login(buyer, user.username, password);
    const order = await buy(buyer, product.id, user.email);
    expect(await shops.orderNotes(order.id)).to.deep.equal([]);
    const token = csrfFrom((await buyer.get(`/account/orders/${order.number}`)).text);
    expect((await buyer.post(`/account/orders/${order.number}/notes`).type('form').send({ _csrf: token, body: 'Please gift-wrap it.' })).status).to.equal(303);
    await sellerPost(order.number, 'notes', { body: 'Will do.' });
    const notes = await shops.orderNotes(order.id);
    expect(notes.map((n) => [n.authorSide, n.authorId, n.body])).to.deep.equal([
      ['buyer', user.id, 'Please gift-wrap it.'],
      ['seller', shop.seller.id, 'Will do.'],
    ]);
    expect(notes[0].createdAt).to.be.instanceOf(Date);

    expect(await shops.memberShopIds(shop.seller.id)).to.deep.equal([shop.shop.id]);
    expect(await shops.memberShopIds(user.id)).to.deep.equal([]);
    const orders = await shops.buyerOrders(user.id, shop.shop.id);
    expect(orders.map((o) => [o.orderId, o.number, o.status])).to.deep.equal([[order.id, order.number, 'pending']]);
    expect(await shops.buyerOrders(user.id, 999_999)).to.deep.equal([]);
  });

  it('joins the caller’s transaction: a product created and rolled back there is seen inside only', async () => {
    const { Product } = shopModels();
    let seenInside: string | undefined;
    await t.platform.sequelize
      .transaction(async () => {
        const p = await Product.create({ shop_id: shop.shop.id, title: 'Rolled Back', slug: `rolled-back-${Date.now()}`, price: 100, compare_at_price: null, currency: 'EUR', stock: 1, category_id: null });
        seenInside = (await shops.productCard(p.id))?.title;
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(seenInside).to.equal('Rolled Back');
    expect(await Product.count({ where: { title: 'Rolled Back' } })).to.equal(0);
  });
});
