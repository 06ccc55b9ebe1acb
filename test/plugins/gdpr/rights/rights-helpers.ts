import yauzl from 'yauzl';
import type supertest from 'supertest';
import type { Response } from 'superagent';
import { csrfFrom, tokenFor } from '../../../helpers/app';
import type { TestSmtp } from '../../../helpers/smtp';

/** The link of a given path found in a mail's text or HTML (`/privacy/rights/confirm/<token>`). */
export function linkIn(mail: { text: string; html: string }, path: string): string {
  const re = new RegExp(`https?://[^\\s"<>]*(${path.replace(/\//g, '\\/')}[\\w-]+)`);
  const m = re.exec(mail.html) ?? re.exec(mail.text);
  if (!m) throw new Error(`no ${path} link in the mail: ${mail.text}`);
  return m[1];
}

/** Asks for a request by email from /privacy/rights and returns the response. */
export async function askByEmail(agent: supertest.Agent, kind: string, email: string) {
  const csrf = await tokenFor(agent, '/privacy/rights');
  return agent.post('/privacy/rights/request').type('form').send({ _csrf: csrf, kind, email });
}

/** Follows the confirmation link of the newest matching mail: GET shows the form, POST confirms. */
export async function confirmFromMail(agent: supertest.Agent, smtp: TestSmtp, email: string) {
  const mail = await smtp.waitFor(email, /Confirm your request/);
  const path = linkIn(mail, '/privacy/rights/confirm/');
  const page = await agent.get(path);
  if (page.status !== 200) throw new Error(`confirm page answered ${page.status}`);
  return agent.post(path).type('form').send({ _csrf: csrfFrom(page.text) });
}

/** Reads every entry of a zip into text. */
export function unzip(buffer: Buffer): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('not a zip'));
      const out: Record<string, string> = {};
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('unreadable entry'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out[entry.fileName] = Buffer.concat(chunks).toString('utf8');
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** supertest parser that keeps a binary body as a Buffer. */
export function binary(res: Response, done: (err: Error | null, body: unknown) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}
