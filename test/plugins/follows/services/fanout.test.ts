import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startTestApp, csrfFrom, type TestApp } from '../../../helpers/app';
import { createProduct, editProduct, productFormFields, sellerWithShop } from '../../shops/catalog-helpers';
import { makeProduct, pluginModule } from '../../shops/order-helpers';
import { shopModels } from '../../shops/shop-models';
import { bulkFollowers, countRows, followsModule, setFollowsSettings } from '../follows-helpers';
import type { JobPayload } from '../../../../core';
import type { FanoutDeps } from '../../../../plugins/follows/services/fanout-deps';
import type { FollowsSettings } from '../../../../plugins/follows/settings';

type Fanout = typeof import('../../../../plugins/follows/services/fanout');
type ProductServiceModule = typeof import('../../../../plugins/shops/services/product-service');
type ProductForm = typeof import('../../../../plugins/shops/forms/product-form');

describe('follows: the fan-out to followers is a background job, done exactly once', function () {
  this.timeout(120_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'follows'] });
  });
  after(async () => t.close());

  const fanoutJobs = async () =>
    t.platform.sequelize.query<{ id: number; payload: string; status: string }>("SELECT id, payload, status FROM jobs WHERE name = 'follows.fanout' ORDER BY id", { type: QueryTypes.SELECT });
  const notificationsOf = (shopId: number) => countRows(t, 'follows_notifications', 'shop_id = ?', [shopId]);
  /** Who got a notification more than once for one event: must stay empty. */
  const doubles = async (shopId: number) =>
    t.platform.sequelize.query('SELECT event_id, user_id, COUNT(*) AS n FROM follows_notifications WHERE shop_id = ? GROUP BY event_id, user_id HAVING COUNT(*) > 1', {
      replacements: [shopId],
      type: QueryTypes.SELECT,
    });

  /** Runs `fn` with the worker stopped, so what the request itself wrote can be seen before any job runs. */
  async function withWorkerStopped<T>(fn: () => Promise<T>): Promise<T> {
    await t.platform.jobs.stop();
    try {
      return await fn();
    } finally {
      await t.platform.jobs.start();
    }
  }

  it('publishing for a shop with 10,000 followers writes one job and no notification in the request, as for a shop with none', async () => {
    const big = await sellerWithShop(t, { name: 'Big Shop' });
    const small = await sellerWithShop(t, { name: 'Small Shop' });
    await bulkFollowers(t, big.shop.id, 10_000, { emailOff: true });
    const before = (await fanoutJobs()).length;

    // A short timeout on the request (not on the job): the seller waits for one row, never for the followers.
    const publish = async (agent: typeof big.agent, title: string) => {
      const token = csrfFrom((await agent.get('/seller/products/new')).text);
      let req = agent.post('/seller/products').timeout({ response: 15_000 }).field('_csrf', token);
      for (const [k, v] of Object.entries(productFormFields({ title, status: 'published' }))) req = req.field(k, String(v));
      return req;
    };
    const outcome = await withWorkerStopped(async () => {
      const bigRes = await publish(big.agent, 'Big news');
      const smallRes = await publish(small.agent, 'Small news');
      return { bigRes, smallRes, jobs: (await fanoutJobs()).slice(before), bigRows: await notificationsOf(big.shop.id), events: await countRows(t, 'follows_events') };
    });
    expect([outcome.bigRes.status, outcome.smallRes.status]).to.deep.equal([303, 303]);
    // Each request did the same: one queued job; not one notification or event row.
    expect(outcome.jobs.map((j) => [JSON.parse(j.payload).shopId, j.status])).to.deep.equal([
      [big.shop.id, 'queued'],
      [small.shop.id, 'queued'],
    ]);
    expect(outcome.bigRows).to.equal(0);
    expect(outcome.events).to.equal(0);

    await t.platform.jobs.idle(90_000);
    expect(await notificationsOf(big.shop.id)).to.equal(10_000);
    expect(await countRows(t, 'follows_notifications', "shop_id = ? AND email_status = 'off'", [big.shop.id])).to.equal(10_000);
    expect(await doubles(big.shop.id)).to.deep.equal([]);
    expect(await notificationsOf(small.shop.id)).to.equal(0);
    const statuses = (await fanoutJobs()).slice(before).map((j) => j.status);
    expect(statuses).to.deep.equal(['done', 'done']);
  });

  it('gives every follower exactly one notification when the worker stops midway and the job runs again', async () => {
    await setFollowsSettings(t, { fanoutBatchSize: 100 });
    const { shop } = await sellerWithShop(t, { name: 'Restart Shop' });
    const followers = await bulkFollowers(t, shop.id, 1_250, { emailOff: true });
    // The worker stays stopped while the runs below die midway; then the queued job is the run that finishes.
    await t.platform.jobs.stop();
    let job: { id: number; payload: string; status: string };
    try {
      const product = await makeProduct(t, shop, { title: 'Restart mug', status: 'draft' });
      const { ProductService } = await pluginModule<ProductServiceModule>('services/product-service.ts');
      await new ProductService(t.config.uploadsDir, t.platform.hooks).setStatus(shop, product.id, 'published');
      [job] = (await fanoutJobs()).filter((j) => JSON.parse(j.payload).productId === product.id);
      expect(job.status).to.equal('queued');
      const payload = JSON.parse(job.payload) as JobPayload<'follows.fanout'>;
      const { runFanout } = await followsModule<Fanout>('services/fanout.ts');
      const deps: FanoutDeps = {
        sequelize: t.platform.sequelize,
        shops: () => t.platform.plugins.serviceOf('shops')!,
        settings: () => t.platform.settings.get<FollowsSettings>('follows'),
        queueDigest: (digestId, delayMs) => t.platform.jobs.enqueue('follows.digest', { digestId }, { tx: null, dedupeKey: `follows.digest:${digestId}`, delayMs }),
      };
      const dieAt = (batch: number, message: string) => ({
        onBatch: (n: number) => {
          if (n === batch) throw new Error(message);
        },
      });
      // First run: dies inside its fourth batch, before that batch commits.
      const killed = await runFanout(deps, payload, dieAt(4, 'worker killed')).then(() => 'finished', (e: Error) => e.message);
      expect(killed).to.equal('worker killed');
      expect(await notificationsOf(shop.id)).to.equal(300);
      // Two more runs at once, both dying in their second batch: they overlap, and still nobody is told twice.
      const both = await Promise.allSettled([1, 2].map(() => runFanout(deps, payload, dieAt(2, 'killed again'))));
      expect(both.map((r) => r.status)).to.deep.equal(['rejected', 'rejected']);
      expect(await doubles(shop.id)).to.deep.equal([]);
      expect(await notificationsOf(shop.id)).to.be.within(400, 500);
    } finally {
      await t.platform.jobs.start();
    }
    // The queued job runs to the end.
    await t.platform.jobs.idle(60_000);
    expect(await notificationsOf(shop.id)).to.equal(1_250);
    expect(await doubles(shop.id)).to.deep.equal([]);
    const told = await t.platform.sequelize.query<{ user_id: number }>('SELECT user_id FROM follows_notifications WHERE shop_id = ? ORDER BY user_id', { replacements: [shop.id], type: QueryTypes.SELECT });
    expect(told.map((r) => Number(r.user_id))).to.deep.equal([...followers].sort((a, b) => a - b));
    expect((await t.platform.jobs.get(String(job.id)))?.status).to.equal('done');
    await setFollowsSettings(t, { fanoutBatchSize: 500 });
  });

  it('tells nobody when the publishing transaction rolls back', async () => {
    const { shop } = await sellerWithShop(t, { name: 'Rollback Shop' });
    await bulkFollowers(t, shop.id, 5);
    const { ProductService } = await pluginModule<ProductServiceModule>('services/product-service.ts');
    const { parseProductForm } = await pluginModule<ProductForm>('forms/product-form.ts');
    const parsed = parseProductForm({ title: 'Never sold', slug: '', description: '', price: '9.00', compare_at_price: '', stock: '', category_id: '', tags: '', status: 'published' }, 'EUR');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const jobsBefore = (await fanoutJobs()).length;
    const outcome = await t.platform.sequelize
      .transaction(async () => {
        await new ProductService(t.config.uploadsDir, t.platform.hooks).create(shop, parsed.data, []);
        throw new Error('the caller changed its mind');
      })
      .catch((e: Error) => e.message);
    expect(outcome).to.equal('the caller changed its mind');
    await t.platform.jobs.idle(10_000);
    expect((await fanoutJobs()).length).to.equal(jobsBefore);
    expect(await shopModels().Product.count({ where: { shop_id: shop.id } })).to.equal(0);
    expect(await notificationsOf(shop.id)).to.equal(0);
  });

  it('tells followers of a discount (a live product whose price went below its compare-at price), once', async () => {
    const seller = await sellerWithShop(t, { name: 'Discount Shop' });
    const followers = await bulkFollowers(t, seller.shop.id, 3, { emailOff: true });
    const res = await createProduct(seller.agent, { title: 'Green vase', price: '40.00', status: 'published' });
    expect(res.status).to.equal(303);
    await t.platform.jobs.idle(10_000);
    const product = (await shopModels().Product.findOne({ where: { shop_id: seller.shop.id } }))!;
    const edit = await editProduct(seller.agent, product.id, { title: 'Green vase', slug: product.slug, price: '30.00', compare_at_price: '40.00', status: 'published' });
    expect(edit.status).to.equal(303);
    await t.platform.jobs.idle(10_000);
    const rows = await t.platform.sequelize.query<{ kind: string; price: number; previous_price: number | null; n: number }>(
      'SELECT e.kind, e.price, e.previous_price, COUNT(n.id) AS n FROM follows_events e JOIN follows_notifications n ON n.event_id = e.id WHERE e.shop_id = ? GROUP BY e.id, e.kind, e.price, e.previous_price ORDER BY e.id',
      { replacements: [seller.shop.id], type: QueryTypes.SELECT },
    );
    expect(rows.map((r) => [r.kind, Number(r.price), r.previous_price === null ? null : Number(r.previous_price), Number(r.n)])).to.deep.equal([
      ['published', 4000, null, followers.length],
      ['discounted', 3000, 4000, followers.length],
    ]);
  });
});
