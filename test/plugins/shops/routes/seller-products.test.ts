import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import sharp from 'sharp';
import { startTestApp, csrfFrom, type TestApp } from '../../../helpers/app';
import { createProduct, editProduct, filesUnder, noisyPng, pngImage, sellerWithShop } from '../catalog-helpers';
import { shopModels } from '../shop-models';

const CAP = 60_000;

describe('shops: a seller\'s products', () => {
  let t: TestApp;
  let seller: Awaited<ReturnType<typeof sellerWithShop>>;
  const events: string[] = [];
  before(async () => {
    t = await startTestApp({ plugins: ['shops'], env: { UPLOAD_MAX_BYTES: String(CAP) } });
    seller = await sellerWithShop(t);
    t.platform.hooks.on('test', 'shops.product.published', (p) => {
      events.push(`published:${p.slug}`);
    });
    t.platform.hooks.on('test', 'shops.product.discounted', (p, previous) => {
      events.push(`discounted:${p.slug}:${previous}->${p.price}`);
    });
  });
  after(async () => t.close());
  beforeEach(() => {
    events.length = 0;
  });

  const png = async (color = '#336699') => ({ field: 'images', data: await pngImage(color, 900, 600), filename: 'photo.png' });

  it('creates a draft with pictures: resized copies and thumbnails on disk, price in cents, tags, no announcement', async () => {
    const res = await createProduct(seller.agent, { title: 'Blue Mug', price: '12.50', stock: '7', tags: 'Kitchen, blue, kitchen' }, [await png(), await png('#993366')]);
    expect(res.status, res.text.slice(0, 400)).to.equal(303);
    const { Product, ProductImage, ProductTag } = shopModels();
    const product = await Product.findOne({ where: { shop_id: seller.shop.id, title: 'Blue Mug' } });
    expect(product).to.not.equal(null);
    expect([product!.slug, product!.price, product!.currency, product!.stock, product!.status]).to.deep.equal(['blue-mug', 1250, 'EUR', 7, 'draft']);
    expect(product!.tags_text).to.equal('kitchen blue');
    expect((await ProductTag.findAll({ where: { product_id: product!.id } })).map((r) => r.tag).sort()).to.deep.equal(['blue', 'kitchen']);
    const images = await ProductImage.findAll({ where: { product_id: product!.id }, order: [['position', 'ASC']] });
    expect(images).to.have.length(2);
    for (const img of images) {
      expect(img.path.startsWith(`products/${product!.id}/`)).to.equal(true);
      const thumb = await sharp(path.join(t.config.uploadsDir, img.thumb_path)).metadata();
      expect([thumb.format, thumb.width, thumb.height]).to.deep.equal(['webp', 480, 480]);
      const full = await sharp(path.join(t.config.uploadsDir, img.path)).metadata();
      expect([full.format, full.width, full.height]).to.deep.equal(['webp', 900, 600]);
    }
    expect(product!.image_path).to.equal(images[0].thumb_path);
    expect(events).to.deep.equal([]);
    const served = await t.agent().get(`/uploads/${images[0].thumb_path}`).expect(200);
    expect(served.headers['content-type']).to.equal('image/webp');
  });

  it('publishes through the edit form once: fires shops.product.published and counts the product on the shop', async () => {
    const { Product, Shop } = shopModels();
    const product = (await Product.findOne({ where: { slug: 'blue-mug' } }))!;
    const res = await editProduct(seller.agent, product.id, { title: 'Blue Mug', slug: 'blue-mug', price: '12.50', stock: '7', tags: 'kitchen', status: 'published' });
    expect(res.status, res.text.slice(0, 400)).to.equal(303);
    await product.reload();
    expect(product.status).to.equal('published');
    expect(product.published_at).to.be.instanceOf(Date);
    expect(events).to.deep.equal(['published:blue-mug']);
    expect((await Shop.findByPk(seller.shop.id))!.product_count).to.equal(1);
    await t.agent().get('/products/blue-mug').expect(200);
  });

  it('unpublishes and publishes again with the list buttons, announcing the product only the first time', async () => {
    const { Product, Shop } = shopModels();
    const product = (await Product.findOne({ where: { slug: 'blue-mug' } }))!;
    const list = await seller.agent.get('/seller/products').expect(200);
    expect(list.text).to.contain('Blue Mug');
    await seller.agent.post(`/seller/products/${product.id}/unpublish`).type('form').send({ _csrf: csrfFrom(list.text) }).expect(303);
    await product.reload();
    expect(product.status).to.equal('draft');
    expect((await Shop.findByPk(seller.shop.id))!.product_count).to.equal(0);
    await t.agent().get('/products/blue-mug').expect(404);
    // The seller still sees a preview of the draft.
    expect((await seller.agent.get('/products/blue-mug').expect(200)).text).to.contain('This product is a draft');

    await seller.agent.post(`/seller/products/${product.id}/publish`).type('form').send({ _csrf: csrfFrom(list.text) }).expect(303);
    await product.reload();
    expect(product.status).to.equal('published');
    expect((await Shop.findByPk(seller.shop.id))!.product_count).to.equal(1);
    expect(events).to.deep.equal([]);
  });

  it('fires shops.product.discounted when the price goes down below the compare-at price', async () => {
    const { Product } = shopModels();
    const product = (await Product.findOne({ where: { slug: 'blue-mug' } }))!;
    await editProduct(seller.agent, product.id, { title: 'Blue Mug', slug: 'blue-mug', price: '12.50', compare_at_price: '15.00', stock: '7', status: 'published' });
    expect(events, 'adding a compare-at price without lowering the price').to.deep.equal([]);
    const res = await editProduct(seller.agent, product.id, { title: 'Blue Mug', slug: 'blue-mug', price: '9.99', compare_at_price: '15.00', stock: '7', status: 'published' });
    expect(res.status).to.equal(303);
    expect(events).to.deep.equal(['discounted:blue-mug:1250->999']);
    const page = await t.agent().get('/products/blue-mug').expect(200);
    expect(page.text).to.contain('€9.99');
    expect(page.text).to.contain('€15.00');
    expect(page.text).to.contain('33%');
  });

  it('creates a product published at once, and fires shops.product.published', async () => {
    const res = await createProduct(seller.agent, { title: 'Green Bowl', price: '20', status: 'published' });
    expect(res.status).to.equal(303);
    expect(events).to.deep.equal(['published:green-bowl']);
  });

  it('removes a picture it is asked to remove, with its files, and adds new ones after the rest', async () => {
    const { Product, ProductImage } = shopModels();
    const product = (await Product.findOne({ where: { slug: 'blue-mug' } }))!;
    const [first, second] = await ProductImage.findAll({ where: { product_id: product.id }, order: [['position', 'ASC']] });
    const res = await editProduct(
      seller.agent,
      product.id,
      { title: 'Blue Mug', slug: 'blue-mug', price: '9.99', compare_at_price: '15.00', stock: '7', status: 'published', remove_images: [String(first.id)] },
      [await png('#00aa00')],
    );
    expect(res.status).to.equal(303);
    const images = await ProductImage.findAll({ where: { product_id: product.id }, order: [['position', 'ASC']] });
    expect(images.map((i) => i.id)[0]).to.equal(second.id);
    expect(images).to.have.length(2);
    expect(fs.existsSync(path.join(t.config.uploadsDir, first.path))).to.equal(false);
    expect(fs.existsSync(path.join(t.config.uploadsDir, first.thumb_path))).to.equal(false);
    await product.reload();
    expect(product.image_path).to.equal(second.thumb_path);
  });

  describe('refuses bad input with 422, and writes no row and no file', () => {
    const cases: Array<{ what: string; fields: Parameters<typeof createProduct>[1]; field: string; files?: () => Promise<Array<{ field: string; data: Buffer; filename: string }>> }> = [
      { what: 'an empty title', fields: { title: '' }, field: 'title' },
      { what: 'a negative price', fields: { price: '-5.00' }, field: 'price' },
      { what: 'a price that is not a number', fields: { price: 'twelve' }, field: 'price' },
      { what: 'a price of zero', fields: { price: '0' }, field: 'price' },
      { what: 'a huge price', fields: { price: '99999999' }, field: 'price' },
      { what: 'a huge stock', fields: { stock: '99999999999' }, field: 'stock' },
      { what: 'a negative stock', fields: { stock: '-1' }, field: 'stock' },
      { what: 'a bad slug', fields: { slug: 'Blue Mug!' }, field: 'slug' },
      { what: 'a slug another product has', fields: { slug: 'blue-mug' }, field: 'slug' },
      { what: 'a compare-at price below the price', fields: { price: '10', compare_at_price: '5' }, field: 'compare_at_price' },
      { what: 'a category that does not exist', fields: { category_id: '999999' }, field: 'category_id' },
      { what: 'a text file named .png', fields: {}, field: 'images', files: async () => [{ field: 'images', data: Buffer.from('not an image at all'), filename: 'cat.png' }] },
      { what: 'a file over the size cap', fields: {}, field: 'images', files: async () => [{ field: 'images', data: await noisyPng(), filename: 'huge.png' }] },
      {
        what: 'more than 8 pictures',
        fields: {},
        field: 'images',
        files: async () => Promise.all(Array.from({ length: 9 }, async () => ({ field: 'images', data: await pngImage(), filename: 'p.png' }))),
      },
    ];
    for (const c of cases) {
      it(`refuses ${c.what}`, async () => {
        const { Product, ProductImage } = shopModels();
        const [products, images, files] = [await Product.count(), await ProductImage.count(), filesUnder(t.config.uploadsDir)];
        const good = [{ field: 'images', data: await pngImage(), filename: 'good.png' }];
        const res = await createProduct(seller.agent, { title: 'Should not exist', ...c.fields }, c.files ? await c.files() : good);
        expect(res.status).to.equal(422);
        expect(res.text).to.contain('Please correct the marked fields');
        expect(res.text, 'the message sits beside its field').to.match(new RegExp(`class="field has-error">\\s*<label for="f-${c.field.replaceAll('_', '-')}"`));
        expect(await Product.count()).to.equal(products);
        expect(await ProductImage.count()).to.equal(images);
        expect(filesUnder(t.config.uploadsDir)).to.deep.equal(files);
      });
    }

    it('leaves a product as it was when its edit is refused', async () => {
      const { Product } = shopModels();
      const product = (await Product.findOne({ where: { slug: 'blue-mug' } }))!;
      const res = await editProduct(seller.agent, product.id, { title: 'Changed', slug: 'blue-mug', price: '-1', status: 'published' });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('value="Changed"');
      await product.reload();
      expect([product.title, product.price]).to.deep.equal(['Blue Mug', 999]);
    });
  });

  describe('ownership', () => {
    it('gives another seller 404 for this seller\'s product, by URL or by posting its id', async () => {
      const { Product, ProductImage } = shopModels();
      const mine = (await Product.findOne({ where: { slug: 'blue-mug' } }))!;
      const [myImage] = await ProductImage.findAll({ where: { product_id: mine.id } });
      const other = await sellerWithShop(t);
      await other.agent.get(`/seller/products/${mine.id}/edit`).expect(404);
      const list = await other.agent.get('/seller/products').expect(200);
      expect(list.text).to.not.contain('Blue Mug');

      const token = csrfFrom(list.text);
      const res = await other.agent
        .post(`/seller/products/${mine.id}`)
        .field('_csrf', token)
        .field('title', 'Stolen')
        .field('price', '1.00')
        .field('status', 'draft');
      expect(res.status).to.equal(404);
      await other.agent.post(`/seller/products/${mine.id}/unpublish`).type('form').send({ _csrf: token }).expect(404);

      // A product of their own, with the other shop's picture id in "remove".
      await createProduct(other.agent, { title: 'Their Lamp' });
      const theirs = (await Product.findOne({ where: { shop_id: other.shop.id } }))!;
      await editProduct(other.agent, theirs.id, { title: 'Their Lamp', slug: theirs.slug, remove_images: [String(myImage.id)] });

      await mine.reload();
      expect([mine.title, mine.status, mine.price, mine.shop_id]).to.deep.equal(['Blue Mug', 'published', 999, seller.shop.id]);
      expect(await ProductImage.findByPk(myImage.id)).to.not.equal(null);
    });

    it('refuses /seller pages to guests', async () => {
      const res = await t.agent().get('/seller/products').expect(302);
      expect(res.headers.location).to.match(/^\/login/);
    });
  });
});
