import { z } from 'zod';
import { parseForm, requireUser, type PluginContext } from '@agora/core';
import type { ConsentService } from '../service';
import { currentPolicies } from '../policies';
import { sectionLabel } from '../section-labels';
import { consentIdOf } from '../section-boxes';

const withdrawSchema = z.object({ policy: z.string().trim().regex(/^[a-z0-9-]{1,80}$/, 'Choose a consent to withdraw') });

/**
 * `/account/privacy`: each policy the person agreed to (version, when, in which form), withdrawal of any
 * optional consent with one button, and their own register rows. Part 2 adds its part through the slot.
 */
export function accountPrivacyRoutes(ctx: PluginContext, service: ConsentService): void {
  ctx.slot('core.account.sections', () => ({
    html: '<section class="panel account-privacy"><h2>Privacy</h2><p><a href="/account/privacy">My privacy</a>: the policies you accepted, your consents (withdraw any of them), and your requests.</p></section>',
  }));

  ctx.router.get('/account/privacy', requireUser, async (req, res) => {
    const user = req.user!;
    const person = { userId: user.id, email: user.email };
    const history = await service.historyOf(person);
    const latest = await service.currentOf(person);
    const policies = [...(await currentPolicies()).values()];
    const agreements = latest
      .map((row) => ({ row, current: policies.find((p) => p.policy.slug === row.policySlug) }))
      .filter((a) => a.row.action === 'accepted');
    await res.renderPage('gdpr/account/privacy', { title: 'My privacy', agreements, history: [...history].reverse(), sectionLabel });
  });

  ctx.router.post('/account/privacy/withdraw', requireUser, async (req, res) => {
    const user = req.user!;
    const parsed = parseForm(withdrawSchema, req.body);
    const person = { userId: user.id, email: user.email, displayName: user.display_name };
    if (!parsed.ok) {
      res.flash('error', 'Choose a consent to withdraw.');
      return res.redirect(303, '/account/privacy');
    }
    const latest = (await service.currentOf(person)).find((r) => r.policySlug === parsed.data.policy);
    if (!latest || latest.action !== 'accepted') {
      res.flash('info', 'There is no consent to that policy to withdraw.');
      return res.redirect(303, '/account/privacy');
    }
    if (latest.required) {
      res.flash('error', 'This is an acknowledgement an order or your account needs, not a consent; to end it, close your account.');
      return res.redirect(303, '/account/privacy');
    }
    // Two clicks at once withdraw once: the second finds the withdrawal inside its own transaction.
    const done = await ctx.sequelize.transaction(async () => {
      await service.lock();
      const again = (await service.currentOf(person)).find((r) => r.policySlug === parsed.data.policy);
      if (!again || again.action !== 'accepted') return false;
      await service.withdraw(parsed.data.policy, person, service.traceOf(req, consentIdOf(req, ctx.config.sessionSecret)), 'account');
      return true;
    });
    res.flash('success', done ? 'Your consent is withdrawn.' : 'There is no consent to that policy to withdraw.');
    res.redirect(303, '/account/privacy');
  });
}
