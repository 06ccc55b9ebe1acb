import type { Request, Response } from 'express';
import type { PluginContext } from '@agora/core';
import { CheckoutGroup } from '../models/checkout-group';
import { Order } from '../models/order';
import { DownloadGrant } from '../models/product-download-grant';
import { hasGuestKey, signedExpiry, truncatedIp } from '../services/download-links';
import { claimDownload, type GrantState } from '../services/download-service';
import { buyerLink } from '../services/order-mail';
import { idParam } from './upload-helpers';

/** Each refusal with its status and what the person can do about it. */
const REFUSALS = {
  tampered: { status: 403, title: 'This download link is not valid', message: 'The link was changed or cut short. Open the download from your order page or from the email, exactly as it was sent.' },
  stranger: { status: 403, title: 'This download is not yours', message: 'Only the buyer of this order can download it. If you bought it, open the link from your email, or log in with the account you ordered with.' },
  login: { status: 403, title: 'Log in to download', message: 'This download belongs to an order placed with an account. Log in as its buyer, then open the link again.' },
  revoked: { status: 410, title: 'This download has ended', message: 'The order was refunded, so its download link no longer works. Contact the seller from your order page if you think this is a mistake.' },
  expired: { status: 410, title: 'This download link has expired', message: 'The link was valid for a limited time after payment, and that time has passed. The seller can help from your order page.' },
  used_up: { status: 410, title: 'No downloads left on this link', message: 'This file was downloaded as many times as the purchase allows. The seller can help from your order page.' },
  gone: { status: 404, title: 'This download is no longer available', message: 'There is no download at this address any more.' },
} as const;

type Refusal = keyof typeof REFUSALS;

/**
 * `/downloads/:id`: the buyer's signed link to one purchased file. Refused, in this order, when the signature
 * is not the site's (403), when the person is not the buyer (403: another account, or a guest link without the
 * order's key), and when the access ended: refunded, expired, used up (410). Otherwise one download is claimed
 * (a conditional update) and recorded, then the private file is sent.
 */
export function downloadRoutes(ctx: PluginContext): void {
  const secret = ctx.config.sessionSecret;

  const refuse = async (req: Request, res: Response, reason: Refusal, orderLink?: string) => {
    const r = REFUSALS[reason];
    res.set('Cache-Control', 'private, no-store');
    await res.renderPage('shops/downloads/refused', { title: r.title, heading: r.title, message: r.message, reason, orderLink: orderLink ?? null, loginHref: `/login?next=${encodeURIComponent(req.originalUrl)}` }, r.status);
  };

  ctx.router.get('/downloads/:id', async (req, res) => {
    const id = idParam(req.params.id);
    const query = req.query as Record<string, unknown>;
    const signed = id === undefined ? undefined : signedExpiry(secret, id, query);
    if (id === undefined || signed === undefined) return refuse(req, res, 'tampered');
    const grant = await DownloadGrant.findByPk(id);
    const order = grant ? await Order.findByPk(grant.order_id, { attributes: ['id', 'number', 'buyer_id', 'group_id'] }) : null;
    const group = order ? await CheckoutGroup.findByPk(order.group_id, { attributes: ['id', 'reference'] }) : null;
    if (!grant || !order || !group) return refuse(req, res, 'gone');

    if (order.buyer_id !== null) {
      if (!req.user) return refuse(req, res, 'login');
      if (req.user.id !== order.buyer_id) return refuse(req, res, 'stranger');
    } else if (!hasGuestKey(secret, group.reference, query)) {
      return refuse(req, res, 'stranger');
    }
    const orderLink = buyerLink(ctx, order, group.reference);

    const before: GrantState = grant.state();
    if (before !== 'available') return refuse(req, res, before, orderLink);
    // The link's own date counts too: a link is never honoured past the expiry it was signed with.
    if (signed > 0 && signed * 1000 <= Date.now()) return refuse(req, res, 'expired', orderLink);
    // A file whose bytes are missing is not counted as downloaded.
    if (!(await ctx.files.private.info(grant.file_id))) return refuse(req, res, 'gone', orderLink);
    // A HEAD (a link checker, a mail scanner) learns the link works, and takes no download.
    if (req.method === 'HEAD') {
      res.set('Cache-Control', 'private, no-store').status(200).end();
      return;
    }
    const { state } = await claimDownload(grant, { userId: req.user?.id ?? null, ip: truncatedIp(req.ip) });
    if (state !== 'available') return refuse(req, res, state, orderLink);
    await ctx.files.private.send(res, grant.file_id);
  });
}
