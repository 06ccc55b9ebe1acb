import { User, type PluginContext, type Person } from '@agora/core';
import type { Sequelize } from 'sequelize';
import { Product } from './models/product';
import { Shop } from './models/shop';
import { ShopMember } from './models/shop-member';

const PAGE = 100;

async function userIdOf(sequelize: Sequelize, person: Person): Promise<number | undefined> {
  if (person.userId) return person.userId;
  return (await User.findOne({ where: { email: person.email }, attributes: ['id'] }))?.id;
}

/**
 * The shops a person runs. A shop is a business, not a person, so erasure does not delete it (its orders
 * must stay, and buyers' order pages link to it); it cuts the person out of it instead: the owner link
 * and memberships go, the location (often a home town) is blanked, and the shop is closed: put on
 * vacation with every product back to draft, so nothing can be bought from a shop nobody runs.
 */
export function registerShopPrivacy(ctx: PluginContext): void {
  ctx.privacy.exporter({
    name: 'shops',
    covers: { Shop: ['location'] },
    async exportPage(person, page) {
      const userId = await userIdOf(ctx.sequelize, person);
      if (!userId) return { items: [], done: true };
      const memberships = await ShopMember.findAll({ where: { user_id: userId }, order: [['shop_id', 'ASC']], limit: PAGE, offset: (page - 1) * PAGE });
      const shops = await Shop.findAll({ where: { id: memberships.map((m) => m.shop_id) } });
      const byId = new Map(shops.map((s) => [s.id, s]));
      return {
        items: memberships.flatMap((m) => {
          const s = byId.get(m.shop_id);
          if (!s) return [];
          return [{ group: 'Shops you run', id: s.id, data: { name: s.name, slug: s.slug, location: s.location, legal_name: s.legal_name, legal_address: s.legal_address, role: m.role, currency: s.currency, created_at: s.created_at } }];
        }),
        done: memberships.length < PAGE,
      };
    },
  });

  ctx.privacy.eraser({
    name: 'shops',
    covers: { Shop: ['location'] },
    async erasePage(person) {
      const userId = await userIdOf(ctx.sequelize, person);
      if (!userId) return { removed: [], anonymized: [], retained: [], done: true };
      const anonymized: string[] = [];
      const removed: string[] = [];
      await ctx.sequelize.transaction(async (transaction) => {
        const owned = await Shop.findAll({ where: { owner_id: userId }, transaction });
        for (const shop of owned) {
          const [unpublished] = await Product.update({ status: 'draft' }, { where: { shop_id: shop.id, status: 'published' }, transaction });
          await shop.update(
            {
              owner_id: null,
              location: '',
              // Issued invoices keep the details they were issued with (privacy-commerce.ts).
              legal_name: '',
              legal_address: '',
              vacation_mode: true,
              vacation_message: 'This shop is closed.',
              product_count: 0,
            },
            { transaction },
          );
          anonymized.push(`shop "${shop.name}": owner link removed, location blanked, shop closed and ${unpublished} ${unpublished === 1 ? 'product' : 'products'} unpublished`);
        }
        const memberships = await ShopMember.destroy({ where: { user_id: userId }, transaction });
        const staffOnly = memberships - owned.length;
        // Shops owned by someone else, where this person was staff, keep running without them.
        if (staffOnly > 0) removed.push(`membership of ${staffOnly} ${staffOnly === 1 ? 'shop' : 'shops'} run by others`);
      });
      return {
        removed,
        anonymized,
        retained: anonymized.length
          ? [
              {
                what: 'the shops\' names, descriptions, policies, images and products (as unpublished drafts)',
                reason: 'business information of the shop, not about the person; the shop\'s orders are kept for tax and refer to it',
              },
            ]
          : [],
        done: true,
      };
    },
  });
}
