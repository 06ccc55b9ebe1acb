import { expect } from 'chai';
import { createUser, csrfFrom, login, startTestApp, type TestApp } from '../../helpers/app';
import type * as DownloadLinks from '../../../plugins/shops/services/download-links';
import { addToCart, checkout, pluginModule } from './order-helpers';
import { shopModels } from './shop-models';
import { asBuffer, bookFile, digitalProduct, downloadLinks, loggedInSeller, markPaid } from './digital-helpers';

async function downloadModels() {
  const [{ DownloadGrant }, { DownloadRecord }] = await Promise.all([import('../../../plugins/shops/models/product-download-grant'), import('../../../plugins/shops/models/product-download-record')]);
  return { DownloadGrant, DownloadRecord };
}

describe('shops digital goods: the buyer’s signed, expiring, counted download link', function () {
  this.timeout(180_000);
  let t: TestApp;
  let links: typeof DownloadLinks;
  before(async () => {
    t = await startTestApp({ plugins: ['shops'], smtp: true });
    links = await pluginModule<typeof DownloadLinks>('services/download-links.ts');
  });
  after(async () => t.close());

  /** A buyer with an account who bought the product and whose order the seller marked paid. */
  async function paidPurchase(seller: Awaited<ReturnType<typeof loggedInSeller>>, productId: number, email: string) {
    const { user, password } = await createUser({ email });
    const buyer = t.agent();
    await login(buyer, user.email, password);
    expect((await addToCart(buyer, productId)).status).to.equal(303);
    expect((await checkout(buyer, { email, name: 'Ada Buyer', line1: '', city: '', postcode: '', country: 'FR' })).status).to.equal(303);
    const order = (await shopModels().Order.findOne({ where: { buyer_id: user.id }, order: [['id', 'DESC']] }))!;
    expect((await markPaid(seller.agent, order.number)).status).to.equal(303);
    return { buyer, user, password, order };
  }

  it('mails the link after payment; it sends the file once per claim, records who and from where, and refuses strangers, tampering, expiry and a used-up link', async () => {
    const seller = await loggedInSeller(t, { name: 'Chart Studio' });
    const product = await digitalProduct(t, seller, { title: 'Colourwork charts', limit: '2', days: '30', file: bookFile('charts inside'), filename: 'charts.pdf' });
    const { buyer, user, order } = await paidPurchase(seller, product.id, 'chart.buyer@example.test');

    // The email from the SMTP server holds the link.
    const mail = await t.smtp!.waitFor('chart.buyer@example.test', /Your downloads from Chart Studio/);
    const [link] = downloadLinks(mail.html);
    expect(link, mail.html).to.be.a('string');
    expect(mail.text).to.include('charts.pdf');
    const paidMail = await t.smtp!.waitFor('chart.buyer@example.test', /: paid$/);
    expect(paidMail.text).to.include('Your downloads are ready: the links are in an email of their own');
    // And the order page shows it.
    const page = await buyer.get(`/account/orders/${encodeURIComponent(order.number)}`);
    expect(downloadLinks(page.text)).to.deep.equal([link]);
    expect(page.text).to.include('2 of 2 downloads left');

    const { DownloadGrant, DownloadRecord } = await downloadModels();
    const grant = (await DownloadGrant.findOne({ where: { order_id: order.id } }))!;
    expect([grant.download_limit, grant.downloads_used, grant.name]).to.deep.equal([2, 0, 'charts.pdf']);
    const paidAt = (await shopModels().Order.findByPk(order.id))!.paid_at!;
    expect(grant.expires_at!.getTime() - paidAt.getTime()).to.equal(30 * 24 * 3600_000);

    // Someone else: another account, nobody logged in, a changed signature or expiry.
    const { user: other, password } = await createUser({ email: 'nosy@example.test' });
    const stranger = t.agent();
    await login(stranger, other.email, password);
    const refused = await stranger.get(link);
    expect(refused.status).to.equal(403);
    expect(refused.text).to.include('This download is not yours');
    const anonymous = await t.agent().get(link);
    expect(anonymous.status).to.equal(403);
    expect(anonymous.text).to.include('Log in to download');
    const tampered = link.replace(/s=(.)/, (_m, c: string) => `s=${c === 'A' ? 'B' : 'A'}`);
    expect((await buyer.get(tampered)).status).to.equal(403);
    expect((await buyer.get(link.replace(/e=(\d+)/, (_m, e: string) => `e=${Number(e) + 86400}`))).text).to.include('This download link is not valid');
    expect((await buyer.get(`/downloads/${grant.id}`)).status).to.equal(403);
    expect(await DownloadRecord.count({ where: { grant_id: grant.id } })).to.equal(0);

    // A HEAD (a mail scanner checking the link) takes no download.
    expect((await buyer.head(link)).status).to.equal(200);
    expect((await DownloadGrant.findByPk(grant.id))!.downloads_used).to.equal(0);

    // The buyer: the file as uploaded, as an attachment, counted and recorded.
    const got = await asBuffer(buyer.get(link));
    expect(got.status).to.equal(200);
    expect((got.body as Buffer).equals(bookFile('charts inside'))).to.equal(true);
    expect(got.headers['content-disposition']).to.match(/^attachment; filename="?charts\.pdf"?$/);
    expect(got.headers['cache-control']).to.equal('private, no-store');
    const [record] = await DownloadRecord.findAll({ where: { grant_id: grant.id } });
    expect([record.user_id, record.order_id, record.ip]).to.deep.equal([user.id, order.id, '127.0.0.0']);
    expect((await buyer.get(`/account/orders/${encodeURIComponent(order.number)}`)).text).to.include('1 of 2 downloads left');

    // The seller's order page says how often, without the link.
    const sellerPage = await seller.agent.get(`/seller/orders/${encodeURIComponent(order.number)}`);
    expect(sellerPage.text).to.include('downloaded 1 time');
    expect(downloadLinks(sellerPage.text)).to.deep.equal([]);

    expect((await asBuffer(buyer.get(link))).status).to.equal(200);
    const usedUp = await buyer.get(link);
    expect(usedUp.status).to.equal(410);
    expect(usedUp.text).to.include('No downloads left on this link');
    expect((await DownloadGrant.findByPk(grant.id))!.downloads_used).to.equal(2);

    // An expired link (its date passed): 410, with the way to the order.
    await DownloadGrant.update({ downloads_used: 0, expires_at: new Date(Date.now() - 1000) }, { where: { id: grant.id } });
    const expiredLink = links.downloadPath(t.config.sessionSecret, (await DownloadGrant.findByPk(grant.id))!, null);
    const expired = await buyer.get(expiredLink);
    expect(expired.status).to.equal(410);
    expect(expired.text).to.include('This download link has expired').and.include(`/account/orders/${encodeURIComponent(order.number)}`);
    expect(await DownloadRecord.count({ where: { grant_id: grant.id } })).to.equal(2);

    // A link signed with a date that has passed is expired even while the grant runs longer.
    await DownloadGrant.update({ expires_at: new Date(Date.now() + 86_400_000) }, { where: { id: grant.id } });
    const oldLink = links.downloadPath(t.config.sessionSecret, { id: grant.id, expires_at: new Date(Date.now() - 60_000) }, null);
    expect((await buyer.get(oldLink)).status).to.equal(410);
    expect((await buyer.get(links.downloadPath(t.config.sessionSecret, (await DownloadGrant.findByPk(grant.id))!, null))).status).to.equal(200);
  });

  it('lets only one of concurrent downloads take the last one: one file sent, the others 410, one record', async () => {
    const seller = await loggedInSeller(t, { name: 'Race Prints' });
    const product = await digitalProduct(t, seller, { title: 'Printable poster', limit: '1', filename: 'poster.png' });
    const { buyer, order } = await paidPurchase(seller, product.id, 'racer@example.test');
    const { DownloadGrant, DownloadRecord } = await downloadModels();
    const grant = (await DownloadGrant.findOne({ where: { order_id: order.id } }))!;
    const link = links.downloadPath(t.config.sessionSecret, grant, null);
    const results = await Promise.all(Array.from({ length: 8 }, () => asBuffer(buyer.get(link))));
    expect(results.map((r) => r.status).sort()).to.deep.equal([200, 410, 410, 410, 410, 410, 410, 410]);
    expect((await DownloadGrant.findByPk(grant.id))!.downloads_used).to.equal(1);
    expect(await DownloadRecord.count({ where: { grant_id: grant.id } })).to.equal(1);
  });

  it('ends access when the order is refunded, and the seller alone can give it back', async () => {
    const seller = await loggedInSeller(t, { name: 'Refund Records' });
    const product = await digitalProduct(t, seller, { title: 'Album', price: 1500, filename: 'album.zip' });
    const { buyer, order } = await paidPurchase(seller, product.id, 'refunded@example.test');
    const mail = await t.smtp!.waitFor('refunded@example.test', /Your downloads/);
    const [link] = downloadLinks(mail.html);
    expect((await asBuffer(buyer.get(link))).status).to.equal(200);

    const page = await seller.agent.get(`/seller/orders/${encodeURIComponent(order.number)}`);
    const key = /name="idempotency_key" value="([^"]+)"/.exec(page.text)![1];
    const refunded = await seller.agent.post(`/seller/orders/${encodeURIComponent(order.number)}/refund`).type('form').send({ _csrf: csrfFrom(page.text), amount: '15.00', idempotency_key: key, reason: 'Wrong album' });
    expect(refunded.status).to.equal(303);
    const ended = await buyer.get(link);
    expect(ended.status).to.equal(410);
    expect(ended.text).to.include('This download has ended');
    const { DownloadGrant } = await downloadModels();
    const grant = (await DownloadGrant.findOne({ where: { order_id: order.id } }))!;
    expect(grant.revoked_at).to.not.equal(null);
    expect(grant.revoked_reason).to.include('€15.00');
    expect((await buyer.get(`/account/orders/${encodeURIComponent(order.number)}`)).text).to.include('Ended by the refund of €15.00');

    // The seller gives them back from the order page; the count already used stays.
    const sellerPage = await seller.agent.get(`/seller/orders/${encodeURIComponent(order.number)}`);
    expect(sellerPage.text).to.include('Give the downloads back');
    const stranger = await loggedInSeller(t, { name: 'Not Their Shop' });
    const strangerToken = csrfFrom((await stranger.agent.get('/seller/products')).text);
    expect((await stranger.agent.post(`/seller/orders/${encodeURIComponent(order.number)}/downloads/restore`).type('form').send({ _csrf: strangerToken })).status).to.equal(404);
    expect((await buyer.get(link)).status).to.equal(410);
    const restored = await seller.agent.post(`/seller/orders/${encodeURIComponent(order.number)}/downloads/restore`).type('form').send({ _csrf: csrfFrom(sellerPage.text) });
    expect(restored.status).to.equal(303);
    expect((await asBuffer(buyer.get(link))).status).to.equal(200);
    expect((await DownloadGrant.findByPk(grant.id))!.downloads_used).to.equal(2);
  });

  it('works for a guest through the order’s own key: the confirmation page and the email carry it, a link without it is refused', async () => {
    const seller = await loggedInSeller(t, { name: 'Guest Fonts' });
    const product = await digitalProduct(t, seller, { title: 'Display font', filename: 'font.otf', file: bookFile('glyphs') });
    const guest = t.agent();
    expect((await addToCart(guest, product.id)).status).to.equal(303);
    const placed = await checkout(guest, { email: 'guest.font@example.test', name: 'Gus Guest', line1: '', city: '', postcode: '', country: 'BE' });
    expect(placed.status).to.equal(303);
    const confirmationPath = placed.headers.location as string;
    const order = (await shopModels().Order.findOne({ where: { shop_id: seller.shop.id } }))!;
    expect(order.buyer_id).to.equal(null);
    expect((await guest.get(confirmationPath)).text).to.include('as soon as the payment is received');
    expect((await markPaid(seller.agent, order.number)).status).to.equal(303);

    const mail = await t.smtp!.waitFor('guest.font@example.test', /Your downloads/);
    const [link] = downloadLinks(mail.html);
    expect(link).to.match(/&k=/);
    const confirmation = await guest.get(confirmationPath);
    expect(downloadLinks(confirmation.text)).to.deep.equal([link]);
    // The link is the guest's key: it opens in any browser, as the confirmation page does.
    const got = await asBuffer(t.agent().get(link));
    expect(got.status).to.equal(200);
    expect((got.body as Buffer).toString()).to.include('glyphs');
    const withoutKey = await t.agent().get(link.replace(/&k=[^&]+/, ''));
    expect(withoutKey.status).to.equal(403);
    expect(withoutKey.text).to.include('This download is not yours');
    expect((await t.agent().get(link.replace(/k=(.)/, (_m, c: string) => `k=${c === 'A' ? 'B' : 'A'}`))).status).to.equal(403);
    const { DownloadRecord } = await downloadModels();
    expect((await DownloadRecord.findAll({ where: { order_id: order.id } })).map((r) => r.user_id)).to.deep.equal([null]);
  });

  it('puts the download records in the buyer’s export and erases them with the buyer’s data', async () => {
    const seller = await loggedInSeller(t, { name: 'Privacy Patterns' });
    const product = await digitalProduct(t, seller, { title: 'Shawl pattern', filename: 'shawl.pdf' });
    const { buyer, user, order } = await paidPurchase(seller, product.id, 'private.buyer@example.test');
    const [link] = downloadLinks((await buyer.get(`/account/orders/${encodeURIComponent(order.number)}`)).text);
    expect((await asBuffer(buyer.get(link))).status).to.equal(200);

    const person = { email: 'private.buyer@example.test', userId: user.id };
    const exported = await t.platform.privacy.exportPerson(person);
    const section = exported.sections.find((s) => s.owner === 'shops' && s.exporter === 'downloads')!;
    expect(section.items.map((i) => i.group).sort()).to.deep.equal(['Downloads bought', 'Downloads made']);
    expect(section.items.find((i) => i.group === 'Downloads made')!.data.ip).to.equal('127.0.0.0');

    const erased = await t.platform.privacy.erasePerson(person);
    const report = erased.sections.find((s) => s.owner === 'shops' && s.eraser === 'downloads')!;
    expect(report.removed).to.deep.equal(['1 download record (when, and the IP address truncated)']);
    const { DownloadGrant, DownloadRecord } = await downloadModels();
    expect(await DownloadRecord.count({ where: { order_id: order.id } })).to.equal(0);
    expect((await DownloadGrant.findOne({ where: { order_id: order.id } }))!.revoked_at).to.not.equal(null);
  });
});
