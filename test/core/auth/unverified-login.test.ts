import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startTestApp, login, type TestApp } from '../../helpers/app';
import { User } from '../../../core/auth/user-model';
import { addToCart, checkout, makeProduct, makeShop } from '../../plugins/shops/order-helpers';
import { register, registrationFields, submit } from './support';

/**
 * Issue 8: logging in before the email is confirmed. As in WooCommerce, an unverified account may log in and
 * buy; its account page says to confirm the address, with a resend button that is rate-limited.
 */
describe('logging in before the email address is confirmed', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['shops'], smtp: true });
  });
  after(async () => t.close());

  async function unverifiedBuyer() {
    const agent = t.agent();
    const fields = registrationFields();
    expect((await register(agent, fields)).status).to.equal(303);
    await t.smtp!.waitFor(fields.email, /Verify/);
    await login(agent, fields.username, fields.password);
    const user = (await User.findOne({ where: { username: fields.username } }))!;
    expect(user.email_verified_at, 'not confirmed').to.equal(null);
    return { agent, fields, user };
  }

  it('logs in, and the account page asks to confirm the address with a resend button', async () => {
    const { agent, fields } = await unverifiedBuyer();
    const page = await agent.get('/account').expect(200);
    expect(page.text).to.contain('Confirm your email address.');
    expect(page.text).to.contain(`<strong>${fields.email}</strong> is not verified yet`);
    expect(page.text).to.match(/<form method="post" action="\/account\/verify\/resend"[^>]*>\s*(<%#[^>]*>)?\s*<input type="hidden" name="_csrf" value="[^"]+">\s*<button type="submit"[^>]*>Send the confirmation link again<\/button>/);
  });

  it('checks out with the unconfirmed account: the order is theirs', async () => {
    const { agent, user } = await unverifiedBuyer();
    const { shop } = await makeShop(t);
    const product = await makeProduct(t, shop, { title: 'Unverified Teapot' });
    expect((await addToCart(agent, product.id)).status).to.equal(303);
    const res = await checkout(agent, { email: user.email });
    expect(res.status, res.text.slice(0, 400)).to.equal(303);
    const orders = await t.platform.sequelize.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM orders WHERE buyer_id = :id', { replacements: { id: user.id }, type: QueryTypes.SELECT });
    expect(Number(orders[0].n)).to.equal(1);
  });

  it('resends the link, and refuses with 429 once asked too often, sending no more mail', async () => {
    const { agent, fields } = await unverifiedBuyer();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await submit(agent, '/account', '/account/verify/resend', {})).status);
    // Core's mail limit (5 a quarter hour, the registration's own mail not counted): then 429 with a page.
    expect(statuses.slice(0, 5)).to.deep.equal([303, 303, 303, 303, 303]);
    expect(statuses.slice(5)).to.deep.equal([429, 429]);
    await t.platform.jobs.idle();
    const deadline = Date.now() + 5000;
    while (t.smtp!.to(fields.email).length < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(t.smtp!.to(fields.email).filter((m) => /Verify/.test(m.subject)), 'the first link and five more').to.have.length(6);
  });
});
