import { expect } from 'chai';
import { startTestApp, tokenFor, type TestApp } from '../../helpers/app';
import { User } from '../../../core/auth/user-model';
import { registrationFields } from '../auth/support';
import { createProduct, sellerWithShop } from '../../plugins/shops/catalog-helpers';
import { shopModels } from '../../plugins/shops/shop-models';

const REFUSED = 'cannot be stored';

/** A NUL byte or an unpaired surrogate anywhere in what a person sends is refused by one rule, never a 500. */
describe('input that cannot be stored (NUL bytes, unpaired surrogates)', function () {
  this.timeout(30_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['shops'] });
  });
  after(async () => t.close());

  it('refuses a NUL byte in the login form with 400 and a message on the page', async () => {
    const agent = t.agent();
    const token = await tokenFor(agent, '/login');
    const res = await agent.post('/login').type('form').send(`_csrf=${encodeURIComponent(token)}&login=ad%00min&password=whatever-it-is`);
    expect(res.status, res.text.slice(0, 300)).to.equal(400);
    expect(res.text).to.contain(REFUSED).and.contain('<html');
  });

  it('refuses an unpaired surrogate in a JSON login body', async () => {
    const agent = t.agent();
    const token = await tokenFor(agent, '/login');
    const res = await agent.post('/login').set('Content-Type', 'application/json').send(`{"_csrf":${JSON.stringify(token)},"login":"a\\ud800b","password":"x"}`);
    expect(res.status).to.equal(400);
    expect(res.text).to.contain(REFUSED);
  });

  it('refuses a NUL byte in the registration form and writes no user', async () => {
    const agent = t.agent();
    const token = await tokenFor(agent, '/register');
    const fields = registrationFields();
    const body = new URLSearchParams({ _csrf: token, ...fields, first_name: 'Ada\u0000' }).toString();
    const res = await agent.post('/register').type('form').send(body);
    expect(res.status).to.equal(400);
    expect(res.text).to.contain(REFUSED);
    expect(await User.count({ where: { username: fields.username } })).to.equal(0);
  });

  it('refuses a NUL byte in a shops form (add to cart)', async () => {
    const agent = t.agent();
    const token = await tokenFor(agent, '/login');
    const res = await agent.post('/cart/items').type('form').send(`_csrf=${encodeURIComponent(token)}&product_id=1%00&quantity=1`);
    expect(res.status).to.equal(400);
    expect(res.text).to.contain(REFUSED);
  });

  it('refuses a NUL byte in a multipart shops form (a new product) and writes no product', async () => {
    const { agent, shop } = await sellerWithShop(t);
    const res = await createProduct(agent, { title: 'Nul\u0000mug' });
    expect(res.status, res.text.slice(0, 300)).to.equal(400);
    expect(res.text).to.contain(REFUSED);
    expect(await shopModels().Product.count({ where: { shop_id: shop.id } })).to.equal(0);
  });

  it('refuses a NUL byte or an unpaired surrogate in a query parameter', async () => {
    const nul = await t.agent().get('/products?q=mug%00');
    expect(nul.status).to.equal(400);
    expect(nul.text).to.contain(REFUSED);
    const nested = await t.agent().get('/products?filter[a][]=x%00');
    expect(nested.status).to.equal(400);
  });

  it('refuses a NUL byte in a path segment', async () => {
    const res = await t.agent().get('/products/mug%00');
    expect(res.status).to.equal(400);
  });

  it('lets ordinary text through, accents, emoji and all', async () => {
    const res = await t.agent().get('/products?q=' + encodeURIComponent('crème brûlée 🍮'));
    expect(res.status).to.equal(200);
  });
});
