import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startTestApp, login, type TestApp } from '../../helpers/app';
import { countRows } from './follows-helpers';

describe('follows: the demo store', function () {
  this.timeout(180_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'follows'], env: { DEMO_SEED: '1' } });
    await t.platform.jobs.idle(60_000);
  });
  after(async () => t.close());

  it('lets the demo buyer see two followed shops, their products heard of once each, unread in the header, and a favourite', async () => {
    const agent = t.agent();
    await login(agent, 'buyer@demo.agora.local', 'agora-demo-buyer');
    const following = await agent.get('/account/following').expect(200);
    expect(following.text.match(/class="panel follows-shop"/g)).to.have.length(2);
    const [buyer] = await t.platform.sequelize.query<{ id: number }>("SELECT id FROM users WHERE email = 'buyer@demo.agora.local'", { type: QueryTypes.SELECT });
    const told = await countRows(t, 'follows_notifications', 'user_id = ?', [buyer.id]);
    // At least two products of each followed shop (the queued jobs of the catalog's own events may tell more).
    expect(told).to.be.at.least(4);
    const doubles = await t.platform.sequelize.query(
      'SELECT e.product_id FROM follows_notifications n JOIN follows_events e ON e.id = n.event_id WHERE n.user_id = ? GROUP BY e.product_id HAVING COUNT(*) > 1',
      { replacements: [buyer.id], type: QueryTypes.SELECT },
    );
    expect(doubles).to.deep.equal([]);
    expect((await agent.get('/').expect(200)).text).to.contain(`<span class="follows-bell-count">${told}</span>`);
    expect((await agent.get('/account/favourites').expect(200)).text.match(/class="panel follows-shop"/g)).to.have.length(1);
  });
});
