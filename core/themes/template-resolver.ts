import fs from 'node:fs';
import path from 'node:path';
import type { ThemeManifest } from './theme-registry';

export class TemplateNotFound extends Error {}

export interface ResolvedTemplate {
  file: string;
  /** Where it came from: the theme that overrides it, or the owner (plugin or core) that ships it. */
  source: { kind: 'theme'; theme: string } | { kind: 'owner'; owner: string };
}

/**
 * Finds the file for a template named `<owner>/<name>`: active theme ▸ its parents ▸ the owner's own
 * views folder. The order is fixed and never depends on which plugin was activated first.
 */
export class TemplateResolver {
  private readonly ownerDirs = new Map<string, string>();
  private chain: ThemeManifest[] = [];
  private cache = new Map<string, ResolvedTemplate>();

  setThemeChain(chain: ThemeManifest[]): void {
    this.chain = chain;
    this.cache.clear();
  }

  themeChain(): readonly ThemeManifest[] {
    return this.chain;
  }

  /** Registers the views folder of an owner (core or a plugin); returns the disposer used on deactivation. */
  registerOwner(owner: string, viewsDir: string): () => void {
    const taken = this.ownerDirs.get(owner);
    // One folder per owner: whoever registered last must never decide which templates win.
    if (taken && taken !== viewsDir) throw new Error(`The templates of "${owner}" are already provided by ${taken}`);
    this.ownerDirs.set(owner, viewsDir);
    this.cache.clear();
    return () => {
      if (this.ownerDirs.get(owner) === viewsDir) this.ownerDirs.delete(owner);
      this.cache.clear();
    };
  }

  ownerDir(owner: string): string | undefined {
    return this.ownerDirs.get(owner);
  }

  owners(): string[] {
    return [...this.ownerDirs.keys()];
  }

  resolve(name: string): ResolvedTemplate {
    const hit = this.cache.get(name);
    if (hit) return hit;
    const found = this.find(name);
    this.cache.set(name, found);
    return found;
  }

  /** The owner's original file, ignoring themes: what an override is compared against. */
  original(name: string): string | undefined {
    const { owner, rest } = split(name);
    const dir = this.ownerDirs.get(owner);
    if (!dir) return undefined;
    const file = path.join(dir, `${rest}.ejs`);
    return fs.existsSync(file) ? file : undefined;
  }

  private find(name: string): ResolvedTemplate {
    const { owner, rest } = split(name);
    if (!this.ownerDirs.has(owner)) throw new TemplateNotFound(`No active plugin or core part named "${owner}" owns template "${name}"`);
    for (const theme of this.chain) {
      const file = path.join(theme.dir, 'views', owner, `${rest}.ejs`);
      if (fs.existsSync(file)) return { file, source: { kind: 'theme', theme: theme.name } };
    }
    const original = this.original(name);
    if (original) return { file: original, source: { kind: 'owner', owner } };
    throw new TemplateNotFound(`Template "${name}" not found`);
  }
}

function split(name: string): { owner: string; rest: string } {
  if (!/^[a-z0-9-]+\/[a-z0-9_\-/]+$/.test(name) || name.includes('..')) throw new TemplateNotFound(`Bad template name "${name}"`);
  const i = name.indexOf('/');
  return { owner: name.slice(0, i), rest: name.slice(i + 1) };
}
