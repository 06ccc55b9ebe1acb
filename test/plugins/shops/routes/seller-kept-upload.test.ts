import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startTestApp, type TestApp } from '../../../helpers/app';
import { pngImage, postMultipart, productFormFields, sellerWithShop } from '../catalog-helpers';
import { shopModels } from '../shop-models';

describe('shops: the chosen picture survives an error on the product form (issue 8: 12)', function () {
  this.timeout(60_000);
  let t: TestApp;

  before(async () => {
    t = await startTestApp({ plugins: ['shops'] });
  });
  after(async () => t.close());

  it('keeps the upload as a private file named in the re-rendered form, shown only to its seller, and saves it with the product', async () => {
    const seller = await sellerWithShop(t);
    const picture = { field: 'images', data: await pngImage('#228844', 800, 600), filename: 'green.png' };
    const refused = await postMultipart(seller.agent, '/seller/products/new', '/seller/products', productFormFields({ title: 'Green Bowl', price: 'abc' }), [picture]);
    expect(refused.status).to.equal(422);
    const ids = [...refused.text.matchAll(/name="kept_images" value="([0-9a-f-]{36})"/g)].map((m) => m[1]);
    expect(ids).to.have.length(1);
    expect(refused.text).to.include(`src="/seller/uploads/${ids[0]}"`).and.include('you chose is kept');
    // The preview is the seller's alone.
    const preview = await seller.agent.get(`/seller/uploads/${ids[0]}`);
    expect([preview.status, preview.headers['content-type']]).to.deep.equal([200, 'image/png']);
    const other = await sellerWithShop(t);
    expect((await other.agent.get(`/seller/uploads/${ids[0]}`)).status).to.equal(404);

    // Fixed and sent again without choosing the file: the product has the picture, the temporary copy is gone.
    const saved = await postMultipart(seller.agent, '/seller/products/new', '/seller/products', { ...productFormFields({ title: 'Green Bowl', price: '18.00' }), kept_images: ids });
    expect(saved.status, saved.text.slice(0, 300)).to.equal(303);
    const { Product, ProductImage } = shopModels();
    const product = (await Product.findOne({ where: { shop_id: seller.shop.id, title: 'Green Bowl' } }))!;
    expect(await ProductImage.count({ where: { product_id: product.id } })).to.equal(1);
    expect((await seller.agent.get(`/seller/uploads/${ids[0]}`)).status).to.equal(404);
    expect(await t.platform.files.forOwner('shops').private.info(ids[0])).to.equal(undefined);
  });

  it("ignores a kept id that is not this session's own", async () => {
    const first = await sellerWithShop(t);
    const picture = { field: 'images', data: await pngImage('#884422', 800, 600), filename: 'brown.png' };
    const refused = await postMultipart(first.agent, '/seller/products/new', '/seller/products', productFormFields({ title: 'Brown Jar', price: '' }), [picture]);
    const [id] = [...refused.text.matchAll(/name="kept_images" value="([0-9a-f-]{36})"/g)].map((m) => m[1]);
    const thief = await sellerWithShop(t);
    const res = await postMultipart(thief.agent, '/seller/products/new', '/seller/products', { ...productFormFields({ title: 'Stolen Jar', price: '5.00' }), kept_images: [id] });
    expect(res.status).to.equal(303);
    const { Product, ProductImage } = shopModels();
    const stolen = (await Product.findOne({ where: { title: 'Stolen Jar' } }))!;
    expect(await ProductImage.count({ where: { product_id: stolen.id } })).to.equal(0);
  });

  it('deletes kept pictures a day old with an hourly sweep, and leaves newer and permanent files alone', async () => {
    const seller = await sellerWithShop(t);
    const keptIds = async (color: string) => {
      const refused = await postMultipart(seller.agent, '/seller/products/new', '/seller/products', productFormFields({ title: '' }), [{ field: 'images', data: await pngImage(color), filename: 'x.png' }]);
      expect(refused.status).to.equal(422);
      return [...refused.text.matchAll(/name="kept_images" value="([0-9a-f-]{36})"/g)].map((m) => m[1]);
    };
    const [old] = await keptIds('#111111');
    const [fresh] = await keptIds('#222222');
    const files = t.platform.files.forOwner('shops').private;
    const info = (await files.info(old))!;
    const hours = (info.expiresAt!.getTime() - info.createdAt.getTime()) / 3_600_000;
    expect(hours, 'temporary for the keptUploadHours setting (24 by default)').to.be.closeTo(24, 0.1);
    const permanent = await files.save(Buffer.from('not temporary'), { name: 'keep.txt', type: 'text/plain' });
    // The first one was kept a day and a minute ago.
    await t.platform.sequelize.query('UPDATE private_files SET expires_at = :past WHERE id = :id', { replacements: { past: new Date(Date.now() - 60_000), id: old }, type: QueryTypes.UPDATE });

    const schedules = await t.platform.sequelize.query<{ cron: string }>("SELECT cron FROM job_schedules WHERE name = 'shops.kept-uploads.sweep'", { type: QueryTypes.SELECT });
    expect(schedules, 'scheduled every hour').to.have.length(1);
    expect(schedules[0].cron).to.match(/^\d+ \* \* \* \*$/);
    await t.platform.jobs.enqueue('shops.kept-uploads.sweep', {});
    await t.platform.jobs.idle();

    expect(await files.info(old), 'the expired one is gone').to.equal(undefined);
    expect(fs.existsSync(path.join(t.platform.files.privateDir, 'shops', old)), 'with its bytes').to.equal(false);
    expect((await seller.agent.get(`/seller/uploads/${old}`)).status).to.equal(404);
    expect(await files.info(fresh), 'a newer one stays').to.not.equal(undefined);
    expect(await files.info(permanent.id), 'a file with no expiry stays').to.not.equal(undefined);
    await files.remove(permanent.id);
  });
});
