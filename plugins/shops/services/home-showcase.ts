import { Op } from 'sequelize';
import { readCache } from '@agora/core';
import { Category } from '../models/category';
import { Shop } from '../models/shop';
import { searchProducts, type CatalogCard } from './catalog-service';

/** How far back the home page looks for new products before mixing them by shop. */
const WINDOW = 48;
/** Below this many shops in the window, a few more shops are asked for their newest products. */
const MIN_SHOPS = 4;
const PER_EXTRA_SHOP = 2;

/**
 * The home page's products: new ones from several shops, not the last eight of the shop that listed most
 * recently. Products are dealt round by round, one per shop (the newest first within each round), so every
 * shop with something new gets a place before any shop gets a second one.
 */
export async function productsFromSeveralShops(limit: number): Promise<CatalogCard[]> {
  const newest = (await searchProducts({ sort: 'newest' }, { page: 1, perPage: WINDOW }, { count: false })).items;
  const byShop = new Map<number, CatalogCard[]>();
  for (const card of newest) byShop.set(card.shop_id, [...(byShop.get(card.shop_id) ?? []), card]);
  if (byShop.size < MIN_SHOPS) {
    // One busy shop filled the window: the other shops' newest products are looked up shop by shop (each an index walk).
    const others = await Shop.findAll({
      where: { id: { [Op.notIn]: [...byShop.keys(), 0] }, vacation_mode: false },
      order: [['created_at', 'DESC'], ['id', 'DESC']],
      limit: MIN_SHOPS * 2,
    });
    for (const shop of others) {
      const items = (await searchProducts({ shopId: shop.id, sort: 'newest' }, { page: 1, perPage: PER_EXTRA_SHOP }, { count: false })).items;
      if (items.length) byShop.set(shop.id, items);
    }
  }
  return dealByShop([...byShop.values()], limit);
}

/** Round-robin over the shops' lists (each newest first); within a round the newest product comes first. */
export function dealByShop(lists: CatalogCard[][], limit: number): CatalogCard[] {
  const out: CatalogCard[] = [];
  for (let round = 0; out.length < limit; round++) {
    const dealt = lists.map((l) => l[round]).filter((c): c is CatalogCard => c !== undefined);
    if (!dealt.length) break;
    dealt.sort((a, b) => b.published_at.getTime() - a.published_at.getTime() || b.id - a.id);
    out.push(...dealt.slice(0, limit - out.length));
  }
  return out;
}

/** Read by every page (the header); any write to a category drops it, on every instance. Read-only. */
const topCategoriesCache = readCache('shops.top-categories', [Category], () =>
  Category.findAll({ where: { parent_id: null }, order: [['position', 'ASC'], ['name', 'ASC']], limit: 12 }),
);

/** The top-level categories, in the admin's order: the header's category links and the home page's tiles. */
export function topCategories(): Promise<Category[]> {
  return topCategoriesCache.get();
}
