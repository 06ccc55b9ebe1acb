import { expect } from 'chai';
import { pageFrom, pager } from '../../../core/http/pagination';
import { login, startTestApp, type TestApp } from '../../helpers/app';
import { makeProduct, makeShop } from '../../plugins/shops/order-helpers';

describe('the one pager (core/http/pagination)', () => {
  it('links the neighbouring pages of an exact total, keeping the query and dropping page 1', () => {
    expect(pager('/admin/users', { q: 'ada', page: '2', empty: '' }, { page: 2, perPage: 50, total: 120, noun: 'users' })).to.deep.equal({
      page: 2,
      pages: 3,
      prev: '/admin/users?q=ada',
      next: '/admin/users?q=ada&page=3',
      label: '120 users',
    });
    expect(pager('/shops', {}, { page: 1, perPage: 24, total: 1, noun: 'shops' })).to.deep.equal({ page: 1, pages: 1, prev: undefined, next: undefined, label: '1 shop' });
    expect(pager('/shops', {}, { page: 1, perPage: 24, total: 0, noun: 'shops' }).label).to.equal('0 shops');
  });

  it('goes on by hasNext when the total is a lower bound, with no page count', () => {
    const p = pager('/products', { sort: 'price_asc' }, { page: 42, perPage: 24, total: 1000, exact: false, hasNext: true, noun: 'products' });
    expect(p).to.deep.equal({ page: 42, pages: undefined, prev: '/products?sort=price_asc&page=41', next: '/products?sort=price_asc&page=43', label: '1,000+ products' });
    expect(pager('/products', {}, { page: 43, perPage: 24, total: 1000, exact: false, hasNext: false }).next).to.equal(undefined);
  });

  it('reads the page from the query, clamped', () => {
    expect(pageFrom({ page: '3' }, 10)).to.deep.equal({ page: 3, perPage: 10, offset: 20 });
    expect(pageFrom({ page: '-1' }).page).to.equal(1);
    expect(pageFrom({ page: 'x' }).page).to.equal(1);
    expect(pageFrom({ page: '99999' }, 10, 100).page).to.equal(100);
  });
});

describe('the pager on pages (core/partials/pager)', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  it("renders the same pager on a seller's product list and on the shops list", async () => {
    const { shop, seller, password } = await makeShop(t, { name: 'Pager Shop' });
    for (let i = 0; i < 26; i++) await makeProduct(t, shop, { title: `Pager item ${i}` });
    const agent = t.agent();
    await login(agent, seller.username, password);
    const first = await agent.get('/seller/products').expect(200);
    const nav = (html: string) => /<nav class="pagination" aria-label="Pages">([\s\S]*?)<\/nav>/.exec(html)?.[1].replace(/\s+/g, ' ').trim();
    expect(nav(first.text)).to.equal('<span>Page 1 of 2</span> <a rel="next" href="/seller/products?page=2">Next &rarr;</a>');
    const second = await agent.get('/seller/products?page=2').expect(200);
    expect(nav(second.text)).to.equal('<a rel="prev" href="/seller/products">&larr; Previous</a> <span>Page 2 of 2</span>');

    // One shop: no pager at all, and the label in the singular.
    const shops = await t.agent().get('/shops').expect(200);
    expect(nav(shops.text)).to.equal(undefined);
    expect(shops.text).to.contain('1 shop<');
  });
});
