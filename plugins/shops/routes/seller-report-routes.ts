import type { PluginContext } from '@agora/core';
import { SHOP_CURRENCIES } from '../forms/shop-form';
import type { ShopsSettings } from '../settings';
import { requireSellerShop } from '../services/shop-access';
import { sendCsv } from '../services/order-search';
import { salesReportCsv } from '../services/sales-report-csv';
import { reportPage, reportZone } from '../services/sales-report-view';

/**
 * The seller's sales report (`/seller/reports`): the admin's report of their own shop only. The shop comes from
 * the membership (`requireSellerShop`), never from the query string: a `shop=` parameter is ignored.
 */
export function sellerReportRoutes(ctx: PluginContext): void {
  const seller = requireSellerShop(ctx.capabilities.can);
  const zone = () => reportZone(ctx.settings.get<ShopsSettings>());

  ctx.router.get('/seller/reports', ...seller, async (req, res) => {
    const shop = req.sellerShop!;
    const page = await reportPage(req.query, { zone: zone(), shopIds: [shop.id], shopFilter: false, csvPath: '/seller/reports.csv' });
    await res.renderPage('shops/seller/reports', { title: 'Sales report', shop, page, currencies: SHOP_CURRENCIES, action: '/seller/reports', manyShops: false, errors: page.parsed.errors }, page.status);
  });

  ctx.router.get('/seller/reports.csv', ...seller, async (req, res) => {
    const shop = req.sellerShop!;
    const page = await reportPage(req.query, { zone: zone(), shopIds: [shop.id], shopFilter: false, csvPath: '' });
    const { from, to } = page.parsed.filters;
    await sendCsv(res, `sales-report-${shop.slug}-${from}-to-${to}.csv`, salesReportCsv(page.report));
  });
}
