import { expect } from 'chai';
import { startTestApp, type TestApp } from '../../helpers/app';
import { leanModelRead, leanRead, observeLeanReads } from '../../../core/db/lean-read';
import { makeProduct, makeShop } from '../../plugins/shops/order-helpers';
import { shopModels } from '../../plugins/shops/shop-models';

/** core/db/lean-read.ts: raw, prepared reads with the same values on SQLite and PostgreSQL. */
describe('lean reads (core/db/lean-read.ts)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let shopId: number;
  let productIds: number[];
  before(async () => {
    t = await startTestApp({ plugins: ['shops'] });
    const { shop } = await makeShop(t);
    shopId = shop.id;
    productIds = [];
    for (const title of ['Lean bowl', 'Lean cup', 'Lean plate']) productIds.push((await makeProduct(t, shop, { title, stock: null })).id);
  });
  after(async () => t?.close());

  const cards = leanRead<{ id: number; title: string; created_at: Date; vacation_mode: boolean; n: number }>(
    `SELECT p.id, p.title, p.created_at, s.vacation_mode, (SELECT COUNT(*) FROM products q WHERE q.shop_id = s.id) AS n
     FROM products p JOIN shops s ON s.id = p.shop_id WHERE p.id IN (:ids) AND p.shop_id = :shopId ORDER BY p.id`,
    { dates: ['created_at'], booleans: ['vacation_mode'], numbers: ['n'] },
  );

  it('returns plain rows typed alike on both dialects, lists expanded', async () => {
    const rows = await cards.all(t.platform.sequelize, { ids: productIds.slice(0, 2), shopId });
    expect(rows.map((r) => r.title)).to.deep.equal(['Lean bowl', 'Lean cup']);
    for (const r of rows) {
      expect(r.created_at).to.be.instanceOf(Date);
      expect(Date.now() - r.created_at.getTime()).to.be.within(0, 3_600_000);
      expect(r.vacation_mode).to.equal(false);
      expect(r.n).to.equal(3);
    }
    // Another list length is another statement; the first still works.
    expect((await cards.all(t.platform.sequelize, { ids: productIds, shopId })).length).to.equal(3);
    expect((await cards.all(t.platform.sequelize, { ids: [productIds[2]], shopId })).map((r) => r.title)).to.deep.equal(['Lean plate']);
  });

  it('sees a committed write at once, and an uncommitted one only inside its transaction', async () => {
    const { Product } = shopModels();
    const bySlug = leanModelRead(Product, 'WHERE id = :id');
    const before = await bySlug.one({ id: productIds[0] });
    expect(before).to.be.instanceOf(Product);
    expect(before!.inStock()).to.equal(true);
    await Product.update({ title: 'Lean bowl, renamed' }, { where: { id: productIds[0] } });
    expect((await bySlug.one({ id: productIds[0] }))!.title).to.equal('Lean bowl, renamed');
    await t.platform.sequelize
      .transaction(async () => {
        await Product.update({ title: 'Lean bowl, in a transaction' }, { where: { id: productIds[0] } });
        expect((await bySlug.one({ id: productIds[0] }))!.title).to.equal('Lean bowl, in a transaction');
        throw new Error('roll back');
      })
      .catch((e: Error) => expect(e.message).to.equal('roll back'));
    expect((await bySlug.one({ id: productIds[0] }))!.title).to.equal('Lean bowl, renamed');
    expect(await bySlug.one({ id: -1 })).to.equal(null);
  });

  it('tells its observers of each query it runs outside Sequelize, and refuses a missing parameter', async () => {
    const seen: string[] = [];
    const stop = observeLeanReads(t.platform.sequelize, (sql) => seen.push(sql));
    await cards.all(t.platform.sequelize, { ids: productIds, shopId });
    stop();
    await cards.all(t.platform.sequelize, { ids: productIds, shopId });
    expect(seen).to.have.length(1);
    expect(seen[0]).to.contain('FROM products p');
    let error: unknown;
    await cards.all(t.platform.sequelize, { ids: productIds }).catch((e: unknown) => (error = e));
    expect(String(error)).to.contain(':shopId');
  });
});
