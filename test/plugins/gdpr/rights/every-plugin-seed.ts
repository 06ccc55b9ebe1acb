import crypto from 'node:crypto';
import type { Model, ModelStatic } from 'sequelize';
import { createUser, type TestApp } from '../../../helpers/app';
import { Canaries, activeModels } from '../../../../core/privacy/coverage';
import { OutboxMessage } from '../../../../core/mail/outbox-model';
import { shopModels } from '../../shops/shop-models';
import { makeProduct, makeShop, pluginModule } from '../../shops/order-helpers';
import { consentServiceOf } from '../../../../plugins/gdpr/consent/setup';
import { Review, ReviewPhoto, ReviewReport } from '../../../../plugins/reviews/models';
import { Follow } from '../../../../plugins/follows/models/follow';
import { Favourite } from '../../../../plugins/follows/models/favourite';
import { NewsletterEvent, NewsletterSubscriber } from '../../../../plugins/newsletter/models';
import { addressHash } from '../../../../plugins/newsletter/services/addresses';
import { Attachment, Conversation, Message, Report, Sanction } from '../../../../plugins/messaging/models';
import { StripeAccount, StripePayment } from '../../../../plugins/stripe/models';
import type { Shop } from '../../../../plugins/shops/models/shop';
import type { Transaction } from 'sequelize';

/** The seven bundled plugins, all active: the acceptance test of issue 14 runs with every one of them. */
export const EVERY_PLUGIN = ['shops', 'reviews', 'follows', 'newsletter', 'messaging', 'stripe', 'gdpr'];

let dates = Math.floor(Math.random() * 1000);

/**
 * A person's canaries: a unique value per personal field, labelled `Model.attribute` (with `#which` when the
 * person has several rows of that model). The person's own email is their key, kept apart in `email`.
 */
export class CanarySet {
  private readonly c = new Canaries();
  readonly values = new Map<string, string>();
  /** Every `Model.attribute` that got a canary (or the person's key), to tell which personal columns were seeded. */
  readonly seeded = new Set<string>();

  value(model: string, attribute: string, which = ''): string {
    return this.add(model, attribute, which, this.c.for(model, attribute));
  }

  email(model: string, attribute: string, which = ''): string {
    return this.add(model, attribute, which, this.c.email(model, attribute));
  }

  /** A date no other person of the test has (Canaries.date counts per instance, so two people would share it). */
  date(model: string, attribute: string): string {
    const n = ++dates;
    return this.add(model, attribute, '', `18${String(10 + (n % 89)).padStart(2, '0')}-0${1 + (n % 9)}-${String(10 + (n % 18))}`);
  }

  /** The person's key (their address) in a column that finds their rows: seeded, but not a canary of its own. */
  key(model: string, attribute: string, value: string): string {
    this.seeded.add(`${model}.${attribute}`);
    return value;
  }

  private add(model: string, attribute: string, which: string, value: string): string {
    const label = `${model}.${attribute}${which ? `#${which}` : ''}`;
    if (this.values.has(label)) throw new Error(`two canaries labelled ${label}`);
    this.values.set(label, value);
    this.seeded.add(`${model}.${attribute}`);
    return value;
  }
}

export interface SeededPerson {
  tag: string;
  email: string;
  userId: number;
  password: string;
  canaries: CanarySet;
  /** The bytes of the person's message attachment (a private file) hold this canary. */
  fileCanary: string;
  /** The bytes of their review's photo and thumbnail (private files of reviews) hold this one. */
  photoCanary: string;
  fileId: string;
  paidOrderNumber: string;
  invoiceNumber: string;
  creditNoteNumber: string;
}

/** The marketplace both people buy from: a seller's shop with a product. */
export interface Market {
  shop: Shop;
  productId: number;
}

export async function openMarket(t: TestApp): Promise<Market> {
  const { shop } = await makeShop(t, { name: 'Canary Ceramics' });
  await shopModels().Shop.update({ legal_name: 'Canary Ceramics SAS', legal_address: '3 Quai de Seine, 75019 Paris', vat_number: 'FR12345678901' }, { where: { id: shop.id } });
  const product = await makeProduct(t, shop, { title: 'Blue mug', price: 1200 });
  return { shop, productId: product.id };
}

let seq = 0;

/**
 * One person with a canary in every personal field of core and of the seven plugins, as the store writes them:
 * an account (with its encrypted birth date), saved addresses (encrypted), a paid order with a variant line, its
 * invoice, a refund and its credit note, a coupon use, a cancelled order, notes, a cart, a shop of their own,
 * reviews (published and waiting), a report, follows and favourites, a newsletter subscription with its history,
 * conversations with a message, an attachment stored as a private file, a report and a sanction, Stripe payments
 * (paid and unpaid) and a Connect account, and consent register rows.
 */
export async function seedEveryPlugin(t: TestApp, market: Market, tag: string): Promise<SeededPerson> {
  const c = new CanarySet();
  const n = ++seq;
  const email = c.email('User', 'email').toLowerCase();
  c.values.delete('User.email');
  const { user, password } = await createUser({ email, username: c.value('User', 'username'), display_name: c.value('User', 'display_name') });
  const models = shopModels();
  await models.User.update(
    { first_name: c.value('User', 'first_name'), last_name: c.value('User', 'last_name'), birth_date: c.date('User', 'birth_date'), pending_email: c.email('User', 'pending_email') },
    { where: { id: user.id } },
  );
  const userId = user.id;
  await OutboxMessage.create({ user_id: userId, to_address: c.key('OutboxMessage', 'to_address', email), subject: 'Welcome', text_body: `Hello ${c.value('OutboxMessage', 'text_body')}`, html_body: `<p>Hello ${c.value('OutboxMessage', 'html_body')}</p>`, status: 'sent', sent_at: new Date() });

  // shops: the address book (street, town, postcode and phone encrypted at rest).
  const a = (attr: string) => c.value('Address', attr);
  await models.Address.create({ user_id: userId, name: a('name'), line1: a('line1'), line2: a('line2'), city: a('city'), postcode: a('postcode'), country: 'FR', phone: a('phone'), is_default: true });

  // A paid order with a variant line, its invoice, a refund with its credit note, and a coupon use.
  const reference = `AG-${tag.toUpperCase()}${n}${Date.now().toString(36).toUpperCase()}`.slice(0, 30);
  const group = await models.CheckoutGroup.create({ reference, buyer_id: userId, email: c.email('CheckoutGroup', 'email'), currency: 'EUR', total: 1700, gateway: 'stripe', status: 'paid' });
  const o = (attr: string) => c.value('Order', attr, 'paid');
  const paid = await models.Order.create({
    number: `${reference}-1`,
    group_id: group.id,
    shop_id: market.shop.id,
    buyer_id: userId,
    status: 'paid',
    currency: 'EUR',
    subtotal: 1200,
    shipping_total: 500,
    total: 1700,
    platform_fee: 60,
    tax_total: 283,
    shipping_method: 'Post',
    email: c.email('Order', 'email', 'paid'),
    ship_name: o('ship_name'),
    ship_line1: o('ship_line1'),
    ship_line2: o('ship_line2'),
    ship_city: o('ship_city'),
    ship_postcode: o('ship_postcode'),
    ship_country: 'FR',
    phone: o('phone'),
    paid_at: new Date(),
  });
  const line = await models.OrderItem.create({ order_id: paid.id, product_id: market.productId, title: 'Blue mug', unit_price: 1200, quantity: 1, line_total: 1200, tax_rate: 2000, tax_amount: 200, sku: `MUG-BLUE-L-${n}`, options_text: 'Colour: Blue · Size: L' });
  await models.OrderStatusHistory.create({ order_id: paid.id, from_status: 'pending', to_status: 'paid', actor_id: null, note: '' });
  // The buyer's note: its text holds markup, which the export's page must show as text.
  await models.OrderNote.create({ order_id: paid.id, author_id: userId, author_side: 'buyer', body: `<script>alert("note")</script> Leave it with ${c.value('OrderNote', 'body')}` });
  const coupon = await models.Coupon.create({ shop_id: market.shop.id, code: `CANARY${n}${Date.now() % 100000}`, kind: 'percent', value: 1000 });
  await models.CouponRedemption.create({ coupon_id: coupon.id, order_id: paid.id, group_id: group.id, buyer_id: userId, email: c.email('CouponRedemption', 'email'), amount: 120 });
  const { issueInvoice, issueCreditNote } = await pluginModule<{ issueInvoice(id: number, tx: Transaction): Promise<{ number: string } | null>; issueCreditNote(id: number, tx: Transaction): Promise<{ number: string } | null> }>(
    'services/invoice-service.ts',
  );
  const invoice = await t.platform.sequelize.transaction((tx) => issueInvoice(paid.id, tx));
  const refund = await models.Refund.create({ order_id: paid.id, amount: 500, idempotency_key: `refund-${reference}`, reason: 'Chipped handle', status: 'succeeded', settled_at: new Date() });
  await paid.update({ refunded_total: 500 });
  const creditNote = await t.platform.sequelize.transaction((tx) => issueCreditNote(refund.id, tx));
  if (!invoice || !creditNote) throw new Error('the invoice or the credit note was not issued');
  c.key('Invoice', 'data', email); // the invoice holds the order's buyer: the canaries above, as issued

  // Digital goods (part F, issue 17): the download the order gave and the record of one download, when the store has them.
  const grants = t.platform.sequelize.models.DownloadGrant as ModelStatic<Model> | undefined;
  const records = t.platform.sequelize.models.DownloadRecord as ModelStatic<Model> | undefined;
  if (grants && records) {
    const grant = await grants.create({ order_id: paid.id, order_item_id: line.id, product_download_id: null, file_id: crypto.randomUUID(), name: 'Glaze recipes.pdf', size: 1000, download_limit: 5, downloads_used: 1 });
    await records.create({ grant_id: grant.get('id'), order_id: paid.id, user_id: userId, ip: c.value('DownloadRecord', 'ip') });
  }

  // A cancelled order of another checkout: nothing of it is kept.
  const cancelledRef = `${reference}C`.slice(0, 30);
  const cancelledGroup = await models.CheckoutGroup.create({ reference: cancelledRef, buyer_id: userId, email, currency: 'EUR', total: 1700, gateway: 'manual', status: 'cancelled' });
  const x = (attr: string) => c.value('Order', attr, 'cancelled');
  await models.Order.create({
    number: `${cancelledRef}-1`,
    group_id: cancelledGroup.id,
    shop_id: market.shop.id,
    buyer_id: userId,
    status: 'cancelled',
    currency: 'EUR',
    subtotal: 1200,
    shipping_total: 500,
    total: 1700,
    platform_fee: 60,
    shipping_method: 'Post',
    email,
    ship_name: x('ship_name'),
    ship_line1: x('ship_line1'),
    ship_line2: x('ship_line2'),
    ship_city: x('ship_city'),
    ship_postcode: x('ship_postcode'),
    ship_country: 'FR',
    phone: x('phone'),
  });
  const cart = await models.Cart.create({ user_id: userId });
  await models.CartItem.create({ cart_id: cart.id, product_id: market.productId, quantity: 2 });

  // A shop the person runs: its location is theirs; its legal details too.
  const own = await models.Shop.create({ owner_id: userId, name: `Stall ${tag} ${n}`, slug: `stall-${tag}-${n}-${Date.now() % 100000}`, currency: 'EUR', location: c.value('Shop', 'location'), legal_name: c.value('Shop', 'legal_name'), legal_address: c.value('Shop', 'legal_address') });
  await models.ShopMember.create({ shop_id: own.id, user_id: userId, role: 'owner' });

  // reviews: one published (kept without the author), one waiting (deleted), a report of someone else's.
  const itemBase = 800_000 + n * 10;
  const review = await Review.create({ product_id: market.productId, shop_id: market.shop.id, order_id: paid.id, order_item_id: itemBase + 1, user_id: userId, rating: 5, title: c.value('Review', 'title', 'published'), body: `Lovely, ${c.value('Review', 'body', 'published')}`, status: 'approved', approved_at: new Date() });
  await Review.create({ product_id: market.productId, shop_id: market.shop.id, order_id: paid.id, order_item_id: itemBase + 2, user_id: userId, rating: 2, title: c.value('Review', 'title', 'pending'), body: `Hm, ${c.value('Review', 'body', 'pending')}`, status: 'pending' });
  // The published review's photo (and its thumbnail), private files of reviews: their bytes hold a canary.
  const photoCanary = `cnphoto${tag}${n}${crypto.randomBytes(4).toString('hex')}`;
  const reviewFiles = t.platform.files.forOwner('reviews').private;
  const photo = await reviewFiles.save(Buffer.from(`photo of ${photoCanary}`), { name: 'mug.jpg', type: 'image/jpeg' });
  const thumb = await reviewFiles.save(Buffer.from(`thumbnail of ${photoCanary}`), { name: 'mug-thumb.jpg', type: 'image/jpeg' });
  await ReviewPhoto.create({ review_id: review.id, file_id: photo.id, thumb_file_id: thumb.id, position: 0 });
  await review.update({ photo_count: 1 });
  const other = await Review.create({ product_id: market.productId, shop_id: market.shop.id, order_id: paid.id, order_item_id: itemBase + 3, user_id: null, rating: 1, title: 'Buy elsewhere', body: 'Visit my shop instead.', status: 'approved', approved_at: new Date() });
  await ReviewReport.create({ review_id: other.id, user_id: userId, reason: 'spam', note: c.value('ReviewReport', 'note') });

  // follows: the shop, the product, no text of their own.
  await Follow.create({ user_id: userId, shop_id: market.shop.id, email_enabled: true });
  await Favourite.create({ user_id: userId, product_id: market.productId, shop_id: market.shop.id });

  // newsletter: confirmed, with its history and the IP it came from.
  const now = new Date();
  const subscriber = await NewsletterSubscriber.create({ email: c.key('NewsletterSubscriber', 'email', email), email_hash: addressHash(email), user_id: userId, status: 'confirmed', source: 'footer', confirm_nonce: null, consented_at: now, confirmed_at: now, unsubscribed_at: null });
  await NewsletterEvent.create({ subscriber_id: subscriber.id, kind: 'subscribed', how: 'signup form in the footer', ip: c.value('NewsletterEvent', 'ip') });

  // messaging: a contact-form ticket, a thread with a message and an attachment (a real private file), a report, a sanction.
  await Conversation.create({ kind: 'store', shop_id: null, product_id: null, order_id: null, buyer_id: userId, starter_id: userId, guest_name: c.value('MessagingConversation', 'guest_name'), guest_email: c.email('MessagingConversation', 'guest_email'), subject: c.value('MessagingConversation', 'subject', 'ticket'), status: 'open', submission_key: crypto.randomUUID(), last_message_at: now });
  const thread = await Conversation.create({ kind: 'shop', shop_id: market.shop.id, product_id: market.productId, order_id: null, buyer_id: userId, starter_id: userId, subject: c.value('MessagingConversation', 'subject', 'thread'), status: 'open', submission_key: crypto.randomUUID(), last_message_at: now });
  const message = await Message.create({ conversation_id: thread.id, author_id: userId, author_side: 'buyer', body: c.value('MessagingMessage', 'body'), submission_key: crypto.randomUUID() });
  const fileCanary = `cnfile${tag}${n}${crypto.randomBytes(4).toString('hex')}`;
  const file = await t.platform.files.forOwner('messaging').private.save(Buffer.from(`The receipt of ${fileCanary}\n`), { name: 'receipt.txt', type: 'text/plain' });
  await Attachment.create({ message_id: message.id, conversation_id: thread.id, file_id: file.id, name: c.value('MessagingAttachment', 'name'), type: 'text/plain', size: 30 });
  await Report.create({ conversation_id: thread.id, reporter_id: userId, reported_user_id: null, reason: 'spam', note: c.value('MessagingReport', 'note'), status: 'open', resolved_by: null, resolved_at: null });
  await Sanction.create({ user_id: userId, kind: 'warning', reason: c.value('MessagingSanction', 'reason'), report_id: null, created_by: null, lifted_at: null });

  // stripe: the paid checkout's payment (kept for tax), an unpaid one, and the Connect account of their shop.
  const s = (attr: string, which: string) => c.value('StripePayment', attr, which);
  for (const [which, status, groupId, ref] of [['paid', 'paid', group.id, reference], ['open', 'open', cancelledGroup.id, cancelledRef]] as const) {
    await StripePayment.create({
      group_id: groupId,
      reference: ref,
      attempt: 1,
      idempotency_key: `agora-${ref}-1`,
      email: c.key('StripePayment', 'email', email),
      amount: 1700,
      currency: 'EUR',
      orders_json: [],
      status,
      session_id: s('session_id', which),
      payment_intent_id: s('payment_intent_id', which),
      charge_id: s('charge_id', which),
      customer_id: s('customer_id', which),
      return_url: `http://agora.test/checkout/orders/${ref}`,
    });
  }
  await StripeAccount.create({ shop_id: own.id, account_id: c.value('StripeAccount', 'account_id'), user_id: userId });

  // gdpr: the consent register, through the register itself so that its chain covers the rows.
  await consentServiceOf().record(
    [{ action: 'accepted', section: 'core.register', policy: { slug: 'privacy-policy', version: 1, textHash: 'a'.repeat(64) }, required: true }],
    { userId, email: c.key('GdprConsentIdentity', 'email', email), displayName: c.value('GdprConsentIdentity', 'display_name') },
    { ip: c.value('GdprConsentIdentity', 'ip'), userAgentHash: null, consentId: c.value('GdprConsentIdentity', 'consent_id') },
  );
  c.key('RightsRequest', 'email', email); // the person's requests are made by the test, through the pages

  return { tag, email, userId, password, canaries: c, fileCanary, photoCanary, fileId: file.id, paidOrderNumber: paid.number, invoiceNumber: invoice.number, creditNoteNumber: creditNote.number };
}

/** Personal columns (`personal: true`) of core's and every active plugin's models that the seeding did not reach. */
export function unseededColumns(t: TestApp, person: SeededPerson): string[] {
  const models = activeModels(t.platform.sequelize.models as Record<string, ModelStatic<Model>>, (m) => t.platform.plugins.modelOwner(m), (p) => t.platform.plugins.isActive(p));
  const out: string[] = [];
  for (const { model } of models) for (const [attr, def] of Object.entries(model.getAttributes())) if (def.personal && !person.canaries.seeded.has(`${model.name}.${attr}`)) out.push(`${model.name}.${attr}`);
  return out.sort();
}

/** `Model.attribute` → `table.column`, for reading an eraser's `covers` against what a scan of the tables finds. */
export function columnOf(t: TestApp, model: string, attribute: string): string | undefined {
  const m = t.platform.sequelize.models[model] as ModelStatic<Model> | undefined;
  const def = m?.getAttributes()[attribute];
  if (!m || !def) return undefined;
  return `${m.getTableName() as string}.${def.field ?? attribute}`;
}
