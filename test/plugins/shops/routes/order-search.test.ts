import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startTestApp, login, loginAsAdmin, type TestApp } from '../../../helpers/app';
import { addToCart, checkout, makeProduct, makeShop } from '../order-helpers';

type Agent = ReturnType<TestApp['agent']>;

describe('shops: searching orders (seller and admin) and exporting them as CSV', function () {
  this.timeout(120_000);
  let t: TestApp;
  let seller: Agent;
  let otherSeller: Agent;
  const numbers: Record<string, string> = {};

  const buy = async (shopProductId: number, name: string) => {
    const buyer = t.agent();
    expect((await addToCart(buyer, shopProductId, 1)).status).to.equal(303);
    expect((await checkout(buyer, { name, email: `${name.replace(/\W/g, '').toLowerCase() || 'x'}@example.test` })).status).to.equal(303);
    const [row] = await t.platform.sequelize.query<{ number: string }>('SELECT number FROM orders WHERE ship_name = ? ORDER BY id DESC', { replacements: [name], type: QueryTypes.SELECT });
    return row.number;
  };

  before(async () => {
    t = await startTestApp({ plugins: ['shops'] });
    const mine = await makeShop(t, { name: 'Search Shop' });
    const theirs = await makeShop(t, { name: 'Other Shop' });
    seller = t.agent();
    await login(seller, mine.seller.username, mine.password);
    otherSeller = t.agent();
    await login(otherSeller, theirs.seller.username, theirs.password);
    const p = await makeProduct(t, mine.shop, { title: 'Searchable mug', stock: null });
    const q = await makeProduct(t, theirs.shop, { title: 'Other mug', stock: null });
    numbers.ada = await buy(p.id, 'Ada Lovelace');
    numbers.grace = await buy(p.id, 'Grace Hopper');
    numbers.formula = await buy(p.id, '=HYPERLINK("x")');
    numbers.other = await buy(q.id, 'Ada Other');
    // Dates apart, to search by range (UTC days).
    await t.platform.sequelize.query('UPDATE orders SET created_at = ? WHERE number = ?', { replacements: [new Date('2026-03-10T12:00:00Z'), numbers.ada] });
    await t.platform.sequelize.query('UPDATE orders SET created_at = ? WHERE number = ?', { replacements: [new Date('2026-04-20T12:00:00Z'), numbers.grace] });
    await t.platform.sequelize.query("UPDATE orders SET status = 'cancelled' WHERE number = ?", { replacements: [numbers.formula] });
  });
  after(async () => t.close());

  const listed = (html: string) => Object.entries(numbers).filter(([, n]) => html.includes(`>${n}</a>`)).map(([k]) => k).sort();

  it('finds a shop’s orders by buyer name (any case), by number, by status and by date range, and only its own', async () => {
    expect(listed((await seller.get('/seller/orders').expect(200)).text)).to.deep.equal(['ada', 'formula', 'grace']);
    expect(listed((await seller.get('/seller/orders?q=ADA').expect(200)).text)).to.deep.equal(['ada']);
    expect(listed((await seller.get(`/seller/orders?q=${encodeURIComponent(numbers.grace.toLowerCase())}`).expect(200)).text)).to.deep.equal(['grace']);
    expect(listed((await seller.get('/seller/orders?status=cancelled').expect(200)).text)).to.deep.equal(['formula']);
    expect(listed((await seller.get('/seller/orders?from=2026-03-01&to=2026-03-31').expect(200)).text)).to.deep.equal(['ada']);
    expect(listed((await seller.get('/seller/orders?from=2026-04-20&to=2026-04-20').expect(200)).text)).to.deep.equal(['grace']);
    expect(listed((await otherSeller.get('/seller/orders?q=ada').expect(200)).text)).to.deep.equal(['other']);
    const empty = await seller.get('/seller/orders?q=nobody').expect(200);
    expect(empty.text).to.contain('No orders match this search.');
  });

  it('says so beside a date that is not a day, and searches without it (never an error page)', async () => {
    const res = await seller.get('/seller/orders?from=2026-02-31&q=grace').expect(200);
    expect(res.text).to.contain('Enter a day as YYYY-MM-DD.');
    expect(listed(res.text)).to.deep.equal(['grace']);
    const backwards = await seller.get('/seller/orders?from=2026-04-01&to=2026-03-01').expect(200);
    expect(backwards.text).to.contain('The end is before the start');
  });

  it('exports the filtered orders as CSV, formula-safe, and the link carries the filters', async () => {
    const page = await seller.get('/seller/orders?q=grace').expect(200);
    expect(page.text).to.contain('href="/seller/orders.csv?q=grace"');
    const all = await seller.get('/seller/orders.csv').buffer(true).parse((res, cb) => { let d = ''; res.on('data', (c: Buffer) => (d += c.toString('utf8'))); res.on('end', () => cb(null, d)); }).expect(200);
    expect(all.headers['content-type']).to.match(/^text\/csv/);
    expect(all.headers['content-disposition']).to.match(/^attachment; filename="orders-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (all.body as string).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0].split(',').slice(0, 5)).to.deep.equal(['number', 'created_at', 'shop', 'status', 'buyer_name']);
    expect(lines).to.have.length(4);
    expect(lines.join('\n')).to.not.contain(numbers.other);
    const formulaLine = lines.find((l) => l.startsWith(numbers.formula))!;
    expect(formulaLine).to.contain(`"'=HYPERLINK(""x"")"`);
    const filtered = await seller.get('/seller/orders.csv?q=grace').buffer(true).parse((res, cb) => { let d = ''; res.on('data', (c: Buffer) => (d += c.toString('utf8'))); res.on('end', () => cb(null, d)); }).expect(200);
    const rows = (filtered.body as string).trim().split('\r\n');
    expect(rows).to.have.length(2);
    expect(rows[1]).to.contain('Grace Hopper');
  });

  it("exports the seller's own products as CSV, and only theirs", async () => {
    const res = await seller.get('/seller/products.csv').buffer(true).parse((r, cb) => { let d = ''; r.on('data', (c: Buffer) => (d += c.toString('utf8'))); r.on('end', () => cb(null, d)); }).expect(200);
    const lines = (res.body as string).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).to.equal('id,sku,slug,title,status,currency,price,compare_at_price,stock,category_id,tags,tax_class,description,published_at,created_at,updated_at');
    expect(lines).to.have.length(2);
    expect(lines[1]).to.contain(',Searchable mug,published,EUR,10.00,,,');
    expect(res.text ?? res.body).to.not.contain('Other mug');
  });

  it('gives the admin the same search across all shops at /admin/orders, with its CSV; a seller gets 403', async () => {
    const admin = t.agent();
    await loginAsAdmin(admin);
    const res = await admin.get('/admin/orders?q=ada').expect(200);
    expect(listed(res.text)).to.deep.equal(['ada', 'other']);
    expect(res.text).to.contain('Other Shop');
    const csv = await admin.get('/admin/orders.csv?q=ada').buffer(true).parse((r, cb) => { let d = ''; r.on('data', (c: Buffer) => (d += c.toString('utf8'))); r.on('end', () => cb(null, d)); }).expect(200);
    expect((csv.body as string).trim().split('\r\n')).to.have.length(3);
    await seller.get('/admin/orders').expect(403);
    await seller.get('/admin/orders.csv').expect(403);
  });
});
