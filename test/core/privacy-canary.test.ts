import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Model, ModelStatic } from 'sequelize';
import { startTestApp, createUser, type TestApp } from '../helpers/app';
import { rootDir } from '../../core/config';
import { Canaries, activeModels, canaryCheck } from '../../core/privacy/coverage';
import { OutboxMessage } from '../../core/mail/outbox-model';
import { PrivacyRegistry } from '../../core/privacy/registry';
import { shopModels } from '../plugins/shops/shop-models';

/** Every plugin that ships in plugins/. */
function bundledPlugins(): string[] {
  const dir = path.join(rootDir, 'plugins');
  return fs.readdirSync(dir).filter((name) => fs.existsSync(path.join(dir, name, 'plugin.json')));
}

import type { Seeded, Seeder } from '../helpers/privacy-seeder';

let shopSeq = 0;

/**
 * One seeder per model with personal columns, of core and of every bundled and fixture plugin. A model
 * that gains personal columns and has no seeder here fails the test ("unseeded"): the check is only as
 * good as what it seeds, so it refuses to pass silently over something new.
 */
const SEEDERS: Record<string, Seeder> = {
  async User(t, person, c) {
    const { User } = shopModels();
    await User.update(
      {
        username: c.for('User', 'username'),
        email: c.use('User', 'email', person.email),
        first_name: c.for('User', 'first_name'),
        last_name: c.for('User', 'last_name'),
        display_name: c.for('User', 'display_name'),
        birth_date: c.date('User', 'birth_date'),
        pending_email: c.email('User', 'pending_email'),
      },
      { where: { id: person.userId } },
    );
  },
  async OutboxMessage(_t, person, c) {
    await OutboxMessage.create({
      to_address: c.use('OutboxMessage', 'to_address', person.email),
      subject: 'Your order',
      text_body: `Hello ${c.for('OutboxMessage', 'text_body')}`,
      html_body: `<p>Hello ${c.for('OutboxMessage', 'html_body')}</p>`,
      status: 'kept',
    });
  },
  async Shop(_t, person, c) {
    const { Shop, ShopMember } = shopModels();
    const shop = await Shop.create({ owner_id: person.userId, name: `Canary shop ${++shopSeq}`, slug: `canary-shop-${shopSeq}-${Date.now()}`, currency: 'EUR', location: c.for('Shop', 'location') });
    await ShopMember.create({ shop_id: shop.id, user_id: person.userId, role: 'owner' });
  },
  async Address(_t, person, c) {
    const { Address } = shopModels();
    const a = (attr: string) => c.for('Address', attr);
    await Address.create({ user_id: person.userId, name: a('name'), line1: a('line1'), line2: a('line2'), city: a('city'), postcode: a('postcode'), country: 'FR', phone: a('phone') });
  },
  async CheckoutGroup(_t, person, c) {
    const { CheckoutGroup } = shopModels();
    await CheckoutGroup.create({ reference: `AG-CNRY-${++shopSeq}`, buyer_id: person.userId, email: c.email('CheckoutGroup', 'email'), currency: 'EUR', total: 1500, gateway: 'manual', status: 'paid' });
  },
  async Order(_t, person, c) {
    // A paid order: the eraser must keep it for tax (and say so), with only what an invoice needs.
    const { CheckoutGroup, Order, Shop } = shopModels();
    const { user: seller } = await createUser({ role: 'seller' });
    const shop = await Shop.create({ owner_id: seller.id, name: `Seller shop ${++shopSeq}`, slug: `seller-shop-${shopSeq}-${Date.now()}`, currency: 'EUR' });
    const group = await CheckoutGroup.create({ reference: `AG-CNRY-${++shopSeq}`, buyer_id: person.userId, email: person.email, currency: 'EUR', total: 1500, gateway: 'manual', status: 'paid' });
    const o = (attr: string) => c.for('Order', attr);
    await Order.create({
      number: `${group.reference}-1`,
      group_id: group.id,
      shop_id: shop.id,
      buyer_id: person.userId,
      status: 'paid',
      currency: 'EUR',
      subtotal: 1000,
      shipping_total: 500,
      total: 1500,
      platform_fee: 50,
      shipping_method: 'Post',
      email: c.email('Order', 'email'),
      ship_name: o('ship_name'),
      ship_line1: o('ship_line1'),
      ship_line2: o('ship_line2'),
      ship_city: o('ship_city'),
      ship_postcode: o('ship_postcode'),
      ship_country: 'FR',
      phone: o('phone'),
      paid_at: new Date(),
    });
  },
  async OrderNote(_t, person, c) {
    const { Order, OrderNote } = shopModels();
    const order = (await Order.findOne({ where: { buyer_id: person.userId } }))!;
    await OrderNote.create({ order_id: order.id, author_id: person.userId, author_side: 'buyer', body: `Please ring twice, ${c.for('OrderNote', 'body')}` });
  },
  async HelloGreeting(t, person, c) {
    await t.platform.sequelize.query('INSERT INTO hello_greetings (name, email, message, created_at) VALUES (?, ?, ?, ?)', {
      replacements: [c.for('HelloGreeting', 'name'), c.use('HelloGreeting', 'email', person.email), c.for('HelloGreeting', 'message'), new Date()],
    });
  },
  async HelloReferral(t, person, c) {
    await t.platform.sequelize.query('INSERT INTO hello_referrals (user_id, heard_from, created_at) VALUES (?, ?, ?)', { replacements: [person.userId, c.for('HelloReferral', 'heard_from'), new Date()] });
  },
};

/**
 * Each bundled plugin other than shops keeps its seeders beside its tests, in
 * `test/plugins/<name>/privacy-seeders.ts` (`export const seeders: Record<string, Seeder>`), so a plugin
 * adds its own without editing this file. They run after the ones above, in plugin-name order.
 */
async function pluginSeeders(): Promise<Record<string, Seeder>> {
  const all: Record<string, Seeder> = {};
  for (const name of bundledPlugins().sort()) {
    const file = path.join(rootDir, 'test', 'plugins', name, 'privacy-seeders.ts');
    if (!fs.existsSync(file)) continue;
    const mod = (await import(file)) as { seeders?: Record<string, Seeder> };
    for (const [model, seed] of Object.entries(mod.seeders ?? {})) {
      if (SEEDERS[model] || all[model]) throw new Error(`two seeders for the model ${model}`);
      all[model] = seed;
    }
  }
  return all;
}

/** The models of core and every active plugin, seeded in an order that lets later seeders find earlier rows. */
function walked(t: TestApp) {
  return activeModels(t.platform.sequelize.models as Record<string, ModelStatic<Model>>, (m) => t.platform.plugins.modelOwner(m), (p) => t.platform.plugins.isActive(p));
}

async function seedAll(t: TestApp, person: Seeded, c: Canaries, only?: (model: string) => boolean): Promise<void> {
  const names = new Set(walked(t).map((m) => m.model.name));
  const every = { ...SEEDERS, ...(await pluginSeeders()) };
  for (const [model, seed] of Object.entries(every)) if (names.has(model) && (!only || only(model))) await seed(t, person, c);
}

describe('privacy coverage with canaries: what exporters return and erasers leave', function () {
  this.timeout(60_000);
  let t: TestApp;
  const plugins = [...bundledPlugins(), 'hello', 'hello-friend'];
  before(async () => {
    t = await startTestApp({ plugins, fixtures: true });
  });
  after(async () => t.close());

  it('finds every canary of every personal column in the export, and none left after erasure unless kept with a reason', async () => {
    const { user } = await createUser({ email: 'canary.person@example.test' });
    const person = { email: 'canary.person@example.test', userId: user.id };
    const canaries = new Canaries();
    await seedAll(t, person, canaries);
    const report = await canaryCheck(t.platform.privacy, walked(t), canaries, person);
    expect(report.unseeded, 'personal columns the test does not seed yet').to.deep.equal([]);
    expect(report.notExported, 'canaries missing from the export').to.deep.equal([]);
    expect(report.notErased, 'canaries left after erasure without a reason').to.deep.equal([]);
    // The paid order is kept for tax with the name and the town, and the eraser says so.
    expect(report.keptWithReason).to.deep.equal(['Order.ship_city', 'Order.ship_name', 'Order.ship_postcode']);
    // The walk did reach core's, shops' and the fixtures' models.
    expect(canaries.entries().map((e) => e.model)).to.include.members(['User', 'OutboxMessage', 'Order', 'Address', 'Shop', 'HelloGreeting']);
  });

  it('catches an exporter that does not return a personal column, and columns no eraser removes', async () => {
    await t.platform.plugins.activate('leaky');
    try {
      const { user } = await createUser({ email: 'leak.person@example.test' });
      const person = { email: 'leak.person@example.test', userId: user.id };
      const canaries = new Canaries();
      await t.platform.sequelize.query('INSERT INTO leaky_notes (email, phone) VALUES (?, ?)', {
        replacements: [canaries.use('LeakyNote', 'email', person.email), canaries.for('LeakyNote', 'phone')],
      });
      const leaky = walked(t).filter((m) => m.owner === 'leaky');
      // The leaky exporter's covers list omits the phone; its export omits it too, which is what this sees.
      const report = await canaryCheck(t.platform.privacy, leaky, canaries, person);
      expect(report.notExported).to.deep.equal(['LeakyNote.phone']);
      expect(report.notErased).to.deep.equal([]);

      // Without its eraser (a registry holding only the exporter), both canaries stay, and the check names them.
      const again = new Canaries();
      await t.platform.sequelize.query('INSERT INTO leaky_notes (email, phone) VALUES (?, ?)', { replacements: [again.use('LeakyNote', 'email', person.email), again.for('LeakyNote', 'phone')] });
      const exportOnly = new PrivacyRegistry();
      for (const e of t.platform.privacy.listExporters().filter((x) => x.owner === 'leaky')) exportOnly.addExporter(e);
      const second = await canaryCheck(exportOnly, leaky, again, person);
      expect(second.notErased).to.deep.equal(['LeakyNote.email', 'LeakyNote.phone']);
    } finally {
      await t.platform.plugins.deactivate('leaky');
    }
  });
});
