import { z } from 'zod';
import type { PluginContext } from '@agora/core';

export interface StripeSettings {
  secretKey: string;
  publishableKey: string;
  webhookSecret: string;
  connectPayouts: boolean;
  statementDescriptor: string;
  apiBase: string;
  timeoutSeconds: number;
}

const key = (prefix: RegExp, message: string) =>
  z
    .string()
    .trim()
    .max(255)
    .refine((v) => v === '' || prefix.test(v), message)
    .default('');

export const stripeSettingsSchema = z.object({
  secretKey: key(/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/, 'A secret key starts with sk_test_, sk_live_ (or rk_ for a restricted key)'),
  publishableKey: key(/^pk_(test|live)_[A-Za-z0-9]+$/, 'A publishable key starts with pk_test_ or pk_live_'),
  webhookSecret: key(/^whsec_[A-Za-z0-9]+$/, 'A webhook signing secret starts with whsec_'),
  connectPayouts: z.boolean().default(false),
  // Stripe takes 5 to 22 characters of Latin letters, digits and spaces, not only digits, none of < > \ ' " *.
  statementDescriptor: z
    .string()
    .trim()
    .max(22, 'At most 22 characters')
    .refine((v) => v === '' || (v.length >= 5 && /[A-Za-z]/.test(v) && !/[<>\\'"*]/.test(v)), 'Use 5 to 22 characters with at least one letter and none of < > \\ \' " *')
    .default(''),
  apiBase: z
    .string()
    .trim()
    .max(200)
    .refine((v) => v === '' || /^https?:\/\/[^/\s]+\/?$/.test(v), 'Enter an address such as https://api.stripe.com, or leave it blank')
    .default(''),
  timeoutSeconds: z.number({ message: 'Enter a number of seconds' }).min(1, 'At least 1 second').max(80, 'At most 80 seconds').default(15),
});

export function defineStripeSettings(ctx: PluginContext): () => StripeSettings {
  ctx.settings.define({
    title: 'Stripe',
    fields: [
      { key: 'secretKey', label: 'Secret key', type: 'secret', help: 'From the Stripe dashboard, Developers → API keys (sk_live_… or sk_test_…).' },
      { key: 'publishableKey', label: 'Publishable key', type: 'secret', help: 'pk_live_… or pk_test_…' },
      { key: 'webhookSecret', label: 'Webhook signing secret', type: 'secret', help: 'whsec_…, from the webhook endpoint you add in Stripe for <your site>/stripe/webhook.' },
      { key: 'connectPayouts', label: 'Pay sellers through Stripe Connect', type: 'checkbox', help: 'Sellers connect an Express account from their dashboard; each paid order is transferred to them less the platform fee.' },
      { key: 'statementDescriptor', label: 'Statement descriptor', type: 'text', help: 'What buyers see on their card statement after your account name (5 to 22 characters). Blank: Stripe account default.' },
      { key: 'timeoutSeconds', label: 'Stripe answer time limit (seconds)', type: 'number', help: 'How long a checkout waits for Stripe before the buyer is asked to try again.' },
      { key: 'apiBase', label: 'Stripe API address', type: 'text', help: 'Leave blank for https://api.stripe.com. Only for a Stripe-compatible test server.' },
    ],
    schema: stripeSettingsSchema,
  });
  return () => ctx.settings.get<StripeSettings>();
}

/** What is missing before Stripe can take payments; empty when it can. */
export function missingSettings(s: StripeSettings): string[] {
  const missing: string[] = [];
  if (!s.secretKey) missing.push('the secret key');
  if (!s.publishableKey) missing.push('the publishable key');
  if (!s.webhookSecret) missing.push('the webhook signing secret');
  return missing;
}
