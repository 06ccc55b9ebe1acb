import { Op } from 'sequelize';
import { afterCommit, retentionWhere, type ExportItem, type PluginContext, type Retained } from '@agora/core';
import { Review, ReviewPhoto, ReviewReply, ReviewReport, ReviewVote } from './models';

const PER_PAGE = 100;

/**
 * A person's reviews, reports, votes and shop replies. Erasing (or closing the account) keeps published
 * reviews (buyers rely on them) without the author: the account link is cut, so the name shows as "A former
 * customer"; their photos and everything unpublished are deleted.
 */
export function reviewsPrivacy(ctx: PluginContext): void {
  ctx.privacy.exporter({
    name: 'reviews',
    covers: { ReviewReport: ['note'] },
    async exportPage(person, page) {
      if (!person.userId) return { items: [], done: true };
      const reviews = await Review.findAll({ where: { user_id: person.userId }, order: [['id', 'ASC']], limit: PER_PAGE, offset: (page - 1) * PER_PAGE });
      const photoRows = reviews.length ? await ReviewPhoto.findAll({ where: { review_id: reviews.map((r) => r.id) }, order: [['position', 'ASC'], ['id', 'ASC']] }) : [];
      // The person's photos are theirs to take along (Art. 20): the bytes, as messaging exports attachments.
      const photosOf = async (reviewId: number) => {
        const out = [];
        for (const p of photoRows.filter((x) => x.review_id === reviewId)) {
          const bytes = await ctx.files.private.read(p.file_id);
          const info = await ctx.files.private.info(p.file_id);
          out.push({ type: info?.type ?? null, size: bytes?.length ?? 0, content_base64: bytes ? bytes.toString('base64') : null });
        }
        return out;
      };
      const items: ExportItem[] = await Promise.all(
        reviews.map(async (r) => ({
          group: 'Reviews',
          id: r.id,
          data: {
            product: (await ctx.service('shops').productCard(r.product_id))?.title ?? `product ${r.product_id}`,
            rating: r.rating,
            title: r.title,
            body: r.body,
            status: r.status,
            reject_reason: r.reject_reason,
            photos: await photosOf(r.id),
            written_at: r.created_at,
            published_at: r.approved_at,
          },
        })),
      );
      if (page === 1) {
        const [reports, votes, replies] = await Promise.all([
          ReviewReport.findAll({ where: { user_id: person.userId }, order: [['id', 'ASC']] }),
          ReviewVote.findAll({ where: { user_id: person.userId }, order: [['id', 'ASC']] }),
          ReviewReply.findAll({ where: { user_id: person.userId }, order: [['id', 'ASC']] }),
        ]);
        items.push(...reports.map((r) => ({ group: 'Reports of reviews', id: r.id, data: { review: r.review_id, reason: r.reason, note: r.note, status: r.status, reported_at: r.created_at } as Record<string, unknown> })));
        items.push(...votes.map((v) => ({ group: 'Reviews you found helpful', id: v.id, data: { review: v.review_id, voted_at: v.created_at } as Record<string, unknown> })));
        items.push(...replies.map((r) => ({ group: 'Replies to reviews (for your shop)', id: r.id, data: { review: r.review_id, body: r.body, status: r.status, written_at: r.created_at } as Record<string, unknown> })));
      }
      return { items, done: reviews.length < PER_PAGE };
    },
  });

  ctx.privacy.eraser({
    name: 'reviews',
    covers: { ReviewReport: ['note'] },
    async erasePage(person) {
      if (!person.userId) return { removed: [], anonymized: [], retained: [], done: true };
      const userId = person.userId;
      const photoFiles: string[] = [];
      const outcome = await ctx.sequelize.transaction(async () => {
        const reviews = await Review.findAll({ where: { user_id: userId } });
        const photos = await ReviewPhoto.findAll({ where: { review_id: reviews.map((r) => r.id) } });
        for (const p of photos) photoFiles.push(p.file_id, p.thumb_file_id);
        await ReviewPhoto.destroy({ where: { review_id: reviews.map((r) => r.id) } });
        const published = reviews.filter((r) => r.status === 'approved');
        const unpublished = reviews.filter((r) => r.status !== 'approved');
        // Nothing of an unpublished review is counted in a rating; what hangs on it goes with it.
        await removeReviewRows(unpublished.map((r) => r.id));
        await Review.update({ user_id: null, anonymized_at: new Date(), photo_count: 0 }, { where: { id: published.map((r) => r.id) } });
        const votes = await ReviewVote.findAll({ where: { user_id: userId } });
        for (const v of votes) await Review.decrement({ helpful_count: 1 }, { where: { id: v.review_id, helpful_count: { [Op.gt]: 0 } } });
        await ReviewVote.destroy({ where: { user_id: userId } });
        const reports = await ReviewReport.findAll({ where: { user_id: userId } });
        for (const r of reports.filter((x) => x.status === 'open')) await Review.decrement({ report_count: 1 }, { where: { id: r.review_id, report_count: { [Op.gt]: 0 } } });
        await ReviewReport.destroy({ where: { user_id: userId } });
        const [replies] = await ReviewReply.update({ user_id: null }, { where: { user_id: userId } });
        return { published: published.length, unpublished: unpublished.length, photos: photos.length, votes: votes.length, reports: reports.length, replies };
      });
      for (const id of photoFiles) await ctx.files.private.remove(id);
      const removed = [
        outcome.unpublished ? `${outcome.unpublished} unpublished reviews` : '',
        outcome.photos ? `${outcome.photos} review photos` : '',
        outcome.votes ? `${outcome.votes} helpful votes` : '',
        outcome.reports ? `${outcome.reports} reports of reviews` : '',
      ].filter(Boolean);
      const anonymized = [outcome.published ? `${outcome.published} published reviews (shown as by "a former customer")` : '', outcome.replies ? `${outcome.replies} shop replies (the writer unlinked)` : ''].filter(Boolean);
      const retained: Retained[] = [
        ...(outcome.published ? [{ what: 'The rating, title and text of published reviews, without the author', reason: 'Other buyers rely on published reviews; nothing links them to the person any more', covers: { Review: ['title', 'body'] } }] : []),
        ...(outcome.replies ? [{ what: "Replies written for the shop, without the writer", reason: "They are the shop's public answers, not the person's", covers: { ReviewReply: ['body'] } }] : []),
      ];
      return { removed, anonymized, retained, done: true };
    },
  });

  ctx.privacy.retention('rejected-reviews', {
    label: 'Rejected and spam reviews (with their photos)',
    defaultDays: 180,
    legalBasis: 'legitimate_interests',
    async apply(cutoff, transaction, scope) {
      // Joins the sweep's transaction when given (a savepoint of it), so nothing waits on SQLite's writer.
      return ctx.sequelize.transaction({ transaction: transaction ?? undefined }, async (tx) => {
        const { where, held } = retentionWhere({ status: ['rejected', 'spam'], moderated_at: { [Op.lt]: cutoff } }, scope, { user: 'user_id' });
        const skipped = held ? await Review.count({ where: held }) : 0;
        const old = await Review.findAll({ where, limit: 1000 });
        const photos = await ReviewPhoto.findAll({ where: { review_id: old.map((r) => r.id) } });
        const removed = await removeReviewRows(old.map((r) => r.id));
        afterCommit(tx, async () => {
          for (const p of photos) {
            await ctx.files.private.remove(p.file_id);
            await ctx.files.private.remove(p.thumb_file_id);
          }
        });
        return { removed, anonymized: 0, skipped };
      });
    },
  });

  ctx.privacy.processing({
    data: ['display name (shown with the review)', 'rating, title, text and photos of reviews', 'reports of reviews', 'helpful votes', "sellers' replies"],
    purpose: 'Publish verified buyers’ reviews of products after moderation; let people report reviews and sellers answer them',
    legalBasis: 'legitimate_interests',
    recipients: ['visitors of the store (published reviews and replies)', 'moderators (everything submitted)', 'the shop (reviews of its products)'],
    retention: 'published reviews until erased (then kept without the author); reviews.rejected-reviews (180 days by default)',
  });
}

/** Deletes reviews with their photos' rows, votes, reports and reply (files are the caller's). */
async function removeReviewRows(ids: number[]): Promise<number> {
  if (!ids.length) return 0;
  await ReviewPhoto.destroy({ where: { review_id: ids } });
  await ReviewVote.destroy({ where: { review_id: ids } });
  await ReviewReport.destroy({ where: { review_id: ids } });
  await ReviewReply.destroy({ where: { review_id: ids } });
  return Review.destroy({ where: { id: ids } });
}
