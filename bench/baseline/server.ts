/**
 * The baseline: a bare Express + EJS app that runs the same SQL as Agora's pages with every bundled plugin
 * active (through the raw driver, one query at a time where Agora awaits one at a time) and renders the same
 * HTML from the same templates — Agora's layout, pages and the plugins' partials (review stars, favourites,
 * follow buttons, cookie banner, newsletter signup) — with plain data and none of Agora's machinery (no
 * plugins, hooks, slots, sessions, helmet, theme resolution, logging). bench/run.ts checks that the sizes agree
 * within 1 %. Prints "ready <port>" when listening.
 */
import type { AddressInfo } from 'node:net';
import crypto from 'node:crypto';
import express from 'express';
import { formatMoney } from '../../core/http/money';
import { buildCatalogQuery, type CatalogCard, type CatalogResult } from '../../plugins/shops/services/catalog-service';
import { dealByShop } from '../../plugins/shops/services/home-showcase';
import { pagerFor } from '../../plugins/shops/routes/catalog-routes';
import { paragraphs, escapeHtml } from '../../plugins/shops/services/text';
import { productJsonLd } from '../../plugins/reviews/services/json-ld';
import { formatAverage, type RatingSummary } from '../../plugins/reviews/services/ratings';
import { SORTS, type ShownReview } from '../../plugins/reviews/services/display';
import { benchConfig } from '../bench-config';
import { layoutSlots, loadChrome } from './chrome';
import { openDb } from './sql';
import { asset, csrfToken, render } from './views';

const config = benchConfig();
const db = await openDb(config.databaseUrl);
const chrome = await loadChrome(db);
const PER_PAGE = 24;
const REVIEWS_PER_PAGE = 10;
const CSRF_COOKIE = 'agora.csrf';

interface Page {
  template: string;
  title: string;
  locals: Record<string, unknown>;
  /** The page's own slots (the layout's are added). */
  slots?: Record<string, string>;
}

function send(req: express.Request, res: express.Response, page: Page): void {
  // One token per response, as Agora's csrfToken() local; its cookie goes with the page.
  let token: string | undefined;
  const csrf = () => (token ??= csrfToken());
  const nonce = crypto.randomBytes(16).toString('base64');
  const slots = { ...layoutSlots(chrome, page.template, req.path, req.query as Record<string, unknown>, csrf), ...page.slots };
  const locals = {
    siteName: 'Agora',
    store: { tagline: 'Handmade and small-batch goods from independent shops.' },
    user: undefined,
    currentPath: req.path,
    query: req.query,
    money: formatMoney,
    asset,
    csrfToken: csrf,
    userCan: () => false,
    slot: (name: string) => slots[name] ?? '',
    flash: [],
    scripts: page.template === 'shops/product' ? [{ src: '/plugins/shops/variant-picker.js' }, { src: '/plugins/gdpr/consent.js' }] : [{ src: '/plugins/gdpr/consent.js' }],
    themeStyles: ['/themes/storefront/site.css'],
    nonce,
    navItems: [
      { label: 'Products', href: '/products' },
      { label: 'Shops', href: '/shops' },
    ],
    errors: {},
    values: {},
    template: page.template,
    title: page.title,
    ...page.locals,
  };
  const body = render(page.template, locals);
  const html = render('core/layout', { ...locals, body });
  if (token) res.cookie(CSRF_COOKIE, token, { sameSite: 'lax', httpOnly: true, path: '/' });
  res.type('html').send(html);
}

const dates = <T extends Record<string, unknown>>(row: T, keys: string[]): T => {
  for (const k of keys) if (row[k] !== null && row[k] !== undefined && !(row[k] instanceof Date)) (row as Record<string, unknown>)[k] = new Date(String(row[k]));
  return row;
};

async function catalog(filters: { shopId?: number; categoryIds?: number[]; sort?: 'newest' }, pageNo: number, perPage = PER_PAGE, count = true): Promise<CatalogResult> {
  const built = buildCatalogQuery(db.dialect, filters, { page: pageNo, perPage });
  // One after the other, as Agora's catalog service does.
  const rows = await db.all<CatalogCard>(built.sql, built.replacements);
  const counted = count ? Number((await db.all<{ n: number }>(built.countSql, built.replacements))[0].n) : rows.length;
  const exact = counted < built.countLimit;
  const total = exact ? counted : built.countLimit - 1;
  return {
    items: rows.map((r) => ({ ...dates(r as unknown as Record<string, unknown>, ['published_at']), vacation_mode: Boolean(r.vacation_mode) }) as CatalogCard),
    total,
    exact,
    page: pageNo,
    perPage,
    pages: exact ? Math.max(1, Math.ceil(total / perPage)) : undefined,
    hasNext: exact ? (pageNo - 1) * perPage + perPage < total : rows.length === perPage,
    sort: built.sort,
  };
}

/** follows' heart on each card, for a guest (a link to log in; no query). */
function guestHearts(cards: CatalogCard[], back: string): Record<number, Array<{ html: string }>> {
  const out: Record<number, Array<{ html: string }>> = {};
  for (const c of cards) out[c.id] = [{ html: render('follows/partials/favourite-button', { favourite: { signedIn: false, on: false, productId: c.id, back, compact: true, title: c.title } }) }];
  return out;
}

interface ShopRow extends Record<string, unknown> {
  id: number;
  name: string;
  slug: string;
  currency: string;
  owner_id: number | null;
  policy_terms: string;
  policy_returns: string;
  policy_shipping: string;
  vacation_mode: boolean;
}
interface ShippingRow {
  name: string;
  price: number;
  free_over: number | null;
  countries: string;
}

const shopBadge = (count: number, total: number) =>
  render('reviews/partials/shop-rating', { shopRatingCount: count, shopRatingAverage: formatAverage(count ? total / count : 0), shopRatingValue: count ? total / count : 0 });
const shopSums = (shopId: number) =>
  db.all<{ count: number; total: number }>('SELECT COALESCE(SUM(review_count), 0) AS count, COALESCE(SUM(star_total), 0) AS total FROM reviews_product_ratings WHERE shop_id = :id', { id: shopId });

const app = express();

app.get('/', async (req, res) => {
  const [newest, shops] = await Promise.all([
    catalog({ sort: 'newest' }, 1, 48, false),
    db.all<Record<string, unknown>>('SELECT * FROM shops WHERE vacation_mode = :off ORDER BY created_at DESC, id DESC LIMIT 4', { off: false }),
  ]);
  const byShop = new Map<number, CatalogCard[]>();
  for (const card of newest.items) byShop.set(card.shop_id, [...(byShop.get(card.shop_id) ?? []), card]);
  const homeProducts = dealByShop([...byShop.values()], 8);
  const content = render('shops/home-content', {
    homeProducts,
    homeShops: shops,
    homeCategories: chrome.categories,
    cardActions: guestHearts(homeProducts, '/'),
    money: formatMoney,
    asset,
    currentPath: '/',
  });
  send(req, res, { template: 'core/home', title: 'Home', locals: {}, slots: { 'core.home.content': content } });
});

app.get('/products', async (req, res) => {
  const pageNo = Math.max(1, Number(req.query.page) || 1);
  const category = typeof req.query.category === 'string' ? chrome.categories.find((c) => c.slug === req.query.category) : undefined;
  const result = await catalog({ categoryIds: category?.ids }, pageNo);
  const values = { q: '', category: category?.slug ?? '', min: '', max: '', rating: '', sort: result.sort, option: '' };
  send(req, res, {
    template: 'shops/catalog',
    title: category ? category.name : 'Products',
    locals: { result, cardActions: guestHearts(result.items, req.originalUrl), categories: chrome.categories, category, values, filterErrors: {}, optionChoices: [], pager: pagerFor('/products', values, result) },
  });
});

app.get('/products/:slug', async (req, res) => {
  const [product] = await db.all<Record<string, unknown> & { id: number; slug: string; title: string; shop_id: number; category_id: number | null; description: string; stock: number | null; price: number; currency: string; image_path: string | null }>(
    'SELECT * FROM products WHERE slug = :slug LIMIT 1',
    { slug: req.params.slug },
  );
  if (!product) return void res.status(404).send('not found');
  const [[shop], images, tags, category, shipping] = await Promise.all([
    db.all<ShopRow>('SELECT * FROM shops WHERE id = :id', { id: product.shop_id }),
    db.all('SELECT * FROM product_images WHERE product_id = :id ORDER BY position ASC, id ASC', { id: product.id }),
    db.all<{ tag: string }>('SELECT * FROM product_tags WHERE product_id = :id ORDER BY tag ASC', { id: product.id }),
    product.category_id === null ? Promise.resolve([]) : db.all('SELECT * FROM categories WHERE id = :id', { id: product.category_id }),
    db.all<ShippingRow>('SELECT * FROM shipping_methods WHERE shop_id = :id ORDER BY position ASC, id ASC', { id: product.shop_id }),
  ]);
  shop.vacation_mode = Boolean(shop.vacation_mode);
  const [[ratingRow], [sums]] = await Promise.all([
    db.all<{ review_count: number; star_total: number; star_1: number; star_2: number; star_3: number; star_4: number; star_5: number }>('SELECT * FROM reviews_product_ratings WHERE product_id = :id', { id: product.id }),
    shopSums(product.shop_id),
  ]);
  const rating: RatingSummary = ratingRow && ratingRow.review_count > 0
    ? { count: ratingRow.review_count, average: ratingRow.star_total / ratingRow.review_count, histogram: [ratingRow.star_1, ratingRow.star_2, ratingRow.star_3, ratingRow.star_4, ratingRow.star_5] }
    : { count: 0, average: 0, histogram: [0, 0, 0, 0, 0] };
  // The reviews themselves are read only when the counter says there are some (as Agora does).
  const reviews = rating.count ? await approvedReviews(product.id) : [];
  const money = formatMoney;
  const rows = shipping.map((m) => {
    const countries = m.countries ? m.countries.split(',').filter(Boolean) : [];
    const where = countries.length ? `ships to ${countries.join(', ')}` : 'ships worldwide';
    const price = m.price === 0 ? 'free' : money(m.price, shop.currency);
    const free = m.free_over !== null && m.price > 0 ? `, free over ${escapeHtml(money(m.free_over, shop.currency))}` : '';
    return `<li><strong>${escapeHtml(m.name)}</strong>: ${escapeHtml(price)}${free} <span class="muted">(${escapeHtml(where)})</span></li>`;
  });
  const list = rows.length ? `<ul class="shipping-list">${rows.join('')}</ul>` : '<p class="muted">This shop has not set up shipping yet.</p>';
  const policy = [shop.policy_shipping, shop.policy_returns].map(paragraphs).filter(Boolean).join('\n');
  const back = `/products/${product.slug}`;
  const loginNext = `/login?next=${encodeURIComponent(back)}`;
  const average = formatAverage(rating.average);
  const nonce = crypto.randomBytes(16).toString('base64');
  const slots = {
    'shops.product.after_price': [
      render('follows/partials/favourite-button', { favourite: { signedIn: false, on: false, productId: product.id, back } }),
      render('reviews/partials/summary-inline', { rating, average }),
    ].join('\n'),
    'shops.product.shop_card': [
      render('follows/partials/follow-button', { follows: { signedIn: false, following: false, shopId: shop.id, shopName: shop.name, back, showCount: false, count: 0 } }),
      `<p class="messaging-contact"><a class="button button-secondary" href="${escapeHtml(loginNext)}">Log in to contact the seller</a></p>`,
      shopBadge(Number(sums.count), Number(sums.total)),
    ].join('\n'),
    'shops.product.after_tabs': render('reviews/product-reviews', {
      user: undefined,
      nonce,
      product,
      rating,
      average,
      reviews,
      total: rating.count,
      own: [],
      sort: 'newest',
      sorts: Object.entries(SORTS).map(([value, label]) => ({ value, label })),
      reviewsPager: { page: 1, pages: Math.max(1, Math.ceil(rating.count / REVIEWS_PER_PAGE)) },
      canWrite: null,
      cannotWrite: null,
      isSeller: false,
      jsonLd: productJsonLd(config.baseUrl, product, shop, rating, reviews),
    }),
  };
  send(req, res, {
    template: 'shops/product',
    title: product.title,
    slots,
    locals: {
      nonce,
      product: { ...product, inStock: () => product.stock === null || product.stock > 0 },
      shop,
      images,
      tags: tags.map((t) => t.tag),
      category: category[0] ?? null,
      tabs: [
        { id: 'description', title: 'Description', html: paragraphs(product.description) || '<p class="muted">No description yet.</p>', order: 10 },
        { id: 'shipping', title: 'Shipping & returns', html: list + (policy ? `\n${policy}` : ''), order: 20 },
      ],
      preview: false,
      purchasable: !shop.vacation_mode && (product.stock === null || product.stock > 0),
      maxQuantity: Math.max(1, Math.min(product.stock ?? Infinity, 99)),
      cartErrors: {},
      quantity: '1',
      variants: [],
      chosenVariant: undefined,
      variantJsonLd: '',
    },
  });
});

/** The first page of a product's approved reviews, newest first, with their authors (no photos, replies or votes for the bench). */
async function approvedReviews(productId: number): Promise<ShownReview[]> {
  const rows = await db.all<Record<string, unknown> & { id: number; user_id: number | null; rating: number; title: string; body: string; verified: boolean; approved_at: string; created_at: string; helpful_count: number }>(
    "SELECT * FROM reviews_reviews WHERE product_id = :id AND status = 'approved' ORDER BY approved_at DESC, id DESC LIMIT :limit",
    { id: productId, limit: REVIEWS_PER_PAGE },
  );
  return rows.map((r) => ({
    id: r.id,
    rating: r.rating,
    title: r.title,
    body: r.body,
    status: 'approved' as const,
    rejectReason: null,
    author: 'A customer',
    initials: 'AC',
    hasAuthor: r.user_id !== null,
    verified: Boolean(r.verified),
    date: new Date(String(r.approved_at ?? r.created_at)),
    helpful: r.helpful_count,
    photos: [],
    reply: null,
    mine: false,
    voted: false,
  }));
}

app.get('/shops/:slug', async (req, res) => {
  const [shop] = await db.all<ShopRow>('SELECT * FROM shops WHERE slug = :slug LIMIT 1', { slug: req.params.slug });
  if (!shop) return void res.status(404).send('not found');
  dates(shop, ['created_at']);
  shop.vacation_mode = Boolean(shop.vacation_mode);
  const pageNo = Math.max(1, Number(req.query.page) || 1);
  const [result, shipping] = await Promise.all([
    catalog({ shopId: shop.id, sort: 'newest' }, pageNo),
    db.all('SELECT * FROM shipping_methods WHERE shop_id = :id ORDER BY position ASC, id ASC', { id: shop.id }),
  ]);
  const back = `/shops/${shop.slug}`;
  const [[followers], [sums]] = await Promise.all([db.all<{ n: number }>('SELECT COUNT(*) AS n FROM follows_follows WHERE shop_id = :id', { id: shop.id }), shopSums(shop.id)]);
  const slots = {
    'shops.shop.header_actions': [
      render('follows/partials/follow-button', { follows: { signedIn: false, following: false, shopId: shop.id, shopName: shop.name, back, showCount: true, count: Number(followers.n) } }),
      `<a class="button button-secondary" href="${escapeHtml(`/login?next=${encodeURIComponent(back)}`)}">Log in to contact the seller</a>`,
      shopBadge(Number(sums.count), Number(sums.total)),
    ].join('\n'),
  };
  send(req, res, {
    template: 'shops/shop',
    title: shop.name,
    slots,
    locals: {
      shop,
      result,
      cardActions: guestHearts(result.items, req.originalUrl),
      shipping,
      sort: 'newest',
      policies: [
        { id: 'terms', title: 'Terms', html: paragraphs(shop.policy_terms) },
        { id: 'returns', title: 'Returns', html: paragraphs(shop.policy_returns) },
        { id: 'shipping', title: 'Shipping', html: paragraphs(shop.policy_shipping) },
      ].filter((p) => p.html),
      pager: pagerFor(`/shops/${shop.slug}`, { sort: '' }, result),
    },
  });
});

app.get('/cart', (req, res) => {
  send(req, res, {
    template: 'shops/cart/cart',
    title: 'Your cart',
    locals: {
      view: { groups: [], currencies: [], totals: [], count: 0, available: 0, hasProblems: false, gone: [] },
      maxQuantity: 99,
      pricing: { coupons: [], problems: [], lines: [], totals: [] },
      countryName: (c: string) => c,
      rateText: () => '',
    },
  });
});

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`ready ${(server.address() as AddressInfo).port}`));
