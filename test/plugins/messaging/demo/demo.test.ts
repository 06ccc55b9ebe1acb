import { expect } from 'chai';
import { login, startTestApp, type TestApp } from '../../../helpers/app';
import { messagingModels } from '../messaging-helpers';

describe('messaging: the demo store', function () {
  this.timeout(120_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'messaging'], env: { DEMO_SEED: '1' } });
  });
  after(async () => t.close());

  it('gives the demo buyer a conversation with a demo shop, answered, and the seller sees it in Support', async () => {
    const { Conversation, Message } = messagingModels();
    const conversations = await Conversation.findAll();
    expect(conversations).to.have.length(1);
    const [c] = conversations;
    expect([c.kind, c.status, c.buyer_unread]).to.deep.equal(['shop', 'waiting_buyer', 1]);
    expect((await Message.findAll({ where: { conversation_id: c.id }, order: [['id', 'ASC']] })).map((m) => m.author_side)).to.deep.equal(['buyer', 'seller']);

    const buyer = t.agent();
    await login(buyer, 'buyer@demo.agora.local', 'agora-demo-buyer');
    const list = await buyer.get('/account/messages');
    expect(list.text).to.contain(c.subject).and.contain('1 new');
    const seller = t.agent();
    await login(seller, 'seller1@demo.agora.local', 'agora-demo-seller-1');
    expect((await seller.get('/seller/messages')).text).to.contain(c.subject);
  });
});
