import { expect } from 'chai';
import { startTestApp } from '../../helpers/app';

describe('reviews: uninstalling reviews, then shops, reverts every migration', function () {
  this.timeout(60_000);

  it("drops the reviews tables, then shops' tables (migration 0006's rating columns come off first)", async () => {
    const t = await startTestApp({ plugins: ['shops', 'reviews'] });
    const tables = async () => (await t.platform.sequelize.getQueryInterface().showAllTables()).map(String);
    try {
      expect(await tables()).to.include.members(['reviews_reviews', 'reviews_product_ratings', 'products']);
      await t.platform.plugins.deactivate('reviews');
      await t.platform.plugins.uninstall('reviews');
      expect((await tables()).filter((name) => name.startsWith('reviews_'))).to.deep.equal([]);
      await t.platform.plugins.deactivate('shops');
      await t.platform.plugins.uninstall('shops');
      expect(await tables()).not.to.include('products');
    } finally {
      await t.close();
    }
  });
});
