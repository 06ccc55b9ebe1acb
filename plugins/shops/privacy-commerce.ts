import { Op } from 'sequelize';
import type { PluginContext, Person } from '@agora/core';
import { CouponRedemption } from './models/coupon-redemption';
import { Invoice } from './models/invoice';
import { Order } from './models/order';
import type { ShopsSettings } from './settings';
import { ERASED_EMAIL } from './privacy-orders';

const PAGE = 100;

async function orderIdsOf(person: Person): Promise<number[]> {
  const email = person.email.toLowerCase();
  const who = person.userId ? { [Op.or]: [{ buyer_id: person.userId }, { email }] } : { email };
  return (await Order.findAll({ where: who, attributes: ['id'] })).map((o) => o.id);
}

/**
 * Coupon uses and invoices (issue 17). A person's invoices and credit notes are financial records: kept as
 * issued for the tax retention period (their data is a snapshot, never rewritten). A coupon use keeps its
 * amount (the order's record) and loses the email it was counted by.
 */
export function registerCommercePrivacy(ctx: PluginContext): void {
  const years = () => ctx.settings.get<ShopsSettings>().taxRetentionYears;
  const whereRedemptions = (person: Person) => {
    const email = person.email.toLowerCase();
    return person.userId ? { [Op.or]: [{ buyer_id: person.userId }, { email }] } : { email };
  };

  ctx.privacy.exporter({
    name: 'invoices',
    covers: { Invoice: ['data'], CouponRedemption: ['email'] },
    async exportPage(person, page) {
      const ids = await orderIdsOf(person);
      const invoices = ids.length ? await Invoice.findAll({ where: { order_id: ids }, order: [['id', 'ASC']], limit: PAGE, offset: (page - 1) * PAGE }) : [];
      const uses = page === 1 ? await CouponRedemption.findAll({ where: whereRedemptions(person), order: [['id', 'ASC']], limit: 1000 }) : [];
      return {
        items: [
          ...invoices.map((i) => ({ group: i.kind === 'invoice' ? 'Invoices' : 'Credit notes', id: i.id, data: { number: i.number, issued_at: i.issued_at, total: i.total, currency: i.currency, document: JSON.parse(i.data) as unknown } })),
          ...uses.map((u) => ({ group: 'Coupons used', id: u.id, data: { coupon_id: u.coupon_id, order_id: u.order_id, amount: u.amount, email: u.email, status: u.status, created_at: u.created_at } })),
        ],
        done: invoices.length < PAGE,
      };
    },
  });

  ctx.privacy.eraser({
    name: 'invoices',
    covers: { Invoice: ['data'], CouponRedemption: ['email'] },
    async erasePage(person) {
      const [n] = await CouponRedemption.update({ email: ERASED_EMAIL, buyer_id: null }, { where: whereRedemptions(person) });
      const ids = await orderIdsOf(person);
      const invoices = ids.length ? await Invoice.findAll({ where: { order_id: ids } }) : [];
      // The one change an issued document gets: the buyer reduced to what the law needs, as on the kept order
      // (name, postcode and town, country); the email and street go. Amounts, lines and numbers stay.
      for (const invoice of invoices) {
        const data = JSON.parse(invoice.data) as { buyer?: { name: string; address: string[]; email: string } };
        if (!data.buyer || data.buyer.email === ERASED_EMAIL) continue;
        data.buyer = { name: data.buyer.name, address: data.buyer.address.slice(-2), email: ERASED_EMAIL };
        await invoice.update({ data: JSON.stringify(data) });
      }
      const kept = invoices.length;
      return {
        removed: [],
        anonymized: n ? [`${n} coupon ${n === 1 ? 'use' : 'uses'}: email and account link removed, amount kept with the order`] : [],
        retained: kept
          ? [
              {
                what: `${kept} ${kept === 1 ? 'invoice or credit note' : 'invoices and credit notes'} (billing name, postcode, town and country; amounts and lines)`,
                reason: `financial records the seller must keep for ${years()} years after issue (tax law); only the email and street are taken out`,
                covers: { Invoice: ['data'] },
              },
            ]
          : [],
        done: true,
      };
    },
  });
}
