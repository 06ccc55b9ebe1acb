import { Shop } from '../models/shop';

export interface PayoutAccount {
  account: string | null;
  enabled: boolean;
}

/**
 * A shop's payout account at a marketplace provider: the provider's plugin links it when the seller
 * finishes onboarding, and `payout_account_updated` webhooks keep `enabled` current. Requests to pay carry
 * it per order (`PaymentOrder.payoutAccount`).
 */
export async function setPayoutAccount(shopId: number, account: string | null, enabled = false): Promise<boolean> {
  const [n] = await Shop.update({ payout_account: account, payout_enabled: account ? enabled : false }, { where: { id: shopId } });
  return n === 1;
}

export async function payoutAccountOf(shopId: number): Promise<PayoutAccount | null> {
  const shop = await Shop.findByPk(shopId, { attributes: ['id', 'payout_account', 'payout_enabled'] });
  return shop ? { account: shop.payout_account ?? null, enabled: shop.payout_enabled ?? false } : null;
}
