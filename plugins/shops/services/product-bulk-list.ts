import { Op, fn, col, where as sqlWhere, type WhereOptions } from 'sequelize';
import { Product } from '../models/product';

export const LIST_PAGE_SIZES = [25, 50, 100] as const;

/** The seller's product list filters, from the query string; anything that makes no sense is left out. */
export interface ProductListFilters {
  q: string;
  status: '' | 'draft' | 'published';
  stock: '' | 'out' | 'low';
  per: number;
}

/** At most this many units counts as "low stock" in the list's filter. */
export const LOW_STOCK = 5;

export function listFiltersFrom(query: Record<string, unknown>): ProductListFilters {
  const str = (v: unknown) => (typeof v === 'string' ? v.trim().slice(0, 100) : '');
  const status = str(query.status);
  const stock = str(query.stock);
  const per = Number(str(query.per));
  return {
    q: str(query.q),
    status: status === 'draft' || status === 'published' ? status : '',
    stock: stock === 'out' || stock === 'low' ? stock : '',
    per: (LIST_PAGE_SIZES as readonly number[]).includes(per) ? per : LIST_PAGE_SIZES[0],
  };
}

/** The filters as the query string of the list's links (the pager, a form's way back), empty ones left out. */
export function listQuery(filters: ProductListFilters): Record<string, string> {
  const out: Record<string, string> = {};
  if (filters.q) out.q = filters.q;
  if (filters.status) out.status = filters.status;
  if (filters.stock) out.stock = filters.stock;
  if (filters.per !== LIST_PAGE_SIZES[0]) out.per = String(filters.per);
  return out;
}

/** One shop's products matching the filters: title or SKU (any case, both databases), status, stock. */
export function productListWhere(shopId: number, filters: ProductListFilters): WhereOptions<Product> {
  const and: WhereOptions<Product>[] = [{ shop_id: shopId }];
  if (filters.status) and.push({ status: filters.status });
  if (filters.stock === 'out') and.push({ stock: { [Op.lte]: 0 } });
  if (filters.stock === 'low') and.push({ stock: { [Op.lte]: LOW_STOCK } });
  if (filters.q) {
    const like = `%${filters.q.toLowerCase().replace(/[\\%_]/g, '')}%`;
    and.push({ [Op.or]: [sqlWhere(fn('lower', col('title')), { [Op.like]: like }), sqlWhere(fn('lower', col('sku')), { [Op.like]: like })] } as WhereOptions<Product>);
  }
  return { [Op.and]: and } as WhereOptions<Product>;
}
