import type { Seeder } from '../../helpers/privacy-seeder';
import { Review, ReviewReport } from '../../../plugins/reviews/models';

let seq = 900_000;

/**
 * The person's report of someone else's review, for the privacy canary test (test/core/privacy-canary.test.ts).
 * Review and reply texts are published words kept without the author (not `personal`); their erasure is
 * tested in test/plugins/reviews/privacy.test.ts.
 */
export const seeders: Record<string, Seeder> = {
  async ReviewReport(_t, person, c) {
    const other = await Review.create({ product_id: 1, shop_id: 1, order_id: 1, order_item_id: ++seq, user_id: null, rating: 1, title: 'Buy elsewhere', body: 'Visit my shop instead.', status: 'approved', approved_at: new Date() });
    await ReviewReport.create({ review_id: other.id, user_id: person.userId, reason: 'spam', note: c.for('ReviewReport', 'note') });
  },
};
