import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { QueryTypes } from 'sequelize';
import type supertest from 'supertest';
import { startTestApp, login, csrfFrom, type TestApp } from '../../../helpers/app';
import { makeProduct, makeShop } from '../order-helpers';
import { shopModels } from '../shop-models';

type Agent = ReturnType<TestApp['agent']>;

const text = (req: supertest.Test) =>
  req.buffer(true).parse((res, cb) => {
    let d = '';
    res.on('data', (c: Buffer) => (d += c.toString('utf8')));
    res.on('end', () => cb(null, d));
  });

describe('shops: importing products from CSV (preview, errors per row, background job, progress)', function () {
  this.timeout(180_000);
  let t: TestApp;
  let seller: Agent;
  let stranger: Agent;
  let shopId: number;
  let otherProductId: number;

  const upload = async (agent: Agent, csv: string | Buffer, filename = 'products.csv') => {
    const token = csrfFrom((await agent.get('/seller/imports').expect(200)).text);
    return agent.post('/seller/imports').field('_csrf', token).attach('file', Buffer.isBuffer(csv) ? csv : Buffer.from(csv, 'utf8'), filename);
  };
  const importIdOf = (res: supertest.Response) => Number(/^\/seller\/imports\/(\d+)$/.exec(res.headers.location as string)![1]);
  const confirm = async (agent: Agent, id: number) => {
    const token = csrfFrom((await agent.get(`/seller/imports/${id}`).expect(200)).text);
    return agent.post(`/seller/imports/${id}/confirm`).type('form').send({ _csrf: token });
  };
  const product = async (where: string, value: unknown) => {
    const rows = await t.platform.sequelize.query<{ id: number; title: string; price: number; stock: number | null; status: string; sku: string | null; description: string }>(
      `SELECT id, title, price, stock, status, sku, description FROM products WHERE shop_id = ? AND ${where} = ?`,
      { replacements: [shopId, value], type: QueryTypes.SELECT },
    );
    return rows.map((r) => ({ ...r, price: Number(r.price), stock: r.stock === null ? null : Number(r.stock) }));
  };
  const importRow = async (id: number) =>
    (await t.platform.sequelize.query<Record<string, unknown>>('SELECT * FROM product_imports WHERE id = ?', { replacements: [id], type: QueryTypes.SELECT }))[0];

  before(async () => {
    t = await startTestApp({ plugins: ['shops'] });
    const mine = await makeShop(t, { name: 'Import Shop' });
    shopId = mine.shop.id;
    const theirs = await makeShop(t, { name: 'Not Yours' });
    otherProductId = (await makeProduct(t, theirs.shop, { title: 'Their lamp', price: 4000 })).id;
    seller = t.agent();
    await login(seller, mine.seller.username, mine.password);
    stranger = t.agent();
    await login(stranger, theirs.seller.username, theirs.password);
    const { Product } = shopModels();
    const mug = await makeProduct(t, mine.shop, { title: 'Mug', price: 1000, stock: 5 });
    await Product.update({ sku: 'MUG-1' }, { where: { id: mug.id } });
    const plate = await makeProduct(t, mine.shop, { title: 'Plate', price: 800, stock: 2 });
    await Product.update({ sku: 'PLATE-1' }, { where: { id: plate.id } });
  });
  after(async () => t.close());

  it('offers a template whose columns are the export’s', async () => {
    const template = await text(seller.get('/seller/imports/template.csv')).expect(200);
    expect(template.headers['content-disposition']).to.contain('products-template.csv');
    const exported = await text(seller.get('/seller/products.csv')).expect(200);
    const header = (s: string) => s.replace(/^\uFEFF/, '').split('\r\n')[0];
    expect(header(template.body as string)).to.equal(header(exported.body as string));
    expect(header(template.body as string)).to.match(/^id,sku,slug,title,status,currency,price/);
  });

  it('previews what a file changes, with each bad row’s number and reason, changing nothing; then the job keeps the good rows and reports the bad', async () => {
    const csv = [
      'sku,title,price,stock,status,currency,id',
      'MUG-1,Mug,12.00,8,published,EUR,', // row 2: update
      'NEW-1,New bowl,15.00,3,published,EUR,', // row 3: create
      'NEW-2,,5.00,1,draft,EUR,', // row 4: no title
      'NEW-3,Negative cup,-3.00,1,draft,EUR,', // row 5: negative price
      'NEW-1,Bowl again,9.00,1,draft,EUR,', // row 6: SKU repeated
      `,Forged lamp,1.00,1,draft,EUR,${otherProductId}`, // row 7: another shop's id
      'PLATE-1,Plate,8.00,2,published,EUR,', // row 8: unchanged
      'NEW-4,Dollar jar,4.00,1,draft,USD,', // row 9: wrong currency
      'NEW-5,Cheap jar,4.00,-2,draft,EUR,', // row 10: negative stock
      'NEW-6,Good jar,4.50,,draft,,', // row 11: create, unlimited, draft
    ].join('\n');
    const res = await upload(seller, csv);
    expect(res.status).to.equal(303);
    const id = importIdOf(res);
    const preview = await seller.get(`/seller/imports/${id}`).expect(200);
    expect(preview.text).to.contain('Check the import');
    expect(preview.text).to.match(/<strong>2<\/strong> new products, <strong>1<\/strong> updated, <strong>1<\/strong> unchanged, <strong>6<\/strong> rows refused, of 10\./);
    const errors = preview.text;
    for (const [line, message] of [
      [4, 'title: Enter a title'],
      [5, 'price: Cannot be negative'],
      [6, 'The SKU “NEW-1” is also on row 3'],
      [7, `id: your shop has no product #${otherProductId}`],
      [9, 'currency: your shop sells in EUR, the row says USD'],
      [10, 'stock: Cannot be negative'],
    ] as const) {
      expect(errors, `row ${line}`).to.match(new RegExp(`<td data-label="Row">${line}</td>[\\s\\S]*?${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
    const updates = await seller.get(`/seller/imports/${id}?show=update`).expect(200);
    expect(updates.text).to.contain('price 10.00 → 12.00; stock 5 → 8');
    // Nothing changed yet.
    expect((await product('sku', 'MUG-1'))[0]).to.include({ price: 1000, stock: 5 });
    expect(await product('sku', 'NEW-1')).to.have.length(0);

    // Two confirms at once (a double click): one claim, one job.
    const published: string[] = [];
    const off = t.platform.hooks.on('test', 'shops.product.published', (p) => void published.push(p.title));
    const answers = await Promise.all([confirm(seller, id), confirm(seller, id)]);
    expect(answers.map((a) => a.status)).to.deep.equal([303, 303]);
    // The database queue keeps its jobs in a table (Redis in its own store): one job for the two confirms.
    const table = t.platform.jobs.kind === 'database' ? 'jobs' : 'job_outbox';
    const [{ n: jobs }] = await t.platform.sequelize.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE name = 'shops.product-import'`, { type: QueryTypes.SELECT });
    if (table === 'jobs') expect(Number(jobs)).to.equal(1);
    await t.platform.jobs.idle(60_000);
    off();
    expect(published).to.deep.equal(['New bowl']);

    expect((await product('sku', 'MUG-1'))[0]).to.include({ price: 1200, stock: 8, status: 'published' });
    expect(await product('sku', 'NEW-1')).to.have.length(1);
    expect((await product('sku', 'NEW-1'))[0]).to.include({ title: 'New bowl', price: 1500, stock: 3, status: 'published' });
    expect((await product('sku', 'NEW-6'))[0]).to.include({ title: 'Good jar', price: 450, stock: null, status: 'draft' });
    for (const refused of ['NEW-2', 'NEW-3', 'NEW-4', 'NEW-5']) expect(await product('sku', refused), refused).to.have.length(0);
    expect(await product('title', 'Bowl again')).to.have.length(0);
    expect(await product('title', 'Forged lamp')).to.have.length(0);
    const [their] = await t.platform.sequelize.query<{ title: string; price: number }>('SELECT title, price FROM products WHERE id = ?', { replacements: [otherProductId], type: QueryTypes.SELECT });
    expect(their).to.deep.include({ title: 'Their lamp' });
    expect(Number(their.price)).to.equal(4000);

    const done = await importRow(id);
    expect(done.status).to.equal('done');
    expect([done.processed_rows, done.created_count, done.updated_count, done.unchanged_count, done.error_count].map(Number)).to.deep.equal([10, 2, 1, 1, 6]);
    const report = await seller.get(`/seller/imports/${id}`).expect(200);
    expect(report.text).to.contain('Import done');
    expect(report.text).to.match(/<progress id="import-progress-bar" max="10" value="10">100%<\/progress>/);
    expect(report.text).to.contain('title: Enter a title');
    const errorsCsv = await text(seller.get(`/seller/imports/${id}/errors.csv`)).expect(200);
    const errorRows = parse((errorsCsv.body as string).replace(/^\uFEFF/, ''), { columns: true }) as Array<{ row: string; error: string }>;
    expect(errorRows.map((r) => Number(r.row))).to.deep.equal([4, 5, 6, 7, 9, 10]);

    const again = await confirm(seller, id);
    expect(again.status).to.equal(303);
    expect((await seller.get(`/seller/imports/${id}`)).text).to.contain('This import was already confirmed.');
  });

  it('reports progress as JSON, and shows another shop’s import to nobody but its seller (404)', async () => {
    const res = await upload(seller, 'sku,title,price\nJSON-1,Json cup,3.00\n');
    const id = importIdOf(res);
    const json = await seller.get(`/seller/imports/${id}/progress.json`).expect(200);
    expect(json.body).to.deep.include({ id, status: 'previewed', total: 1, processed: 0, percent: 0 });
    await stranger.get(`/seller/imports/${id}`).expect(404);
    await stranger.get(`/seller/imports/${id}/progress.json`).expect(404);
    const token = csrfFrom((await stranger.get('/seller/imports').expect(200)).text);
    await stranger.post(`/seller/imports/${id}/confirm`).type('form').send({ _csrf: token }).expect(404);
    expect((await importRow(id)).status).to.equal('previewed');
    // The seller throws it away: nothing changes.
    const discardToken = csrfFrom((await seller.get(`/seller/imports/${id}`).expect(200)).text);
    await seller.post(`/seller/imports/${id}/discard`).type('form').send({ _csrf: discardToken }).expect(303);
    expect((await importRow(id)).status).to.equal('discarded');
    expect(await product('sku', 'JSON-1')).to.have.length(0);
  });

  it('round trip: its own export imported back changes nothing (tags, description with commas and lines, formulas, unlimited stock, variants)', async () => {
    const { Product, ProductTag, ProductVariant, Category } = shopModels();
    const shop = (await shopModels().Shop.findByPk(shopId))!;
    const category = await Category.create({ name: 'Kitchen', slug: `kitchen-${Date.now()}`, parent_id: null } as never);
    const rich = await makeProduct(t, shop, { title: '=SUM(1,2) "quoted", mug', price: 1999, stock: null });
    await Product.update({ sku: 'RICH-1', description: 'Line one, with a comma\nLine two; "quotes"\n\n-dash first', compare_at_price: 2500, category_id: (category as unknown as { id: number }).id, tax_class: 'reduced', tags_text: 'blue mug gift' }, { where: { id: rich.id } });
    await ProductTag.bulkCreate([{ product_id: rich.id, tag: 'gift' }, { product_id: rich.id, tag: 'blue mug' }]);
    const knit = await makeProduct(t, shop, { title: 'Knit hat', price: 2500, stock: 0 });
    await ProductVariant.create({ product_id: knit.id, shop_id: shop.id, combination: '9', sku: 'HAT-S', price: null, compare_at_price: null, stock: 4, image_id: null, enabled: true, position: 0 });
    await Product.update({ variant_count: 1, stock: 4 }, { where: { id: knit.id } });
    await makeProduct(t, shop, { title: 'No SKU draft', price: 700, stock: 1, status: 'draft' });

    const exported = await text(seller.get('/seller/products.csv')).expect(200);
    const before = await t.platform.sequelize.query('SELECT * FROM products WHERE shop_id = ? ORDER BY id', { replacements: [shopId], type: QueryTypes.SELECT });
    const res = await upload(seller, exported.body as string, 'export.csv');
    expect(res.status).to.equal(303);
    const id = importIdOf(res);
    const preview = await seller.get(`/seller/imports/${id}?show=unchanged`).expect(200);
    const total = before.length;
    expect(preview.text).to.contain(`<strong>0</strong> new products, <strong>0</strong> updated, <strong>${total}</strong> unchanged, <strong>0</strong> rows refused, of ${total}.`);
    expect(preview.text).to.contain('Nothing in this file would change your products.');
    const refused = await confirm(seller, id);
    expect(refused.status).to.equal(303);
    expect((await importRow(id)).status).to.equal('previewed');
    const after = await t.platform.sequelize.query('SELECT * FROM products WHERE shop_id = ? ORDER BY id', { replacements: [shopId], type: QueryTypes.SELECT });
    expect(after).to.deep.equal(before);

    // Edited in a spreadsheet that saves with semicolons and decimal commas: the same file, read alike.
    const records = parse((exported.body as string).replace(/^\uFEFF/, ''), { columns: true }) as Array<Record<string, string>>;
    const rich2 = records.find((r) => r.sku === 'RICH-1')!;
    expect(rich2.title).to.equal(`'=SUM(1,2) "quoted", mug`);
    const semicolon = ['sku;title;price;tags', `RICH-1;"${rich2.title.replace(/"/g, '""')}";17,50;"gift, blue mug"`].join('\r\n');
    const res2 = await upload(seller, semicolon, 'semicolons.csv');
    const id2 = importIdOf(res2);
    const updates = await seller.get(`/seller/imports/${id2}?show=update`).expect(200);
    const changes = /<td data-label="Row">2<\/td>[\s\S]*?<td data-label="Result">([^<]*)<\/td>/.exec(updates.text)?.[1];
    // The title (its formula guard taken off) and the tags in another order are no change.
    expect(changes).to.equal('price 19.99 → 17.50');
  });

  it('lets the seller set a SKU on the product form, refuses one another product has, and the import matches by it', async () => {
    const token = csrfFrom((await seller.get('/seller/products/new').expect(200)).text);
    const send = (fields: Record<string, string>) => {
      let req = seller.post('/seller/products').field('_csrf', token);
      for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
      return req;
    };
    expect((await send({ title: 'Form vase', price: '20.00', stock: '3', status: 'draft', sku: 'VASE-9' })).status).to.equal(303);
    expect((await product('sku', 'VASE-9'))[0]).to.include({ title: 'Form vase' });
    const taken = await send({ title: 'Second vase', price: '20.00', stock: '3', status: 'draft', sku: 'MUG-1' });
    expect(taken.status).to.equal(422);
    expect(taken.text).to.contain('Another product or variant of your shop has this SKU');
    const bad = await send({ title: 'Third vase', price: '20.00', stock: '3', status: 'draft', sku: 'has space' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Use at most 64 letters, digits');
    const id = importIdOf(await upload(seller, 'sku,stock\nVASE-9,11\n'));
    expect((await seller.get(`/seller/imports/${id}?show=update`).expect(200)).text).to.contain('stock 3 → 11');
  });

  it('refuses a file over the row or size limit (store settings), one that is not UTF-8, and one without a header, with the reason on the page', async () => {
    const shops = t.platform.settings.get<Record<string, unknown>>('shops');
    await t.platform.settings.save('shops', { ...shops, importMaxRows: 3, importMaxMegabytes: 1 });
    try {
      const tooMany = await upload(seller, 'sku,title,price\nA,a,1\nB,b,1\nC,c,1\nD,d,1\n');
      expect(tooMany.status).to.equal(422);
      expect(tooMany.text).to.contain('The file has more than 3 products; split it into smaller files.');
      const big = await upload(seller, `sku,title,price,description\nA,a,1,"${'x'.repeat(1024 * 1024 + 10)}"\n`);
      expect(big.status).to.equal(422);
      expect(big.text).to.contain('The file is larger than 1 MB.');
      const latin1 = await upload(seller, Buffer.from('sku,title,price\nA,Cr\xe8me,1\n', 'latin1'));
      expect(latin1.status).to.equal(422);
      expect(latin1.text).to.contain('Save it from your spreadsheet as “CSV UTF-8”');
      const headerless = await upload(seller, 'MUG-1,Mug,12.00\n');
      expect(headerless.status).to.equal(422);
      expect(headerless.text).to.contain('The first row must name the columns');
      const none = await upload(seller, '');
      expect(none.status).to.equal(422);
    } finally {
      await t.platform.settings.save('shops', shops);
    }
    const [{ n }] = await t.platform.sequelize.query<{ n: number }>("SELECT COUNT(*) AS n FROM product_imports WHERE shop_id = ? AND status = 'previewed' AND filename = 'products.csv' AND total_rows > 3", { replacements: [shopId], type: QueryTypes.SELECT });
    expect(Number(n)).to.equal(0);
  });
});
