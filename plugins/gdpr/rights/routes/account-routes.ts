import { Op } from 'sequelize';
import { requireUser } from '@agora/core';
import { RightsRequest } from '../models/rights-request';
import { RightsRequestEvent } from '../models/rights-request-event';
import type { RightsDeps } from '../services/deps';
import { emailHash } from '../services/secrets';
import { KIND_LABELS } from '../services/kinds';
import { STATUS_LABELS } from '../services/transitions';

/** The person's own requests and their history (/account/privacy/requests), and a link from the account page. */
export function accountRightsRoutes(deps: RightsDeps): void {
  const { ctx } = deps;

  ctx.router.get('/account/privacy/requests', requireUser, async (req, res) => {
    const user = req.user!;
    const requests = await RightsRequest.findAll({
      where: { [Op.or]: [{ user_id: user.id }, { email_hash: emailHash(ctx.config.sessionSecret, user.email) }] },
      order: [['id', 'DESC']],
      limit: 100,
    });
    const events = await RightsRequestEvent.findAll({ where: { request_id: requests.map((r) => r.id) }, order: [['id', 'ASC']] });
    await res.renderPage('gdpr/rights/account-requests', {
      title: 'Your privacy requests',
      requests: requests.map((r) => ({ request: r, label: KIND_LABELS[r.kind], status: STATUS_LABELS[r.status], history: events.filter((e) => e.request_id === r.id) })),
    });
  });

  ctx.slot('core.account.sections', () => ({ template: 'gdpr/rights/account-section' }));
}
