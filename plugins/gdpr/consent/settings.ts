import { z } from 'zod';
import type { PluginContext } from '@agora/core';

export const consentSettingsSchema = z.object({
  fullIp: z.boolean().default(false),
  cookieWall: z.boolean().default(false),
  consentMonths: z.number({ message: 'Enter a whole number of months' }).int('Enter a whole number of months').min(1, 'At least one month').max(13, 'At most 13 months').default(6),
  necessaryText: z.string().trim().min(1, 'Describe the category').max(1000).default('Needed for the site to work: your session, the protection of forms, your cart and your cookie choice. Always on.'),
  statisticsText: z.string().trim().min(1, 'Describe the category').max(1000).default('Performance cookies count visits and measure how the site is used, so we can improve it. Off unless you agree.'),
  preferencesText: z.string().trim().min(1, 'Describe the category').max(1000).default('Functional cookies remember your choices (such as a dismissed message) to make the site easier to use. Off unless you agree.'),
  marketingText: z.string().trim().min(1, 'Describe the category').max(1000).default('Targeting cookies follow your visits to show you advertising that matches your interests. Off unless you agree.'),
  statisticsDefault: z.boolean().default(false),
  preferencesDefault: z.boolean().default(false),
  marketingDefault: z.boolean().default(false),
});

export type ConsentSettings = z.infer<typeof consentSettingsSchema>;

export function defineConsentSettings(ctx: PluginContext): () => ConsentSettings {
  ctx.settings.define({
    title: 'Privacy and consent',
    schema: consentSettingsSchema,
    fields: [
      { key: 'fullIp', label: 'Keep the full IP address in the consent register', type: 'checkbox', help: 'Off: the last part of the address is dropped (203.0.113.0).' },
      { key: 'cookieWall', label: 'Cookie wall', type: 'checkbox', help: 'The cookie banner covers the page until the visitor chooses (Reject is always offered).' },
      { key: 'consentMonths', label: 'Months before the cookie choice is asked again', type: 'number' },
      { key: 'necessaryText', label: 'Strictly necessary cookies: description', type: 'textarea' },
      { key: 'statisticsText', label: 'Performance cookies: description', type: 'textarea' },
      { key: 'statisticsDefault', label: 'Performance cookies ticked by default in the settings layer', type: 'checkbox', help: 'Only the starting position of the switch; nothing is set until the visitor saves.' },
      { key: 'preferencesText', label: 'Functional cookies: description', type: 'textarea' },
      { key: 'preferencesDefault', label: 'Functional cookies ticked by default in the settings layer', type: 'checkbox' },
      { key: 'marketingText', label: 'Targeting cookies: description', type: 'textarea' },
      { key: 'marketingDefault', label: 'Targeting cookies ticked by default in the settings layer', type: 'checkbox' },
    ],
  });
  return () => ctx.settings.get<ConsentSettings>();
}
