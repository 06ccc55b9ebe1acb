import type supertest from 'supertest';
import { csrfFrom, login, type TestApp } from '../../helpers/app';
import type { Product } from '../../../plugins/shops/models/product';
import { makeProduct, makeShop, type ShopSpec } from './order-helpers';

/** A PDF-looking file with a marker, to compare what a download sends with what the seller uploaded. */
export function bookFile(marker = 'chapter one'): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${marker}\n${'x'.repeat(2048)}\n%%EOF\n`);
}

/** A seller logged in through the login form, with their shop (made with the models). */
export async function loggedInSeller(t: TestApp, spec: ShopSpec = {}) {
  const made = await makeShop(t, spec);
  const agent = t.agent();
  await login(agent, made.seller.email, made.password);
  return { ...made, agent };
}

/** Posts the product's downloads page form as the seller does: the page's CSRF token, the fields and the files. */
export async function postDownloads(agent: supertest.Agent, productId: number, fields: Record<string, string>, files: Array<{ data: Buffer; filename: string }> = []) {
  const page = await agent.get(`/seller/products/${productId}/downloads`);
  if (page.status !== 200) throw new Error(`the downloads page answered ${page.status}`);
  let req = agent.post(`/seller/products/${productId}/downloads`).field('_csrf', csrfFrom(page.text));
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  for (const f of files) req = req.attach('files', f.data, f.filename);
  return req;
}

/** A published product of the seller's shop sold as a download of one file, set up through the downloads form. */
export async function digitalProduct(t: TestApp, seller: Awaited<ReturnType<typeof loggedInSeller>>, spec: { title?: string; price?: number; limit?: string; days?: string; file?: Buffer; filename?: string } = {}): Promise<Product> {
  const product = await makeProduct(t, seller.shop, { title: spec.title ?? 'Knitting patterns e-book', price: spec.price ?? 900, stock: null });
  const res = await postDownloads(seller.agent, product.id, { is_digital: 'on', download_limit: spec.limit ?? '', download_days: spec.days ?? '' }, [{ data: spec.file ?? bookFile(), filename: spec.filename ?? 'patterns.pdf' }]);
  if (res.status !== 303) throw new Error(`the downloads form answered ${res.status}: ${res.text.slice(0, 600)}`);
  await product.reload();
  return product;
}

/** The seller marks an order paid through the order page's status form. */
export async function markPaid(agent: supertest.Agent, orderNumber: string) {
  const page = await agent.get(`/seller/orders/${encodeURIComponent(orderNumber)}`);
  return agent.post(`/seller/orders/${encodeURIComponent(orderNumber)}/status`).type('form').send({ _csrf: csrfFrom(page.text), to: 'paid', tracking_number: '', note: '' });
}

/** The download links in a page or an email: `/downloads/<id>?e=..&s=..(&k=..)`. */
export function downloadLinks(html: string): string[] {
  return [...html.matchAll(/(\/downloads\/\d+\?e=\d+&(?:amp;)?s=[A-Za-z0-9_-]{32}(?:&(?:amp;)?k=[A-Za-z0-9_-]{32})?)/g)].map((m) => m[1].replace(/&amp;/g, '&'));
}

/** Reads a response body as bytes, whatever its type. */
export function asBuffer(req: supertest.Test): supertest.Test {
  return req.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });
}
