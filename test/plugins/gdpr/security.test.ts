import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { startTestApp, createUser, loginAsAdmin, csrfFrom, login, type TestApp } from '../../helpers/app';
import { shopModels } from '../shops/shop-models';
import { dataKeyId } from '../../../core/privacy/encryption/data-keys';
import { ReencryptionRun } from '../../../plugins/gdpr/security/reencryption-run';

const NEW_KEY = 'the-new-data-key-after-rotation-0123456789abcdef';

async function until<T>(what: () => Promise<T | null | undefined | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('gdpr: security of processing (/admin/privacy/security): encrypted fields, keys, re-encryption', function () {
  this.timeout(120_000);
  let t: TestApp;
  after(async () => t?.close());

  it('lists the encrypted fields and the key, refuses strangers and forms without CSRF, and two presses at once start one re-encryption that moves every row to a rotated key', async () => {
    t = await startTestApp({ plugins: ['shops', 'gdpr'] });
    const { Address } = shopModels();
    const { user, password } = await createUser();
    await Address.create({ user_id: user.id, name: 'Ada', line1: '1 Secret Lane', city: 'Hiddenville', postcode: 'H1 1DN', country: 'GB', phone: '+44 20 0000 0000' });
    const firstKey = fs.readFileSync(path.join(t.dataDir, 'data-keys'), 'utf8').trim();
    const oldId = dataKeyId(firstKey);

    const admin = t.agent();
    await loginAsAdmin(admin);
    const page = await admin.get('/admin/privacy/security');
    expect(page.status).to.equal(200);
    for (const field of ['User.birth_date', 'Address.line1', 'Address.postcode', 'Address.phone', 'Order.ship_city', 'Order.phone']) expect(page.text).to.include(field);
    expect(page.text).to.include(oldId).and.include('current: writes every new value');
    expect(page.text).to.include('0 values to rewrite');

    const stranger = t.agent();
    await login(stranger, user.email, password);
    expect((await stranger.get('/admin/privacy/security')).status).to.equal(403);
    expect((await admin.post('/admin/privacy/security/reencrypt').type('form').send({})).status).to.equal(403);

    // Rotation: a new current key, the old one kept to read; every instance restarted.
    await t.stop();
    t = await startTestApp({ plugins: ['shops', 'gdpr'], reuse: { dataDir: t.dataDir, db: t.db }, env: { DATA_KEY: NEW_KEY, DATA_KEYS_PREVIOUS: firstKey } });
    const again = t.agent();
    await loginAsAdmin(again);
    const rotated = await again.get('/admin/privacy/security');
    expect(rotated.text).to.include(dataKeyId(NEW_KEY)).and.include('previous: read only');
    expect(rotated.text).to.match(/[1-9]\d* values? to rewrite/);

    // Two admins press at once: one run is queued, the other is told it is under way.
    const token = csrfFrom(rotated.text);
    const [a, b] = await Promise.all([
      again.post('/admin/privacy/security/reencrypt').type('form').send({ _csrf: token }),
      again.post('/admin/privacy/security/reencrypt').type('form').send({ _csrf: token }),
    ]);
    expect([a.status, b.status]).to.deep.equal([303, 303]);
    const runs = await ReencryptionRun.findAll();
    expect(runs).to.have.length(1);
    const done = await until(async () => {
      const r = await ReencryptionRun.findByPk(runs[0].id);
      return r && ['done', 'failed'].includes(r.status) ? r : null;
    });
    expect(done.status, done.error ?? '').to.equal('done');
    expect(done.total).to.be.at.least(4);
    expect(done.retired()).to.deep.equal([oldId]);
    expect(done.active).to.equal(null);

    const after = await again.get('/admin/privacy/security');
    expect(after.text).to.include('0 values to rewrite');
    expect(after.text).to.include(`<td data-label="Retired">${oldId}</td>`);
    const status = await t.platform.encryption.status();
    expect(status.every((s) => Object.keys(s.byKey).every((k) => k === dataKeyId(NEW_KEY)))).to.equal(true);
    expect((await shopModels().Address.findOne({ where: { user_id: user.id } }))!.city).to.equal('Hiddenville');

    // The old key can now go: the store starts with the new one alone.
    await t.stop();
    t = await startTestApp({ plugins: ['shops', 'gdpr'], reuse: { dataDir: t.dataDir, db: t.db }, env: { DATA_KEY: NEW_KEY } });
    expect((await shopModels().Address.findOne({ where: { user_id: user.id } }))!.postcode).to.equal('H1 1DN');
  });
});
