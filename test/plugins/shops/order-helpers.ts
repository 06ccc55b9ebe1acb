import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type supertest from 'supertest';
import { rootDir } from '../../../core/config';
import { createUser, csrfFrom, type TestApp } from '../../helpers/app';
import type { Shop } from '../../../plugins/shops/models/shop';
import { shopModels } from './shop-models';

/** A module of the shops plugin by the URL the plugin manager loads it from: the same instance, with bound models. */
export function pluginModule<T>(relative: string): Promise<T> {
  return import(pathToFileURL(path.join(rootDir, 'plugins', 'shops', relative)).href) as Promise<T>;
}

let seq = 0;

export interface ShopSpec {
  name?: string;
  currency?: string;
  vacation?: boolean;
  methods?: Array<{ name: string; price: number; free_over?: number | null; countries?: string }>;
}

/** A seller (a customer with a shop membership) and their shop, made directly with the models. */
export async function makeShop(t: TestApp, spec: ShopSpec = {}) {
  const { Shop, ShopMember, ShippingMethod } = shopModels();
  const { user: seller, password } = await createUser({ role: 'seller' });
  seq++;
  const name = spec.name ?? `Shop ${seq}`;
  const shop = await Shop.create({
    owner_id: seller.id,
    name,
    slug: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${seq}-${Date.now() % 100000}`,
    currency: spec.currency ?? 'EUR',
    vacation_mode: spec.vacation ?? false,
    vacation_message: spec.vacation ? 'Back in May.' : '',
  });
  await ShopMember.create({ shop_id: shop.id, user_id: seller.id, role: 'owner' });
  const methods = [];
  for (const [i, m] of (spec.methods ?? [{ name: 'Standard post', price: 500, free_over: null }]).entries()) {
    methods.push(await ShippingMethod.create({ shop_id: shop.id, name: m.name, price: m.price, free_over: m.free_over ?? null, countries: m.countries ?? '', position: i }));
  }
  return { shop, seller, password, methods };
}

export async function makeProduct(t: TestApp, shop: Shop, spec: { title?: string; price?: number; stock?: number | null; status?: 'draft' | 'published'; currency?: string } = {}) {
  const { Product } = shopModels();
  seq++;
  const title = spec.title ?? `Product ${seq}`;
  return Product.create({
    shop_id: shop.id,
    title,
    slug: `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${seq}-${Date.now() % 100000}`,
    price: spec.price ?? 1000,
    compare_at_price: null,
    currency: spec.currency ?? shop.currency,
    stock: spec.stock === undefined ? 10 : spec.stock,
    category_id: null,
    status: spec.status ?? 'published',
  });
}

/** A CSRF token for the agent's session: from the cart page, or the login page while a guest's cart is empty. */
export async function formToken(agent: supertest.Agent): Promise<string> {
  const cart = await agent.get('/cart');
  if (/name="_csrf"/.test(cart.text)) return csrfFrom(cart.text);
  return csrfFrom((await agent.get('/login')).text);
}

/** Adds a product to the agent's cart the way the product page's form does. */
export async function addToCart(agent: supertest.Agent, productId: number, quantity: number | string = 1, extra: Record<string, string> = {}) {
  const token = await formToken(agent);
  return agent.post('/cart/items').type('form').send({ _csrf: token, product_id: String(productId), quantity: String(quantity), ...extra });
}

export const ADDRESS = { name: 'Ada Lovelace', line1: '10 Downing Street', line2: '', city: 'Paris', postcode: '75001', country: 'FR' };

/** The fields the checkout page put in its form: the CSRF token, the cart's items and the shipping choices. */
export async function checkoutForm(agent: supertest.Agent, url = '/checkout'): Promise<Record<string, string>> {
  const res = await agent.get(url);
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
  const form: Record<string, string> = { _csrf: csrfFrom(res.text) };
  for (const m of res.text.matchAll(/<input type="hidden" name="((?:item|currency|cart_token)[^"]*)" value="([^"]*)"/g)) form[m[1]] = m[2];
  for (const m of res.text.matchAll(/<select id="f-shipping-\d+" name="(shipping_\d+)">([\s\S]*?)<\/select>/g)) {
    const selected = /<option value="([^"]*)" selected/.exec(m[2]) ?? /<option value="([^"]*)"/.exec(m[2]);
    form[m[1]] = selected ? selected[1] : '';
  }
  return form;
}

/** Fills and sends the checkout form as a buyer would; `fields` override or add to what is sent. */
export async function checkout(agent: supertest.Agent, fields: Record<string, string> = {}, url = '/checkout') {
  const form = await checkoutForm(agent, url);
  return agent
    .post('/checkout')
    .type('form')
    .send({ ...form, email: 'buyer@example.test', ...ADDRESS, phone: '', gateway: 'manual', ...fields });
}

/** Changes some marketplace settings, keeping the others as they are. */
export async function setShopsSettings(t: TestApp, changes: Record<string, unknown>): Promise<void> {
  const current = t.platform.settings.get<Record<string, unknown>>('shops');
  await t.platform.options.set('settings.shops', { ...current, ...changes });
}

/** Posts a form with a fresh CSRF token of the agent's session (taken before the request is built). */
export async function postForm(agent: supertest.Agent, url: string, body: Record<string, string>) {
  const token = await formToken(agent);
  return agent.post(url).type('form').send({ _csrf: token, ...body });
}
