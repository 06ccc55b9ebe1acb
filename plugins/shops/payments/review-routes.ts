import type { RequestHandler, Response } from 'express';
import { z } from 'zod';
import { requireUser, forbidden, notFound, formatMoney, parseForm, type PluginContext, type FieldErrors } from '@agora/core';
import { CheckoutGroup } from '../models/checkout-group';
import { Order } from '../models/order';
import { PaymentEvent } from '../models/payment-event';
import { resolveReview } from '../services/order-payments';
import { escapeHtml } from '../services/text';

const CAP = 'shops.orders.manage_all';

const decisionSchema = z.object({
  decision: z.enum(['accept', 'cancel'], 'Choose to accept the payment or cancel the orders'),
  note: z.string().trim().max(500, 'At most 500 characters').default(''),
});

/**
 * Payments in review (the provider reported another amount or currency than the checkout, or paid a
 * checkout no longer waiting): a dashboard widget that counts them and the admin page that lists them,
 * where the admin accepts the payment or cancels the orders.
 */
export function paymentReviewRoutes(ctx: PluginContext): void {
  const { router } = ctx;
  const mayReview: RequestHandler = (req, _res, next) => {
    ctx.capabilities
      .can(req.user, CAP)
      .then((ok) => next(ok ? undefined : forbidden()))
      .catch(next);
  };
  const guard = [requireUser, mayReview];

  ctx.admin.menu({ id: 'shops-payment-review', label: 'Payments to review', href: '/admin/payments/review', capability: CAP, order: 31 });
  ctx.admin.widget({
    id: 'shops-payment-review',
    title: 'Payments to review',
    capability: CAP,
    render: async () => {
      const groups = await CheckoutGroup.findAll({ where: { status: 'needs_review' }, order: [['updated_at', 'DESC']], limit: 5 });
      if (!groups.length) return '<p class="payment-review-widget muted">No payment waits for review.</p>';
      const items = groups.map((g) => `<li><strong>${escapeHtml(g.reference)}</strong>: ${escapeHtml(g.review_reason ?? '')}</li>`).join('');
      const total = await CheckoutGroup.count({ where: { status: 'needs_review' } });
      return `<div class="payment-review-widget"><p>${total} ${total === 1 ? 'payment needs' : 'payments need'} review; the orders stay unpaid.</p><ul>${items}</ul><p><a href="/admin/payments/review">Review payments</a></p></div>`;
    },
  });

  const page = async (res: Response, errors: FieldErrors = {}, status = 200) => {
    const groups = await CheckoutGroup.findAll({ where: { status: 'needs_review' }, order: [['updated_at', 'DESC']], limit: 100 });
    const ids = groups.map((g) => g.id);
    const [orders, events] = await Promise.all([
      Order.findAll({ where: { group_id: ids }, order: [['id', 'ASC']], attributes: ['id', 'group_id', 'number', 'status', 'total', 'currency'] }),
      PaymentEvent.findAll({ where: { group_id: ids }, order: [['id', 'ASC']] }),
    ]);
    await res.renderPage(
      'shops/admin/payment-review',
      {
        title: 'Payments to review',
        groups: groups.map((group) => ({ group, orders: orders.filter((o) => o.group_id === group.id), events: events.filter((e) => e.group_id === group.id) })),
        formatMoney,
        errors,
      },
      status,
    );
  };

  router.get('/admin/payments/review', ...guard, async (_req, res) => page(res));

  router.post('/admin/payments/review/:reference', ...guard, async (req, res) => {
    const group = await CheckoutGroup.findOne({ where: { reference: String(req.params.reference) } });
    if (!group) throw notFound('checkout');
    const parsed = parseForm(decisionSchema, req.body);
    // The decision is a pair of buttons, not a field: its message goes at the top of the page.
    if (!parsed.ok) return page(res, { form: Object.values(parsed.errors).join(' ') }, 422);
    const done = await resolveReview(ctx, group.id, parsed.data.decision, req.user!.id, parsed.data.note);
    if (!done) return page(res, { form: `Checkout ${group.reference} is not in review any more.` }, 409);
    res.flash('success', parsed.data.decision === 'accept' ? `Payment of ${group.reference} accepted; its orders are paid.` : `Orders of ${group.reference} cancelled; refund the payment at the provider.`);
    res.redirect(303, '/admin/payments/review');
  });
}
