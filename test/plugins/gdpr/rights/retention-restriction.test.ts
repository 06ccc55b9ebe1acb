import { expect } from 'chai';
import { startTestApp, createUser, loginAsAdmin, csrfFrom, type TestApp } from '../../../helpers/app';
import { OutboxMessage } from '../../../../core/mail/outbox-model';
import { RightsRequest } from '../../../../plugins/gdpr/rights/models/rights-request';
import { RetentionRun } from '../../../../plugins/gdpr/rights/models/retention-run';
import { restrictedPeople } from '../../../../plugins/gdpr/rights/services/retention-sweep';
import { retentionWhere } from '../../../../core/privacy/retention-scope';
import { shopModels } from '../../shops/shop-models';

const DAY = 86_400_000;

describe('gdpr retention: records of a person with a pending request are skipped until it is answered (time travel)', function () {
  this.timeout(90_000);
  let t: TestApp;
  let admin: ReturnType<TestApp['agent']>;
  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'gdpr'] });
    admin = t.agent();
    await loginAsAdmin(admin);
  });
  after(async () => t.close());

  const age = async (table: string, id: number, days: number, columns: string[]) => {
    const when = new Date(Date.now() - days * DAY);
    await t.platform.sequelize.query(`UPDATE ${table} SET ${columns.map((c) => `${c} = :when`).join(', ')} WHERE id = :id`, { replacements: { when, id } });
  };
  const run = async (dryRun: boolean) => {
    const page = await admin.get('/admin/privacy/retention');
    const res = await admin.post('/admin/privacy/retention/run').type('form').send({ _csrf: csrfFrom(page.text), ...(dryRun ? { dry_run: '1' } : {}) });
    expect(res.status).to.equal(303);
    const id = Number(/run=(\d+)/.exec(res.headers.location as string)![1]);
    return { run: (await RetentionRun.findByPk(id))!, page: await admin.get(res.headers.location as string) };
  };
  const line = (r: RetentionRun, kind: string) => r.lines().find((l) => l.kind === kind)!;

  it('keeps the old cart and mail of a person whose access request is verified, lists them as skipped in the dry run, and sweeps them once the request is completed', async () => {
    const { Cart } = shopModels();
    const { user: held } = await createUser();
    const { user: free } = await createUser();
    const heldCart = await Cart.create({ user_id: held.id });
    const freeCart = await Cart.create({ user_id: free.id });
    await age('carts', heldCart.id, 120, ['created_at', 'updated_at']);
    await age('carts', freeCart.id, 120, ['created_at', 'updated_at']);
    // A guest's request names an address: the mail sent to it is theirs (the email is matched in any case).
    const mail = await OutboxMessage.create({ to_address: held.email.toUpperCase(), subject: 'Your order', text_body: 'Hello', status: 'sent' });
    await age('outbox', mail.id, 200, ['created_at']);

    const request = await RightsRequest.create({ kind: 'access', email: held.email, email_hash: 'h', user_id: null, source: 'email', status: 'verified', received_at: new Date() });
    const scope = await restrictedPeople(true);
    expect(scope.restrictedEmails).to.include(held.email.toLowerCase());
    expect(scope.restrictedUserIds, 'the address is an account: its id is restricted too').to.include(held.id);

    const dry = await run(true);
    expect(line(dry.run, 'shops.carts')).to.include({ removed: 1, skipped: 1 });
    expect(line(dry.run, 'core.outbox').skipped).to.equal(1);
    expect(dry.page.text).to.include('Skipped (pending request)');
    expect(await Cart.count({ where: { id: [heldCart.id, freeCart.id] } })).to.equal(2);

    const real = await run(false);
    expect(line(real.run, 'shops.carts')).to.include({ removed: 1, skipped: 1 });
    expect(await Cart.findByPk(heldCart.id)).to.not.equal(null);
    expect(await Cart.findByPk(freeCart.id)).to.equal(null);
    expect(await OutboxMessage.findByPk(mail.id)).to.not.equal(null);

    // Accepted is still pending; completed is answered.
    await request.update({ status: 'accepted' });
    expect(line((await run(false)).run, 'shops.carts').skipped).to.equal(1);
    await request.update({ status: 'completed', completed_at: new Date() });
    const after = await run(false);
    expect(line(after.run, 'shops.carts')).to.include({ removed: 1, skipped: 0 });
    expect(await Cart.findByPk(heldCart.id)).to.equal(null);
    expect(await OutboxMessage.findByPk(mail.id)).to.equal(null);
  });

  it('an account request restricts its address too, and unverified requests restrict nobody', async () => {
    const { user } = await createUser();
    await RightsRequest.create({ kind: 'erasure', email: 'someone-else@example.test', email_hash: 'h', user_id: null, source: 'email', status: 'awaiting_verification', received_at: new Date() });
    const byAccount = await RightsRequest.create({ kind: 'erasure', email: 'old-address@example.test', email_hash: 'h', user_id: user.id, source: 'account', status: 'verified', received_at: new Date() });
    const scope = await restrictedPeople(false);
    expect(scope.restrictedUserIds).to.include(user.id);
    expect(scope.restrictedEmails).to.include.members([user.email.toLowerCase(), 'old-address@example.test']);
    expect(scope.restrictedEmails).to.not.include('someone-else@example.test');
    await byAccount.update({ status: 'rejected' });
  });

  it('a row with no person is never taken for a restricted one (NULL is not NOT IN anything): it is swept as before', async () => {
    const { user } = await createUser();
    const pending = await RightsRequest.create({ kind: 'access', email: user.email, email_hash: 'h', user_id: user.id, source: 'account', status: 'verified', received_at: new Date() });
    const guest = await RightsRequest.create({ kind: 'access', email: 'never-confirmed@example.test', email_hash: 'h', user_id: null, source: 'email', status: 'expired', received_at: new Date() });
    await age('gdpr_rights_requests', guest.id, 40, ['created_at', 'updated_at']);
    const { run: swept } = await run(false);
    expect(line(swept, 'gdpr.unverified-requests')).to.include({ removed: 1, skipped: 0 });
    expect(await RightsRequest.findByPk(guest.id)).to.equal(null);
    await pending.update({ status: 'completed', completed_at: new Date() });
    expect(retentionWhere({ status: 'x' }, undefined, { user: 'buyer_id' })).to.deep.equal({ where: { status: 'x' } });
  });
});
