import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startTestApp, csrfFrom, type TestApp } from '../../helpers/app';
import { filesUnder, pngImage, postMultipart, productFormFields, sellerWithShop } from '../../plugins/shops/catalog-helpers';

/** Issue 8, item 10: a multipart form's CSRF token travels in its body, never in an address. */
describe('CSRF of multipart forms: the token is a body field, never in a URL', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'hello'], fixtures: true });
  });
  after(async () => t.close());

  const privateFiles = async () => (await t.platform.sequelize.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM private_files', { type: QueryTypes.SELECT }))[0].n;

  it('renders every multipart form with the token as a hidden field and an address without it', async () => {
    const { agent } = await sellerWithShop(t);
    for (const url of ['/seller/products/new', '/seller/settings', '/hello/picture']) {
      const page = await agent.get(url).expect(200);
      const form = /<form method="post" action="([^"]*)" enctype="multipart\/form-data"[^>]*>\s*<input type="hidden" name="_csrf" value="[^"]+">/.exec(page.text);
      expect(form, `${url}: a multipart form whose first field is the token`).to.not.equal(null);
      expect(form![1], url).to.not.contain('_csrf');
      expect(page.text, url).to.not.contain('_csrf=');
    }
  });

  it('saves a product posted with the token in the body', async () => {
    const { agent } = await sellerWithShop(t);
    const res = await postMultipart(agent, '/seller/products/new', '/seller/products', productFormFields({ title: 'Body Token Vase' }), [{ field: 'images', data: await pngImage(), filename: 'vase.png' }]);
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    const rows = await t.platform.sequelize.query('SELECT id FROM products WHERE title = :title', { replacements: { title: 'Body Token Vase' }, type: QueryTypes.SELECT });
    expect(rows).to.have.length(1);
  });

  it('answers 403 to a multipart form without the token, or with it only in the query string, and keeps no file', async () => {
    const { agent } = await sellerWithShop(t);
    const page = await agent.get('/seller/products/new').expect(200);
    const token = csrfFrom(page.text);
    const publicBefore = filesUnder(t.platform.config.uploadsDir).length;
    const privateBefore = Number(await privateFiles());
    const picture = await pngImage('#cc3333');
    // A title error would keep the picture as a private temporary file: refused first, it keeps nothing.
    const without = await agent.post('/seller/products').field('title', '').field('price', '2.00').attach('images', picture, 'a.png');
    expect(without.status).to.equal(403);
    expect(without.text).to.contain('This form has expired');
    const inQuery = await agent.post(`/seller/products?_csrf=${encodeURIComponent(token)}`).field('title', '').field('price', '2.00').attach('images', picture, 'a.png');
    expect(inQuery.status, 'the query string is no longer read').to.equal(403);
    const wrong = await agent.post('/hello/picture').field('_csrf', `${token}x`).attach('picture', picture, 'a.png');
    expect(wrong.status).to.equal(403);
    expect(filesUnder(t.platform.config.uploadsDir).length, 'no public file').to.equal(publicBefore);
    expect(Number(await privateFiles()), 'no private file').to.equal(privateBefore);
  });

  it('re-renders a refused product form at an address with no token in it', async () => {
    const { agent } = await sellerWithShop(t);
    const res = await postMultipart(agent, '/seller/products/new', '/seller/products', productFormFields({ title: '' }), [{ field: 'images', data: await pngImage(), filename: 'kept.png' }]);
    expect(res.status).to.equal(422);
    expect(res.headers.location, 'no redirect').to.equal(undefined);
    expect(res.text).to.contain('action="/seller/products"');
    expect(res.text).to.not.contain('_csrf=');
    expect(csrfFrom(res.text), 'a fresh token in the re-rendered form').to.be.a('string');
  });

  it('refuses a multipart post to a form that reads no files when it carries no token', async () => {
    const { agent } = await sellerWithShop(t);
    const res = await agent.post('/logout').field('nothing', 'here');
    expect(res.status).to.equal(403);
    expect((await agent.get('/seller').expect(200)).text, 'still signed in').to.contain('Log out');
  });
});
