import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startTestApp, createUser, login, type TestApp } from '../../helpers/app';
import { User } from '../../../core/auth/user-model';
import { OutboxMessage } from '../../../core/mail/outbox-model';
import { ERASED_BODY } from '../../../core/mail/outbox-redaction';
import { addToCart, checkout, makeProduct, makeShop, postForm } from '../../plugins/shops/order-helpers';
import { shopModels } from '../../plugins/shops/shop-models';
import { submit } from './support';

/** Waits for the background jobs (the order and note mails) to have written their outbox rows. */
async function outboxSettles(t: TestApp, atLeast: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await OutboxMessage.count({ where: { status: ['kept', 'sent'] } })) >= atLeast) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`fewer than ${atLeast} mails reached the outbox`);
}

/** Every row of every table, as text, with the name of the table. */
async function everyRow(t: TestApp): Promise<Array<{ table: string; text: string }>> {
  const tables = (await t.platform.sequelize.getQueryInterface().showAllTables()).map((x) => (typeof x === 'string' ? x : (x as { tableName: string }).tableName));
  const out: Array<{ table: string; text: string }> = [];
  for (const table of tables) {
    const rows = await t.platform.sequelize.query<Record<string, unknown>>(`SELECT * FROM "${table}"`, { type: QueryTypes.SELECT });
    for (const row of rows) out.push({ table, text: JSON.stringify(row) });
  }
  return out;
}

describe('closing an account leaves nothing of the person, the outbox included', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['shops'] });
  });
  after(async () => t.close());

  it('a unique marker in every field the person typed is in no table after /account/close; the send records stay', async () => {
    const marker = `qmk${Date.now().toString(36)}`;
    const m = (field: string) => `${marker}${field}`;
    const { user, password } = await createUser({ username: m('user'), email: `${m('mail')}@example.test` });
    await User.update({ first_name: m('first'), last_name: m('last'), display_name: m('shown') }, { where: { id: user.id } });

    const { shop, seller, password: sellerPassword } = await makeShop(t);
    const product = await makeProduct(t, shop, { title: 'Marker mug' });
    const agent = t.agent();
    await login(agent, user.email, password);
    await addToCart(agent, product.id, 1);
    const placed = await checkout(agent, { email: `${m('ordermail')}@example.test`, name: m('shipname'), line1: m('line1'), line2: m('line2'), city: m('city'), postcode: m('post'), phone: '' });
    expect(placed.status, placed.text.slice(0, 300)).to.equal(303);
    const order = (await shopModels().Order.findOne({ where: { buyer_id: user.id } }))!;
    expect((await postForm(agent, `/account/orders/${order.number}/notes`, { body: `Ring twice ${m('note')}` })).status).to.equal(303);
    const sellerAgent = t.agent();
    await login(sellerAgent, seller.username, sellerPassword);
    expect((await postForm(sellerAgent, `/seller/orders/${order.number}/notes`, { body: 'Will do.' })).status).to.equal(303);
    // The buyer's confirmation, the seller's new-order mail, the seller's note mail and the buyer's.
    await outboxSettles(t, 4);
    const before = (await everyRow(t)).filter((r) => r.table === 'outbox' && r.text.includes(marker));
    expect(before.length, 'mails holding the markers before closing').to.be.at.least(2);
    const mailCount = await OutboxMessage.count();

    const closed = await submit(agent, '/account/close', '/account/close', { password, confirm: 'on' });
    expect(closed.status).to.equal(200);
    expect(closed.text).to.contain('Your account is closed');

    const left = (await everyRow(t)).filter((r) => r.text.includes(marker));
    expect(left.map((r) => `${r.table}: ${r.text.slice(0, 400)}`)).to.deep.equal([]);
    // The record that each mail was sent is kept; what the buyer's own mails said is not.
    expect(await OutboxMessage.count()).to.equal(mailCount);
    expect(await OutboxMessage.count({ where: { text_body: ERASED_BODY } })).to.be.at.least(2);
  });
});
