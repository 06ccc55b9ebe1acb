import { expect } from 'chai';
import { startTestApp, loginAsAdmin, tokenFor, type TestApp } from '../../helpers/app';
import { createProduct, pngImage, sellerWithShop } from '../../plugins/shops/catalog-helpers';
import { shopModels } from '../../plugins/shops/shop-models';

/** What a shopper sees around every page (header, footer) and on the home page, with shops and the hello example active. */
describe('storefront: header, footer and home page', () => {
  let t: TestApp;
  before(async function () {
    this.timeout(90_000);
    t = await startTestApp({ plugins: ['shops', 'hello'], fixtures: true });
    const { Category } = shopModels();
    const mugs = await Category.create({ name: 'Mugs & Cups', slug: 'mugs', position: 1 });
    await Category.create({ name: 'Lamps', slug: 'lamps', position: 0 });
    await Category.create({ name: 'Small mugs', slug: 'small-mugs', parent_id: mugs.id });
    // Two quiet shops list one product each, then a busy shop lists ten: the ten are the newest.
    for (const name of ['Quiet Clay', 'Still Wood']) {
      const { agent } = await sellerWithShop(t, { name, slug: name.toLowerCase().replace(' ', '-') });
      const res = await createProduct(agent, { title: `${name} Bowl`, status: 'published', category_id: String(mugs.id) }, [{ field: 'images', data: await pngImage('#aa5533', 120, 120), filename: 'bowl.png' }]);
      expect(res.status).to.equal(303);
    }
    const busy = await sellerWithShop(t, { name: 'Busy Bazaar', slug: 'busy-bazaar' });
    for (let i = 1; i <= 10; i++) expect((await createProduct(busy.agent, { title: `Bazaar Item ${i}`, status: 'published' })).status).to.equal(303);
  });
  after(async () => t?.close());

  it('shows products from several shops on the home page, with categories and shops', async () => {
    const res = await t.agent().get('/').expect(200);
    const section = res.text.slice(res.text.indexOf('New in the marketplace'), res.text.indexOf('New shops'));
    // Eight places: every shop gets one before the busy shop gets the rest, newest first within a round.
    expect(section).to.contain('Quiet Clay Bowl').and.contain('Still Wood Bowl').and.contain('Bazaar Item 10');
    expect(section.match(/<article class="product-card/g)).to.have.length(8);
    expect(section).to.not.contain('Bazaar Item 4<');
    // Top-level categories in their order (a subcategory is not among them), linking to the filtered catalog.
    const tiles = res.text.slice(res.text.indexOf('Shop by category'), res.text.indexOf('New in the marketplace'));
    expect(tiles.indexOf('Lamps')).to.be.lessThan(tiles.indexOf('Mugs &amp; Cups'));
    expect(tiles).to.contain('href="/products?category=mugs"').and.not.contain('Small mugs');
    expect(res.text).to.contain('href="/shops/quiet-clay"');
    // The product picture is lazy-loaded with its size set.
    expect(section).to.match(/<img src="\/uploads\/[^"]+" alt="" loading="lazy" width="480" height="480">/);
  });

  it('has a hero with the store name, the tagline from General settings and a call to action', async () => {
    const admin = t.agent();
    await loginAsAdmin(admin);
    const token = await tokenFor(admin, '/admin/settings/core');
    const saved = await admin.post('/admin/settings/core').type('form').send({
      _csrf: token,
      siteName: 'Harbour Market',
      tagline: 'Goods from the quay & beyond',
      minimumAge: '16',
      adultAge: '18',
      storeAddress: 'Harbour Market Ltd\n1 Quay Street\nBristol BS1 4DJ',
      contactEmail: 'help@harbour.example',
      termsUrl: '/terms',
      privacyUrl: 'https://harbour.example/privacy',
    });
    expect(saved.status).to.be.oneOf([302, 303]);
    const home = await t.agent().get('/').expect(200);
    const hero = home.text.slice(home.text.indexOf('<section class="hero">'), home.text.indexOf('</section>', home.text.indexOf('<section class="hero">')));
    expect(hero).to.contain('<h1>Harbour Market</h1>').and.contain('Goods from the quay &amp; beyond').and.contain('href="/products"');
  });

  it('puts the address, contact and policy links (core and plugins) in the footer of every page', async () => {
    for (const address of ['/', '/login', '/products']) {
      const res = await t.agent().get(address).expect(200);
      const footer = res.text.slice(res.text.indexOf('<footer'));
      expect(footer, address).to.contain('Harbour Market Ltd<br>1 Quay Street<br>Bristol BS1 4DJ<br>');
      expect(footer).to.contain('href="mailto:help@harbour.example"');
      expect(footer).to.contain('<a href="/terms">Terms</a>').and.contain('<a href="https://harbour.example/privacy">Privacy policy</a>');
      // The hello example adds its own policy link through the slot core.footer.links.
      expect(footer).to.match(/<ul class="footer-links">[\s\S]*<li><a href="\/hello\/greetings">Greetings policy<\/a><\/li>[\s\S]*<\/ul>/);
    }
  });

  it('refuses a contact address that is not an email, on the same page with 422', async () => {
    const admin = t.agent();
    await loginAsAdmin(admin);
    const token = await tokenFor(admin, '/admin/settings/core');
    const res = await admin.post('/admin/settings/core').type('form').send({ _csrf: token, siteName: 'Harbour Market', minimumAge: '16', adultAge: '18', contactEmail: 'not an email' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Enter an email address such as help@example.com');
  });

  it('has a search box, the categories and the cart count in the header of every page', async () => {
    const agent = t.agent();
    const { Product } = shopModels();
    const bowl = await Product.findOne({ where: { title: 'Quiet Clay Bowl' } });
    const token = await tokenFor(agent, `/products/${bowl!.slug}`);
    await agent.post('/cart/items').type('form').send({ _csrf: token, product_id: String(bowl!.id), quantity: '2' }).expect(303);
    for (const address of ['/', '/login', `/products/${bowl!.slug}`, '/cart', '/shops']) {
      const res = await agent.get(address).expect(200);
      const header = res.text.slice(res.text.indexOf('<header'), res.text.indexOf('</header>'));
      expect(header, address).to.match(/<form class="header-search" method="get" action="\/products" role="search">[\s\S]*name="q"/);
      expect(header).to.contain('<a class="cart-link" href="/cart"').and.contain('Cart (2)');
      expect(header).to.match(/<nav class="category-nav" aria-label="Categories">[\s\S]*href="\/products\?category=lamps">Lamps<\/a>/);
    }
    const search = await agent.get('/products?q=bowl&category=mugs').expect(200);
    expect(search.text).to.contain('id="site-search" name="q" placeholder="Search products" maxlength="200" value="bowl"');
    expect(search.text).to.contain('href="/products?category=mugs" aria-current="page"');
  });

  it('shows the cart lines with their picture', async () => {
    const agent = t.agent();
    const { Product } = shopModels();
    const bowl = await Product.findOne({ where: { title: 'Still Wood Bowl' } });
    const token = await tokenFor(agent, `/products/${bowl!.slug}`);
    await agent.post('/cart/items').type('form').send({ _csrf: token, product_id: String(bowl!.id), quantity: '1' }).expect(303);
    const cart = await agent.get('/cart').expect(200);
    expect(cart.text).to.contain(`<img class="table-thumb" src="/uploads/${bowl!.image_path}" alt="" width="56" height="56" loading="lazy">`);
    expect(cart.text).to.contain('<td data-label="Price">');
  });

  it('renders the product tabs as links to panels and the gallery as links to pictures (no script)', async () => {
    const { Product } = shopModels();
    const bowl = await Product.findOne({ where: { title: 'Quiet Clay Bowl' } });
    const res = await t.agent().get(`/products/${bowl!.slug}`).expect(200);
    const tabs = [...res.text.matchAll(/<a href="#(tab-[a-z0-9-]+)">/g)].map((m) => m[1]);
    expect(tabs.length).to.be.greaterThan(1);
    for (const id of tabs) expect(res.text).to.contain(`<section class="tab-panel panel" id="${id}"`);
    expect(res.text).to.contain('<figure class="gallery-slide" id="picture-1">');
    expect(res.text).to.not.match(/<script(?![^>]*\bsrc=)/);
  });
});
