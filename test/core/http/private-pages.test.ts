import { expect } from 'chai';
import supertest from 'supertest';
import { startTestApp, createUser, login, loginAsAdmin, type TestApp } from '../../helpers/app';

describe('Cache-Control on private pages', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['shops'] });
  });
  after(async () => t.close());

  it('marks every page of a logged-in person no-store: account, seller, checkout, cart, and public pages too', async () => {
    const { user, password } = await createUser();
    const agent = t.agent();
    await login(agent, user.email, password);
    for (const url of ['/account', '/account/close', '/checkout', '/cart', '/seller', '/seller/open', '/products']) {
      const res = await agent.get(url);
      expect(res.status, url).to.be.below(500);
      expect(res.headers['cache-control'], url).to.equal('no-store');
    }
  });

  it("marks the admin's pages no-store", async () => {
    const agent = t.agent();
    await loginAsAdmin(agent);
    for (const url of ['/admin', '/admin/plugins', '/admin/outbox']) {
      const res = await agent.get(url).expect(200);
      expect(res.headers['cache-control'], url).to.equal('no-store');
    }
  });

  it("marks a guest's signed order link and checkout no-store, but leaves a cookieless visitor's catalogue cacheable", async () => {
    const guest = supertest(t.app);
    const link = await guest.get('/checkout/orders/AB12CD?key=0123456789abcdef');
    expect(link.headers['cache-control']).to.equal('no-store');
    expect((await guest.get('/checkout')).headers['cache-control']).to.equal('no-store');
    const catalogue = await guest.get('/products').expect(200);
    expect(catalogue.headers['cache-control']).to.equal(undefined);
  });
});
