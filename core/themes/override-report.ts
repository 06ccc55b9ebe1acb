import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { diffLines } from 'diff';
import type { TemplateResolver } from './template-resolver';
import type { ThemeManifest } from './theme-registry';
import { Renderer } from './renderer';

export interface OverrideEntry {
  theme: string;
  template: string;
  file: string;
  overrideVersion?: string;
  originalVersion?: string;
  /** No original exists any more (the plugin is gone or renamed the template). */
  orphan: boolean;
  /** The override declares an older @version than the original, or was copied from other content. */
  outdated: boolean;
  reason?: string;
  /** What changed in the original since the copy: against the recorded original when the theme kept it, else against the override. */
  changes: Array<{ kind: 'added' | 'removed' | 'same'; text: string }>;
}

const ORIGINAL_HASH = /<%#\s*@original\s+sha256:([0-9a-f]{8,64})\s*%>/;

export function contentHash(source: string): string {
  return crypto.createHash('sha256').update(source).digest('hex');
}

/**
 * Every template override in the active theme chain, compared with the template it overrides. An
 * override may record `<%# @original sha256:<hash> %>` of the original it was copied from; when the theme
 * keeps that copy under `views/.originals/<owner>/<name>.ejs`, the report shows what changed in the
 * original since, line by line.
 */
export function overrideReport(chain: readonly ThemeManifest[], resolver: TemplateResolver): OverrideEntry[] {
  const entries: OverrideEntry[] = [];
  for (const theme of chain) {
    const root = path.join(theme.dir, 'views');
    for (const file of walk(root)) {
      const relative = path.relative(root, file).replace(/\\/g, '/');
      if (relative.startsWith('.originals/')) continue;
      const template = relative.replace(/\.ejs$/, '');
      const source = fs.readFileSync(file, 'utf8');
      const originalFile = ownerExists(resolver, template) ? resolver.original(template) : undefined;
      if (!originalFile) {
        entries.push({ theme: theme.name, template, file, overrideVersion: Renderer.versionOf(source), orphan: true, outdated: false, changes: [] });
        continue;
      }
      const original = fs.readFileSync(originalFile, 'utf8');
      const overrideVersion = Renderer.versionOf(source);
      const originalVersion = Renderer.versionOf(original);
      const recordedHash = ORIGINAL_HASH.exec(source)?.[1];
      const reasons: string[] = [];
      if (overrideVersion && originalVersion && semver.valid(overrideVersion) && semver.valid(originalVersion) && semver.lt(overrideVersion, originalVersion)) {
        reasons.push(`override is version ${overrideVersion}, the original is now ${originalVersion}`);
      } else if (!overrideVersion && originalVersion) {
        reasons.push(`override declares no @version; the original is ${originalVersion}`);
      }
      if (recordedHash && !contentHash(original).startsWith(recordedHash)) reasons.push('the original changed since it was copied');
      const keptCopy = path.join(theme.dir, 'views', '.originals', `${template}.ejs`);
      const base = fs.existsSync(keptCopy) ? fs.readFileSync(keptCopy, 'utf8') : source;
      const changes = reasons.length
        ? diffLines(base, original).flatMap((part) =>
            part.value
              .replace(/\n$/, '')
              .split('\n')
              .map((text) => ({ kind: part.added ? ('added' as const) : part.removed ? ('removed' as const) : ('same' as const), text })),
          )
        : [];
      entries.push({ theme: theme.name, template, file, overrideVersion, originalVersion, orphan: false, outdated: reasons.length > 0, reason: reasons.join('; ') || undefined, changes });
    }
  }
  return entries.sort((a, b) => a.template.localeCompare(b.template));
}

function ownerExists(resolver: TemplateResolver, template: string): boolean {
  return resolver.owners().includes(template.split('/')[0]);
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return walk(full);
    return e.name.endsWith('.ejs') ? [full] : [];
  });
}
