import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startTestApp, tokenFor, type TestApp } from '../../../helpers/app';
import { registrationFields } from '../../../core/auth/support';
import { ADDRESS, addToCart, checkoutForm, makeProduct, makeShop } from '../../shops/order-helpers';
import { boxesOn, policyId, registerRows } from './helpers';

async function groupsFor(t: TestApp, email: string): Promise<number> {
  const rows = await t.platform.sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM checkout_groups WHERE email = :email', { type: QueryTypes.SELECT, replacements: { email } });
  return Number(rows[0].n);
}

describe('gdpr: consent at checkout, and every form working once gdpr is deactivated', function () {
  this.timeout(60_000);
  let t: TestApp;
  let terms: number;
  let privacy: number;
  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'gdpr'] });
    await t.agent().get('/').expect(200);
    [terms, privacy] = await Promise.all([policyId(t, 'terms'), policyId(t, 'privacy')]);
  });
  after(async () => t.close());

  async function guestWithCart() {
    const { shop } = await makeShop(t);
    const product = await makeProduct(t, shop, { price: 1250 });
    const agent = t.agent();
    expect((await addToCart(agent, product.id)).status).to.equal(303);
    return agent;
  }

  it('shows the checkout boxes unticked, with no "accept all"', async () => {
    const agent = await guestWithCart();
    const page = await agent.get('/checkout').expect(200);
    const boxes = boxesOn(page.text);
    expect(boxes.ids).to.deep.equal([terms, privacy]);
    expect(boxes.ticked).to.equal(false);
    const sections = /<div class="form-sections">[\s\S]*?<\/fieldset>/.exec(page.text)?.[0] ?? '';
    expect(sections).to.include('gdpr_accept');
    expect(sections.toLowerCase()).not.to.match(/accept all|tick all|select all/);
  });

  it('a checkout without the Terms is refused (422), no order and no register row; with them the order and the rows are written together', async () => {
    const agent = await guestWithCart();
    const email = `guest-${Date.now()}@example.test`;
    const form = await checkoutForm(agent);
    const rowsBefore = (await registerRows(t)).length;
    const refused = await agent.post('/checkout').type('form').send({ ...form, email, ...ADDRESS, phone: '', gateway: 'manual', gdpr_accept: String(privacy) });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.include('Tick the box to accept the Terms and Conditions.');
    expect(await groupsFor(t, email)).to.equal(0);
    expect((await registerRows(t)).length).to.equal(rowsBefore);

    const again = await checkoutForm(agent);
    const placed = await agent.post('/checkout').type('form').send({ ...again, email, ...ADDRESS, phone: '', gateway: 'manual', gdpr_accept: [String(terms), String(privacy)] });
    expect(placed.status).to.equal(303);
    expect(await groupsFor(t, email)).to.equal(1);
    const mine = (await registerRows(t)).filter((r) => r.email === email);
    expect(mine.map((r) => [r.action, r.section, r.policy_slug, r.user_id])).to.deep.equal([
      ['accepted', 'shops.checkout', 'terms', null],
      ['accepted', 'shops.checkout', 'privacy', null],
    ]);
  });

  it('once gdpr is deactivated, registration and checkout work without boxes', async () => {
    await t.platform.plugins.deactivate('gdpr');
    try {
      const page = await t.agent().get('/register').expect(200);
      expect(page.text).not.to.include('name="gdpr_accept"');
      expect(page.text).not.to.include('/privacy/cookies');
      const agent = t.agent();
      const fields = registrationFields();
      const token = await tokenFor(agent, '/register');
      await agent.post('/register').type('form').send({ _csrf: token, ...fields }).expect(303);

      const buyer = await guestWithCart();
      const email = `after-${Date.now()}@example.test`;
      const form = await checkoutForm(buyer);
      expect(JSON.stringify(form)).not.to.include('gdpr');
      await buyer.post('/checkout').type('form').send({ ...form, email, ...ADDRESS, phone: '', gateway: 'manual' }).expect(303);
      expect(await groupsFor(t, email)).to.equal(1);
    } finally {
      await t.platform.plugins.activate('gdpr');
    }
    // Back on: the boxes are back.
    const page = await t.agent().get('/register').expect(200);
    expect(boxesOn(page.text).ids).to.deep.equal([terms, privacy, await policyId(t, 'consent')]);
  });
});
