import { expect } from 'chai';
import { createUser, login, startTestApp, type TestApp } from '../../../helpers/app';
import { addToCart, checkout, checkoutForm, makeProduct, makeShop, setShopsSettings } from '../order-helpers';
import { shopModels } from '../shop-models';

/** Items of issue 8 found by trying the store: each test failed before its fix. */
describe('shops: what trying the store found (issue 8)', function () {
  this.timeout(90_000);
  let t: TestApp;

  before(async () => {
    t = await startTestApp({ smtp: true });
  });
  after(async () => t.close());

  describe('checkout country (6)', () => {
    it("starts from the store's country, then the buyer's saved address, and refuses a code that is no country", async () => {
      await setShopsSettings(t, { baseCountry: 'DE' });
      const { shop } = await makeShop(t);
      const product = await makeProduct(t, shop);
      const guest = t.agent();
      await addToCart(guest, product.id);
      const page = await guest.get('/checkout');
      expect(page.text).to.match(/<option value="DE" selected>/).and.not.match(/<option value="FR" selected>/);

      const refused = await checkout(guest, { country: 'XX' });
      expect(refused.status).to.equal(422);
      expect(refused.text).to.include('Choose a country');
      expect(await shopModels().Order.count({ where: { ship_country: 'XX' } })).to.equal(0);

      const { user, password } = await createUser();
      await shopModels().Address.create({ user_id: user.id, name: 'P. Buyer', line1: 'Rua 1', line2: '', city: 'Porto', postcode: '4000', country: 'PT', phone: '' });
      const buyer = t.agent();
      await login(buyer, user.email, password);
      await addToCart(buyer, product.id);
      expect((await buyer.get('/checkout')).text).to.match(/<option value="PT" selected>/);
      await setShopsSettings(t, { baseCountry: 'FR' });
      const saved = await t.platform.settings.save('shops', { ...t.platform.settings.get<Record<string, unknown>>('shops'), baseCountry: 'XX' });
      expect(saved.ok).to.equal(false);
    });
  });

  describe('vacation mode in the cart (7)', () => {
    it('marks the item unavailable, leaves it out of the total and out of checkout, and says why', async () => {
      const away = await makeShop(t, { name: 'Away Pottery', vacation: true });
      const open = await makeShop(t, { name: 'Open Looms', methods: [{ name: 'Post', price: 400 }] });
      const vase = await makeProduct(t, away.shop, { title: 'Vase', price: 9000 });
      const scarf = await makeProduct(t, open.shop, { title: 'Scarf', price: 2500 });
      const agent = t.agent();
      // Added before the shop went away.
      await away.shop.update({ vacation_mode: false });
      await addToCart(agent, vase.id);
      await away.shop.update({ vacation_mode: true });
      let cart = await agent.get('/cart');
      expect(cart.text).to.include('Away Pottery is on vacation').and.include('left out of the total');
      expect(cart.text).to.not.include('Proceed to checkout');
      expect(cart.text).to.not.include('€90.00</strong>');

      await addToCart(agent, scarf.id);
      cart = await agent.get('/cart');
      expect(cart.text).to.match(/class="cart-total">€29\.00</);
      expect(cart.text).to.include('Proceed to checkout');
      const form = await checkoutForm(agent);
      expect(Object.keys(form)).to.include(`item_${scarf.id}`).and.not.include(`item_${vase.id}`);
      const placed = await checkout(agent, { email: 'vacation@example.test' });
      expect(placed.status, placed.text.slice(0, 500)).to.equal(303);
      const order = (await shopModels().Order.findOne({ where: { email: 'vacation@example.test' } }))!;
      expect([order.shop_id, order.subtotal]).to.deep.equal([open.shop.id, 2500]);
      // The vase waits in the cart for the shop to come back.
      expect((await agent.get('/cart')).text).to.include('Vase');
    });
  });

  describe('manual payment instructions (8) and wording (9)', () => {
    it('shows the bank, the IBAN and the reference on the confirmation and in the email; the seller reads the method by its title', async () => {
      const bad = await t.platform.settings.save('shops', { ...t.platform.settings.get<Record<string, unknown>>('shops'), manualIban: 'FR76 0000 0000 0000' });
      expect(bad.ok).to.equal(false);
      await setShopsSettings(t, { manualBankName: 'Banque Populaire', manualIban: 'FR7630006000011234567890189', manualGatewayInstructions: 'Transfer the total within 7 days.' });
      const { shop, seller } = await makeShop(t, { methods: [{ name: 'Pickup at the workshop', price: 0 }] });
      const product = await makeProduct(t, shop, { title: 'Brass Ring', price: 4200 });
      const agent = t.agent();
      await addToCart(agent, product.id);
      const res = await checkout(agent, { email: 'transfer@example.test' });
      expect(res.status).to.equal(303);
      const group = (await shopModels().CheckoutGroup.findOne({ where: { email: 'transfer@example.test' } }))!;
      const page = await agent.get(res.headers.location);
      expect(page.text).to.include('Transfer the total within 7 days.').and.include('Bank: Banque Populaire').and.include('IBAN: FR76 3000 6000 0112 3456 7890 189').and.include(`Reference: ${group.reference}`);
      await t.platform.jobs.idle();
      const mail = await t.smtp!.waitFor('transfer@example.test', /Your order AG-/);
      expect(mail.text).to.include('Banque Populaire').and.include('FR76 3000 6000 0112 3456 7890 189').and.include(`Reference: ${group.reference}`);
      const sellerMail = await t.smtp!.waitFor(seller.email, /New order/);
      expect(sellerMail.text).to.match(/payment: Pay on delivery or by\s+bank transfer/).and.not.include('paid with manual');
      expect(sellerMail.text).to.include('Delivery (Pickup at the workshop): free').and.not.include('€0.00');
    });

    it('says "1 sale" and "ships worldwide", and a method that costs nothing is "free"', async () => {
      const { shop } = await makeShop(t, { methods: [{ name: 'Pickup', price: 0 }, { name: 'Post', price: 500 }] });
      await shop.update({ sales_count: 1 });
      const product = await makeProduct(t, shop, { title: 'Wording Mug' });
      const page = await t.agent().get(`/products/${product.slug}`);
      expect(page.text).to.include('1 sale<').and.include('ships worldwide').and.not.include('ships to everywhere');
      expect(page.text).to.match(/<strong>Pickup<\/strong>: free/);
      const shops = await t.agent().get('/shops');
      expect(shops.text).to.not.match(/\b1 sales\b/).and.not.match(/\b1 products\b/);
      const shopPage = await t.agent().get(`/shops/${shop.slug}`).expect(200);
      expect(shopPage.text, 'the shop page too').to.match(/<strong>Pickup<\/strong>: free/).and.not.include('€0.00');
    });
  });

  describe('a bad quantity on the product page (11)', () => {
    it('re-renders the product page with the message and 422, not the empty cart', async () => {
      const { shop } = await makeShop(t);
      const product = await makeProduct(t, shop, { title: 'Quantity Lamp', stock: 3 });
      const agent = t.agent();
      for (const quantity of ['abc', '0', '7']) {
        const res = await addToCart(agent, product.id, quantity);
        expect(res.status, quantity).to.equal(422);
        expect(res.text, quantity).to.include('<h1').and.include('Quantity Lamp').and.include('id="f-quantity-error"').and.not.include('Your cart is empty');
        expect(res.text, quantity).to.include(`value="${quantity}"`);
      }
      expect((await agent.get('/cart')).text).to.include('Cart (0)');
    });
  });

  describe('catalog filters that make no sense (16)', () => {
    it('says so beside the filter and keeps the rest of the query', async () => {
      const { shop } = await makeShop(t);
      await makeProduct(t, shop, { title: 'Filterable Teapot', price: 1500 });
      const agent = t.agent();
      let res = await agent.get('/products?q=Filterable&min=abc').expect(200);
      expect(res.text).to.include('id="f-min-error"').and.include('Enter a price such as 12.50.').and.include('Filterable Teapot');
      expect(res.text).to.include('value="abc"').and.include('value="Filterable"');

      res = await agent.get('/products?q=Filterable&category=no-such-thing').expect(200);
      expect(res.text).to.include('id="f-category-error"').and.include('There is no category “no-such-thing”').and.include('Filterable Teapot');

      res = await agent.get('/products?q=Filterable&min=10&max=5').expect(200);
      expect(res.text).to.include('id="f-max-error"').and.include('below the min price').and.include('Filterable Teapot');

      res = await agent.get('/products?q=Filterable&min=20').expect(200);
      expect(res.text).to.not.include('class="error"').and.not.include('Filterable Teapot');
    });
  });

  describe('found walking the store as a new seller (item 6 of the brief)', () => {
    it('no price field shows an amount as its placeholder, which reads as a value already filled in', async () => {
      const { user, password } = await createUser();
      const newcomer = t.agent();
      await login(newcomer, user.email, password);
      const open = await newcomer.get('/seller/open').expect(200);
      const { seller, password: sellerPassword } = await makeShop(t);
      const agent = t.agent();
      await login(agent, seller.email, sellerPassword);
      const product = await agent.get('/seller/products/new').expect(200);
      for (const [page, html] of [['open', open.text], ['product', product.text]]) {
        const placeholders = [...html.matchAll(/inputmode="decimal" placeholder="([^"]*)"/g)].map((m) => m[1]);
        expect(placeholders.length, page).to.be.greaterThan(0);
        for (const p of placeholders) expect(p, `${page}: placeholder "${p}"`).to.not.match(/^\d/);
      }
      expect(open.text).to.include('placeholder="such as 4.90"').and.include('placeholder="never"');
    });
  });
});

