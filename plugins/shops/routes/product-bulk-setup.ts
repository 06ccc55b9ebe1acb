import type { PluginContext } from '@agora/core';
import { ProductBulkEdit } from '../models/product-bulk-edit';
import { ProductImport, ProductImportRow } from '../models/product-import';
import { productBulkRoutes } from './product-bulk-routes';
import { productImportRoutes } from './product-import-routes';

/**
 * Working in bulk (issue 17): the bulk edit of the product list and the CSV import. Registered before the
 * seller's product routes, so `/seller/products/bulk` is not read as a product id.
 */
export function setupProductBulk(ctx: PluginContext): void {
  for (const model of [ProductBulkEdit, ProductImport, ProductImportRow]) model.initModel(ctx.sequelize);
  productBulkRoutes(ctx);
  productImportRoutes(ctx);
}
