import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { log } from '../log';

export const themeManifestSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]{1,48}$/, 'lowercase letters, digits and dashes'),
  version: z.string().regex(/^\d+\.\d+\.\d+/, 'a semantic version'),
  title: z.string().min(1),
  description: z.string().default(''),
  parent: z.string().optional(),
});

export type ThemeManifest = z.infer<typeof themeManifestSchema> & { dir: string };

/**
 * The themes found in each folder (`themes/`, then any extra folders) with a valid `theme.json`. When two
 * folders hold a theme of the same name, the first folder wins, so the result never depends on disk order.
 */
export function discoverThemes(themesDirs: string | readonly string[]): Map<string, ThemeManifest> {
  const themes = new Map<string, ThemeManifest>();
  for (const themesDir of typeof themesDirs === 'string' ? [themesDirs] : themesDirs) {
    if (!fs.existsSync(themesDir)) continue;
    const entries = fs.readdirSync(themesDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const dir = path.join(themesDir, entry.name);
      const file = path.join(dir, 'theme.json');
      if (!fs.existsSync(file)) continue;
      let json: unknown;
      try {
        json = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (error) {
        log.warn({ theme: entry.name, err: error }, 'theme.json is not JSON; theme skipped');
        continue;
      }
      const parsed = themeManifestSchema.safeParse(json);
      if (!parsed.success) {
        log.warn({ theme: entry.name, issues: parsed.error.issues }, 'theme.json is invalid; theme skipped');
        continue;
      }
      if (!themes.has(parsed.data.name)) themes.set(parsed.data.name, { ...parsed.data, dir });
    }
  }
  return themes;
}
