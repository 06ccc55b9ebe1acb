import { html, type PluginContext } from '@agora/core';
import type {} from '../shops/hooks';
import { unreadCounts } from './services/conversations';
import { READ_ALL } from './services/access';
import { Conversation } from './models/conversation';
import { Report } from './models/report';
import { Op } from 'sequelize';

const count = (n: number) => (n > 0 ? html` <span class="badge messaging-unread">${n}</span>` : '');

/**
 * Where messaging shows on other pages: the unread count in the header and the seller's navigation,
 * "Contact seller" on a product, "Contact me" on a shop, a link from each side of an order, "Contact us" in
 * the footer. Guests see "Log in to contact the seller", which brings them back to the same page.
 */
export function registerMessagingSlots(ctx: PluginContext): void {
  ctx.slot('core.header.actions', async ({ viewer }) => {
    if (!viewer) return undefined;
    const { buyer, seller } = await unreadCounts(ctx, viewer.id);
    const href = seller > 0 && buyer === 0 ? '/seller/messages' : '/account/messages';
    return { html: html`<a class="messages-link" href="${href}">Messages${buyer + seller > 0 ? ` (${buyer + seller})` : ''}</a>` };
  });

  ctx.slot('core.account.sections', async ({ viewer }) => {
    if (!viewer) return undefined;
    const { buyer } = await unreadCounts(ctx, viewer.id);
    const unread = buyer ? html`<strong>${buyer} with new messages.</strong> ` : '';
    return { html: `<section class="panel account-messages"><h2>Seller support tickets</h2><p>${unread}${html`<a href="/account/messages">My conversations</a>: your questions to sellers and the store, and their answers.`}</p></section>` };
  });

  // The plugin's few styles (the thread, the contact form's honeypot), from its public folder: no inline style.
  ctx.slot('core.head', () => ({ html: '<link rel="stylesheet" href="/plugins/messaging/messaging.css">' }));
  ctx.slot('core.footer.links', () => ({ html: '<li><a href="/contact">Contact us</a></li>' }));

  ctx.slot('shops.product.shop_card', ({ product, shop, viewer }) => {
    if (!viewer) return { html: html`<p class="messaging-contact"><a class="button button-secondary" href="/login?next=${encodeURIComponent(`/products/${product.slug}`)}">Log in to contact the seller</a></p>` };
    if (viewer.id === shop.owner_id) return undefined;
    return { html: html`<p class="messaging-contact"><a class="button button-secondary" href="/messages/new?product=${product.id}">Contact seller</a></p>` };
  });

  ctx.slot('shops.shop.header_actions', ({ shop, viewer }) => {
    if (!viewer) return { html: html`<a class="button button-secondary" href="/login?next=${encodeURIComponent(`/shops/${shop.slug}`)}">Log in to contact the seller</a>` };
    if (viewer.id === shop.owner_id) return undefined;
    return { html: html`<a class="button button-secondary messaging-contact" href="/messages/new?shop=${shop.id}">Contact me</a>` };
  });

  ctx.slot('shops.account.order', ({ order }) => ({
    html: html`<p class="messaging-order-link"><a class="button button-secondary" href="/messages/new?order=${order.id}">Message the seller about this order</a></p>`,
  }));

  ctx.slot('shops.seller.order', ({ order }) =>
    order.buyer_id === null ? undefined : { html: html`<p class="messaging-order-link"><a class="button button-secondary" href="/messages/new?order=${order.id}">Message the buyer</a></p>` },
  );

  ctx.slot('shops.seller.nav', async ({ viewer, template }) => {
    if (!viewer) return undefined;
    const { seller } = await unreadCounts(ctx, viewer.id);
    return { html: `<a href="/seller/messages"${template === 'messaging/inbox' ? ' aria-current="page"' : ''}>Support${count(seller)}</a>` };
  });

  ctx.slot('shops.seller.dashboard', async ({ viewer }) => {
    if (!viewer) return undefined;
    const { seller } = await unreadCounts(ctx, viewer.id);
    return {
      html: html`<section class="panel messaging-dashboard"><h2>Support</h2><p>${seller ? `${seller} ${seller === 1 ? 'conversation has' : 'conversations have'} new messages from buyers.` : 'No new messages from buyers.'}</p><a href="/seller/messages">Open support tickets</a></section>`,
    };
  });

  ctx.admin.widget({
    id: 'messaging-queue',
    title: 'Messages',
    capability: READ_ALL,
    render: async () => {
      const tickets = await Conversation.count({ where: { kind: 'store', seller_unread: { [Op.gt]: 0 } } });
      const held = await Conversation.count({ where: { held: true, status: { [Op.ne]: 'closed' } } });
      const reports = await Report.count({ where: { status: 'open' } });
      return html`<ul class="messaging-widget"><li><a href="/admin/messages">${tickets} store ${tickets === 1 ? 'ticket' : 'tickets'} with new messages</a></li><li><a href="/admin/messages?view=held">${held} held for review</a></li><li><a href="/admin/messages?view=reports">${reports} open ${reports === 1 ? 'report' : 'reports'}</a></li></ul>`;
    },
  });
}
