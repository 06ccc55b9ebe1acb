import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { rootDir } from '../../../core/config';
import type supertest from 'supertest';
import { createUser, csrfFrom, login, type TestApp } from '../../helpers/app';
import { shopModels } from './shop-models';

/** A real PNG made with sharp. */
export function pngImage(color = '#3366cc', width = 64, height = 64): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color } }).png().toBuffer();
}

export interface ShopFields {
  name?: string;
  slug?: string;
  description?: string;
  location?: string;
  currency?: string;
  policy_terms?: string;
  policy_returns?: string;
  policy_shipping?: string;
  shipping?: Array<{ name?: string; price?: string; free_over?: string; countries?: string }>;
}

type Attachment = { field: string; data: Buffer; filename: string };

/** Posts a multipart form the way the browser does: the page's CSRF token as the form's first field. */
export async function postMultipart(agent: supertest.Agent, pageUrl: string, action: string, fields: Record<string, string | string[]>, files: Attachment[] = []) {
  const token = csrfFrom((await agent.get(pageUrl)).text);
  let req = agent.post(action).field('_csrf', token);
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) req = req.field(k, one);
  for (const f of files) req = req.attach(f.field, f.data, f.filename);
  return req;
}

export function shopFormFields(fields: ShopFields = {}): Record<string, string> {
  const out: Record<string, string> = {
    name: fields.name ?? 'Test Shop',
    slug: fields.slug ?? `test-shop-${Math.random().toString(36).slice(2, 8)}`,
    description: fields.description ?? 'We sell test things.',
    location: fields.location ?? 'Lisbon, Portugal',
    currency: fields.currency ?? 'EUR',
    policy_terms: fields.policy_terms ?? 'Terms of the test shop.',
    policy_returns: fields.policy_returns ?? 'Returns within 30 days.',
    policy_shipping: fields.policy_shipping ?? 'Ships in two days.',
  };
  const shipping = fields.shipping ?? [{ name: 'Standard', price: '4.50', free_over: '50.00', countries: '' }];
  shipping.forEach((row, i) => {
    for (const [k, v] of Object.entries(row)) out[`shipping[${i}][${k}]`] = v ?? '';
  });
  return out;
}

export function openShop(agent: supertest.Agent, fields: ShopFields = {}, files: Attachment[] = []) {
  return postMultipart(agent, '/seller/open', '/seller/open', shopFormFields(fields), files);
}

export interface ProductFields {
  title?: string;
  slug?: string;
  description?: string;
  price?: string;
  compare_at_price?: string;
  stock?: string;
  category_id?: string;
  tags?: string;
  status?: 'draft' | 'published';
  remove_images?: string[];
}

export function productFormFields(fields: ProductFields = {}): Record<string, string | string[]> {
  return {
    title: fields.title ?? 'Blue mug',
    slug: fields.slug ?? '',
    description: fields.description ?? 'A blue mug.',
    price: fields.price ?? '12.50',
    compare_at_price: fields.compare_at_price ?? '',
    stock: fields.stock ?? '',
    category_id: fields.category_id ?? '',
    tags: fields.tags ?? '',
    status: fields.status ?? 'draft',
    ...(fields.remove_images ? { remove_images: fields.remove_images } : {}),
  };
}

export function createProduct(agent: supertest.Agent, fields: ProductFields = {}, files: Attachment[] = []) {
  return postMultipart(agent, '/seller/products/new', '/seller/products', productFormFields(fields), files);
}

export function editProduct(agent: supertest.Agent, id: number, fields: ProductFields = {}, files: Attachment[] = []) {
  return postMultipart(agent, `/seller/products/${id}/edit`, `/seller/products/${id}`, productFormFields(fields), files);
}

/** A PNG of random noise, which compresses badly: a file over a small upload cap. */
export function noisyPng(size = 400): Promise<Buffer> {
  return sharp({ create: { width: size, height: size, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
    .png()
    .toBuffer();
}

/** Every file under a folder, relative to it (the uploads written so far). */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

/** A logged-in agent of a new customer who opened a shop through the form; returns the live shop row. */
export async function sellerWithShop(t: TestApp, fields: ShopFields = {}) {
  const { user, password } = await createUser();
  const agent = t.agent();
  await login(agent, user.username, password);
  const res = await openShop(agent, fields);
  if (res.status !== 303) throw new Error(`opening a shop failed with ${res.status}: ${res.text.slice(0, 500)}`);
  const shop = await shopModels().Shop.findOne({ where: { owner_id: user.id } });
  if (!shop) throw new Error('no shop row');
  return { agent, user, shop };
}

/**
 * A module of the running plugin, as the plugin manager loaded it (an ES module whose models are
 * initialised), for calling its services directly: `await pluginModule<typeof import('...')>('services/x.ts')`.
 */
export async function pluginModule<T>(file: string): Promise<T> {
  return (await import(pathToFileURL(path.join(rootDir, 'plugins', 'shops', file)).href)) as T;
}
