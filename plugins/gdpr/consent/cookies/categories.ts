import type { ConsentCategory } from '@agora/core';
import type { ConsentSettings } from '../settings';

/** Core's categories under the names the banner uses (the ePrivacy guidance's four). */
export interface CategoryView {
  id: ConsentCategory;
  label: string;
  description: string;
  /** Starting position of the switch in the settings layer (never a consent by itself). */
  preset: boolean;
  locked: boolean;
  /** Refused by the browser's Global Privacy Control signal. */
  gpcRefused: boolean;
}

/** Refused whenever the browser sends `Sec-GPC: 1`. */
export const GPC_REFUSED: ReadonlySet<string> = new Set(['statistics', 'marketing']);

const LABELS: Record<string, string> = { necessary: 'Strictly necessary', statistics: 'Performance', preferences: 'Functional', marketing: 'Targeting' };

/** The four categories always, then any category another plugin added and declared something with. */
export function categoryViews(settings: ConsentSettings, declared: readonly ConsentCategory[], gpc: boolean): CategoryView[] {
  const base: CategoryView[] = [
    { id: 'necessary', label: LABELS.necessary, description: settings.necessaryText, preset: true, locked: true, gpcRefused: false },
    { id: 'statistics', label: LABELS.statistics, description: settings.statisticsText, preset: settings.statisticsDefault, locked: false, gpcRefused: gpc },
    { id: 'preferences', label: LABELS.preferences, description: settings.preferencesText, preset: settings.preferencesDefault, locked: false, gpcRefused: false },
    { id: 'marketing', label: LABELS.marketing, description: settings.marketingText, preset: settings.marketingDefault, locked: false, gpcRefused: gpc },
  ];
  for (const id of declared) {
    if (base.some((b) => b.id === id)) continue;
    base.push({ id, label: id.replace(/[-_]+/g, ' ').replace(/^./, (c) => c.toUpperCase()), description: 'Declared by a plugin of the store.', preset: false, locked: false, gpcRefused: gpc && GPC_REFUSED.has(id) });
  }
  return base;
}

export function categoryLabel(id: string): string {
  return LABELS[id] ?? id;
}
