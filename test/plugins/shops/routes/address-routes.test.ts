import { expect } from 'chai';
import { createUser, csrfFrom, login, startTestApp, type TestApp } from '../../../helpers/app';
import { addToCart, checkoutForm, makeProduct, makeShop } from '../order-helpers';
import { shopModels } from '../shop-models';

const HOME = { name: 'Grace Hopper', line1: '1 Navy Road', line2: '', city: 'Lisbon', postcode: '1000-001', country: 'PT', phone: '' };
const WORK = { name: 'G. Hopper', line1: '5 Office Park', line2: 'Floor 3', city: 'Porto', postcode: '4000-002', country: 'PT', phone: '+351 900 000 000' };

describe('shops: saved addresses at /account/addresses, chosen at checkout (issue 8: 17)', function () {
  this.timeout(60_000);
  let t: TestApp;

  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  async function signedIn() {
    const { user, password } = await createUser();
    const agent = t.agent();
    await login(agent, user.email, password);
    const post = async (url: string, body: Record<string, string>) => {
      const page = await agent.get('/account/addresses');
      return agent.post(url).type('form').send({ _csrf: csrfFrom(page.text), ...body });
    };
    return { user, agent, post };
  }

  it('adds, edits, makes default and deletes, with 422 and messages for a bad address', async () => {
    const { user, agent, post } = await signedIn();
    const { Address } = shopModels();
    const bad = await post('/account/addresses', { ...HOME, line1: '', country: 'XX' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.include('Enter the street address').and.include('Choose a country').and.include('value="Grace Hopper"');
    expect(await Address.count({ where: { user_id: user.id } })).to.equal(0);

    expect((await post('/account/addresses', HOME)).status).to.equal(303);
    expect((await post('/account/addresses', WORK)).status).to.equal(303);
    let rows = await Address.findAll({ where: { user_id: user.id }, order: [['id', 'ASC']] });
    expect(rows.map((r) => [r.line1, r.is_default])).to.deep.equal([
      ['1 Navy Road', true],
      ['5 Office Park', false],
    ]);
    const [home, work] = rows;
    const list = await agent.get('/account/addresses');
    expect(list.text).to.include('1 Navy Road').and.include('5 Office Park').and.include('Portugal').and.include('Default');

    expect((await post(`/account/addresses/${work.id}`, { ...WORK, city: 'Braga' })).status).to.equal(303);
    expect((await post(`/account/addresses/${work.id}/default`, {})).status).to.equal(303);
    rows = await Address.findAll({ where: { user_id: user.id }, order: [['id', 'ASC']] });
    expect(rows.map((r) => [r.city, r.is_default])).to.deep.equal([
      ['Lisbon', false],
      ['Braga', true],
    ]);
    // Deleting the default makes the other one the default.
    expect((await post(`/account/addresses/${work.id}/delete`, {})).status).to.equal(303);
    rows = await Address.findAll({ where: { user_id: user.id } });
    expect(rows.map((r) => [r.id, r.is_default])).to.deep.equal([[home.id, true]]);
  });

  it("never shows or changes someone else's address", async () => {
    const owner = await signedIn();
    expect((await owner.post('/account/addresses', HOME)).status).to.equal(303);
    const { Address } = shopModels();
    const theirs = (await Address.findOne({ where: { user_id: owner.user.id } }))!;
    const stranger = await signedIn();
    expect((await stranger.agent.get(`/account/addresses/${theirs.id}/edit`)).status).to.equal(404);
    expect((await stranger.post(`/account/addresses/${theirs.id}`, WORK)).status).to.equal(404);
    expect((await stranger.post(`/account/addresses/${theirs.id}/delete`, {})).status).to.equal(404);
    expect((await Address.findByPk(theirs.id))!.line1).to.equal('1 Navy Road');
    expect((await t.agent().get('/account/addresses')).status).to.be.oneOf([302, 303]);
  });

  it('checkout chooses the default address and does not type the same address again below', async () => {
    const { agent, post } = await signedIn();
    await post('/account/addresses', HOME);
    await post('/account/addresses', { ...WORK, is_default: 'on' });
    const { shop } = await makeShop(t);
    const product = await makeProduct(t, shop);
    await addToCart(agent, product.id);
    const page = await agent.get('/checkout');
    const { Address } = shopModels();
    // The street is encrypted at rest: found after decryption, not by SQL.
    const work = (await Address.findAll()).find((a) => a.line1 === '5 Office Park')!;
    expect(page.text).to.match(new RegExp(`<option value="${work.id}" selected>`));
    expect(page.text).to.not.match(/name="line1"[^>]*value="5 Office Park"/).and.not.match(/name="name"[^>]*value="G. Hopper"/);
    // Placing the order with the chosen address delivers there.
    const form = await checkoutForm(agent);
    const res = await agent.post('/checkout').type('form').send({ ...form, email: 'hopper@example.test', address_id: String(work.id), gateway: 'manual', country: 'PT' });
    expect(res.status, res.text.slice(0, 400)).to.equal(303);
    const order = (await shopModels().Order.findOne({ where: { email: 'hopper@example.test' } }))!;
    expect([order.ship_line1, order.ship_city]).to.deep.equal(['5 Office Park', 'Porto']);
  });
});
