import sharp from 'sharp';
import type supertest from 'supertest';
import { expect } from 'chai';
import { createUser, csrfFrom, login, startTestApp, type TestApp } from '../../helpers/app';
import { makeProduct, makeShop } from '../shops/order-helpers';
import { Conversation, Message, Attachment, Report, Sanction, AdminRead } from '../../../plugins/messaging/models';

export { makeProduct, makeShop };

/** The messaging models, as the running plugin initialised them (tests load the same ES modules). */
export const messagingModels = () => ({ Conversation, Message, Attachment, Report, Sanction, AdminRead });

export function startMessagingApp(env: Record<string, string> = {}): Promise<TestApp> {
  return startTestApp({ plugins: ['shops', 'messaging'], smtp: true, env });
}

export type Attach = { data: Buffer; filename: string };

export const png = (): Promise<Buffer> => sharp({ create: { width: 8, height: 8, channels: 3, background: '#c33' } }).png().toBuffer();
export const pdf = (): Buffer => Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** A logged-in agent of a new customer. */
export async function customer(t: TestApp, fields: { display_name?: string } = {}) {
  const { user, password } = await createUser(fields);
  const agent = t.agent();
  await login(agent, user.username, password);
  return { user, agent };
}

/** A seller with a shop and a published product, logged in. */
export async function sellerWithProduct(t: TestApp, name?: string) {
  const made = await makeShop(t, { name });
  const product = await makeProduct(t, made.shop, { title: `${name ?? 'Shop'} mug` });
  const agent = t.agent();
  await login(agent, made.seller.username, made.password);
  return { ...made, product, agent };
}

/** The hidden fields and selects of the first form posting to `action` on a page (CSRF token, one-time key, shop...). */
export function hiddenFields(htmlText: string, action: string): Record<string, string> {
  const start = htmlText.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`no form posting to ${action} on the page`);
  const form = htmlText.slice(start, htmlText.indexOf('</form>', start));
  const out: Record<string, string> = { _csrf: csrfFrom(htmlText) };
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) out[m[1]] = m[2].replace(/&amp;/g, '&');
  // A select sends its selected option (or its first), as a browser does.
  for (const m of form.matchAll(/<select id="[^"]*" name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const chosen = /<option value="([^"]*)" selected/.exec(m[2]) ?? /<option value="([^"]*)"/.exec(m[2]);
    if (chosen) out[m[1]] = chosen[1];
  }
  return out;
}

/** Sends the multipart form of `page` to `action` as a browser would: its hidden fields, then `fields` and files. */
export async function sendMultipart(agent: supertest.Agent, page: string, action: string, fields: Record<string, string>, files: Attach[] = []) {
  const res = await agent.get(page);
  expect(res.status, `GET ${page}: ${res.text.slice(0, 300)}`).to.equal(200);
  const hidden = hiddenFields(res.text, action);
  let req = agent.post(action).field('_csrf', hidden._csrf);
  for (const [k, v] of Object.entries({ ...hidden, ...fields })) if (k !== '_csrf') req = req.field(k, v);
  for (const f of files) req = req.attach('attachments', f.data, f.filename);
  return req;
}

/** Posts an urlencoded form of `page` to `action` with its hidden fields. */
export async function sendForm(agent: supertest.Agent, page: string, action: string, fields: Record<string, string>) {
  const res = await agent.get(page);
  const hidden = hiddenFields(res.text, action);
  return agent.post(action).type('form').send({ ...hidden, ...fields });
}

/** "Contact seller" from a product: the form's page, then the message; answers the POST. */
export function contactSeller(agent: supertest.Agent, productId: number, fields: Record<string, string> = {}, files: Attach[] = []) {
  return sendMultipart(agent, `/messages/new?product=${productId}`, '/messages/new', { subject: 'Is it dishwasher safe?', body: 'Hello, can it go in the dishwasher?', ...fields }, files);
}

export function reply(agent: supertest.Agent, conversationId: number, body: string, files: Attach[] = []) {
  return sendMultipart(agent, `/messages/${conversationId}`, `/messages/${conversationId}/reply`, { body }, files);
}

/** The id of the conversation a 303 went to. */
export function conversationIdOf(res: supertest.Response): number {
  const m = /^\/messages\/(\d+)/.exec(String(res.headers.location ?? ''));
  if (!m) throw new Error(`not sent to a conversation: ${res.status} ${res.headers.location ?? ''} ${res.text.slice(0, 400)}`);
  return Number(m[1]);
}
