import type { PluginContext } from '@agora/core';
import { adminOrderRoutes } from './routes/admin-order-routes';
import { adminReportRoutes } from './routes/admin-report-routes';
import { sellerReportRoutes } from './routes/seller-report-routes';
import { OrderNote } from './models/order-note';
import { ORDER_STATUSES, Order } from './models/order';
import { ManualGateway } from './payments/manual-gateway';
import type { ShopsSettings } from './settings';
import { registerOrderCapabilities } from './order-capabilities';
import { registerOrderPrivacy } from './privacy-orders';
import { registerOrderMailPrivacy } from './privacy-order-mail';
import { registerCommercePrivacy } from './privacy-commerce';
import { declareShopsPrivacy } from './privacy-declarations';
import { declareShopsAccountHolds } from './account-holds';
import { declareShippingAddressRetention } from './shipping-address-retention';
import { declareDownloadIpRetention } from './download-ip-retention';
import { seedDemoOrders } from './demo-orders';
import { cartRoutes } from './routes/cart-routes';
import { checkoutRoutes } from './routes/checkout-routes';
import { couponCartRoutes } from './routes/coupon-cart-routes';
import { couponRoutes } from './routes/coupon-routes';
import { invoiceRoutes } from './routes/invoice-routes';
import { taxRoutes } from './routes/tax-routes';
import { guestOrderRoutes } from './routes/guest-order-routes';
import { accountOrderRoutes } from './routes/account-order-routes';
import { addressRoutes } from './routes/address-routes';
import { sellerOrderRoutes } from './routes/seller-order-routes';
import { webhookRoutes } from './routes/webhook-routes';
import { paymentReviewRoutes } from './payments/review-routes';
import { cartCount, contentsOfSessionCart } from './services/cart-store';
import { mergeGuestCart } from './services/cart-merge';
import { CHECKOUT_MAIL_JOB, CheckoutService, PENDING_EXPIRY_JOB } from './services/checkout-service';
import { sendCheckoutMails, sendNoteMail, sendRefundMail, sendStatusMail } from './services/order-mail';
import { Refund } from './models/refund';
import { NOTE_MAIL_JOB } from './services/order-notes';
import { expirePending } from './services/order-payments';

const STATUS_MAIL_JOB = 'order-status-mail';
const REFUND_MAIL_JOB = 'refund-mail';
const SWEEP_JOB = 'expire-pending';

/**
 * Part B of the shops plugin: cart, checkout, payments (the manual gateway and the generic webhook),
 * orders and their state machine, notes, emails, buyer and seller order pages, privacy and demo orders.
 */
export function setupOrders(ctx: PluginContext): void {
  const settings = () => ctx.settings.get<ShopsSettings>();
  const checkout = new CheckoutService(ctx);

  // The checkout form takes other plugins' fields (gdpr's consent boxes): said at run time so they find it.
  ctx.forms.declare('shops.checkout', { label: 'Completing an order (checkout)' });
  registerOrderCapabilities(ctx);
  registerOrderPrivacy(ctx);
  // After the orders eraser, so it runs first: mail about the person's orders sent to others (privacy-order-mail.ts).
  registerOrderMailPrivacy(ctx);
  registerCommercePrivacy(ctx);
  declareShopsPrivacy(ctx);
  declareShopsAccountHolds(ctx);
  declareShippingAddressRetention(ctx);
  declareDownloadIpRetention(ctx);

  const manual = new ManualGateway(settings);
  ctx.hooks.filter('shops.payment.gateways', (gateways) => [...gateways, manual]);

  cartRoutes(ctx);
  couponCartRoutes(ctx);
  couponRoutes(ctx);
  invoiceRoutes(ctx);
  taxRoutes(ctx);
  checkoutRoutes(ctx, checkout);
  guestOrderRoutes(ctx);
  accountOrderRoutes(ctx);
  addressRoutes(ctx);
  sellerOrderRoutes(ctx);
  // Payment providers sign the raw body of their webhooks: no body parser, session or CSRF check under /payments/.
  ctx.http.rawBody('/payments/');
  webhookRoutes(ctx);
  paymentReviewRoutes(ctx);

  // The cart and its count beside the account links in the header, on every page. A slot is not given the
  // request, so an early middleware leaves a counter in the locals; it runs only when a page is rendered.
  ctx.http.use('early', (req, res, next) => {
    res.locals.shopsCartCount = () => cartCount(req);
    next();
  });
  ctx.slot('core.header.actions', async ({ locals }) => {
    const count = locals.shopsCartCount;
    const n = typeof count === 'function' ? Number(await (count as () => Promise<number>)()) : 0;
    return { html: `<a class="cart-link" href="/cart"${locals.currentPath === '/cart' ? ' aria-current="page"' : ''}>Cart (${n})</a>` };
  });
  ctx.slot('core.account.sections', () => ({
    html:
      '<section class="panel account-orders"><h2>Orders</h2><p><a href="/account/orders">My orders</a>: what you bought, where it is, and notes with the sellers.</p>' +
      '<p><a href="/account/addresses">My addresses</a>: where you have things delivered, and the one checkout offers first.</p></section>',
  }));
  ctx.admin.menu({ id: 'shops-orders', label: 'Orders', href: '/admin/orders', capability: 'shops.orders.manage_all', order: 30 });
  adminOrderRoutes(ctx);
  // The sales report per shop and month (docs/shops-reports.md): the admin's of every shop, a seller's of their own.
  adminReportRoutes(ctx);
  sellerReportRoutes(ctx);

  ctx.hooks.on('core.user.logged_in', async (user, { guestSession }) => {
    await mergeGuestCart(user.id, contentsOfSessionCart(guestSession.cart), settings().maxQuantityPerItem);
  });

  ctx.jobs.define(CHECKOUT_MAIL_JOB, async (payload) => sendCheckoutMails(ctx, Number(payload.groupId), String(payload.instructions ?? '')));
  ctx.jobs.define(NOTE_MAIL_JOB, async (payload) => {
    const note = await OrderNote.findByPk(Number(payload.noteId));
    const order = note ? await Order.findByPk(note.order_id) : null;
    if (note && order) await sendNoteMail(ctx, note, order);
  });
  ctx.jobs.define(STATUS_MAIL_JOB, async (payload) => {
    // Each move is told, even when the next one came before the mail went out (shipped, then completed).
    const order = await Order.findByPk(Number(payload.orderId));
    const to = ORDER_STATUSES.find((s) => s === payload.to);
    if (order && to) await sendStatusMail(ctx, order, to);
  });
  ctx.hooks.on('shops.order.status.changed', async (order, _from, to) => {
    await ctx.jobs.enqueue(STATUS_MAIL_JOB, { orderId: order.id, to });
  });
  ctx.jobs.define(REFUND_MAIL_JOB, async (payload) => {
    const refund = await Refund.findByPk(Number(payload.refundId));
    const order = refund ? await Order.findByPk(refund.order_id) : null;
    // A refund that cancelled the order is told by the cancellation's mail, which shows what was refunded.
    if (refund && order && order.status !== 'cancelled') await sendRefundMail(ctx, order, refund);
  });
  ctx.hooks.on('shops.order.refunded', async (_order, refund) => {
    await ctx.jobs.enqueue(REFUND_MAIL_JOB, { refundId: refund.id });
  });

  // Each checkout schedules the expiry of its own group; the sweep at start catches what a stopped
  // server missed, and orders left over when the setting was shortened.
  ctx.jobs.define(PENDING_EXPIRY_JOB, async (payload) => {
    await expirePending(ctx, settings().pendingOrderHours, Number(payload.groupId));
  });
  ctx.jobs.define(SWEEP_JOB, async () => {
    await expirePending(ctx, settings().pendingOrderHours);
  });
  void ctx.jobs.enqueue(SWEEP_JOB, {}).catch((error: unknown) => ctx.log.warn({ err: error }, 'could not schedule the pending-order sweep'));
  // And every quarter hour, once across all instances: a shortened pending-order setting takes effect without a restart.
  ctx.jobs.schedule(SWEEP_JOB, '*/15 * * * *');

  ctx.hooks.on('core.demo.seeded', () => seedDemoOrders(ctx, checkout), { priority: 20, budgetMs: 5 * 60_000 });
}
