import type { PluginContext } from '@agora/core';
import { Policy, SectionPolicy } from './models';
import { createPolicy, DEFAULT_SECTIONS } from './policies';
import { generatedPolicies, storeFacts } from './policy-texts';

/**
 * A fresh install gets the four documents, generated from the store's settings and what the active plugins
 * declare (so it runs on the first request, once every plugin has set up), and the default consent boxes.
 * Another instance doing the same at once is stopped by the unique slugs.
 */
export async function installDefaults(ctx: PluginContext): Promise<void> {
  if ((await Policy.count()) > 0) return;
  try {
    await ctx.sequelize.transaction(async () => {
      const made = new Map<string, number>();
      for (const doc of generatedPolicies(storeFacts(ctx))) made.set(doc.slug, (await createPolicy({ ...doc, reviewed: false })).id);
      for (const [section, items] of Object.entries(DEFAULT_SECTIONS)) {
        for (const [i, item] of items.entries()) {
          const policyId = made.get(item.slug);
          if (policyId) await SectionPolicy.create({ section, policy_id: policyId, required: item.required, position: i + 1 });
        }
      }
    });
  } catch (error) {
    if ((error as { name?: string }).name !== 'SequelizeUniqueConstraintError') throw error;
  }
}
