import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { startTestApp, login, type TestApp } from '../../../helpers/app';

import { DEMO_SHOPS } from '../../../../plugins/shops/demo/demo-data';
import { shopModels } from '../shop-models';

describe('shops: the demo seed', () => {
  let t: TestApp;
  before(async function () {
    this.timeout(60_000);
    t = await startTestApp({ plugins: ['shops'], env: { DEMO_SEED: '1' } });
  });
  after(async () => t.close());

  it('creates 3 shops owned by 3 demo sellers and 30 published products', async () => {
    const { Shop, User, Product } = shopModels();
    const shops = await Shop.findAll({ order: [['id', 'ASC']] });
    expect(shops.map((s) => s.slug)).to.deep.equal(DEMO_SHOPS.map((d) => d.shop.slug));
    for (const shop of shops) {
      const owner = await User.findByPk(shop.owner_id!);
      expect(owner?.email).to.match(/^seller\d@demo\.agora\.local$/);
      expect(owner?.role).to.equal('seller');
      expect(shop.product_count).to.equal(10);
    }
    expect(await Product.count({ where: { status: 'published' } })).to.equal(30);
  });

  it('gives every product an image file on disk (pictures differ from product to product), some a discount, some limited stock and one none', async () => {
    const { Product, ProductImage } = shopModels();
    const products = await Product.findAll();
    const images = await ProductImage.findAll();
    // Every third product of each shop (10 each) has a second picture, for the product page's gallery.
    expect(images).to.have.length(30 + 3 * 4);
    const perProduct = new Map<number, number>();
    for (const img of images) perProduct.set(img.product_id, (perProduct.get(img.product_id) ?? 0) + 1);
    expect([...perProduct.values()].filter((n) => n === 2)).to.have.length(12);
    // Not thirty identical squares: every picture's bytes differ.
    const digests = new Set(images.map((img) => crypto.createHash('sha256').update(fs.readFileSync(path.join(t.config.uploadsDir, img.thumb_path))).digest('hex')));
    expect(digests.size).to.equal(images.length);
    for (const img of images) {
      expect(fs.existsSync(path.join(t.config.uploadsDir, img.path)), img.path).to.equal(true);
      expect(fs.existsSync(path.join(t.config.uploadsDir, img.thumb_path)), img.thumb_path).to.equal(true);
    }
    expect(products.every((p) => p.image_path)).to.equal(true);
    expect(products.filter((p) => p.isDiscounted()).length).to.be.greaterThan(3);
    expect(products.filter((p) => p.stock !== null && p.stock > 0).length).to.be.greaterThan(3);
    expect(products.filter((p) => p.stock === 0)).to.have.length(1);
  });

  it('lets a demo seller log in with the documented password and reach the dashboard', async () => {
    const agent = t.agent();
    await login(agent, DEMO_SHOPS[0].seller.email, DEMO_SHOPS[0].seller.password);
    const res = await agent.get('/seller').expect(200);
    expect(res.text).to.contain(DEMO_SHOPS[0].shop.name);
  });

  it('shows the newest demo products and shops on the home page, and the images are served', async () => {
    const res = await t.agent().get('/').expect(200);
    expect(res.text).to.contain('New in the marketplace');
    expect(res.text).to.contain(DEMO_SHOPS[2].products[9].title);
    const src = /src="(\/uploads\/products\/[^"]+)"/.exec(res.text)?.[1];
    expect(src).to.be.a('string');
    const img = await t.agent().get(src!).expect(200);
    expect(img.headers['content-type']).to.equal('image/webp');
  });
});
