import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startTestApp, login, csrfFrom, type TestApp } from '../../../helpers/app';
import { makeShop } from '../order-helpers';
import { shopModels } from '../shop-models';

describe('shops: a 5,000-row CSV import through the background job', function () {
  this.timeout(600_000);
  let t: TestApp;

  before(async () => {
    t = await startTestApp({ plugins: ['shops'] });
  });
  after(async () => t.close());

  it('previews 5,000 rows, applies them in batches (2,500 updated, 2,490 new, 10 refused) and counts the progress to 100%', async () => {
    const { shop, seller, password } = await makeShop(t, { name: 'Big Import Shop' });
    const agent = t.agent();
    await login(agent, seller.username, password);
    const { Product } = shopModels();
    const existing = Array.from({ length: 2500 }, (_, i) => ({
      shop_id: shop.id, sku: `OLD-${i}`, title: `Old product ${i}`, slug: `old-product-${shop.id}-${i}`, price: 1000, compare_at_price: null, currency: 'EUR', stock: 1, category_id: null, status: 'published' as const,
    }));
    for (let i = 0; i < existing.length; i += 500) await Product.bulkCreate(existing.slice(i, i + 500));

    const lines = ['sku,title,price,stock,status'];
    for (let i = 0; i < 2500; i++) lines.push(`OLD-${i},Old product ${i},${(11 + (i % 5)).toFixed(2)},${i % 7},published`);
    for (let i = 0; i < 2500; i++) lines.push(i % 250 === 0 ? `NEW-${i},New product ${i},not a price,1,draft` : `NEW-${i},New product ${i},${(5 + (i % 3)).toFixed(2)},${i % 4},draft`);
    const token = csrfFrom((await agent.get('/seller/imports').expect(200)).text);
    const res = await agent.post('/seller/imports').field('_csrf', token).attach('file', Buffer.from(lines.join('\n')), 'big.csv');
    expect(res.status).to.equal(303);
    const id = Number(/(\d+)$/.exec(res.headers.location as string)![1]);
    const preview = await agent.get(`/seller/imports/${id}`).expect(200);
    expect(preview.text).to.contain('<strong>2490</strong> new products, <strong>2500</strong> updated, <strong>0</strong> unchanged, <strong>10</strong> rows refused, of 5000.');

    const confirmToken = csrfFrom(preview.text);
    expect((await agent.post(`/seller/imports/${id}/confirm`).type('form').send({ _csrf: confirmToken })).status).to.equal(303);
    const running = await agent.get(`/seller/imports/${id}`).expect(200);
    expect(running.text).to.match(/<progress id="import-progress-bar" max="5000" value="\d+">/);
    expect(running.text).to.contain('data-progress-url="/seller/imports/' + id + '/progress.json"');
    await t.platform.jobs.idle(540_000);

    const progress = await agent.get(`/seller/imports/${id}/progress.json`).expect(200);
    expect(progress.body).to.deep.include({ status: 'done', total: 5000, processed: 5000, created: 2490, updated: 2500, unchanged: 0, errors: 10, percent: 100 });
    const count = async (sql: string) => Number((await t.platform.sequelize.query<{ n: number }>(sql, { replacements: [shop.id], type: QueryTypes.SELECT }))[0].n);
    expect(await count("SELECT COUNT(*) AS n FROM products WHERE shop_id = ? AND sku LIKE 'NEW-%'")).to.equal(2490);
    expect(await count("SELECT COUNT(*) AS n FROM products WHERE shop_id = ? AND sku LIKE 'OLD-%' AND price = 1000")).to.equal(0);
    expect(await count("SELECT COUNT(*) AS n FROM products WHERE shop_id = ? AND sku = 'OLD-4' AND price = 1500 AND stock = 4")).to.equal(1);
    expect(await count("SELECT COUNT(DISTINCT slug) AS n FROM products WHERE shop_id = ?")).to.equal(4990);
    const refused = (await t.platform.sequelize.query<{ line: number }>("SELECT line FROM product_import_rows WHERE import_id = ? AND outcome = 'failed' ORDER BY line", { replacements: [id], type: QueryTypes.SELECT })).map((r) => Number(r.line));
    expect(refused).to.deep.equal(Array.from({ length: 10 }, (_, k) => 2502 + k * 250));
  });
});
