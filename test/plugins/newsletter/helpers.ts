import { expect } from 'chai';
import type supertest from 'supertest';
import { csrfFrom, type TestApp } from '../../helpers/app';
import type { ReceivedMail } from '../../helpers/smtp';

/** Posts the /newsletter form as a visitor would (the page first, for its CSRF token). */
export async function signup(agent: supertest.Agent, email: string, extra: Record<string, string> = {}, ip?: string): Promise<supertest.Response> {
  const get = agent.get('/newsletter');
  const page = await (ip ? get.set('X-Forwarded-For', ip) : get);
  const post = agent.post('/newsletter').type('form');
  return (ip ? post.set('X-Forwarded-For', ip) : post).send({ _csrf: csrfFrom(page.text), email, source: 'page', ...extra });
}

/** The confirmation link in the mail, as a path. */
export function linkIn(mail: ReceivedMail, path: string): string {
  const match = new RegExp(`http://agora\\.test(${path.replace(/\//g, '\\/')}\\?token=[\\w.-]+)`).exec(mail.text);
  expect(match, `a ${path} link in: ${mail.text}`).to.not.equal(null);
  return match![1];
}

/** Opens the confirmation link and presses its button; returns the final answer. */
export async function confirmWith(agent: supertest.Agent, path: string): Promise<supertest.Response> {
  const page = await agent.get(path);
  expect(page.status, page.text).to.equal(200);
  const token = new URL(`http://x${path}`).searchParams.get('token')!;
  return agent.post('/newsletter/confirm').type('form').send({ _csrf: csrfFrom(page.text), token });
}

/** Signs up and confirms an address through the real pages and the real email. */
export async function subscribeConfirmed(t: TestApp, email: string): Promise<void> {
  const agent = t.agent();
  expect((await signup(agent, email)).status).to.equal(303);
  await confirmFromMail(t, agent, email);
}

/** The same from the footer form, with the fields other plugins add to it (`extra` reads them from the page). */
export async function subscribeConfirmedWith(t: TestApp, email: string, extra: (html: string) => string): Promise<void> {
  const agent = t.agent();
  const home = await agent.get('/');
  const res = await agent.post('/newsletter').type('form').send(`_csrf=${encodeURIComponent(csrfFrom(home.text))}&email=${encodeURIComponent(email)}&source=footer&${extra(home.text)}`);
  expect(res.status, res.text).to.equal(303);
  await confirmFromMail(t, agent, email);
}

async function confirmFromMail(t: TestApp, agent: supertest.Agent, email: string): Promise<void> {
  const mail = await t.smtp!.waitFor(email, /Confirm your subscription/);
  const done = await confirmWith(agent, linkIn(mail, '/newsletter/confirm'));
  expect(done.status, done.text).to.equal(200);
}

/** Saves newsletter settings as the admin's settings form would (checkboxes as `on` or absent). */
export async function saveSettings(t: TestApp, changes: Record<string, unknown>): Promise<void> {
  const values = { ...t.platform.settings.get<Record<string, unknown>>('newsletter'), ...changes };
  const form: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'boolean') {
      if (value) form[key] = 'on';
    } else form[key] = String(value);
  }
  const saved = await t.platform.settings.save('newsletter', form);
  expect(saved, JSON.stringify(saved)).to.deep.equal({ ok: true });
}
