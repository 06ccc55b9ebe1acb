import { expect } from 'chai';
import type supertest from 'supertest';
import { startTestApp, loginAsAdmin, csrfFrom, type TestApp } from '../../helpers/app';

/** Issue 8, item 9: the platform's fixed fee is asked in the currency ("0.30"), stored in minor units (30). */
describe('a money setting (shops: the fixed platform fee)', () => {
  let t: TestApp;
  let admin: supertest.Agent;
  before(async () => {
    t = await startTestApp({ plugins: ['shops'] });
    admin = t.agent();
    await loginAsAdmin(admin);
  });
  after(async () => t.close());

  const feeFixed = () => t.platform.settings.get<{ feeFixed: number }>('shops').feeFixed;

  async function save(fields: Record<string, string>) {
    const page = await admin.get('/admin/settings/shops').expect(200);
    const current = Object.fromEntries([...page.text.matchAll(/<input type="text" id="[^"]+" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2].replace(/&#34;/g, '"').replace(/&amp;/g, '&')]));
    const selects = Object.fromEntries([...page.text.matchAll(/<select id="[^"]+" name="([^"]+)"[^>]*>[\s\S]*?<option value="([^"]*)" selected/g)].map((m) => [m[1], m[2]]));
    return admin.post('/admin/settings/shops').type('form').send({ _csrf: csrfFrom(page.text), ...current, ...selects, feePercent: '5', taxRetentionYears: '6', pendingOrderHours: '72', maxQuantityPerItem: '99', ...fields });
  }

  it('asks for the amount in the currency, not in minor units', async () => {
    const page = await admin.get('/admin/settings/shops').expect(200);
    expect(page.text).to.not.match(/minor units/i);
    expect(page.text).to.contain('Fixed platform fee per order (EUR)');
    expect(page.text).to.match(/name="feeFixed" value="0\.00" inputmode="decimal"/);
  });

  it('stores "0.30" as 30 and shows it back as 0.30', async () => {
    const res = await save({ feeFixed: '0.30' });
    expect(res.status, res.text.slice(0, 500)).to.equal(303);
    expect(feeFixed()).to.equal(30);
    expect((await admin.get('/admin/settings/shops').expect(200)).text).to.match(/name="feeFixed" value="0\.30"/);
    await save({ feeFixed: '1.5' }).then((r) => expect(r.status).to.equal(303));
    expect(feeFixed()).to.equal(150);
  });

  it('refuses an amount that is not one with 422 and a message beside the field, and keeps the old value', async () => {
    for (const bad of ['abc', '0.305', '-1', '1,2.3.4']) {
      const res = await save({ feeFixed: bad });
      expect(res.status, bad).to.equal(422);
      expect(res.text, bad).to.contain('Enter an amount in EUR, such as 0.30');
      expect(res.text, 'what was typed is shown again').to.contain(`name="feeFixed" value="${bad}"`);
    }
    expect(feeFixed()).to.equal(150);
  });
});
