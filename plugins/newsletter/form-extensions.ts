import { z } from 'zod';
import { fragment, type PluginContext } from '@agora/core';
import { checkbox } from './forms/signup-form';
import type { Subscriptions } from './services/subscriptions';
import type { NewsletterSettings } from './settings';

const boxSchema = z.object({ newsletter_subscribe: checkbox });

/**
 * The newsletter box on core's registration and profile forms. Ticking it starts the same double opt-in
 * as the signup form (a confirmation link by email); unticking it on the profile unsubscribes.
 */
export function registerFormBoxes(ctx: PluginContext, subscriptions: Subscriptions, settings: () => NewsletterSettings): void {
  const box = (checked: boolean, label: string, help?: string) =>
    fragment`<div class="field"><label class="check"><input type="checkbox" name="newsletter_subscribe" value="on"${checked ? fragment` checked` : ''}> ${label}</label>${help ? fragment`<p class="help">${help}</p>` : ''}</div>`;

  ctx.forms.extend('core.register', {
    schema: boxSchema,
    applies: () => settings().registerBox,
    render: ({ values }) => box(values.newsletter_subscribe === 'on', `Send me ${settings().listName}`, 'We email you a link to confirm first. Unsubscribe in one click at any time.'),
    async commit(_tx, data, req, { user }) {
      if (data.newsletter_subscribe) await subscriptions.signup({ email: user.email, source: 'register', ip: req.ip ?? null, userId: user.id });
    },
  });

  ctx.forms.extend('core.account.profile', {
    schema: boxSchema,
    async render({ values, submitted, context: { user } }) {
      const current = await subscriptions.ofUser(user);
      const checked = submitted ? values.newsletter_subscribe === 'on' : current?.status === 'confirmed' || current?.status === 'pending';
      const help = current?.status === 'pending' ? 'Waiting for you to open the confirmation link we emailed you.' : current?.status === 'confirmed' ? `Subscribed since ${current.confirmed_at?.toISOString().slice(0, 10) ?? ''}.` : 'We email you a link to confirm first.';
      return box(checked, `Send me ${settings().listName}`, help);
    },
    async commit(_tx, data, req, { user }) {
      const current = await subscriptions.ofUser(user);
      const on = current?.status === 'confirmed' || current?.status === 'pending';
      if (data.newsletter_subscribe && !on) await subscriptions.signup({ email: user.email, source: 'account', ip: req.ip ?? null, userId: user.id });
      if (!data.newsletter_subscribe && current && on) await subscriptions.unsubscribe(current.email_hash, 'box on the account page', req.ip ?? null);
    },
  });
}
