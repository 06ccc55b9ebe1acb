import { expect } from 'chai';
import { createUser, csrfFrom, type TestApp } from '../../../helpers/app';
import { contactSeller, conversationIdOf, customer, messagingModels, pdf, png, reply, sellerWithProduct, sendForm, startMessagingApp } from '../messaging-helpers';

describe('messaging: contact a seller, the thread and its notifications', function () {
  this.timeout(60_000);
  let t: TestApp;
  let seller: Awaited<ReturnType<typeof sellerWithProduct>>;

  before(async () => {
    t = await startMessagingApp();
    seller = await sellerWithProduct(t, 'Pottery Place');
  });
  after(async () => t.close());

  it('the product page says "Contact seller" to a customer, and "Log in to contact the seller" to a guest, who comes back after logging in', async () => {
    const guestPage = await t.agent().get(`/products/${seller.product.slug}`);
    const next = `/login?next=${encodeURIComponent(`/products/${seller.product.slug}`)}`;
    expect(guestPage.text).to.contain('Log in to contact the seller').and.contain(`href="${next.replace(/&/g, '&amp;')}"`);

    const { user, password } = await createUser();
    const agent = t.agent();
    const loginPage = await agent.get(next);
    const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(loginPage.text), login: user.username, password, next: `/products/${seller.product.slug}` });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/products/${seller.product.slug}`);
    const page = await agent.get(`/products/${seller.product.slug}`);
    expect(page.text).to.contain(`href="/messages/new?product=${seller.product.id}"`).and.contain('Contact seller');
    // The shop page has "Contact me" the same way.
    expect((await agent.get(`/shops/${seller.shop.slug}`)).text).to.contain(`href="/messages/new?shop=${seller.shop.id}"`);
    // The seller does not contact their own shop.
    expect((await seller.agent.get(`/products/${seller.product.slug}`)).text).not.to.contain('Contact seller');
    expect((await seller.agent.get(`/messages/new?shop=${seller.shop.id}`)).status).to.equal(409);
  });

  it('a message opens a conversation; the seller gets an email with a link and without the buyer’s address; unread counts show on both sides', async () => {
    const { Conversation, Message } = messagingModels();
    const buyer = await customer(t, { display_name: 'Dora Buyer' });
    t.smtp!.clear();
    const res = await contactSeller(buyer.agent, seller.product.id, { subject: 'Gift wrap?', body: 'Can you gift-wrap the mug?' });
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    const id = conversationIdOf(res);
    const row = await Conversation.findByPk(id);
    expect([row?.kind, row?.shop_id, row?.product_id, row?.buyer_id, row?.status, row?.seller_unread]).to.deep.equal(['shop', seller.shop.id, seller.product.id, buyer.user.id, 'open', 1]);
    expect((await Message.findAll({ where: { conversation_id: id } })).map((m) => [m.author_side, m.body])).to.deep.equal([['buyer', 'Can you gift-wrap the mug?']]);

    const mail = await t.smtp!.waitFor(seller.seller.email, /New message/);
    expect(mail.text).to.contain('Dora Buyer').and.contain('Can you gift-wrap the mug?').and.contain(`http://agora.test/messages/${id}`);
    expect(mail.text + mail.html + mail.subject).not.to.contain(buyer.user.email);

    // The seller's header and dashboard show it; the support list names the buyer by display name only.
    const dashboard = await seller.agent.get('/seller');
    expect(dashboard.text).to.contain('Messages (1)').and.contain('1 conversation has new messages');
    const list = await seller.agent.get('/seller/messages');
    expect(list.text).to.contain('Gift wrap?').and.contain('Dora Buyer').and.contain('1 new');
    expect(list.text).not.to.contain(buyer.user.email);

    // Reading the thread clears the seller's count; the reply mails the buyer, without the seller's address.
    const thread = await seller.agent.get(`/messages/${id}`);
    expect(thread.status).to.equal(200);
    expect(thread.text).to.contain('Can you gift-wrap the mug?').and.not.contain(buyer.user.email);
    expect((await Conversation.findByPk(id))?.seller_unread).to.equal(0);
    t.smtp!.clear();
    expect((await reply(seller.agent, id, 'Yes, for free.')).status).to.equal(303);
    const toBuyer = await t.smtp!.waitFor(buyer.user.email, /New message/);
    expect(toBuyer.text).to.contain('Pottery Place').and.contain('Yes, for free.').and.contain(`/messages/${id}`);
    expect(toBuyer.text + toBuyer.html).not.to.contain(seller.seller.email);
    const after = await Conversation.findByPk(id);
    expect([after?.status, after?.buyer_unread]).to.deep.equal(['waiting_buyer', 1]);
    const account = await buyer.agent.get('/account/messages');
    expect(account.text).to.contain('Seller support tickets').and.contain('Gift wrap?').and.contain('Waiting for the buyer').and.contain('Messages (1)');
    await buyer.agent.get(`/messages/${id}`);
    expect((await Conversation.findByPk(id))?.buyer_unread).to.equal(0);
    expect((await reply(buyer.agent, id, 'Great, thanks!')).status).to.equal(303);
    expect((await Conversation.findByPk(id))?.status).to.equal('waiting_seller');

    // Closing and reopening; a reply to a closed conversation reopens it.
    expect((await sendForm(buyer.agent, `/messages/${id}`, `/messages/${id}/status`, { to: 'closed' })).status).to.equal(303);
    expect((await Conversation.findByPk(id))?.status).to.equal('closed');
    expect((await reply(seller.agent, id, 'Anything else?')).status).to.equal(303);
    expect((await Conversation.findByPk(id))?.status).to.equal('waiting_buyer');
  });

  it('message text is escaped on output: a script shows as text', async () => {
    const buyer = await customer(t);
    const payload = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const res = await contactSeller(buyer.agent, seller.product.id, { subject: `<b>${payload}</b>`, body: payload });
    const id = conversationIdOf(res);
    for (const agent of [buyer.agent, seller.agent]) {
      const page = await agent.get(`/messages/${id}`);
      expect(page.text).not.to.contain('<script>alert("x")</script>').and.not.to.contain('<img src=x');
      expect(page.text).to.contain('&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;');
    }
    expect((await seller.agent.get('/seller/messages')).text).not.to.contain('<b><script>');
  });

  it('refuses an empty or too long message and a missing subject with 422 on the same form, writing nothing', async () => {
    const { Conversation } = messagingModels();
    const buyer = await customer(t);
    const before = await Conversation.count();
    const long = await contactSeller(buyer.agent, seller.product.id, { body: 'x'.repeat(5001) });
    expect(long.status).to.equal(422);
    expect(long.text).to.contain('A message is at most 5000 characters').and.contain('name="subject"');
    const empty = await contactSeller(buyer.agent, seller.product.id, { subject: '', body: '' });
    expect(empty.status).to.equal(422);
    expect(empty.text).to.contain('Enter a subject').and.contain('Write your message');
    expect(await Conversation.count()).to.equal(before);
  });

  it('the same form sent twice at once opens one conversation', async () => {
    const { Conversation } = messagingModels();
    const buyer = await customer(t);
    const page = await buyer.agent.get(`/messages/new?product=${seller.product.id}`);
    const token = csrfFrom(page.text);
    const submission = /name="submission" value="([^"]+)"/.exec(page.text)![1];
    const send = () =>
      buyer.agent.post('/messages/new').field('_csrf', token).field('submission', submission).field('shop_id', String(seller.shop.id)).field('about', `product:${seller.product.id}`).field('subject', 'Twice').field('body', 'Sent twice');
    const [a, b] = await Promise.all([send(), send()]);
    expect([a.status, b.status]).to.deep.equal([303, 303]);
    expect(conversationIdOf(a)).to.equal(conversationIdOf(b));
    expect(await Conversation.count({ where: { buyer_id: buyer.user.id } })).to.equal(1);

    // A reply sent twice at once is one message, and one notification.
    const { Message } = messagingModels();
    const id = conversationIdOf(a);
    const thread = await buyer.agent.get(`/messages/${id}`);
    const key = /name="submission" value="([^"]+)"/.exec(thread.text)![1];
    const answer = () => buyer.agent.post(`/messages/${id}/reply`).field('_csrf', csrfFrom(thread.text)).field('submission', key).field('body', 'Reply twice');
    const [r1, r2] = await Promise.all([answer(), answer()]);
    expect([r1.status, r2.status]).to.deep.equal([303, 303]);
    expect(await Message.count({ where: { conversation_id: id, body: 'Reply twice' } })).to.equal(1);
  });

  it('attachments: an image is served inline with its type, a PDF as a download; other types and oversized files are refused', async () => {
    const { Attachment, Conversation } = messagingModels();
    const buyer = await customer(t);
    const res = await contactSeller(buyer.agent, seller.product.id, { subject: 'Photos' }, [
      { data: await png(), filename: 'crack.png' },
      { data: pdf(), filename: 'invoice.pdf' },
    ]);
    const id = conversationIdOf(res);
    const files = await Attachment.findAll({ where: { conversation_id: id }, order: [['id', 'ASC']] });
    expect(files.map((f) => [f.name, f.type])).to.deep.equal([['crack.png', 'image/png'], ['invoice.pdf', 'application/pdf']]);
    const image = await seller.agent.get(`/messages/${id}/attachments/${files[0].id}`);
    expect(image.status).to.equal(200);
    expect(image.headers['content-type']).to.match(/^image\/png/);
    expect(String(image.headers['content-disposition'] ?? '')).to.match(/^inline/);
    const doc = await buyer.agent.get(`/messages/${id}/attachments/${files[1].id}`);
    expect(doc.headers['content-type']).to.match(/^application\/pdf/);
    expect(String(doc.headers['content-disposition'])).to.match(/^attachment/);
    // An attachment of another conversation is not reachable through this one.
    const other = conversationIdOf(await contactSeller(buyer.agent, seller.product.id, { subject: 'Other' }));
    expect((await buyer.agent.get(`/messages/${other}/attachments/${files[0].id}`)).status).to.equal(404);

    const before = await Conversation.count();
    const html = await contactSeller(buyer.agent, seller.product.id, {}, [{ data: Buffer.from('<html><script>alert(1)</script></html>'), filename: 'page.png' }]);
    expect(html.status).to.equal(422);
    expect(html.text).to.contain('is not an image (JPEG, PNG, WebP, GIF) or a PDF');
    await t.platform.options.set('settings.messaging', { ...t.platform.settings.get<Record<string, unknown>>('messaging'), maxAttachmentMb: 0.1 });
    const big = await contactSeller(buyer.agent, seller.product.id, {}, [{ data: Buffer.concat([pdf(), Buffer.alloc(200 * 1024)]), filename: 'big.pdf' }]);
    expect(big.status).to.equal(422);
    expect(big.text).to.contain('The file is larger than');
    await t.platform.options.set('settings.messaging', { ...t.platform.settings.get<Record<string, unknown>>('messaging'), maxAttachmentMb: 5 });
    expect(await Conversation.count()).to.equal(before);
  });

  it('the 21st new conversation within an hour is refused with a clear message (429); replies still go', async () => {
    const { Conversation } = messagingModels();
    const buyer = await customer(t);
    const first = conversationIdOf(await contactSeller(buyer.agent, seller.product.id, { subject: 'One' }));
    // 19 more, as if sent in the last hour.
    for (let i = 2; i <= 20; i++) {
      await Conversation.create({ kind: 'shop', shop_id: seller.shop.id, product_id: null, order_id: null, buyer_id: buyer.user.id, starter_id: buyer.user.id, subject: `Old ${i}`, status: 'open', submission_key: `old-${buyer.user.id}-${i}`, last_message_at: new Date() });
    }
    const refused = await contactSeller(buyer.agent, seller.product.id, { subject: 'Twenty-first' });
    expect(refused.status).to.equal(429);
    expect(refused.text).to.contain('You have started 20 conversations in the last hour');
    expect(await Conversation.count({ where: { subject: 'Twenty-first' } })).to.equal(0);
    expect((await reply(buyer.agent, first, 'A reply is no new conversation')).status).to.equal(303);
  });

  it('an order conversation shows the order’s notes from shops in the same thread', async () => {
    const { addToCart, checkout } = await import('../../shops/order-helpers');
    const buyer = await customer(t);
    await addToCart(buyer.agent, seller.product.id, 1);
    expect((await checkout(buyer.agent, { email: buyer.user.email })).status).to.equal(303);
    const { Order } = (await import('../../shops/shop-models')).shopModels();
    const order = (await Order.findOne({ where: { buyer_id: buyer.user.id } }))!;
    const orderPage = await buyer.agent.get(`/account/orders/${order.number}`);
    expect(orderPage.text).to.contain(`/messages/new?order=${order.id}`);
    const token = csrfFrom(orderPage.text);
    await buyer.agent.post(`/account/orders/${order.number}/notes`).type('form').send({ _csrf: token, body: 'Note: leave it at the door.' });
    const res = await (await import('../messaging-helpers')).sendMultipart(buyer.agent, `/messages/new?order=${order.id}`, '/messages/new', { subject: 'Where is it?', body: 'Has it shipped?' });
    const id = conversationIdOf(res);
    const thread = await seller.agent.get(`/messages/${id}`);
    expect(thread.text).to.contain('Note: leave it at the door.').and.contain('order note').and.contain('Has it shipped?').and.contain(order.number);
    // The seller can start a conversation with the buyer of an order too.
    const sellerSide = await (await import('../messaging-helpers')).sendMultipart(seller.agent, `/messages/new?order=${order.id}`, '/messages/new', { subject: 'Your parcel', body: 'It leaves today.' });
    const sid = conversationIdOf(sellerSide);
    const { Conversation } = messagingModels();
    const row = await Conversation.findByPk(sid);
    expect([row?.buyer_id, row?.order_id, row?.status]).to.deep.equal([buyer.user.id, order.id, 'waiting_buyer']);
    expect((await buyer.agent.get(`/messages/${sid}`)).text).to.contain('It leaves today.');
  });
});
