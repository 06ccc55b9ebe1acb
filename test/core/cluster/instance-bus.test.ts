import crypto from 'node:crypto';
import { expect } from 'chai';
import { ProcessBus, RedisBus, type BusMessage, type InstanceBus } from '../../../core/cluster/instance-bus';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Waits until `check` holds, polling; fails at the deadline (no sleep-based assertions). */
async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('instance bus', function () {
  this.timeout(20_000);

  it('in the process: a listener hears a message once, before publish resolves, and an unsubscribed one does not', async () => {
    const bus = new ProcessBus();
    const heard: BusMessage[] = [];
    const gone: BusMessage[] = [];
    bus.subscribe('t', (m) => void heard.push(m));
    const off = bus.subscribe('t', (m) => void gone.push(m));
    off();
    bus.subscribe('other', () => {
      throw new Error('a failing listener of another topic');
    });
    await bus.publish('t', { n: 1 });
    expect(heard).to.deep.equal([{ n: 1 }]);
    expect(gone).to.deep.equal([]);
    expect(await bus.ping()).to.equal(true);
    await bus.close();
  });

  describe('on Redis', () => {
    let a: InstanceBus;
    let b: InstanceBus;
    let elsewhere: InstanceBus;
    const prefix = `agora-test-bus-${crypto.randomBytes(4).toString('hex')}:`;

    before(async () => {
      a = await RedisBus.connect(REDIS_URL, prefix);
      b = await RedisBus.connect(REDIS_URL, prefix);
      // Another store on the same Redis.
      elsewhere = await RedisBus.connect(REDIS_URL, `${prefix}other:`);
    });
    after(async () => {
      await Promise.all([a.close(), b.close(), elsewhere.close()]);
    });

    it("carries a message to the other instance, gives the publisher its own once, and keeps stores apart", async () => {
      const onA: BusMessage[] = [];
      const onB: BusMessage[] = [];
      const onOther: BusMessage[] = [];
      a.subscribe('plugins', (m) => void onA.push(m));
      b.subscribe('plugins', (m) => void onB.push(m));
      elsewhere.subscribe('plugins', (m) => void onOther.push(m));
      await a.publish('plugins', { name: 'shops' });
      // Local delivery happened inside publish.
      expect(onA).to.deep.equal([{ name: 'shops' }]);
      await until(() => onB.length === 1);
      expect(onB).to.deep.equal([{ name: 'shops' }]);
      // A round trip from b to a proves a's echo of its own message has passed by now.
      await b.publish('plugins', { name: 'reviews' });
      await until(() => onA.length === 2);
      expect(onA).to.deep.equal([{ name: 'shops' }, { name: 'reviews' }]);
      expect(onB).to.deep.equal([{ name: 'shops' }, { name: 'reviews' }]);
      expect(onOther).to.deep.equal([]);
    });

    it('keeps topics apart and answers the readiness ping', async () => {
      const heard: string[] = [];
      b.subscribe('x', () => void heard.push('x'));
      b.subscribe('y', () => void heard.push('y'));
      await a.publish('y', {});
      await until(() => heard.length === 1);
      expect(heard).to.deep.equal(['y']);
      expect(await a.ping()).to.equal(true);
    });
  });
});
