import { Op } from 'sequelize';
import type {} from '../../hooks';
import { RightsRequest } from '../models/rights-request';
import { RightsRequestEvent } from '../models/rights-request-event';
import type { RightsDeps } from '../services/deps';
import { emailHash } from '../services/secrets';
import { KIND_LABELS } from '../services/kinds';
import { STATUS_LABELS } from '../services/transitions';

/** The person's own requests with their status and history, on part 1's /account/privacy (its slot). */
export function accountRightsRoutes(deps: RightsDeps): void {
  const { ctx } = deps;

  ctx.slot('gdpr.account.privacy', async ({ viewer }) => {
    if (!viewer) return undefined;
    const requests = await RightsRequest.findAll({
      where: { [Op.or]: [{ user_id: viewer.id }, { email_hash: emailHash(ctx.config.sessionSecret, viewer.email) }] },
      order: [['id', 'DESC']],
      limit: 100,
    });
    const events = await RightsRequestEvent.findAll({ where: { request_id: requests.map((r) => r.id) }, order: [['id', 'ASC']] });
    return {
      template: 'gdpr/rights/account-requests',
      data: { requests: requests.map((r) => ({ request: r, label: KIND_LABELS[r.kind], status: STATUS_LABELS[r.status], history: events.filter((e) => e.request_id === r.id) })) },
    };
  });
}
