import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Stripe from 'stripe';
import { rootDir } from '../../core/config';

/**
 * A local Stripe-compatible HTTP server for the endpoints Agora calls. Each answer starts from Stripe's own
 * published example object of its resource (../shared/stripe/fixtures3.json, the fixtures Stripe's mock
 * server answers with) with what the request set written over it. It parses form-encoded bodies as Stripe
 * does, honours Idempotency-Key (same key and body: the same answer; same key, other body: Stripe's 400),
 * answers Stripe's error shapes, records every request, and can be told to fail (500) or to hang (timeout).
 */

type Json = Record<string, unknown>;

const FIXTURES = path.join(rootDir, '..', 'shared', 'stripe', 'fixtures3.json');
let fixtures: Record<string, Json> | undefined;

/** Stripe's example object of a resource ("checkout.session", "refund", ...), a fresh copy each time. */
export function fixture(resource: string): Json {
  fixtures ??= (JSON.parse(fs.readFileSync(FIXTURES, 'utf8')) as { resources: Record<string, Json> }).resources;
  const f = fixtures[resource];
  if (!f) throw new Error(`No Stripe fixture for ${resource}`);
  return structuredClone(f);
}

/** Parses `a[b][0][c]=1&metadata[k]=v` into nested objects and arrays, the way Stripe reads its bodies. */
export function parseStripeForm(body: string): Json {
  const root: Json = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const parts = rawKey.split(/\[|\]\[|\]/).filter((p, i) => p !== '' || i === 0);
    let node: Json = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as Json;
    });
  }
  const arrays = (v: unknown): unknown => {
    if (!v || typeof v !== 'object') return v;
    const o = v as Json;
    const keys = Object.keys(o);
    const mapped = Object.fromEntries(keys.map((k) => [k, arrays(o[k])]));
    return keys.length && keys.every((k) => /^\d+$/.test(k)) ? keys.sort((a, b) => Number(a) - Number(b)).map((k) => mapped[k]) : mapped;
  };
  return arrays(root) as Json;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Json;
  idempotencyKey?: string;
  stripeAccount?: string;
  authorization?: string;
}

type Failure = { status: number } | { hang: true };

const rand = () => crypto.randomBytes(9).toString('base64url').replace(/[-_]/g, 'x');

export class StripeServer {
  readonly requests: RecordedRequest[] = [];
  readonly sessions = new Map<string, Json>();
  readonly intents = new Map<string, Json>();
  readonly refunds = new Map<string, Json>();
  readonly transfers = new Map<string, Json>();
  readonly accounts = new Map<string, Json>();
  /** What a new refund's status is (Stripe answers `pending` for some methods). */
  refundStatus: 'succeeded' | 'pending' | 'failed' = 'succeeded';
  private readonly idempotent = new Map<string, { fingerprint: string; status: number; body: string }>();
  private readonly failures: Array<{ prefix: string; failure: Failure }> = [];
  private readonly hanging = new Set<http.ServerResponse>();
  private server?: http.Server;
  port = 0;

  constructor(readonly secretKey = 'sk_test_agora0000000000000000') {}

  get apiBase(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next request whose path starts with `prefix` fails: a 500 with Stripe's api_error, or no answer at all. */
  failNext(prefix: string, failure: Failure = { status: 500 }): void {
    this.failures.push({ prefix, failure });
  }

  requestsTo(method: string, prefix: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(prefix));
  }

  private send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Request-Id': `req_${rand()}`, ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  }

  private error(status: number, type: string, message: string, extra: Json = {}): { status: number; body: Json } {
    return { status, body: { error: { type, message, ...extra } } };
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): void {
    const url = new URL(req.url ?? '/', 'http://stripe.local');
    const body = req.method === 'POST' ? parseStripeForm(raw) : {};
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body, idempotencyKey: header('idempotency-key'), stripeAccount: header('stripe-account'), authorization: header('authorization') };
    this.requests.push(recorded);

    if (recorded.authorization !== `Bearer ${this.secretKey}`) {
      const e = this.error(401, 'invalid_request_error', `Invalid API Key provided: ${(recorded.authorization ?? '').slice(7, 15)}***`);
      return this.send(res, e.status, e.body);
    }
    const failAt = this.failures.findIndex((f) => url.pathname.startsWith(f.prefix));
    if (failAt >= 0) {
      const [{ failure }] = this.failures.splice(failAt, 1);
      if ('hang' in failure) {
        this.hanging.add(res);
        return;
      }
      const e = this.error(failure.status, 'api_error', 'Sorry, something went wrong on Stripe’s end.');
      return this.send(res, e.status, e.body);
    }
    const key = recorded.idempotencyKey;
    const fingerprint = `${req.method} ${url.pathname} ${raw}`;
    if (key && req.method === 'POST') {
      const seen = this.idempotent.get(key);
      if (seen && seen.fingerprint !== fingerprint) {
        const e = this.error(400, 'idempotency_error', `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`);
        return this.send(res, e.status, e.body);
      }
      if (seen) return this.send(res, seen.status, seen.body, { 'Idempotent-Replayed': 'true', 'Idempotency-Key': key });
    }
    const answer = this.route(req.method ?? 'GET', url.pathname, body, url.searchParams);
    const text = JSON.stringify(answer.body);
    if (key && req.method === 'POST' && answer.status < 500) this.idempotent.set(key, { fingerprint, status: answer.status, body: text });
    this.send(res, answer.status, text, key ? { 'Idempotency-Key': key } : {});
  }

  private route(method: string, p: string, body: Json, query: URLSearchParams): { status: number; body: Json } {
    const ok = (b: Json) => ({ status: 200, body: b });
    let m: RegExpExecArray | null;
    if (method === 'POST' && p === '/v1/checkout/sessions') return ok(this.createSession(body));
    if ((m = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/.exec(p)) && method === 'POST') {
      const s = this.sessions.get(m[1]);
      if (!s) return this.missing('checkout.session', m[1]);
      if (s.status !== 'open') return this.error(400, 'invalid_request_error', `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${String(s.status)}".`);
      Object.assign(s, { status: 'expired', url: null });
      return ok(s);
    }
    if ((m = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(p)) && method === 'GET') return this.sessions.has(m[1]) ? ok(this.sessions.get(m[1])!) : this.missing('checkout.session', m[1]);
    if ((m = /^\/v1\/payment_intents\/([^/]+)$/.exec(p)) && method === 'GET') return this.intents.has(m[1]) ? ok(this.intents.get(m[1])!) : this.missing('payment_intent', m[1]);
    if (method === 'POST' && p === '/v1/refunds') return this.createRefund(body);
    if (method === 'GET' && p === '/v1/refunds') {
      const charge = query.get('charge');
      const data = [...this.refunds.values()].filter((r) => !charge || r.charge === charge).reverse();
      return ok({ object: 'list', url: '/v1/refunds', has_more: false, data });
    }
    if (method === 'POST' && p === '/v1/transfers') return ok(this.createTransfer(body));
    if ((m = /^\/v1\/transfers\/([^/]+)\/reversals$/.exec(p)) && method === 'POST') {
      const t = this.transfers.get(m[1]);
      if (!t) return this.missing('transfer', m[1]);
      const amount = Number(body.amount ?? Number(t.amount) - Number(t.amount_reversed));
      if (amount > Number(t.amount) - Number(t.amount_reversed)) return this.error(400, 'invalid_request_error', 'Transfer reversal amount is greater than the remaining amount of the transfer.');
      t.amount_reversed = Number(t.amount_reversed) + amount;
      t.reversed = t.amount_reversed === t.amount;
      return ok({ ...fixture('transfer_reversal'), id: `trr_${rand()}`, amount, currency: t.currency, transfer: t.id, metadata: body.metadata ?? {}, created: now() });
    }
    if (method === 'POST' && p === '/v1/accounts') {
      const account = { ...fixture('account'), id: `acct_${rand()}`, type: body.type ?? 'express', email: body.email ?? null, metadata: body.metadata ?? {}, charges_enabled: false, payouts_enabled: false, details_submitted: false, created: now() };
      this.accounts.set(account.id, account);
      return ok(account);
    }
    if ((m = /^\/v1\/accounts\/([^/]+)$/.exec(p)) && method === 'GET') return this.accounts.has(m[1]) ? ok(this.accounts.get(m[1])!) : this.missing('account', m[1]);
    if (method === 'POST' && p === '/v1/account_links') {
      if (!this.accounts.has(String(body.account))) return this.missing('account', String(body.account));
      return ok({ ...fixture('account_link'), url: `https://connect.stripe.com/setup/e/${String(body.account)}/${rand()}`, created: now(), expires_at: now() + 300 });
    }
    if (method === 'GET' && p === '/v1/balance') return ok(fixture('balance'));
    return this.error(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${p}).`);
  }

  private missing(resource: string, id: string) {
    return this.error(404, 'invalid_request_error', `No such ${resource.replace(/^.*\./, '')}: '${id}'`, { code: 'resource_missing', param: 'id' });
  }

  private createSession(body: Json): Json {
    const items = (body.line_items as Json[] | undefined) ?? [];
    const total = items.reduce((s, i) => s + Number((i.price_data as Json).unit_amount) * Number(i.quantity ?? 1), 0);
    const id = `cs_test_${rand()}${rand()}`;
    const session = {
      ...fixture('checkout.session'),
      id,
      url: `https://checkout.stripe.com/c/pay/${id}`,
      mode: body.mode,
      amount_subtotal: total,
      amount_total: total,
      currency: (items[0]?.price_data as Json | undefined)?.currency ?? null,
      client_reference_id: body.client_reference_id ?? null,
      customer_email: body.customer_email ?? null,
      metadata: body.metadata ?? {},
      success_url: body.success_url,
      cancel_url: body.cancel_url,
      payment_intent: null,
      payment_status: 'unpaid',
      status: 'open',
      customer: null,
      created: now(),
      expires_at: now() + 86400,
      line_items_requested: items,
      payment_intent_data_requested: body.payment_intent_data ?? {},
    };
    this.sessions.set(id, session);
    return session;
  }

  /** The buyer paid on Stripe's page: the session completes with a PaymentIntent, its charge and a customer. */
  pay(sessionId: string, options: { paymentStatus?: 'paid' | 'unpaid' } = {}): Json {
    const s = this.sessions.get(sessionId);
    if (!s) throw new Error(`no session ${sessionId}`);
    const pi = `pi_${rand()}`;
    const charge = `ch_${rand()}`;
    const pid = s.payment_intent_data_requested as Json;
    this.intents.set(pi, {
      ...fixture('payment_intent'),
      id: pi,
      amount: s.amount_total,
      amount_received: s.amount_total,
      currency: s.currency,
      status: 'succeeded',
      latest_charge: charge,
      transfer_group: pid.transfer_group ?? null,
      metadata: pid.metadata ?? {},
      created: now(),
    });
    Object.assign(s, { status: 'complete', payment_status: options.paymentStatus ?? 'paid', payment_intent: pi, customer: `cus_${rand()}`, url: null });
    return s;
  }

  private createRefund(body: Json): { status: number; body: Json } {
    const intent = this.intents.get(String(body.payment_intent));
    if (!intent) return this.missing('payment_intent', String(body.payment_intent));
    const refunded = [...this.refunds.values()].filter((r) => r.payment_intent === intent.id && r.status !== 'failed').reduce((s, r) => s + Number(r.amount), 0);
    const amount = body.amount === undefined ? Number(intent.amount) - refunded : Number(body.amount);
    if (amount + refunded > Number(intent.amount)) {
      return this.error(400, 'invalid_request_error', `Refund amount (${amount}) is greater than unrefunded amount on charge (${Number(intent.amount) - refunded})`, { code: 'amount_too_large', param: 'amount' });
    }
    const refund = {
      ...fixture('refund'),
      id: `re_${rand()}`,
      amount,
      currency: intent.currency,
      charge: intent.latest_charge,
      payment_intent: intent.id,
      metadata: body.metadata ?? {},
      reason: body.reason ?? null,
      status: this.refundStatus,
      failure_reason: this.refundStatus === 'failed' ? 'expired_or_canceled_card' : null,
      created: now(),
    };
    this.refunds.set(refund.id, refund);
    return { status: 200, body: refund };
  }

  private createTransfer(body: Json): Json {
    const transfer = {
      ...fixture('transfer'),
      id: `tr_${rand()}`,
      amount: Number(body.amount),
      amount_reversed: 0,
      reversed: false,
      currency: body.currency,
      destination: body.destination,
      transfer_group: body.transfer_group ?? null,
      source_transaction: body.source_transaction ?? null,
      metadata: body.metadata ?? {},
      created: now(),
    };
    this.transfers.set(transfer.id, transfer);
    return transfer;
  }

  /** An event as Stripe sends it: the fixture of `event` around the object. */
  event(type: string, object: Json, id = `evt_${rand()}`): Json & { id: string; type: string } {
    return { ...fixture('event'), id, type, created: now(), livemode: false, data: { object: structuredClone(object) }, api_version: Stripe.API_VERSION ?? '2026-01-01' };
  }
}

const now = () => Math.floor(Date.now() / 1000);

/** Signs a payload as Stripe does (`Stripe-Signature: t=…,v1=…`), with the SDK's own test helper. */
export function stripeSignature(payload: string, secret: string, timestamp?: number): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp !== undefined ? { timestamp } : {}) });
}
