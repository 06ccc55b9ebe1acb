import { expect } from 'chai';
import { startTestApp, type TestApp } from '../../helpers/app';
import { shopModels } from './shop-models';
import { addToCart } from './order-helpers';

describe('shops digital goods on the demo store', () => {
  let t: TestApp;
  before(async function () {
    this.timeout(90_000);
    t = await startTestApp({ plugins: ['shops'], env: { DEMO_SEED: '1' } });
  });
  after(async () => t.close());

  it('sells the pottery gift card as a printable PDF: its product page says so and its cart asks for no delivery', async function () {
    this.timeout(30_000);
    const { ProductDownload } = await import('../../../plugins/shops/models/product-download');
    const card = (await shopModels().Product.findOne({ where: { title: 'Pottery Gift Card' } }))!;
    expect(card.is_digital).to.equal(true);
    const [file] = await ProductDownload.findAll({ where: { product_id: card.id } });
    expect(file.name).to.equal('terra-ceramics-gift-card.pdf');
    const pdf = await t.platform.files.forOwner('shops').private.read(file.file_id);
    expect(pdf!.subarray(0, 5).toString()).to.equal('%PDF-');
    expect((await t.agent().get(`/products/${card.slug}`)).text).to.include('Digital download');
    const buyer = t.agent();
    expect((await addToCart(buyer, card.id)).status).to.equal(303);
    expect((await buyer.get('/checkout')).text).to.include('Country you live in').and.not.include('Street address');
  });
});
