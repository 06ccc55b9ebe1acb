import { requireCapability, type PluginContext } from '@agora/core';
import { Shop } from '../models/shop';
import { SHOP_CURRENCIES } from '../forms/shop-form';
import type { ShopsSettings } from '../settings';
import { sendCsv } from '../services/order-search';
import { salesReportCsv } from '../services/sales-report-csv';
import { reportPage, reportZone } from '../services/sales-report-view';

export const REPORTS_CAPABILITY = 'shops.reports.view_all';

/** The admin's sales report across every shop (`/admin/reports/sales`), per shop and month, and its CSV. */
export function adminReportRoutes(ctx: PluginContext): void {
  ctx.capabilities.register(REPORTS_CAPABILITY, 'See the sales report of every shop', ['admin']);
  ctx.admin.menu({ id: 'shops-reports', label: 'Sales report', href: '/admin/reports/sales', capability: REPORTS_CAPABILITY, order: 31 });
  const guard = [requireCapability(ctx.capabilities, REPORTS_CAPABILITY)];
  const zone = () => reportZone(ctx.settings.get<ShopsSettings>());

  ctx.router.get('/admin/reports/sales', ...guard, async (req, res) => {
    const page = await reportPage(req.query, { zone: zone(), shopFilter: true, csvPath: '/admin/reports/sales.csv' });
    const shops = await Shop.findAll({ attributes: ['id', 'name'], order: [['name', 'ASC'], ['id', 'ASC']], limit: 5000 });
    await res.renderPage(
      'shops/admin/reports-sales',
      { title: 'Sales report', page, shops: shops.map((s) => ({ value: String(s.id), label: s.name })), currencies: SHOP_CURRENCIES, action: '/admin/reports/sales', manyShops: true, errors: page.parsed.errors },
      page.status,
    );
  });

  ctx.router.get('/admin/reports/sales.csv', ...guard, async (req, res) => {
    const page = await reportPage(req.query, { zone: zone(), shopFilter: true, csvPath: '' });
    const { from, to } = page.parsed.filters;
    await sendCsv(res, `sales-report-${from}-to-${to}.csv`, salesReportCsv(page.report));
  });
}
