import crypto from 'node:crypto';
import { User, type PluginContext } from '@agora/core';
import type { MessagingSettings } from './settings';
import { postReply, startConversation } from './services/conversations';

/** The demo buyer shops' demo creates (plugins/shops/demo-orders.ts): their "Seller support tickets" get a thread. */
const DEMO_BUYER_EMAIL = 'buyer@demo.agora.local';
const key = () => crypto.randomBytes(18).toString('base64url');

/**
 * One conversation for the demo store, after shops' demo catalog and orders (priority 30): the demo buyer asks
 * the first demo shop about a product and the seller answers, so both sides' lists and counts have something.
 */
export async function seedDemoConversations(ctx: PluginContext, settings: () => MessagingSettings): Promise<void> {
  const buyer = await User.findOne({ where: { email: DEMO_BUYER_EMAIL } });
  const shops = ctx.service('shops');
  if (!buyer) return;
  // The demo runs on an empty store only, so its shops are the first ids; the first one with an owner is used.
  for (let shopId = 1; shopId <= 10; shopId++) {
    const shop = await shops.shopCard(shopId);
    const [owner] = shop ? await shops.shopMembers(shop.id) : [];
    const sellerUser = owner ? await User.findByPk(owner.userId) : null;
    if (!shop || !sellerUser) continue;
    const orders = await shops.buyerOrders(buyer.id, shop.id);
    const { conversation } = await startConversation(ctx, settings(), {
      kind: 'shop',
      shopId: shop.id,
      productId: null,
      orderId: orders[0]?.orderId ?? null,
      buyerId: buyer.id,
      starter: buyer,
      starterSide: 'buyer',
      subject: orders[0] ? `About order ${orders[0].number}` : 'A question before I order',
      body: 'Hello! Could you gift-wrap it and add a short card? It is a birthday present.',
      files: [],
      submissionKey: key(),
    });
    await postReply(ctx, conversation, { author: sellerUser, side: 'seller', body: 'Of course! Gift wrap and a card are free. What should the card say?', files: [], submissionKey: key() });
    ctx.log.info({ conversation: conversation.id }, 'demo conversation written');
    return;
  }
}
