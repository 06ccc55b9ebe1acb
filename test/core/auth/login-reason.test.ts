import { expect } from 'chai';
import { startTestApp, tokenFor, type TestApp } from '../../helpers/app';
import { setShopsSettings } from '../../plugins/shops/order-helpers';

/** A guest sent to the login page is told why, and the way to register leads back to where they were going. */
describe('the login page says why a guest was sent there', function () {
  this.timeout(30_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['shops'] });
    await setShopsSettings(t, { guestCheckout: false });
  });
  after(async () => t.close());

  it('at checkout with guest checkout off: the reason, and a register link that comes back to checkout', async () => {
    const agent = t.agent();
    const sent = await agent.get('/checkout');
    expect(sent.status).to.equal(302);
    const login = await agent.get(sent.headers.location).expect(200);
    expect(login.text).to.contain('This store takes orders only from people with an account');
    expect(login.text).to.contain('href="/register?next=%2Fcheckout"');
    // The register form carries it on, so registering ends at checkout.
    const register = await agent.get('/register?next=%2Fcheckout').expect(200);
    expect(register.text).to.contain('name="next" value="/checkout"');
  });

  it('after a checkout form was sent as a guest too', async () => {
    const agent = t.agent();
    const token = await tokenFor(agent, '/login');
    const res = await agent.post('/checkout').type('form').send({ _csrf: token, email: 'x@example.test' });
    expect(res.status).to.equal(303);
    const login = await agent.get(res.headers.location).expect(200);
    expect(login.text).to.contain('This store takes orders only from people with an account').and.contain('href="/register?next=%2Fcheckout"');
  });

  it('a plain visit to the login page has neither', async () => {
    const login = await t.agent().get('/login').expect(200);
    expect(login.text).to.not.contain('takes orders only');
    expect(login.text).to.contain('href="/register"');
  });
});
