import { expect } from 'chai';
import { startTestApp } from '../../../helpers/app';
import { paidTestpayCheckout, registerTestGateway, SignedTestGateway } from './test-gateway';

describe('shops: migration 0004 (two-phase payments)', function () {
  this.timeout(60_000);

  it('adds the payout account, attempt, review and refund-status columns, and reverts when shops is uninstalled with data', async () => {
    const t = await startTestApp({ freshMigrations: true });
    try {
      const q = t.platform.sequelize.getQueryInterface();
      expect(Object.keys(await q.describeTable('shops'))).to.include.members(['payout_account', 'payout_enabled']);
      expect(Object.keys(await q.describeTable('checkout_groups'))).to.include.members(['attempt', 'review_reason']);
      expect(Object.keys(await q.describeTable('refunds'))).to.include.members(['status', 'failure', 'actor_id', 'settled_at']);
      expect(Object.keys(await q.describeTable('payment_events'))).to.include.members(['currency', 'order_id', 'provider_ref']);
      // Rows that refer to the shops (orders, payment events): SQLite must still be able to drop the columns.
      registerTestGateway(t, new SignedTestGateway());
      await paidTestpayCheckout(t);
      await t.platform.plugins.deactivate('shops');
      await t.platform.plugins.uninstall('shops');
      const tables = (await q.showAllTables()).map(String);
      expect(tables.filter((name) => ['shops', 'orders', 'refunds', 'payment_events', 'checkout_groups'].includes(name))).to.deep.equal([]);
    } finally {
      await t.close();
    }
  });
});
