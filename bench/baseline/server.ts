/**
 * The baseline: a bare Express + EJS app that runs the same SQL as Agora's catalog, product and shop
 * pages (through the raw driver) and renders the same templates into the same layout — with none of
 * Agora's machinery (no plugins, hooks, slots, sessions, CSRF, helmet, theme resolution, logging).
 * Prints "ready <port>" when listening.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import ejs from 'ejs';
import { rootDir } from '../../core/config';
import { formatMoney } from '../../core/http/money';
import { buildCatalogQuery, type CatalogCard, type CatalogResult } from '../../plugins/shops/services/catalog-service';
import { pagerFor } from '../../plugins/shops/routes/catalog-routes';
import { paragraphs, escapeHtml } from '../../plugins/shops/services/text';
import { benchConfig } from '../bench-config';
import { openDb } from './sql';

const config = benchConfig();
const db = await openDb(config.databaseUrl);
const PER_PAGE = 24;

const viewDirs: Record<string, string> = {
  core: path.join(rootDir, 'views', 'core'),
  shops: path.join(rootDir, 'plugins', 'shops', 'views'),
};
const fileOf = (name: string) => {
  const i = name.indexOf('/');
  return path.join(viewDirs[name.slice(0, i)], `${name.slice(i + 1)}.ejs`);
};
const compiled = new Map<string, ejs.TemplateFunction>();
function render(name: string, locals: Record<string, unknown>): string {
  let fn = compiled.get(name);
  if (!fn) {
    const file = fileOf(name);
    fn = ejs.compile(fs.readFileSync(file, 'utf8'), { filename: file, cache: true, includer: (n: string) => ({ filename: fileOf(n) }) });
    compiled.set(name, fn);
  }
  return fn(locals);
}

const css = '/themes/storefront/site.css';
const cssHash = crypto.createHash('sha256').update(fs.readFileSync(path.join(rootDir, 'themes', 'storefront', 'public', 'site.css'))).digest('hex').slice(0, 12);
function page(res: express.Response, template: string, locals: Record<string, unknown>): void {
  const common = {
    siteName: 'Agora',
    user: undefined,
    currentPath: '',
    query: {},
    money: formatMoney,
    asset: (url: string) => (url === css ? `${css}?v=${cssHash}` : url),
    csrfToken: () => crypto.randomBytes(32).toString('hex'),
    userCan: () => false,
    slot: () => '',
    flash: [],
    scripts: [],
    themeStyles: [css],
    nonce: crypto.randomBytes(16).toString('base64'),
    navItems: [
      { label: 'Products', href: '/products' },
      { label: 'Shops', href: '/shops' },
      { label: 'Cart (0)', href: '/cart' },
    ],
    errors: {},
    values: {},
    template,
  };
  const body = render(template, { ...common, ...locals });
  res.type('html').send(render('core/layout', { ...common, ...locals, body }));
}

interface CategoryRow { id: number; name: string; slug: string; parent_id: number | null }
const dates = <T extends Record<string, unknown>>(row: T, keys: string[]): T => {
  for (const k of keys) if (row[k] !== null && !(row[k] instanceof Date)) (row as Record<string, unknown>)[k] = new Date(String(row[k]));
  return row;
};

async function catalog(filters: { shopId?: number; categoryIds?: number[]; sort?: 'newest' }, pageNo: number): Promise<CatalogResult> {
  const built = buildCatalogQuery(db.dialect, filters, { page: pageNo, perPage: PER_PAGE });
  // One after the other, as Agora's catalog service does.
  const rows = await db.all<CatalogCard>(built.sql, built.replacements);
  const [{ n }] = await db.all<{ n: number }>(built.countSql, built.replacements);
  const counted = Number(n);
  const exact = counted < built.countLimit;
  const total = exact ? counted : built.countLimit - 1;
  return {
    items: rows.map((r) => ({ ...dates(r as unknown as Record<string, unknown>, ['published_at']), vacation_mode: Boolean(r.vacation_mode) }) as CatalogCard),
    total,
    exact,
    page: pageNo,
    perPage: PER_PAGE,
    pages: exact ? Math.max(1, Math.ceil(total / PER_PAGE)) : undefined,
    hasNext: exact ? (pageNo - 1) * PER_PAGE + PER_PAGE < total : rows.length === PER_PAGE,
    sort: built.sort,
  };
}

const app = express();
app.get('/products', async (req, res) => {
  const pageNo = Math.max(1, Number(req.query.page) || 1);
  const categories = (await db.all<CategoryRow>('SELECT id, name, slug, parent_id FROM categories ORDER BY position ASC, name ASC')).map((c) => ({ ...c, depth: 0, ids: [c.id] }));
  const category = typeof req.query.category === 'string' ? categories.find((c) => c.slug === req.query.category) : undefined;
  const result = await catalog({ categoryIds: category?.ids }, pageNo);
  const values = { q: '', category: category?.slug ?? '', min: '', max: '', sort: result.sort };
  page(res, 'shops/catalog', { title: category ? category.name : 'Products', result, categories, category, values, pager: pagerFor('/products', values, result) });
});

app.get('/products/:slug', async (req, res) => {
  const [product] = await db.all<Record<string, unknown> & { id: number; shop_id: number; category_id: number | null; description: string; stock: number | null }>(
    'SELECT * FROM products WHERE slug = :slug LIMIT 1',
    { slug: req.params.slug },
  );
  if (!product) return void res.status(404).send('not found');
  const [[shop], images, tags, category, shipping] = await Promise.all([
    db.all<Record<string, unknown> & { currency: string; policy_shipping: string; policy_returns: string; vacation_mode: boolean }>('SELECT * FROM shops WHERE id = :id', { id: product.shop_id }),
    db.all('SELECT * FROM product_images WHERE product_id = :id ORDER BY position ASC, id ASC', { id: product.id }),
    db.all<{ tag: string }>('SELECT * FROM product_tags WHERE product_id = :id ORDER BY tag ASC', { id: product.id }),
    product.category_id === null ? Promise.resolve([]) : db.all('SELECT * FROM categories WHERE id = :id', { id: product.category_id }),
    db.all<{ name: string; price: number; free_over: number | null; countries: string }>('SELECT * FROM shipping_methods WHERE shop_id = :id ORDER BY position ASC, id ASC', { id: product.shop_id }),
  ]);
  shop.vacation_mode = Boolean(shop.vacation_mode);
  const shippingHtml =
    `<ul class="shipping-list">${shipping
      .map((m) => {
        const where = m.countries ? m.countries.split(',').join(', ') : 'everywhere';
        const free = m.free_over !== null ? `, free over ${escapeHtml(formatMoney(m.free_over, shop.currency))}` : '';
        return `<li><strong>${escapeHtml(m.name)}</strong>: ${escapeHtml(formatMoney(m.price, shop.currency))}${free} <span class="muted">(ships to ${escapeHtml(where)})</span></li>`;
      })
      .join('')}</ul>` + `\n${[shop.policy_shipping, shop.policy_returns].map(paragraphs).filter(Boolean).join('\n')}`;
  page(res, 'shops/product', {
    title: product.title,
    product,
    shop,
    images,
    tags: tags.map((t) => t.tag),
    category: category[0] ?? null,
    tabs: [
      { id: 'description', title: 'Description', html: paragraphs(product.description) || '<p class="muted">No description yet.</p>', order: 10 },
      { id: 'shipping', title: 'Shipping & returns', html: shippingHtml, order: 20 },
    ],
    preview: false,
    purchasable: !shop.vacation_mode && (product.stock === null || product.stock > 0),
    maxQuantity: Math.max(1, Math.min(product.stock ?? Infinity, 99)),
  });
});

app.get('/shops/:slug', async (req, res) => {
  const [shop] = await db.all<Record<string, unknown> & { id: number; slug: string; policy_terms: string; policy_returns: string; policy_shipping: string }>(
    'SELECT * FROM shops WHERE slug = :slug LIMIT 1',
    { slug: req.params.slug },
  );
  if (!shop) return void res.status(404).send('not found');
  dates(shop, ['created_at']);
  shop.vacation_mode = Boolean(shop.vacation_mode);
  const pageNo = Math.max(1, Number(req.query.page) || 1);
  const [result, shipping] = await Promise.all([
    catalog({ shopId: shop.id, sort: 'newest' }, pageNo),
    db.all('SELECT * FROM shipping_methods WHERE shop_id = :id ORDER BY position ASC, id ASC', { id: shop.id }),
  ]);
  page(res, 'shops/shop', {
    title: shop.name,
    shop,
    result,
    shipping,
    sort: 'newest',
    policies: [
      { id: 'terms', title: 'Terms', html: paragraphs(shop.policy_terms) },
      { id: 'returns', title: 'Returns', html: paragraphs(shop.policy_returns) },
      { id: 'shipping', title: 'Shipping', html: paragraphs(shop.policy_shipping) },
    ].filter((p) => p.html),
    pager: pagerFor(`/shops/${shop.slug}`, { sort: '' }, result),
  });
});

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`ready ${(server.address() as AddressInfo).port}`));
