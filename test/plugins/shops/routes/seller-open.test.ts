import { expect } from 'chai';
import { startTestApp, createUser, login, type TestApp } from '../../../helpers/app';
import { filesUnder, noisyPng, openShop, pngImage, sellerWithShop, postMultipart, shopFormFields } from '../catalog-helpers';
import { shopModels } from '../shop-models';

const CAP = 60_000;

describe('shops: opening a shop and its settings', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['shops'], env: { UPLOAD_MAX_BYTES: String(CAP) } });
  });
  after(async () => t.close());

  async function customer() {
    const { user, password } = await createUser();
    const agent = t.agent();
    await login(agent, user.username, password);
    return { agent, user };
  }

  it('sends a guest to log in first', async () => {
    const res = await t.agent().get('/seller/open').expect(302);
    expect(res.headers.location).to.equal('/login?next=%2Fseller%2Fopen');
  });

  it('sends a customer without a shop from /seller to /seller/open', async () => {
    const { agent } = await customer();
    const res = await agent.get('/seller').expect(302);
    expect(res.headers.location).to.equal('/seller/open');
  });

  it('opens a shop with a logo, makes the customer its owner and a seller, with a new session id', async () => {
    const { agent, user } = await customer();
    const opened: number[] = [];
    const dispose = t.platform.hooks.on('test', 'shops.shop.opened', (shop, ownerId) => {
      opened.push(shop.id, ownerId);
    });
    const res = await openShop(agent, { name: 'Blue Pottery', slug: 'blue-pottery', shipping: [{ name: 'Post', price: '4.90', free_over: '60', countries: 'pt, es' }] }, [
      { field: 'logo', data: await pngImage('#123456', 300, 300), filename: 'logo.png' },
    ]);
    dispose();
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    expect(res.headers.location).to.equal('/seller');
    expect(String(res.headers['set-cookie'])).to.contain('agora.sid=');

    const { Shop, ShopMember, ShippingMethod, User } = shopModels();
    const shop = await Shop.findOne({ where: { slug: 'blue-pottery' } });
    expect(shop?.owner_id).to.equal(user.id);
    expect(shop?.logo_path).to.match(/^shops\/\d+\/[\w-]+\.webp$/);
    expect(filesUnder(t.config.uploadsDir)).to.include(shop!.logo_path);
    expect(await ShopMember.count({ where: { shop_id: shop!.id, user_id: user.id, role: 'owner' } })).to.equal(1);
    const [method] = await ShippingMethod.findAll({ where: { shop_id: shop!.id } });
    expect({ name: method.name, price: method.price, free_over: method.free_over, countries: method.countries }).to.deep.equal({ name: 'Post', price: 490, free_over: 6000, countries: 'PT,ES' });
    expect((await User.findByPk(user.id))?.role).to.equal('seller');
    expect(opened).to.deep.equal([shop!.id, user.id]);

    const dashboard = await agent.get('/seller').expect(200);
    expect(dashboard.text).to.contain('Blue Pottery');
    expect(dashboard.text).to.contain('Latest announcements');
    const again = await agent.get('/seller/open').expect(303);
    expect(again.headers.location).to.equal('/seller');
  });

  it('keeps a moderator a moderator when they open a shop', async () => {
    const { user, password } = await createUser({ role: 'moderator' });
    const agent = t.agent();
    await login(agent, user.username, password);
    expect((await openShop(agent)).status).to.equal(303);
    expect((await shopModels().User.findByPk(user.id))?.role).to.equal('moderator');
  });

  describe('refuses bad input with 422, writes no row and leaves no file', () => {
    const cases: Array<{ what: string; fields: Parameters<typeof shopFormFields>[0]; field: string; files?: () => Promise<Array<{ field: string; data: Buffer; filename: string }>> }> = [
      { what: 'an empty name', fields: { name: '' }, field: 'name' },
      { what: 'a bad address', fields: { slug: 'Not A Slug!' }, field: 'slug' },
      { what: 'an address already taken', fields: { slug: 'taken-shop' }, field: 'slug' },
      { what: 'no shipping method', fields: { shipping: [{ name: '', price: '', free_over: '', countries: '' }] }, field: 'shipping' },
      { what: 'a negative shipping price', fields: { shipping: [{ name: 'Post', price: '-4.00' }] }, field: 'shipping.0.price' },
      { what: 'a made-up country', fields: { shipping: [{ name: 'Post', price: '4.00', countries: 'Portugal' }] }, field: 'shipping.0.countries' },
      { what: 'an unknown currency', fields: { currency: 'XXX' }, field: 'currency' },
      { what: 'a logo that is a text file named .png', fields: {}, field: 'logo', files: async () => [{ field: 'logo', data: Buffer.from('hello, I am not a picture'), filename: 'logo.png' }] },
      { what: 'a banner over the size cap', fields: {}, field: 'banner', files: async () => [{ field: 'banner', data: await noisyPng(), filename: 'banner.png' }] },
    ];
    let agent: Awaited<ReturnType<typeof customer>>['agent'];
    let userId: number;
    before(async () => {
      await sellerWithShop(t, { slug: 'taken-shop' });
      ({ agent, user: { id: userId } } = await customer());
    });

    for (const c of cases) {
      it(`refuses ${c.what}`, async () => {
        const filesBefore = filesUnder(t.config.uploadsDir);
        const valid = [{ field: 'logo', data: await pngImage(), filename: 'ok.png' }];
        const res = await openShop(agent, c.fields, c.files ? [...(c.field === 'banner' ? valid : []), ...(await c.files())] : valid);
        expect(res.status).to.equal(422);
        expect(res.text).to.contain('Please correct the marked fields');
        expect(res.text).to.match(/class="error" role="alert"/);
        const { Shop, User } = shopModels();
        expect(await Shop.count({ where: { owner_id: userId } })).to.equal(0);
        expect((await User.findByPk(userId))?.role).to.equal('customer');
        expect(filesUnder(t.config.uploadsDir)).to.deep.equal(filesBefore);
      });
    }

    it('shows the message beside the field and keeps what was typed', async () => {
      const res = await openShop(agent, { name: 'Kept Name', slug: 'Bad Slug', shipping: [{ name: 'Courier', price: 'abc' }] });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('value="Kept Name"');
      expect(res.text).to.contain('Use lowercase letters, digits and single hyphens');
      expect(res.text).to.contain('Enter a shipping price like 12.50');
      expect(res.text).to.contain('value="Courier"');
    });
  });

  describe('settings', () => {
    it('turns vacation mode on with a message, edits and adds shipping methods, and only its own', async () => {
      const { agent, shop } = await sellerWithShop(t);
      const other = await sellerWithShop(t);
      const { ShippingMethod, Shop } = shopModels();
      const [mine] = await ShippingMethod.findAll({ where: { shop_id: shop.id } });
      const [theirs] = await ShippingMethod.findAll({ where: { shop_id: other.shop.id } });
      const fields = {
        ...shopFormFields({ name: 'Renamed Shop' }),
        vacation_mode: 'on',
        vacation_message: 'Back in May',
        'shipping[0][id]': String(mine.id),
        'shipping[0][price]': '3.00',
        'shipping[1][id]': String(theirs.id),
        'shipping[1][name]': 'Sneaky',
        'shipping[1][price]': '1.00',
      };
      delete (fields as Record<string, string>).slug;
      const res = await postMultipart(agent, '/seller/settings', '/seller/settings', fields, [{ field: 'banner', data: await pngImage('#aa0000', 800, 200), filename: 'b.png' }]);
      expect(res.status, res.text.slice(0, 500)).to.equal(303);
      const saved = await Shop.findByPk(shop.id);
      expect(saved?.name).to.equal('Renamed Shop');
      expect(saved?.vacation_mode).to.equal(true);
      expect(saved?.vacation_message).to.equal('Back in May');
      expect(saved?.banner_path).to.match(/^shops\//);
      expect(saved?.slug).to.equal(shop.slug);
      const methods = await ShippingMethod.findAll({ where: { shop_id: shop.id }, order: [['position', 'ASC']] });
      expect(methods.map((m) => [m.name, m.price])).to.deep.equal([['Standard', 300], ['Sneaky', 100]]);
      expect(methods[0].id).to.equal(mine.id);
      const untouched = await ShippingMethod.findByPk(theirs.id);
      expect([untouched?.shop_id, untouched?.name, untouched?.price]).to.deep.equal([other.shop.id, 'Standard', 450]);
    });

    it('asks for a vacation message, and writes nothing without one', async () => {
      const { agent, shop } = await sellerWithShop(t);
      const fields: Record<string, string> = { ...shopFormFields({ name: 'Changed' }), vacation_mode: 'on', vacation_message: '' };
      const res = await postMultipart(agent, '/seller/settings', '/seller/settings', fields);
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('Tell buyers when you will be back');
      const saved = await shopModels().Shop.findByPk(shop.id);
      expect([saved?.name, saved?.vacation_mode]).to.deep.equal(['Test Shop', false]);
    });
  });

});
