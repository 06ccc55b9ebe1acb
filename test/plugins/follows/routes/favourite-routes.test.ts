import { expect } from 'chai';
import { startTestApp, createUser, login, csrfFrom, type TestApp } from '../../../helpers/app';
import { makeProduct, makeShop, pluginModule } from '../../shops/order-helpers';
import { countRows, postFrom } from '../follows-helpers';
import type { Shop } from '../../../../plugins/shops/models/shop';
import type { Product } from '../../../../plugins/shops/models/product';

type ProductServiceModule = typeof import('../../../../plugins/shops/services/product-service');
type ProductForm = typeof import('../../../../plugins/shops/forms/product-form');

describe('follows: favourites (the heart on the product page, "My favourites", told of a discount)', function () {
  this.timeout(60_000);
  let t: TestApp;
  let shop: Shop;
  let sellerAgent: ReturnType<TestApp['agent']>;
  let product: Product;
  let fan: { id: number; agent: ReturnType<TestApp['agent']> };

  const person = async (email?: string) => {
    const { user, password } = await createUser(email ? { email } : {});
    const agent = t.agent();
    await login(agent, user.username, password);
    return { id: user.id, agent };
  };

  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'follows'] });
    const made = await makeShop(t, { name: 'Heart Shop' });
    shop = made.shop;
    sellerAgent = t.agent();
    await login(sellerAgent, made.seller.username, made.password);
    product = await makeProduct(t, shop, { title: 'Red scarf', price: 4000 });
    fan = await person('fan@example.test');
  });
  after(async () => t.close());

  const productUrl = () => `/products/${product.slug}`;

  it('shows a guest a heart that leads to the login, and a person a form that adds the favourite (twice at once is once)', async () => {
    const guest = await t.agent().get(productUrl()).expect(200);
    expect(guest.text).to.contain(`href="/login?next=${encodeURIComponent(productUrl())}"`);
    const page = await fan.agent.get(productUrl()).expect(200);
    expect(page.text).to.contain(`action="/follows/products/${product.id}/favourite"`);
    const token = csrfFrom(page.text);
    const send = () => fan.agent.post(`/follows/products/${product.id}/favourite`).type('form').send({ _csrf: token, back: productUrl() });
    const results = await Promise.all([send(), send()]);
    expect(results.map((r) => r.status)).to.deep.equal([303, 303]);
    expect(results[0].headers.location).to.equal(productUrl());
    expect(await countRows(t, 'follows_favourites', 'user_id = ? AND product_id = ?', [fan.id, product.id])).to.equal(1);
    const after = await fan.agent.get(productUrl()).expect(200);
    expect(after.text).to.contain('In your favourites');
    expect(after.text).to.contain(`action="/follows/products/${product.id}/unfavourite"`);
  });

  it('lists it in "My favourites"', async () => {
    const res = await fan.agent.get('/account/favourites').expect(200);
    expect(res.text).to.contain('Red scarf');
    expect(res.text).to.contain('Heart Shop');
    expect(res.text).to.contain('€40.00');
  });

  it('answers 404 for a draft or unknown product', async () => {
    const draft = await makeProduct(t, shop, { title: 'Hidden hat', status: 'draft' });
    expect((await postFrom(fan.agent, '/account/favourites', `/follows/products/${draft.id}/favourite`)).status).to.equal(404);
    expect((await postFrom(fan.agent, '/account/favourites', '/follows/products/999999/favourite')).status).to.equal(404);
  });

  it('shows the seller how many favourited each product, never who', async () => {
    const res = await sellerAgent.get('/seller').expect(200);
    expect(res.text).to.match(/Red scarf<\/a>: <span class="favourite-count">1<\/span> person/);
    expect(res.text).to.not.contain('fan@example.test');
  });

  it('tells the people who favourited a product of its discount in the app, and a follower among them once', async () => {
    const both = await person();
    await postFrom(both.agent, productUrl(), `/follows/products/${product.id}/favourite`).then((r) => expect(r.status).to.equal(303));
    await postFrom(both.agent, `/shops/${shop.slug}`, `/follows/shops/${shop.id}/follow`).then((r) => expect(r.status).to.equal(303));
    const { ProductService } = await pluginModule<ProductServiceModule>('services/product-service.ts');
    const { parseProductForm } = await pluginModule<ProductForm>('forms/product-form.ts');
    const input = parseProductForm({ title: 'Red scarf', slug: product.slug, description: '', price: '30.00', compare_at_price: '40.00', stock: '10', category_id: '', tags: '', status: 'published' }, 'EUR');
    if (!input.ok) throw new Error(JSON.stringify(input.errors));
    await new ProductService(t.config.uploadsDir, t.platform.hooks).update(shop, product.id, input.data, []);
    await t.platform.jobs.idle(20_000);
    // Told in the app, and by email when the window ends (favourite emails are on by default).
    expect(await countRows(t, 'follows_notifications', "user_id = ? AND email_status = 'pending'", [fan.id])).to.equal(1);
    expect(await countRows(t, 'follows_notifications', 'user_id = ?', [both.id])).to.equal(1);
    const list = await fan.agent.get('/account/notifications').expect(200);
    expect(list.text).to.contain('<strong>Red scarf</strong> is now €30.00');
    expect(list.text).to.contain('(was €40.00)');
  });

  it('removes the favourite from "My favourites"', async () => {
    const res = await postFrom(fan.agent, '/account/favourites', `/follows/products/${product.id}/unfavourite`, { back: '/account/favourites' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/account/favourites');
    expect(await countRows(t, 'follows_favourites', 'user_id = ?', [fan.id])).to.equal(0);
    expect((await fan.agent.get('/account/favourites')).text).to.contain('No favourites yet');
  });
});
