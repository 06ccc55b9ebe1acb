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

/** The themes found under `themes/*` with a valid `theme.json`. */
export function discoverThemes(themesDir: string): Map<string, ThemeManifest> {
  const themes = new Map<string, ThemeManifest>();
  if (!fs.existsSync(themesDir)) return themes;
  for (const entry of fs.readdirSync(themesDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(themesDir, entry.name);
    const file = path.join(dir, 'theme.json');
    if (!fs.existsSync(file)) continue;
    const parsed = themeManifestSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (!parsed.success) {
      log.warn({ theme: entry.name, issues: parsed.error.issues }, 'theme.json is invalid; theme skipped');
      continue;
    }
    themes.set(parsed.data.name, { ...parsed.data, dir });
  }
  return themes;
}
