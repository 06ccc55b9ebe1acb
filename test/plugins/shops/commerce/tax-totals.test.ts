import { expect } from 'chai';
import { csrfFrom, loginAsAdmin, startTestApp, type TestApp } from '../../../helpers/app';
import { addToCart, checkout, makeProduct, makeShop, setShopsSettings } from '../order-helpers';
import { shopModels } from '../shop-models';
import { allocate, priceOrder, taxOf } from '../../../../plugins/shops/services/order-pricing';

/** A small deterministic generator, so a failing basket can be found again from its seed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s % n;
  };
}

describe('shops: tax and totals add up', function () {
  this.timeout(300_000);

  it('rounds each line half up, inclusive and exclusive', () => {
    expect(taxOf(1000, 2000, false)).to.equal(200);
    expect(taxOf(1005, 550, false)).to.equal(55); // 55.275
    expect(taxOf(1003, 1000, false)).to.equal(100); // 100.3
    expect(taxOf(1200, 2000, true)).to.equal(200);
    expect(taxOf(1055, 550, true)).to.equal(55); // 54.98
    expect(allocate(100, [100, 100, 100])).to.deep.equal([34, 33, 33]);
    expect(allocate(100, [1, 1, 1])).to.deep.equal([1, 1, 1]); // never more than a line's amount
  });

  it('holds lines − discounts + shipping (+ tax when added) = total, and tax lines = tax total, over 2000 mixed baskets', () => {
    const rates = [0, 550, 700, 1000, 1900, 2000, 2100];
    for (let seed = 1; seed <= 2000; seed++) {
      const r = rng(seed);
      const inclusive = seed % 2 === 0;
      const lines = Array.from({ length: 1 + r(6) }, () => {
        const amount = (1 + r(20_000)) * (1 + r(3));
        const discount = r(3) === 0 ? r(amount + 1) : 0;
        return { amount, rate: rates[r(rates.length)], discount, platformDiscount: r(4) === 0 ? r(amount - discount + 1) : 0 };
      });
      const shipping = r(2) ? r(2000) : 0;
      const m = priceOrder({ lines, shipping, shippingRate: rates[r(rates.length)], pricesIncludeTax: inclusive });
      const sumLines = lines.reduce((s, l) => s + l.amount, 0);
      const discounts = m.discount + m.platformDiscount;
      expect(m.total, `seed ${seed}`).to.equal(sumLines - discounts + shipping + (inclusive ? 0 : m.taxTotal));
      expect(m.taxLines.reduce((s, l) => s + l.tax, 0), `seed ${seed}`).to.equal(m.taxTotal);
      // Tax bases and tax, line by line, make exactly what the buyer pays.
      expect(m.taxLines.reduce((s, l) => s + l.base + l.tax, 0) + m.lines.filter((l) => l.rate === 0).reduce((s, l) => s + l.gross, 0) + (m.shippingRate === 0 ? shipping : 0), `seed ${seed}`).to.equal(m.total);
      for (const l of m.lines) expect(l.tax).to.be.at.least(0);
    }
  });

  describe('through the admin tax table, the product form class and checkout', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp();
    });
    after(async () => t.close());

    it('charges the delivery country’s rates on a mixed basket, included or added, and the order adds up', async () => {
      const admin = t.agent();
      await loginAsAdmin(admin);
      const page = await admin.get('/admin/tax');
      expect(page.text).to.include('Tax rates');
      const bad = await admin.post('/admin/tax').type('form').send({ _csrf: csrfFrom(page.text), country: 'DE', tax_class: 'standard', rate: '90', label: 'VAT' });
      expect(bad.status).to.equal(422);
      expect(bad.text).to.include('between 0 and 50');
      expect((await admin.post('/admin/tax').type('form').send({ _csrf: csrfFrom(page.text), country: 'DE', tax_class: 'reduced', rate: '7', label: 'MwSt' })).status).to.equal(303);

      const { shop } = await makeShop(t, { name: 'Books and Mugs', methods: [{ name: 'Post', price: 599 }] });
      const book = await makeProduct(t, shop, { title: 'Atlas', price: 1999 });
      await shopModels().Product.update({ tax_class: 'reduced' }, { where: { id: book.id } });
      const mug = await makeProduct(t, shop, { title: 'Mug', price: 1250 });
      const { Order, OrderItem } = shopModels();

      for (const inclusive of [true, false]) {
        await setShopsSettings(t, { pricesIncludeTax: inclusive });
        const buyer = t.agent();
        await addToCart(buyer, book.id, 3);
        await addToCart(buyer, mug.id, 2);
        const cart = await buyer.get('/cart');
        expect(cart.text).to.include('VAT 20%').and.include('VAT 5.5%'); // estimated at the store's country, FR
        expect((await checkout(buyer, { country: 'DE', city: 'Berlin', postcode: '10115' })).status).to.equal(303);
        const order = (await Order.findOne({ where: { shop_id: shop.id }, order: [['id', 'DESC']] }))!;
        const items = await OrderItem.findAll({ where: { order_id: order.id }, order: [['id', 'ASC']] });
        expect(items.map((i) => i.tax_rate).sort()).to.deep.equal([1900, 700].sort());
        const lineTax = items.reduce((s, i) => s + i.tax_amount, 0);
        expect(order.tax_total).to.equal(lineTax + order.shipping_tax);
        expect(order.shipping_tax_rate).to.equal(1900);
        const expected = order.subtotal - order.discount_total - order.platform_discount + order.shipping_total + (inclusive ? 0 : order.tax_total);
        expect(order.total).to.equal(expected);
        if (inclusive) expect(order.total).to.equal(5997 + 2500 + 599);
        else expect(order.tax_total).to.equal(Math.floor((2 * 5997 * 700 + 10000) / 20000) + Math.floor((2 * 2500 * 1900 + 10000) / 20000) + Math.floor((2 * 599 * 1900 + 10000) / 20000));
      }
    });
  });
});
