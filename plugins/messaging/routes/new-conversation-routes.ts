import type { Request, Response } from 'express';
import { requireUser, type FieldErrors, type PluginContext } from '@agora/core';
import type { MessagingSettings } from '../settings';
import { newConversationSchema } from '../forms/message-forms';
import { attachmentUpload, readAttachments } from '../services/attachments';
import { resolveTarget, targetQuery, type Target, type TargetQuery } from '../services/targets';
import { startConversation } from '../services/conversations';
import { MessagingRefusal } from '../services/refusal';
import { newSubmissionKey, notice, refusalOf, typedValues } from './form-helpers';

const FIELDS = ['subject', 'body', 'about', 'submission'] as const;

interface Choice {
  value: string;
  label: string;
}

/** "Contact seller" (from a product), "Contact me" (from a shop) and "Message the seller/buyer" (from an order). */
export function newConversationRoutes(ctx: PluginContext, settings: () => MessagingSettings): void {
  const { router } = ctx;
  const shops = () => ctx.service('shops');

  /** What the message may be about: the product, one of the buyer's orders from this shop, or something else. */
  const aboutChoices = async (user: Express.User, target: Target): Promise<Choice[]> => {
    if (target.orderId) return [{ value: `order:${target.orderId}`, label: `Order ${target.orderNumber}` }];
    const choices: Choice[] = [];
    if (target.productId) choices.push({ value: `product:${target.productId}`, label: `The product “${target.productTitle}”` });
    for (const o of await shops().buyerOrders(user.id, target.shopId)) choices.push({ value: `order:${o.orderId}`, label: `My order ${o.number} of ${o.createdAt.toISOString().slice(0, 10)}` });
    choices.push({ value: 'general', label: 'Something else' });
    return choices;
  };

  const show = async (req: Request, res: Response, target: Target, values: Record<string, string>, errors: FieldErrors = {}, status = 200) => {
    const context = { viewer: req.user ?? null, kind: 'shop' as const };
    const formSections = await ctx.forms.render('messaging.contact', { req, context, body: req.method === 'POST' ? req.body : undefined, errors });
    const s = settings();
    await res.renderPage(
      'messaging/new',
      { title: target.starterSide === 'buyer' ? `Contact ${target.shopName}` : `Message the buyer of order ${target.orderNumber}`, target, choices: await aboutChoices(req.user!, target), values, errors, formSections, limits: s },
      status,
    );
  };

  const backOf = (query: TargetQuery) => (query.orderId ? { href: '/seller/orders', label: 'Back to the orders' } : { href: '/account/messages', label: 'Your conversations' });

  router.get('/messages/new', requireUser, async (req, res) => {
    const query = targetQuery(req.query as Record<string, unknown>);
    let target: Target;
    try {
      target = await resolveTarget(ctx, req.user!, query);
    } catch (error) {
      if (error instanceof MessagingRefusal) return notice(res, req, error.message, backOf(query));
      throw error;
    }
    const subject = target.orderNumber ? `About order ${target.orderNumber}` : target.productTitle ? `Question about “${target.productTitle}”`.slice(0, 200) : '';
    const about = target.orderId ? `order:${target.orderId}` : target.productId ? `product:${target.productId}` : 'general';
    await show(req, res, target, { subject, body: '', about, submission: newSubmissionKey() });
  });

  router.post('/messages/new', requireUser, attachmentUpload(ctx, settings), async (req, res) => {
    const s = settings();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = typedValues(body, FIELDS);
    // The shop (or order) the form was shown for; `about` then narrows it to a product or an order of that shop.
    const shown = targetQuery(body);
    let target: Target;
    try {
      target = await resolveTarget(ctx, req.user!, { shopId: shown.shopId, orderId: shown.orderId });
    } catch (error) {
      if (error instanceof MessagingRefusal) return notice(res, req, error.message, backOf(shown), 422);
      throw error;
    }
    const fail = (errors: FieldErrors, status = 422) => show(req, res, target, { ...values, submission: values.submission || newSubmissionKey() }, errors, status);

    const context = { viewer: req.user ?? null, kind: 'shop' as const };
    const parsed = await ctx.forms.parse('messaging.contact', newConversationSchema(s.maxMessageChars), body, { req, context });
    const files = readAttachments(req, s);
    if (!parsed.ok || 'error' in files) return fail({ ...(parsed.ok ? {} : parsed.errors), ...('error' in files ? { attachments: files.error } : {}) });

    const { data } = parsed;
    if (!target.orderId && data.about !== 'general') {
      const [kind, raw] = data.about.split(':');
      const id = Number(raw);
      const narrowed = await resolveTarget(ctx, req.user!, kind === 'order' ? { orderId: id } : { productId: id }).catch(() => undefined);
      if (!narrowed || narrowed.shopId !== target.shopId || narrowed.starterSide !== 'buyer') return fail({ about: 'Choose what your message is about' });
      target = { ...target, productId: narrowed.productId, productTitle: narrowed.productTitle, orderId: narrowed.orderId, orderNumber: narrowed.orderNumber };
    }

    try {
      const { conversation, repeated } = await startConversation(ctx, s, {
        kind: 'shop',
        shopId: target.shopId,
        productId: target.productId,
        orderId: target.orderId,
        buyerId: target.buyerId,
        starter: req.user!,
        starterSide: target.starterSide,
        subject: data.subject,
        body: data.body,
        files: files.files,
        submissionKey: data.submission,
        commitSections: (tx, ids) =>
          ctx.forms.commit('messaging.contact', tx, parsed.sections, req, { ...ids, kind: 'shop', userId: req.user!.id, email: req.user!.email }),
      });
      if (repeated) res.flash('info', 'This message was already sent; here is the conversation.');
      else if (conversation.held) res.flash('info', 'Your message waits for a quick check by the store’s team before the seller sees it (a first message with a link, from a new account).');
      else res.flash('success', target.starterSide === 'buyer' ? `Your message was sent to ${target.shopName}.` : 'Your message was sent to the buyer.');
      res.redirect(303, `/messages/${conversation.id}`);
    } catch (error) {
      const refused = refusalOf(ctx, error);
      if (!refused) throw error;
      return fail(refused.errors, refused.status);
    }
  });
}
