import { formatMoney, type PluginContext } from '@agora/core';
import type {} from '../shops/hooks';
import { StripeAccount, StripeLedgerEntry, StripeTransfer } from './models';
import { accountEnabled } from './models/stripe-account';
import { balances, owed, paidOut, sellerEarnings, sum } from './services/ledger';
import type { StripeSettings } from './settings';

const TRANSFER_LABELS: Record<string, string> = { pending: 'on its way', sending: 'on its way', paid: 'transferred', manual: 'paid by hand', skipped: 'nothing to pay (refunded)' };

/** The seller's dashboard: connecting Stripe, the balance, and what each recent order earned. */
export function sellerSlots(ctx: PluginContext, settings: () => StripeSettings): void {
  ctx.slot('shops.seller.dashboard', async ({ shop, viewer }) => {
    const s = settings();
    const account = await StripeAccount.findOne({ where: { shop_id: shop.id } });
    const [balance] = await balances(shop.id);
    if (!s.connectPayouts && !balance) return undefined;
    const entries = await StripeLedgerEntry.findAll({ where: { shop_id: shop.id }, order: [['id', 'DESC']], limit: 400 });
    const orderIds = [...new Set(entries.map((e) => e.order_id).filter((id): id is number => id !== null))].slice(0, 20);
    // The recent orders' transfers, numbers and the shop's people: one query each, whatever the number of orders.
    const [transfers, numbers, members] = await Promise.all([
      orderIds.length ? StripeTransfer.findAll({ where: { order_id: orderIds } }) : Promise.resolve([]),
      ctx.service('shops').orderNumbers(orderIds),
      ctx.service('shops').shopMembers(shop.id),
    ]);
    const recent = orderIds.map((id) => {
      const mine = entries.filter((e) => e.order_id === id);
      const money = sum(mine);
      const transfer = transfers.find((t) => t.order_id === id);
      return { number: numbers.get(id) ?? String(id), currency: mine[0].currency, money, earnings: sellerEarnings(money), payout: transfer ? (TRANSFER_LABELS[transfer.status] ?? transfer.status) : '—' };
    });
    return {
      template: 'stripe/seller/dashboard',
      data: {
        connect: s.connectPayouts && !!s.secretKey,
        account,
        enabled: accountEnabled(account),
        isOwner: members.some((m) => m.userId === viewer?.id && m.role === 'owner'),
        shopId: shop.id,
        balance: balance ? { currency: balance.currency, earned: sellerEarnings(balance.money), paidOut: paidOut(balance.money), owed: owed(balance.money) } : null,
        recent,
        formatMoney,
      },
    };
  });

  // The plugin's few styles, on the pages that show its tables.
  ctx.slot('core.head', ({ template }) =>
    template.startsWith('stripe/') || template === 'shops/seller/dashboard' ? { html: '<link rel="stylesheet" href="/plugins/stripe/stripe.css">' } : undefined,
  );

  ctx.slot('shops.checkout.confirmation', ({ group }) =>
    group.gateway === 'stripe' && group.status === 'pending' ? { template: 'stripe/confirmation-note', data: {} } : undefined,
  );
}
