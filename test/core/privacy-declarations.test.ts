import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startTestApp, createUser, type TestApp } from '../helpers/app';
import { PrivacyDeclarations, retentionDays } from '../../core/privacy/declarations';
import { OutboxMessage } from '../../core/mail/outbox-model';
import { shopModels } from '../plugins/shops/shop-models';

const DAY = 86_400_000;

describe('privacy declarations: retention rules and the record of processing', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'hello'], fixtures: true });
  });
  after(async () => t.close());

  const kinds = () => t.platform.privacy.retentions().map((r) => r.kind);

  it("lists core's, shops' and the example plugin's retention rules, each with its owner and legal basis", () => {
    expect(kinds()).to.include.members(['core.sessions', 'core.outbox', 'core.auth-tokens', 'shops.carts', 'shops.paid-orders', 'shops.unpaid-orders', 'shops.guest-contact', 'hello.greetings']);
    const hello = t.platform.privacy.retentions().find((r) => r.kind === 'hello.greetings')!;
    expect(hello).to.include({ owner: 'hello', legalBasis: 'consent', defaultDays: 365 });
    const owners = new Set(t.platform.privacy.processings().map((p) => p.owner));
    expect([...owners]).to.include.members(['core', 'shops', 'hello']);
    const record = t.platform.privacy.processings().find((p) => p.owner === 'hello')!;
    expect(record).to.deep.include({ legalBasis: 'consent', data: ['name', 'email address', 'message'] });
  });

  it('keeps paid orders for the tax years of the store setting', async () => {
    const paid = t.platform.privacy.retentions().find((r) => r.kind === 'shops.paid-orders')!;
    expect(retentionDays(paid)).to.equal(6 * 365);
    const current = t.platform.settings.get<Record<string, unknown>>('shops');
    await t.platform.options.set('settings.shops', { ...current, taxRetentionYears: 10 });
    try {
      expect(retentionDays(paid)).to.equal(3650);
    } finally {
      await t.platform.options.set('settings.shops', current);
    }
  });

  it("applies the example plugin's rule: greetings older than the cutoff go, newer ones stay", async () => {
    const q = 'INSERT INTO hello_greetings (name, email, message, created_at) VALUES (?, ?, ?, ?)';
    await t.platform.sequelize.query(q, { replacements: ['Old', 'old@example.test', 'long ago', new Date(Date.now() - 400 * DAY)] });
    await t.platform.sequelize.query(q, { replacements: ['New', 'new@example.test', 'just now', new Date()] });
    const rule = t.platform.privacy.retentions().find((r) => r.kind === 'hello.greetings')!;
    const outcome = await rule.apply(new Date(Date.now() - retentionDays(rule) * DAY));
    expect(outcome).to.deep.equal({ removed: 1, anonymized: 0, skipped: 0 });
    const rows = await t.platform.sequelize.query<{ name: string }>('SELECT name FROM hello_greetings', { type: QueryTypes.SELECT });
    expect(rows.map((r) => r.name)).to.deep.equal(['New']);
  });

  it("applies shops' cart rule and core's outbox rule inside the caller's transaction", async () => {
    const { Cart } = shopModels();
    const { user: stale } = await createUser();
    const { user: fresh } = await createUser();
    const old = new Date(Date.now() - 200 * DAY);
    const oldCart = await Cart.create({ user_id: stale.id });
    // Sequelize always stamps updated_at itself, so the age is set in SQL.
    await t.platform.sequelize.query('UPDATE carts SET updated_at = ? WHERE id = ?', { replacements: [old, oldCart.id] });
    await Cart.create({ user_id: fresh.id });
    await OutboxMessage.create({ to_address: 'gone@example.test', subject: 'Old', text_body: 'x', html_body: null, status: 'kept', created_at: old });
    await OutboxMessage.create({ to_address: 'queued@example.test', subject: 'Waiting', text_body: 'x', html_body: null, status: 'queued', created_at: old });
    const rule = (kind: string) => t.platform.privacy.retentions().find((r) => r.kind === kind)!;
    const cutoff = new Date(Date.now() - 90 * DAY);
    // A rolled-back transaction takes the rules' work with it.
    await t.platform.sequelize
      .transaction(async (transaction) => {
        expect((await rule('shops.carts').apply(cutoff, transaction)).removed).to.equal(1);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await Cart.count({ where: { user_id: stale.id } })).to.equal(1);
    expect(await rule('shops.carts').apply(cutoff)).to.deep.equal({ removed: 1, anonymized: 0, skipped: 0 });
    expect(await Cart.count({ where: { user_id: [stale.id, fresh.id] } })).to.equal(1);
    expect((await rule('core.outbox').apply(cutoff)).removed).to.equal(1);
    expect(await OutboxMessage.count({ where: { to_address: 'queued@example.test' } }), 'a queued email still goes out').to.equal(1);
  });

  it("removes a plugin's declarations when it is deactivated, and brings them back with it", async () => {
    await t.platform.plugins.deactivate('hello');
    expect(kinds()).not.to.include('hello.greetings');
    expect(t.platform.privacy.processings().filter((p) => p.owner === 'hello')).to.deep.equal([]);
    expect(kinds(), "the others' stay").to.include('shops.carts');
    await t.platform.plugins.activate('hello');
    expect(kinds().filter((k) => k === 'hello.greetings')).to.have.length(1);
  });

  it('refuses a second rule for one kind, a made-up legal basis and a retention of no days', () => {
    const registry = new PrivacyDeclarations();
    const rule = { owner: 'x', kind: 'x.notes', label: 'Notes', defaultDays: 30, legalBasis: 'consent' as const, apply: async () => ({ removed: 0, anonymized: 0 }) };
    registry.addRetention(rule);
    expect(() => registry.addRetention({ ...rule })).to.throw('already declared');
    expect(() => registry.addRetention({ ...rule, kind: 'x.other', legalBasis: 'because' as never })).to.throw('unknown legal basis');
    expect(() => registry.addRetention({ ...rule, kind: 'x.zero', defaultDays: 0 })).to.throw('at least 1');
    expect(() => registry.addProcessing({ owner: 'x', data: ['a'], purpose: 'p', legalBasis: 'whim' as never, recipients: [], retention: '' })).to.throw('unknown legal basis');
  });
});
