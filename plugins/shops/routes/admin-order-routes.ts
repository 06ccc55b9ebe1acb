import { requireCapability, type PluginContext } from '@agora/core';
import { orderSearchQuery } from '../forms/order-search-form';
import { csvLink, filtersFrom, ordersCsv, searchOrders, sendCsv } from '../services/order-search';

const PER_PAGE = 50;
const CAP = 'shops.orders.manage_all';

/** The admin's order search across every shop (`/admin/orders`) and its CSV; each order opens on the seller side, which admins may run. */
export function adminOrderRoutes(ctx: PluginContext): void {
  const guard = [requireCapability(ctx.capabilities, CAP)];

  ctx.router.get('/admin/orders', ...guard, async (req, res) => {
    const found = await searchOrders(req.query, undefined, PER_PAGE, '/admin/orders');
    await res.renderPage('shops/admin/orders', {
      title: 'Orders',
      search: { ...found, action: '/admin/orders', csv: csvLink('/admin/orders.csv', found.applied), orderUrl: '/seller/orders/', manyShops: true },
    });
  });

  ctx.router.get('/admin/orders.csv', ...guard, async (req, res) => {
    const { filters } = filtersFrom(orderSearchQuery.parse(req.query), undefined);
    await sendCsv(res, `orders-all-shops-${new Date().toISOString().slice(0, 10)}.csv`, ordersCsv(filters));
  });
}
