import type { Request, Response } from 'express';
import { formatMoney, type FieldErrors, type PluginContext } from '@agora/core';
import type { Product } from '../models/product';
import type { Shop } from '../models/shop';
import type { ShippingMethod } from '../models/shipping-method';
import type { ProductPageContext, ProductTab } from '../hooks';
import type { ShopsSettings } from '../settings';
import { countryName } from '../services/countries';
import { productPageRows } from '../services/product-page-reads';
import { paragraphs, escapeHtml } from '../services/text';
import { variantChoicesOf, variantJsonLd } from '../services/variant-choices';

export interface ProductPageForm {
  /** The add-to-cart form's messages (`quantity`, `form`), shown beside it. */
  errors?: FieldErrors;
  /** The quantity the buyer typed, kept in the field. */
  quantity?: string;
  /** The option (variant id) the buyer chose, kept chosen. */
  variantId?: string;
  status?: number;
}

/**
 * The product page: by its address, and again, with the message beside the quantity, when adding it to
 * the cart was refused (422), so the buyer stays where they were.
 */
export async function renderProductPage(ctx: PluginContext, req: Request, res: Response, product: Product, form: ProductPageForm = {}): Promise<void> {
  const preview = product.status !== 'published';
  const { shop, images, tags, category, shipping } = await productPageRows(product);
  const baseTabs: ProductTab[] = [
    { id: 'description', title: 'Description', html: paragraphs(product.description) || '<p class="muted">No description yet.</p>', order: 10 },
    { id: 'shipping', title: 'Shipping & returns', html: shippingTabHtml(shop, shipping), order: 20 },
  ];
  const page: ProductPageContext = { product, shop, viewer: req.user, query: req.query };
  const tabs = (await ctx.hooks.apply('shops.product.tabs', baseTabs, product, page)).slice().sort((a, b) => (a.order ?? 50) - (b.order ?? 50));
  const settings = ctx.settings.get<ShopsSettings>();
  // A product with variants offers its enabled ones; one that is sold out is shown as such and cannot be chosen.
  const variants = product.variant_count > 0 ? await variantChoicesOf(product, images) : [];
  const wanted = form.variantId ?? (typeof req.query.variant === 'string' ? req.query.variant : undefined);
  const chosenVariant = variants.find((v) => String(v.id) === wanted && !v.soldOut);
  const purchasable = !preview && !shop.vacation_mode && (variants.length ? variants.some((v) => !v.soldOut) : product.inStock());
  await res.renderPage(
    'shops/product',
    {
      title: product.title,
      product,
      shop,
      images,
      tags: tags.map((t) => t.tag),
      category,
      tabs,
      preview,
      purchasable,
      maxQuantity: Math.max(1, Math.min(product.stock ?? Infinity, settings.maxQuantityPerItem ?? 99)),
      cartErrors: form.errors ?? {},
      quantity: form.quantity ?? '1',
      variants,
      chosenVariant,
      variantJsonLd: variants.length ? variantJsonLd(ctx.config.baseUrl, product, shop, variants) : '',
    },
    form.status ?? 200,
  );
}

function shippingTabHtml(shop: Shop, methods: ShippingMethod[]): string {
  const money = formatMoney;
  const rows = methods.map((m) => {
    const where = m.countryList().length ? `ships to ${m.countryList().map(countryName).join(', ')}` : 'ships worldwide';
    // One wording for a method that costs nothing, here as in the cart and the checkout.
    const price = m.price === 0 ? 'free' : money(m.price, shop.currency);
    const free = m.free_over !== null && m.price > 0 ? `, free over ${escapeHtml(money(m.free_over, shop.currency))}` : '';
    return `<li><strong>${escapeHtml(m.name)}</strong>: ${escapeHtml(price)}${free} <span class="muted">(${escapeHtml(where)})</span></li>`;
  });
  const list = rows.length ? `<ul class="shipping-list">${rows.join('')}</ul>` : '<p class="muted">This shop has not set up shipping yet.</p>';
  const policy = [shop.policy_shipping, shop.policy_returns].map(paragraphs).filter(Boolean).join('\n');
  return list + (policy ? `\n${policy}` : '');
}
