import { z } from 'zod';
import type { PluginContext } from '@agora/core';

const whole = (label: string, min: number, max: number, fallback: number) =>
  z.number({ message: `Enter a whole number of ${label}` }).int(`Enter a whole number of ${label}`).min(min, `At least ${min}`).max(max, `At most ${max}`).default(fallback);

/** Part 2's settings, defined beside part 1's under the plugin's one settings page (keys start with `rights`). */
export const rightsSettingsSchema = z.object({
  rightsAuthorityName: z.string().trim().min(1, 'Name the supervisory authority').max(200).default('Your national data protection authority'),
  rightsAuthorityAddress: z.string().trim().max(500).default(''),
  rightsAuthorityWebsite: z.union([z.literal(''), z.url({ protocol: /^https?$/, message: 'Enter a web address such as https://www.cnil.fr' })]).default('https://www.edpb.europa.eu/about-edpb/about-edpb/members_en'),
  rightsVerifyHours: whole('hours', 1, 24 * 14, 48),
  rightsExportDays: whole('days', 1, 30, 3),
  rightsNearlyDueDays: whole('days', 1, 30, 7),
});

export type RightsSettings = z.infer<typeof rightsSettingsSchema>;

export function defineRightsSettings(ctx: PluginContext): () => RightsSettings {
  ctx.settings.define({
    title: 'Privacy (GDPR)',
    schema: rightsSettingsSchema,
    fields: [
      { key: 'rightsAuthorityName', label: 'Supervisory authority', type: 'text', help: 'Where people may complain (shown on the rights pages and in every refusal), e.g. "CNIL".' },
      { key: 'rightsAuthorityAddress', label: 'Supervisory authority: address', type: 'textarea' },
      { key: 'rightsAuthorityWebsite', label: 'Supervisory authority: website', type: 'text' },
      { key: 'rightsVerifyHours', label: 'Hours a confirmation link of a rights request stays valid', type: 'number' },
      { key: 'rightsExportDays', label: 'Days a download link of a data export stays valid (the file is deleted then)', type: 'number' },
      { key: 'rightsNearlyDueDays', label: 'Highlight requests this many days before they are due', type: 'number' },
    ],
  });
  return () => ctx.settings.get<RightsSettings>();
}
