import type { Sequelize } from 'sequelize';
import type { PluginContext } from '@agora/core';
import type { ShopsService } from '../../shops/service';
import type { FollowsSettings } from '../settings';

/**
 * What the fan-out and the opening of email windows need, narrower than ctx, so a test can run a fan-out
 * itself (and stop it midway) with the platform's own pieces.
 */
export interface FanoutDeps {
  sequelize: Sequelize;
  shops(): ShopsService;
  settings(): FollowsSettings;
  /** Queues the email job of a window, once per window (its dedupe key). */
  queueDigest(digestId: number, delayMs: number): Promise<string>;
}

export function fanoutDeps(ctx: PluginContext, settings: () => FollowsSettings): FanoutDeps {
  return {
    sequelize: ctx.sequelize,
    shops: () => ctx.service('shops'),
    settings,
    queueDigest: (digestId, delayMs) => ctx.jobs.enqueue('follows.digest', { digestId }, { tx: null, dedupeKey: `follows.digest:${digestId}`, delayMs }),
  };
}
