import { expect } from 'chai';
import { startTestApp, createUser, type TestApp } from '../../helpers/app';
import { createProduct, sellerWithShop } from './catalog-helpers';
import { shopModels } from './shop-models';

describe('shops: privacy of the people who run shops', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['shops'] });
  });
  after(async () => t.close());

  it('exports the shops a person runs: name, address, location, role and when it opened', async () => {
    const { user, shop } = await sellerWithShop(t, { name: 'Export Shop', slug: 'export-shop', location: 'Faro, Portugal' });
    const result = await t.platform.privacy.exportPerson({ email: user.email, userId: user.id });
    const section = result.sections.find((s) => s.owner === 'shops' && s.exporter === 'shops');
    expect(section?.items).to.have.length(1);
    const [item] = section!.items;
    expect(item.group).to.equal('Shops you run');
    expect(item.data).to.include({ name: 'Export Shop', slug: 'export-shop', location: 'Faro, Portugal', role: 'owner' });
    expect(new Date(item.data.created_at as string).getTime()).to.equal(shop.created_at.getTime());

    const stranger = await createUser();
    const none = await t.platform.privacy.exportPerson({ email: stranger.user.email });
    expect(none.sections.find((s) => s.exporter === 'shops')?.items).to.deep.equal([]);
  });

  it('erases the owner from their shop: closed, products unpublished, owner and location gone, the rest kept and said why', async () => {
    const { user, shop, agent } = await sellerWithShop(t, { name: 'Closing Shop', slug: 'closing-shop', location: 'Braga, Portugal' });
    await createProduct(agent, { title: 'Last Lamp', status: 'published' });
    const staff = await createUser();
    const { ShopMember, Shop, Product, User } = shopModels();
    const otherShop = await sellerWithShop(t);
    await ShopMember.create({ shop_id: otherShop.shop.id, user_id: user.id, role: 'staff' });
    await ShopMember.create({ shop_id: shop.id, user_id: staff.user.id, role: 'staff' });
    await t.agent().get('/products/last-lamp').expect(200);

    const result = await t.platform.privacy.erasePerson({ email: user.email, userId: user.id });
    const section = result.sections.find((s) => s.owner === 'shops' && s.eraser === 'shops')!;
    expect(section.error).to.equal(undefined);
    expect(section.anonymized).to.deep.equal(['shop "Closing Shop": owner link removed, location blanked, shop closed and 1 product unpublished']);
    expect(section.removed).to.deep.equal(['membership of 1 shop run by others']);
    expect(section.retained[0].reason).to.contain('orders are kept for tax');

    const closed = (await Shop.findByPk(shop.id))!;
    expect([closed.owner_id, closed.location, closed.vacation_mode, closed.product_count, closed.name]).to.deep.equal([null, '', true, 0, 'Closing Shop']);
    expect((await Product.findOne({ where: { slug: 'last-lamp' } }))!.status).to.equal('draft');
    expect(await ShopMember.count({ where: { user_id: user.id } })).to.equal(0);
    expect(await ShopMember.count({ where: { shop_id: shop.id, user_id: staff.user.id } }), 'other members stay').to.equal(1);
    expect((await Shop.findByPk(otherShop.shop.id))!.owner_id, 'a shop they only helped in keeps its owner').to.equal(otherShop.user.id);
    expect(await User.findByPk(user.id), 'core removed the account after').to.equal(null);

    await t.agent().get('/products/last-lamp').expect(404);
    const page = await t.agent().get('/shops/closing-shop').expect(200);
    expect(page.text).to.contain('This shop is closed.');
    expect(page.text).to.not.contain('Braga');
    expect((await t.agent().get('/shops').expect(200)).text).to.not.contain('Closing Shop');
  });

  it('reports nothing for a person who runs no shop', async () => {
    const { user } = await createUser();
    const result = await t.platform.privacy.erasePerson({ email: user.email, userId: user.id });
    const section = result.sections.find((s) => s.owner === 'shops' && s.eraser === 'shops')!;
    expect([section.removed, section.anonymized, section.retained]).to.deep.equal([[], [], []]);
  });
});
