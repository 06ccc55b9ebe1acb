import { expect } from 'chai';
import { createUser, login, startTestApp, type TestApp } from '../../../helpers/app';
import { addToCart, postForm, makeProduct, makeShop, setShopsSettings } from '../order-helpers';
import { shopModels } from '../shop-models';

describe('shops: cart', function () {
  this.timeout(60_000);
  let t: TestApp;

  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  it('keeps a guest cart in the session: add, update, choose delivery, remove; the header counts the units', async () => {
    const { shop, methods } = await makeShop(t, { methods: [{ name: 'Post', price: 400 }, { name: 'Courier', price: 900, countries: 'FR,BE' }] });
    const mug = await makeProduct(t, shop, { title: 'Blue Mug', price: 1250, stock: 5 });
    const agent = t.agent();
    expect((await agent.get('/cart')).text).to.include('Cart (0)').and.include('Your cart is empty');
    expect((await addToCart(agent, mug.id, 2)).headers.location).to.equal('/cart');
    let page = await agent.get('/cart');
    expect(page.text).to.include('Blue Mug').and.include('Cart (2)').and.include('€25.00');
    expect(await shopModels().CartItem.count()).to.equal(0); // a guest's cart is not in the database

    const update = await postForm(agent, `/cart/items/${mug.id}`, { quantity: '3' });
    expect(update.status).to.equal(303);
    const ship = await postForm(agent, '/cart/shipping', { [`shipping_${shop.id}`]: String(methods[1].id) });
    expect(ship.status).to.equal(303);
    page = await agent.get('/cart');
    expect(page.text).to.include('Cart (3)').and.include('€37.50').and.match(new RegExp(`<option value="${methods[1].id}" selected`));

    const remove = await postForm(agent, `/cart/items/${mug.id}/remove`, {});
    expect(remove.status).to.equal(303);
    expect((await agent.get('/cart')).text).to.include('Cart (0)');
  });

  it('refuses drafts, shops on vacation, more than the stock and more than the per-item maximum with 422 on the cart page', async () => {
    await setShopsSettings(t, { maxQuantityPerItem: 4 });
    const { shop } = await makeShop(t);
    const { shop: away } = await makeShop(t, { name: 'Away Shop', vacation: true });
    const draft = await makeProduct(t, shop, { title: 'Secret Draft', status: 'draft' });
    const resting = await makeProduct(t, away, { title: 'Resting Vase' });
    const scarce = await makeProduct(t, shop, { title: 'Scarce Bowl', stock: 2 });
    const plenty = await makeProduct(t, shop, { title: 'Plenty Spoon', stock: null });
    const agent = t.agent();

    let res = await addToCart(agent, draft.id, 1);
    expect(res.status).to.equal(422);
    expect(res.text).to.include('is not for sale');
    res = await addToCart(agent, resting.id, 1);
    expect(res.status).to.equal(422);
    expect(res.text).to.include('Away Shop is on vacation');
    res = await addToCart(agent, scarce.id, 3);
    expect(res.status).to.equal(422);
    expect(res.text).to.include('Only 2 of “Scarce Bowl” left');
    res = await addToCart(agent, plenty.id, 5);
    expect(res.status).to.equal(422);
    expect(res.text).to.include('at most 4 of “Plenty Spoon”');
    // Two adds that together pass the stock are refused too.
    expect((await addToCart(agent, scarce.id, 2)).status).to.equal(303);
    res = await addToCart(agent, scarce.id, 1);
    expect(res.status).to.equal(422);
    expect(res.text).to.include('You already have 2 in your cart');
    // Updating beyond the stock, or with nonsense, is refused and changes nothing.
    for (const quantity of ['3', '-1', '0', '1.5', 'abc', '99999999999']) {
      res = await postForm(agent, `/cart/items/${scarce.id}`, { quantity });
      expect(res.status, quantity).to.equal(422);
    }
    expect((await agent.get('/cart')).text).to.include('Cart (2)');
    await setShopsSettings(t, { maxQuantityPerItem: 99 });
  });

  it('refuses a tampered cart form with 422: unknown fields, products not in the cart, other shops’ delivery methods', async () => {
    const { shop } = await makeShop(t);
    const { methods: otherMethods } = await makeShop(t);
    const inCart = await makeProduct(t, shop);
    const notInCart = await makeProduct(t, shop);
    const agent = t.agent();
    await addToCart(agent, inCart.id, 1);
    const post = (url: string, body: Record<string, string>) => postForm(agent, url, body);
    expect((await post('/cart/items', { product_id: String(inCart.id), quantity: '1', price: '0' })).status).to.equal(422);
    expect((await post(`/cart/items/${inCart.id}`, { quantity: '1', role: 'admin' })).status).to.equal(422);
    expect((await post(`/cart/items/${notInCart.id}`, { quantity: '1' })).status).to.equal(422);
    expect((await post(`/cart/items/${notInCart.id}/remove`, {})).status).to.equal(422);
    expect((await post('/cart/items', { product_id: '999999', quantity: '1' })).status).to.equal(422);
    expect((await post('/cart/items', { product_id: '-3', quantity: '1' })).status).to.equal(422);
    expect((await post('/cart/shipping', { [`shipping_${shop.id}`]: String(otherMethods[0].id) })).status).to.equal(422);
    expect((await post('/cart/shipping', { [`shipping_${otherMethods[0].shop_id}`]: String(otherMethods[0].id) })).status).to.equal(422);
    const page = await agent.get('/cart');
    expect(page.text).to.include('Cart (1)');
  });

  it('keeps a logged-in buyer’s cart in the database', async () => {
    const { shop } = await makeShop(t);
    const p = await makeProduct(t, shop);
    const { user, password } = await createUser();
    const agent = t.agent();
    await login(agent, user.username, password);
    expect((await addToCart(agent, p.id, 2)).status).to.equal(303);
    const { Cart, CartItem } = shopModels();
    const cart = await Cart.findOne({ where: { user_id: user.id } });
    expect(cart).to.not.equal(null);
    const items = await CartItem.findAll({ where: { cart_id: cart!.id } });
    expect(items.map((i) => [i.product_id, i.quantity])).to.deep.equal([[p.id, 2]]);
    // Another device (a new session) sees the same cart.
    const other = t.agent();
    await login(other, user.username, password);
    expect((await other.get('/cart')).text).to.include('Cart (2)');
  });

  it('merges a guest cart into the account at login, capping at the stock', async () => {
    const { shop, methods } = await makeShop(t);
    const a = await makeProduct(t, shop, { title: 'Merge A', stock: 10 });
    const b = await makeProduct(t, shop, { title: 'Merge B', stock: 3 });
    const { user, password } = await createUser();
    // Earlier, on another device: one A, two B.
    const before = t.agent();
    await login(before, user.username, password);
    await addToCart(before, a.id, 1);
    await addToCart(before, b.id, 2);

    const guest = t.agent();
    expect((await addToCart(guest, a.id, 2)).status).to.equal(303);
    expect((await addToCart(guest, b.id, 3)).status).to.equal(303);
    await postForm(guest, '/cart/shipping', { [`shipping_${shop.id}`]: String(methods[0].id) });
    await login(guest, user.username, password);

    const { Cart, CartItem } = shopModels();
    const cart = (await Cart.findOne({ where: { user_id: user.id } }))!;
    const items = await CartItem.findAll({ where: { cart_id: cart.id }, order: [['product_id', 'ASC']] });
    expect(items.map((i) => [i.product_id, i.quantity])).to.deep.equal([
      [a.id, 3],
      [b.id, 3], // 2 + 3 asked, 3 in stock
    ]);
    expect(JSON.parse(cart.shipping_choices)).to.deep.equal({ [shop.id]: methods[0].id });
    expect((await guest.get('/cart')).text).to.include('Cart (6)');
  });
});
