import { expect } from 'chai';
import type supertest from 'supertest';
import { csrfFrom, login, type TestApp } from '../../helpers/app';
import { User, hashPassword } from '../../../core/index';
import { addToCart, checkout, makeProduct, makeShop } from '../shops/order-helpers';
import { shopModels } from '../shops/shop-models';
import { pngImage } from '../shops/catalog-helpers';
import * as models from '../../../plugins/reviews/models';
import type { Review } from '../../../plugins/reviews/models/review';

export { makeProduct, makeShop, pngImage, shopModels };

export type ShopFixture = Awaited<ReturnType<typeof makeShop>>;

/** The reviews models as the running plugin bound them (tests load as ES modules, like the plugin). */
export function reviewModels() {
  return models;
}

/** A CSRF token of the agent's session, from the account page's profile form. */
export async function accountToken(agent: supertest.Agent): Promise<string> {
  return csrfFrom((await agent.get('/account')).text);
}

/** A seller's logged-in agent. */
export async function sellerAgent(t: TestApp, shop: ShopFixture): Promise<supertest.Agent> {
  const agent = t.agent();
  await login(agent, shop.seller.username, shop.password);
  return agent;
}

/** Moves an order to a status through the seller's order page, as the seller would. */
export async function setOrderStatus(seller: supertest.Agent, number: string, to: 'paid' | 'shipped' | 'completed') {
  const token = csrfFrom((await seller.get(`/seller/orders/${number}`)).text);
  const res = await seller.post(`/seller/orders/${number}/status`).type('form').send({ _csrf: token, to });
  expect(res.status, res.text.slice(0, 300)).to.equal(303);
}

const PASSWORD = 'correct-horse-battery-staple';
let hashed: Promise<string> | undefined;
let seq = 0;

/** A verified customer, hashing the one test password once per run (hashing dominates these tests' time). */
export async function createUser(fields: { email?: string; display_name?: string; role?: 'customer' | 'seller' | 'moderator' | 'admin' } = {}) {
  hashed ??= hashPassword(PASSWORD);
  seq++;
  const username = `rev${seq}x${Date.now() % 1_000_000}`;
  const user = await User.create({
    username,
    email: fields.email ?? `${username}@example.test`,
    first_name: 'Rita',
    last_name: `Reviewer${seq}`,
    display_name: fields.display_name ?? `Rita Reviewer ${seq}`,
    password_hash: await hashed,
    birth_date: '1990-01-01',
    role: fields.role ?? 'customer',
    email_verified_at: new Date(),
  });
  return { user, password: PASSWORD };
}

/** A logged-in agent of a new customer. */
export async function customer(t: TestApp, fields: Parameters<typeof createUser>[0] = {}) {
  const { user, password } = await createUser(fields);
  const agent = t.agent();
  await login(agent, user.username, password);
  return { user, agent };
}

/** A new customer who bought the product (through cart and checkout) and whose order the seller marked paid. */
export async function buyer(t: TestApp, seller: supertest.Agent, productIds: number[], fields: { email?: string; display_name?: string } = {}) {
  const { user, password } = await createUser(fields);
  const agent = t.agent();
  await login(agent, user.username, password);
  for (const id of productIds) await addToCart(agent, id, 1);
  const res = await checkout(agent, { email: user.email });
  expect(res.status, res.text.slice(0, 300)).to.equal(303);
  const { Order, OrderItem } = shopModels();
  const item = await OrderItem.findOne({ where: { product_id: productIds[0] }, order: [['id', 'DESC']] });
  const order = (await Order.findByPk(item!.order_id))!;
  await setOrderStatus(seller, order.number, 'paid');
  return { user, password, agent, order };
}

/** Posts the review form as the browser does (multipart, the CSRF token first), with optional photos. */
export async function postReview(
  agent: supertest.Agent,
  productId: number,
  fields: Record<string, string>,
  photos: Buffer[] = [],
  action = '/reviews',
  pageUrl = `/reviews/new?product=${productId}`,
) {
  const page = await agent.get(pageUrl);
  const token = csrfFrom(page.text);
  const item = /name="item" value="(\d*)"/.exec(page.text)?.[1] ?? '';
  let req = agent.post(action).field('_csrf', token);
  if (action === '/reviews') req = req.field('product', String(productId)).field('item', item);
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  for (const [i, p] of photos.entries()) req = req.attach('photos', p, `photo-${i}.png`);
  return req;
}

export const GOOD_REVIEW = { rating: '5', title: 'Lovely mug', body: 'Keeps the tea warm and looks great on the desk.' };

/** Posts a form of the moderation page with a fresh token. */
export async function moderate(agent: supertest.Agent, fields: Record<string, string | string[]>, query = '') {
  const token = await accountToken(agent);
  return agent.post(`/admin/reviews${query}`).type('form').send({ _csrf: token, ...fields });
}

export async function latestReviewOf(userId: number): Promise<Review> {
  const { Review } = models;
  const review = await Review.findOne({ where: { user_id: userId }, order: [['id', 'DESC']] });
  if (!review) throw new Error('no review');
  return review;
}
