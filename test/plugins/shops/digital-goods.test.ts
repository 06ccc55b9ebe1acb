import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { startTestApp, login, createUser, type TestApp } from '../../helpers/app';
import { addToCart, checkout, checkoutForm, makeProduct } from './order-helpers';
import { shopModels } from './shop-models';
import { filesUnder } from './catalog-helpers';
import { asBuffer, bookFile, digitalProduct, loggedInSeller, postDownloads } from './digital-helpers';

describe('shops digital goods: the seller sells files, and a cart of downloads ships nothing', function () {
  this.timeout(120_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['shops'] });
  });
  after(async () => t.close());

  it('keeps the uploaded file private, refuses a download with no file or with variants (422, nothing written), and hides the page from other sellers', async () => {
    const seller = await loggedInSeller(t, { name: 'Pattern Press' });
    const { Product, ProductDownload, ProductVariant } = { ...shopModels(), ...(await import('../../../plugins/shops/models/product-download')) };
    const product = await makeProduct(t, seller.shop, { title: 'Sock pattern', price: 500, stock: null });

    // Checked with no file: refused on the page, the product stays a parcel.
    const empty = await postDownloads(seller.agent, product.id, { is_digital: 'on', download_limit: '', download_days: '' });
    expect(empty.status).to.equal(422);
    expect(empty.text).to.include('Upload at least one file to sell this product as a download.');
    expect((await Product.findByPk(product.id))!.is_digital).to.equal(false);

    // A limit that is not a number: refused, and the file sent with it is not kept.
    const privateDir = path.join(t.config.dataDir, 'private', 'shops');
    const before = filesUnder(privateDir).length;
    const bad = await postDownloads(seller.agent, product.id, { is_digital: 'on', download_limit: 'lots', download_days: '' }, [{ data: bookFile(), filename: 'socks.pdf' }]);
    expect(bad.status).to.equal(422);
    expect(bad.text).to.include('Enter a whole number');
    expect(filesUnder(privateDir).length).to.equal(before);
    expect(await ProductDownload.count({ where: { product_id: product.id } })).to.equal(0);

    const ok = await postDownloads(seller.agent, product.id, { is_digital: 'on', download_limit: '3', download_days: '7' }, [{ data: bookFile('socks'), filename: 'socks.pdf' }]);
    expect(ok.status, ok.text.slice(0, 400)).to.equal(303);
    const saved = (await Product.findByPk(product.id))!;
    expect([saved.is_digital, saved.download_limit, saved.download_days]).to.deep.equal([true, 3, 7]);
    const [file] = await ProductDownload.findAll({ where: { product_id: product.id } });
    expect(file.name).to.equal('socks.pdf');
    // On disk under the private folder, nowhere under the public uploads.
    expect(fs.existsSync(path.join(privateDir, file.file_id))).to.equal(true);
    expect(filesUnder(t.config.uploadsDir).some((f) => f.includes(file.file_id))).to.equal(false);
    const own = await asBuffer(seller.agent.get(`/seller/products/${product.id}/downloads/${file.id}`));
    expect(own.status).to.equal(200);
    expect((own.body as Buffer).toString()).to.include('socks');
    expect(own.headers['content-disposition']).to.match(/^attachment/);

    // The product page says how it is delivered.
    const page = await t.agent().get(`/products/${saved.slug}`);
    expect(page.text).to.include('Digital download').and.include('3 downloads per file, valid 7 days').and.include('socks.pdf');

    // The last file of a download cannot be removed.
    const removePage = await seller.agent.get(`/seller/products/${product.id}/downloads`);
    const token = /name="_csrf" value="([^"]+)"/.exec(removePage.text)![1];
    const refused = await seller.agent.post(`/seller/products/${product.id}/downloads/${file.id}/remove`).type('form').send({ _csrf: token });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.include('is the only file of a product sold as a download');
    expect(await ProductDownload.count({ where: { product_id: product.id } })).to.equal(1);

    // Another seller: the page, the form and the file are 404s.
    const other = await loggedInSeller(t, { name: 'Someone Else' });
    expect((await other.agent.get(`/seller/products/${product.id}/downloads`)).status).to.equal(404);
    expect((await other.agent.get(`/seller/products/${product.id}/downloads/${file.id}`)).status).to.equal(404);
    const otherPage = await other.agent.get('/seller/products');
    const otherToken = /name="_csrf" value="([^"]+)"/.exec(otherPage.text)?.[1] ?? '';
    expect((await other.agent.post(`/seller/products/${product.id}/downloads/${file.id}/remove`).type('form').send({ _csrf: otherToken })).status).to.equal(404);

    // A product with variants stays a parcel.
    const sized = await makeProduct(t, seller.shop, { title: 'Sized jumper', price: 5000 });
    await ProductVariant.create({ product_id: sized.id, shop_id: seller.shop.id, combination: 'x', sku: null, price: null, compare_at_price: null, stock: 3, image_id: null });
    await Product.update({ variant_count: 1 }, { where: { id: sized.id } });
    const withVariants = await postDownloads(seller.agent, sized.id, { is_digital: 'on', download_limit: '', download_days: '' }, [{ data: bookFile(), filename: 'jumper.pdf' }]);
    expect(withVariants.status).to.equal(422);
    expect(withVariants.text).to.include('options (variants), which are sent as parcels');
    expect((await Product.findByPk(sized.id))!.is_digital).to.equal(false);
  });

  it('adds a file once when the form is sent twice at once (a double click), and refuses a second file of the same name', async () => {
    const seller = await loggedInSeller(t, { name: 'Double Click Press' });
    const { ProductDownload } = await import('../../../plugins/shops/models/product-download');
    const product = await makeProduct(t, seller.shop, { title: 'Cowl pattern', price: 400, stock: null });
    const privateDir = path.join(t.config.dataDir, 'private', 'shops');
    const before = filesUnder(privateDir).length;
    const page = await seller.agent.get(`/seller/products/${product.id}/downloads`);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const send = () =>
      seller.agent.post(`/seller/products/${product.id}/downloads`).field('_csrf', token).field('is_digital', 'on').field('download_limit', '').field('download_days', '').attach('files', bookFile('cowl'), 'cowl.pdf');
    const results = await Promise.all([send(), send()]);
    expect(results.map((r) => r.status).sort()).to.deep.equal([303, 422]);
    expect(results.find((r) => r.status === 422)!.text).to.include('This product already has a file named “cowl.pdf”');
    expect(await ProductDownload.count({ where: { product_id: product.id } })).to.equal(1);
    expect(filesUnder(privateDir).length).to.equal(before + 1);

    const again = await postDownloads(seller.agent, product.id, { is_digital: 'on', download_limit: '', download_days: '' }, [{ data: bookFile('cowl v2'), filename: 'cowl.pdf' }]);
    expect(again.status).to.equal(422);
    expect(await ProductDownload.count({ where: { product_id: product.id } })).to.equal(1);
    expect(filesUnder(privateDir).length).to.equal(before + 1);
  });

  it('checks out a cart of only downloads with a name and a country: no address, no delivery method, VAT at the buyer’s country', async () => {
    const seller = await loggedInSeller(t, { name: 'Ebook Corner', methods: [{ name: 'Post', price: 500 }] });
    const product = await digitalProduct(t, seller, { title: 'Lace e-book', price: 1190 });
    const { user, password } = await createUser({ email: 'reader@example.test' });
    const buyer = t.agent();
    await login(buyer, user.email, password);
    expect((await addToCart(buyer, product.id)).status).to.equal(303);
    const cart = await buyer.get('/cart');
    expect(cart.text).to.include('Download after payment').and.not.include(`name="shipping_${seller.shop.id}"`);
    const page = await buyer.get('/checkout');
    expect(page.text).to.include('Country you live in').and.not.include('Street address');
    expect(page.text).to.not.include(`id="f-shipping-${seller.shop.id}"`);

    const form = await checkoutForm(buyer);
    const missing = await buyer.post('/checkout').type('form').send({ ...form, email: 'reader@example.test', name: '', country: 'DE', gateway: 'manual' });
    expect(missing.status).to.equal(422);
    expect(missing.text).to.include('Enter your name (it goes on the invoice)');

    const placed = await buyer.post('/checkout').type('form').send({ ...(await checkoutForm(buyer)), email: 'reader@example.test', name: 'Rosa Reader', country: 'DE', gateway: 'manual' });
    expect(placed.status, placed.text.slice(0, 600)).to.equal(303);
    const { Order, OrderItem } = shopModels();
    const order = (await Order.findOne({ where: { shop_id: seller.shop.id } }))!;
    expect([order.shipping_total, order.shipping_method, order.ship_name, order.ship_line1, order.ship_country]).to.deep.equal([0, 'Download after payment', 'Rosa Reader', '', 'DE']);
    const [item] = await OrderItem.findAll({ where: { order_id: order.id } });
    // Germany's standard rate, inside the price (prices include tax by default): 11.90 holds 1.90 of VAT.
    expect([item.tax_rate, item.tax_amount, order.total]).to.deep.equal([1900, 190, 1190]);
    const confirmation = await buyer.get(`/account/orders/${encodeURIComponent(order.number)}`);
    expect(confirmation.text).to.include('Your downloads').and.include('as soon as the payment is received');
  });

  it('in a mixed cart charges delivery on the parcels only, asks for the street address, and a shop of only downloads ships free', async () => {
    const mixed = await loggedInSeller(t, { name: 'Yarn and Patterns', methods: [{ name: 'Post', price: 600, free_over: 3000 }] });
    const pattern = await digitalProduct(t, mixed, { title: 'Hat pattern', price: 2500 });
    const yarn = await makeProduct(t, mixed.shop, { title: 'Merino yarn', price: 1000 });
    const onlyDigital = await loggedInSeller(t, { name: 'Audio Lessons', methods: [{ name: 'Courier', price: 900 }] });
    const lesson = await digitalProduct(t, onlyDigital, { title: 'Lesson one', price: 700, filename: 'lesson.mp3' });
    const buyer = t.agent();
    for (const id of [pattern.id, yarn.id, lesson.id]) expect((await addToCart(buyer, id)).status).to.equal(303);
    const page = await buyer.get('/checkout');
    expect(page.text).to.include('Street address');
    expect(page.text).to.include(`id="f-shipping-${mixed.shop.id}"`).and.not.include(`id="f-shipping-${onlyDigital.shop.id}"`);

    const noStreet = await checkout(buyer, { line1: '' });
    expect(noStreet.status).to.equal(422);
    expect(noStreet.text).to.include('Enter the street address');

    expect((await checkout(buyer, { email: 'mixed@example.test' })).status).to.equal(303);
    const { Order } = shopModels();
    const first = (await Order.findOne({ where: { shop_id: mixed.shop.id } }))!;
    const second = (await Order.findOne({ where: { shop_id: onlyDigital.shop.id } }))!;
    // 25.00 + 10.00 is over the 30.00 threshold, but only the 10.00 of yarn ships: delivery is charged.
    expect([first.subtotal, first.shipping_total, first.shipping_method, first.total]).to.deep.equal([3500, 600, 'Post', 4100]);
    expect([second.shipping_total, second.shipping_method, second.total]).to.deep.equal([0, 'Download after payment', 700]);
  });
});
