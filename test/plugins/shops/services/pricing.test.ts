import { expect } from 'chai';
import { percentOf, platformFee } from '../../../../plugins/shops/services/pricing';
import type { PluginContext } from '../../../../core/plugins/context';
import type { ShopsSettings } from '../../../../plugins/shops/settings';

/** The two things platformFee asks of the plugin: its settings and the fee filter. */
function feeContext(settings: Partial<ShopsSettings>, filter: (fee: number) => number = (fee) => fee): Pick<PluginContext, 'hooks' | 'settings'> {
  return {
    settings: { get: <T>() => ({ feePercent: 5, feeFixed: 0, ...settings }) as T, define: () => () => undefined },
    hooks: { apply: async (_name: string, value: number) => filter(value) } as unknown as PluginContext['hooks'],
  };
}

describe('shops: the platform fee', () => {
  it('takes a percentage rounded half up, in whole minor units', () => {
    expect(percentOf(1050, 5)).to.equal(53); // 52.5 → 53
    expect(percentOf(1049, 5)).to.equal(52); // 52.45 → 52
    expect(percentOf(1030, 2.5)).to.equal(26); // 25.75 → 26
    expect(percentOf(10, 15)).to.equal(2); // 1.5 → 2
    expect(percentOf(0, 5)).to.equal(0);
    expect(percentOf(99_999_999_999, 50)).to.equal(50_000_000_000); // no floating point drift on big amounts
    expect(percentOf(333, 33.3333)).to.equal(111);
  });

  it('adds the fixed part and lets a filter adjust it, refusing nonsense from the filter', async () => {
    expect(await platformFee(feeContext({ feePercent: 5, feeFixed: 30 }), { shopId: 1, subtotal: 2100, currency: 'EUR' })).to.equal(135);
    expect(await platformFee(feeContext({ feePercent: 5, feeFixed: 30 }, (fee) => fee * 2), { shopId: 1, subtotal: 2100, currency: 'EUR' })).to.equal(270);
    expect(await platformFee(feeContext({ feePercent: 5, feeFixed: 30 }, () => -1), { shopId: 1, subtotal: 2100, currency: 'EUR' })).to.equal(135);
    expect(await platformFee(feeContext({ feePercent: 5, feeFixed: 30 }, () => 1.5), { shopId: 1, subtotal: 2100, currency: 'EUR' })).to.equal(135);
  });
});
