import { UniqueConstraintError, type Transaction } from 'sequelize';
import type { Hooks } from '@agora/core';
import { Shop } from '../models/shop';
import { ShopMember } from '../models/shop-member';
import { ShippingMethod } from '../models/shipping-method';
import type { OpenShopInput, ShippingInput, ShopSettingsInput } from '../forms/shop-form';
import { FormProblem } from './form-problem';
import { removeUploads, StoredFiles, type ProcessedImage } from './images';

type HookRunner = Pick<Hooks, 'do'>;

export interface ShopImages {
  logo?: ProcessedImage;
  banner?: ProcessedImage;
}

const SLUG_TAKEN = 'That address is taken; choose another';

async function storeShopImages(shop: Shop, images: ShopImages, files: StoredFiles, transaction: Transaction): Promise<string[]> {
  const replaced: string[] = [];
  const changes: Partial<Pick<Shop, 'logo_path' | 'banner_path'>> = {};
  if (images.logo) {
    const [paths] = await files.store(`shops/${shop.id}`, [images.logo]);
    if (shop.logo_path) replaced.push(shop.logo_path);
    changes.logo_path = paths[''];
  }
  if (images.banner) {
    const [paths] = await files.store(`shops/${shop.id}`, [images.banner]);
    if (shop.banner_path) replaced.push(shop.banner_path);
    changes.banner_path = paths[''];
  }
  if (Object.keys(changes).length) await shop.update(changes, { transaction });
  return replaced;
}

async function saveShippingMethods(shopId: number, rows: ShippingInput[], transaction: Transaction): Promise<void> {
  const existing = await ShippingMethod.findAll({ where: { shop_id: shopId }, transaction });
  const byId = new Map(existing.map((m) => [m.id, m]));
  const kept = new Set<number>();
  for (const [position, row] of rows.entries()) {
    const fields = { name: row.name, price: row.price, free_over: row.free_over, countries: row.countries, position };
    // An id that is not one of this shop's methods (edited by hand) is treated as a new method, never as someone else's.
    const current = row.id !== null ? byId.get(row.id) : undefined;
    if (current) {
      kept.add(current.id);
      await current.update(fields, { transaction });
    } else {
      await ShippingMethod.create({ shop_id: shopId, ...fields }, { transaction });
    }
  }
  const gone = existing.filter((m) => !kept.has(m.id)).map((m) => m.id);
  if (gone.length) await ShippingMethod.destroy({ where: { id: gone, shop_id: shopId }, transaction });
}

/** Opening a shop and changing its settings; each is one transaction, hooks fire after the commit. */
export class ShopService {
  constructor(
    private readonly uploadsDir: string,
    private readonly hooks: HookRunner,
  ) {}

  async open(ownerId: number, input: OpenShopInput, images: ShopImages): Promise<Shop> {
    const files = new StoredFiles(this.uploadsDir);
    let shop: Shop;
    try {
      shop = await Shop.sequelize!.transaction(async (transaction) => {
        if (await Shop.findOne({ where: { slug: input.slug }, attributes: ['id'], transaction })) throw new FormProblem({ slug: SLUG_TAKEN });
        const created = await Shop.create(
          {
            owner_id: ownerId,
            name: input.name,
            slug: input.slug,
            description: input.description,
            location: input.location,
            currency: input.currency,
            policy_terms: input.policy_terms,
            policy_returns: input.policy_returns,
            policy_shipping: input.policy_shipping,
            legal_name: input.legal_name,
            legal_address: input.legal_address,
            vat_number: input.vat_number,
          },
          { transaction },
        );
        await ShopMember.create({ shop_id: created.id, user_id: ownerId, role: 'owner' }, { transaction });
        await saveShippingMethods(created.id, input.shipping, transaction);
        await storeShopImages(created, images, files, transaction);
        return created;
      });
    } catch (error) {
      await files.removeAll();
      if (error instanceof UniqueConstraintError) throw new FormProblem({ slug: SLUG_TAKEN });
      throw error;
    }
    await this.hooks.do('shops.shop.opened', shop, ownerId);
    return shop;
  }

  async update(shopId: number, input: ShopSettingsInput, images: ShopImages): Promise<Shop> {
    const files = new StoredFiles(this.uploadsDir);
    let replaced: string[] = [];
    let shop: Shop;
    try {
      shop = await Shop.sequelize!.transaction(async (transaction) => {
        const current = await Shop.findByPk(shopId, { transaction, lock: transaction.LOCK.UPDATE, rejectOnEmpty: true });
        await current.update(
          {
            name: input.name,
            description: input.description,
            location: input.location,
            policy_terms: input.policy_terms,
            policy_returns: input.policy_returns,
            policy_shipping: input.policy_shipping,
            legal_name: input.legal_name,
            legal_address: input.legal_address,
            vat_number: input.vat_number,
            vacation_mode: input.vacation_mode,
            vacation_message: input.vacation_message,
          },
          { transaction },
        );
        await saveShippingMethods(current.id, input.shipping, transaction);
        replaced = await storeShopImages(current, images, files, transaction);
        return current;
      });
    } catch (error) {
      await files.removeAll();
      throw error;
    }
    await removeUploads(this.uploadsDir, replaced);
    await this.hooks.do('shops.shop.updated', shop);
    return shop;
  }
}
