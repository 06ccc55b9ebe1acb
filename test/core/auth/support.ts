import type supertest from 'supertest';
import { expect } from 'chai';
import { tokenFor } from '../../helpers/app';
import type { ReceivedMail } from '../../helpers/smtp';

let seq = 0;

/** Form fields of a valid adult registration, unique per call; override any of them. */
export function registrationFields(overrides: Record<string, string> = {}): Record<string, string> {
  seq++;
  const username = `person_${seq}_${process.pid % 1000}`;
  return {
    first_name: 'Ada',
    last_name: 'Lovelace',
    username,
    display_name: `Ada ${seq}`,
    email: `${username}@example.test`,
    password: 'velvet-otter-climbs-9-hills',
    birth_date: '1990-04-12',
    ...overrides,
  };
}

/** Fills in and sends the registration form as a browser would (CSRF token from the page). */
export async function register(agent: supertest.Agent, fields: Record<string, string>): Promise<supertest.Response> {
  const token = await tokenFor(agent, '/register');
  return agent.post('/register').type('form').send({ _csrf: token, ...fields });
}

/** Sends a form found on `page` to `action` with the page's CSRF token. */
export async function submit(agent: supertest.Agent, page: string, action: string, fields: Record<string, string>): Promise<supertest.Response> {
  const token = await tokenFor(agent, page);
  return agent.post(action).type('form').send({ _csrf: token, ...fields });
}

/** The path of the first link in a mail that goes to `prefix` (links carry the site's BASE_URL). */
export function linkIn(mail: ReceivedMail, prefix: string): string {
  const m = new RegExp(`https?://[^\\s"<>\\[\\]]+${prefix.replace(/\//g, '\\/')}[^\\s"<>\\[\\]()]*`).exec(mail.text);
  expect(m, `a ${prefix} link in "${mail.subject}"`).to.not.equal(null);
  return new URL(m![0]).pathname;
}

/** A birth date `years` years ago today, plus `days` days (UTC), as YYYY-MM-DD. */
export function bornYearsAgo(years: number, days = 0): string {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
