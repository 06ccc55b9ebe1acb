import { expect } from 'chai';
import type supertest from 'supertest';
import { startTestApp, createUser, login, loginAsAdmin, csrfFrom, type TestApp } from '../../helpers/app';
import { sellerWithShop } from '../../plugins/shops/catalog-helpers';

const BOUNDARY = '----agora-truncated';
/** A multipart body cut off in the middle of its first part: no closing boundary ever comes. */
const TRUNCATED = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="name"\r\n\r\nHalf a sho`);

/** Posts the truncated body to a multipart form, the page's CSRF token in its first (complete) part as the browser does. */
async function postTruncated(agent: supertest.Agent, pageUrl: string, action: string) {
  const token = csrfFrom((await agent.get(pageUrl)).text);
  const first = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`);
  return agent
    .post(action)
    .set('Content-Type', `multipart/form-data; boundary=${BOUNDARY}`)
    .send(Buffer.concat([first, TRUNCATED]));
}

describe('a truncated multipart body', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['shops'] });
  });
  after(async () => t.close());

  it('answers 400 with a message on /seller/open, /seller/settings and /seller/products', async () => {
    const { user, password } = await createUser();
    const newcomer = t.agent();
    await login(newcomer, user.email, password);
    const open = await postTruncated(newcomer, '/seller/open', '/seller/open');
    expect(open.status).to.equal(400);
    expect(open.text).to.contain('The form arrived incomplete');

    const { agent } = await sellerWithShop(t);
    const settings = await postTruncated(agent, '/seller/settings', '/seller/settings');
    expect(settings.status).to.equal(400);
    expect(settings.text).to.contain('The form arrived incomplete');
    const product = await postTruncated(agent, '/seller/products/new', '/seller/products');
    expect(product.status).to.equal(400);
    expect(product.text).to.contain('The form arrived incomplete');
  });

  it("answers 400 with a message on the admin's plugin upload", async () => {
    const admin = t.agent();
    await loginAsAdmin(admin);
    const res = await postTruncated(admin, '/admin/plugins', '/admin/plugins/upload');
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('The form arrived incomplete');
  });
});
