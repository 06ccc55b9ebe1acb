import { expect } from 'chai';
import { startTestApp, createUser, login, csrfFrom, tokenFor, type TestApp } from '../../../helpers/app';
import { RightsRequest } from '../../../../plugins/gdpr/rights/models/rights-request';
import { shopModels } from '../../shops/shop-models';
import { addToCart, checkoutForm, makeProduct, makeShop } from '../../shops/order-helpers';
import { pdfText } from '../../shops/commerce/commerce-helpers';
import { binary } from './rights-helpers';

type Agent = ReturnType<TestApp['agent']>;

/** The register's correction entries of one account, oldest first, waiting a little for the listener that writes them. */
async function corrections(userId: number, atLeast: number): Promise<string[]> {
  for (let i = 0; i < 80; i++) {
    const rows = await RightsRequest.findAll({ where: { user_id: userId, kind: 'correction' }, order: [['id', 'ASC']] });
    if (rows.length >= atLeast) {
      for (const r of rows) expect(r.status).to.equal('completed');
      return rows.map((r) => r.details ?? '');
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const got = await RightsRequest.findAll({ where: { user_id: userId, kind: "correction" } });
  throw new Error(`fewer than ${atLeast} corrections were logged: ${got.map((r) => r.details).join(" / ")}`);
}

describe('gdpr rights: correction (Art. 16) of name, display name, email, password and addresses; issued invoices are not rewritten', function () {
  this.timeout(120_000);
  let t: TestApp;

  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'gdpr'], smtp: true });
  });
  after(async () => t.close());

  /** Buys the product with the saved address and has the seller mark it paid: the invoice is issued then. */
  async function buyAndPay(buyer: Agent, email: string, addressId: number, shop: { seller: Agent; productId: number }) {
    expect((await addToCart(buyer, shop.productId, 1)).status).to.equal(303);
    // The checkout's own form, with the gdpr boxes (terms, privacy policy) ticked as a buyer would.
    const page = await buyer.get('/checkout');
    const boxes = [...page.text.matchAll(/name="gdpr_accept" value="([^"]+)"/g)].map((m) => m[1]);
    const form = await checkoutForm(buyer);
    const placed = await buyer.post('/checkout').type('form').send({ ...form, email, name: 'ignored', line1: 'ignored', line2: '', city: 'ignored', postcode: '00000', country: 'FR', phone: '', gateway: 'manual', address_id: String(addressId), gdpr_accept: boxes });
    expect(placed.status).to.equal(303);
    const { Order, Invoice } = shopModels();
    const order = (await Order.findOne({ where: { email }, order: [['id', 'DESC']] }))!;
    const orderPage = await shop.seller.get(`/seller/orders/${encodeURIComponent(order.number)}`);
    const paid = await shop.seller.post(`/seller/orders/${encodeURIComponent(order.number)}/status`).type('form').send({ _csrf: csrfFrom(orderPage.text), to: 'paid', tracking_number: '', note: '' });
    expect(paid.status).to.equal(303);
    return (await Invoice.findOne({ where: { order_id: order.id, kind: 'invoice' } }))!;
  }

  it('corrects every field from the account and the address book, logs each correction without its values, and leaves the issued invoice as it was', async () => {
    const { shop, seller, password: sellerPassword } = await makeShop(t, { name: 'Fixed Pottery' });
    const product = await makeProduct(t, shop, { title: 'Teapot', price: 3000 });
    const sellerAgent = t.agent();
    await login(sellerAgent, seller.email, sellerPassword);

    const { user, password } = await createUser({ email: 'ada.before@example.test', display_name: 'Ada B.' });
    const agent = t.agent();
    await login(agent, user.email, password);
    const csrf = await tokenFor(agent, '/account/addresses');
    const saved = await agent.post('/account/addresses').type('form').send({ _csrf: csrf, name: 'Ada Beforename', line1: '1 Old Street', line2: '', city: 'Lyon', postcode: '69001', country: 'FR', phone: '', is_default: 'on' });
    expect(saved.status).to.equal(303);
    const { Address, User } = shopModels();
    const address = (await Address.findOne({ where: { user_id: user.id } }))!;

    const first = await buyAndPay(agent, user.email, address.id, { seller: sellerAgent, productId: product.id });
    const firstHtml = await agent.get(`/invoices/${first.id}`);
    expect(firstHtml.status).to.equal(200);
    expect(firstHtml.text).to.include('Ada Beforename').and.include('1 Old Street');
    const firstPdf = await agent.get(`/invoices/${first.id}/pdf`).buffer(true).parse(binary);
    const firstDataBefore = first.data;

    // Name and display name, from the account page.
    let token = await tokenFor(agent, '/account');
    const profile = await agent.post('/account').type('form').send({ _csrf: token, first_name: 'Ada', last_name: 'Aftername', display_name: 'Ada A.', email: user.email });
    expect(profile.status).to.equal(303);
    // A bad value is refused on the page and changes nothing.
    token = await tokenFor(agent, '/account');
    const refused = await agent.post('/account').type('form').send({ _csrf: token, first_name: '', last_name: 'Aftername', display_name: 'Ada A.', email: user.email });
    expect(refused.status).to.equal(422);
    expect((await User.findByPk(user.id))!.first_name).to.equal('Ada');

    // The email: kept pending until the new address is verified by its link.
    token = await tokenFor(agent, '/account');
    expect((await agent.post('/account').type('form').send({ _csrf: token, first_name: 'Ada', last_name: 'Aftername', display_name: 'Ada A.', email: 'ada.after@example.test' })).status).to.equal(303);
    expect((await User.findByPk(user.id))!.email).to.equal('ada.before@example.test');
    const verifyMail = await t.smtp!.waitFor('ada.after@example.test');
    const link = /\/verify-email\/[\w.-]+/.exec(verifyMail.text)![0];
    expect((await agent.get(link)).status).to.be.within(200, 303);
    const moved = (await User.findByPk(user.id))!;
    expect([moved.email, moved.pending_email]).to.deep.equal(['ada.after@example.test', null]);

    // The password: the old one stops working.
    token = await tokenFor(agent, '/account');
    expect((await agent.post('/account/password').type('form').send({ _csrf: token, current_password: password, new_password: 'a-new-and-long-passphrase-42' })).status).to.equal(303);
    const other = t.agent();
    const loginToken = await tokenFor(other, '/login');
    expect((await other.post('/login').type('form').send({ _csrf: loginToken, login: 'ada.after@example.test', password })).status).to.not.equal(303);
    await login(other, 'ada.after@example.test', 'a-new-and-long-passphrase-42');

    // The delivery and invoice address, from the address book.
    token = await tokenFor(agent, `/account/addresses/${address.id}/edit`);
    const edited = await agent.post(`/account/addresses/${address.id}`).type('form').send({ _csrf: token, name: 'Ada Aftername', line1: '2 New Street', line2: '', city: 'Lyon', postcode: '69002', country: 'FR', phone: '', is_default: 'on' });
    expect(edited.status).to.equal(303);

    // Each correction is in the register, completed, naming fields and never values.
    const log = await corrections(user.id, 5);
    expect(log).to.include.members([
      'Corrected from the account: first name, last name, display name',
      'Corrected from the account: email address (waiting for confirmation)',
      'Corrected from the account: email address, email address (waiting for confirmation)',
      'Corrected from the account: password',
      'Corrected a saved address: name, street, postcode',
    ]);
    expect(log.join('\n')).to.not.match(/Aftername|New Street|69002|ada\.after|passphrase/);
    const status = await agent.get('/account/privacy');
    expect(status.text).to.include('Corrected a saved address');

    // The issued invoice is not rewritten: its HTML, its PDF and its stored data say what they said.
    const { Invoice } = shopModels();
    expect((await Invoice.findByPk(first.id))!.data).to.equal(firstDataBefore);
    const again = await agent.get(`/invoices/${first.id}`);
    expect(again.text).to.include('Ada Beforename').and.include('1 Old Street').and.not.include('Aftername');
    const againPdf = await agent.get(`/invoices/${first.id}/pdf`).buffer(true).parse(binary);
    expect(pdfText(againPdf.body as Buffer)).to.equal(pdfText(firstPdf.body as Buffer));
    expect(pdfText(againPdf.body as Buffer)).to.include('Ada Beforename');

    // The next order's invoice carries the corrected name and address.
    const next = await buyAndPay(agent, 'ada.after@example.test', address.id, { seller: sellerAgent, productId: product.id });
    const nextHtml = await agent.get(`/invoices/${next.id}`);
    expect(nextHtml.text).to.include('Ada Aftername').and.include('2 New Street').and.not.include('Ada Beforename');
    expect(pdfText((await agent.get(`/invoices/${next.id}/pdf`).buffer(true).parse(binary)).body as Buffer)).to.include('Ada Aftername');
  });
});
