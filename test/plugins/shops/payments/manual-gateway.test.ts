import { expect } from 'chai';
import { startTestApp, type TestApp } from '../../../helpers/app';
import type * as ManualModule from '../../../../plugins/shops/payments/manual-gateway';
import type { ShopsSettings } from '../../../../plugins/shops/settings';
import { pluginModule } from '../order-helpers';
import { shopModels } from '../shop-models';

describe('shops: the manual payment gateway', () => {
  let t: TestApp;
  let manual: InstanceType<typeof ManualModule.ManualGateway>;
  let settings: Partial<ShopsSettings>;

  before(async () => {
    t = await startTestApp();
    const { ManualGateway } = await pluginModule<typeof ManualModule>('payments/manual-gateway.ts');
    settings = { manualGatewayEnabled: true, manualGatewayInstructions: 'Pay IBAN FR76 0000 at delivery.' };
    manual = new ManualGateway(() => settings as ShopsSettings);
  });
  after(async () => t.close());

  it('starts a payment as pending, with the site owner’s instructions', async () => {
    const start = await manual.createPayment({ groupId: 7, reference: 'AG-TEST-0001', amount: 1000, currency: 'EUR', email: 'a@b.test', description: 'x', returnUrl: '', cancelUrl: '', orders: [], attempt: 1, idempotencyKey: 'agora-AG-TEST-0001-attempt-1' });
    expect(start).to.deep.equal({ kind: 'immediate', status: 'pending', paymentRef: 'manual:AG-TEST-0001', instructions: 'Pay IBAN FR76 0000 at delivery.' });
    expect(manual.isAvailable()).to.equal(true);
    settings.manualGatewayEnabled = false;
    expect(manual.isAvailable()).to.equal(false);
    settings.manualGatewayEnabled = true;
  });

  it('reports the status of the checkout group it was asked about', async () => {
    const { CheckoutGroup } = shopModels();
    await CheckoutGroup.create({ reference: 'AG-STAT-0001', buyer_id: null, email: 'x@y.test', currency: 'EUR', total: 100, gateway: 'manual', payment_ref: 'manual:AG-STAT-0001', status: 'pending' });
    expect(await manual.paymentStatus('manual:AG-STAT-0001')).to.equal('pending');
    await CheckoutGroup.update({ status: 'paid' }, { where: { reference: 'AG-STAT-0001' } });
    expect(await manual.paymentStatus('manual:AG-STAT-0001')).to.equal('paid');
    expect(await manual.paymentStatus('manual:unknown')).to.equal('failed');
  });

  it('describes one refund per idempotency key', async () => {
    const request = { paymentRef: 'manual:AG-X', amount: 500, currency: 'EUR', idempotencyKey: 'same-key-1234567890', order: { id: 1, number: 'AG-X-1', shopId: 1, payoutAccount: null } };
    const first = await manual.refund(request);
    const second = await manual.refund(request);
    expect(first).to.deep.equal(second);
    expect(first.status).to.equal('succeeded');
    expect((await manual.refund({ ...request, idempotencyKey: 'other-key-1234567890' })).refundRef).to.not.equal(first.refundRef);
  });
});
