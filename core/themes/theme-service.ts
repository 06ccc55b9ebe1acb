import fs from 'node:fs';
import path from 'node:path';
import type { Options } from '../db/options';
import { log } from '../log';
import { discoverThemes, type ThemeManifest } from './theme-registry';
import type { TemplateResolver } from './template-resolver';
import type { Renderer } from './renderer';

/** A theme that cannot be activated (unknown, or a broken parent chain); the message is for the admin. */
export class ThemeError extends Error {}

export const DEFAULT_THEME = 'storefront';

/** The installed themes and which one is active (an option, so every instance agrees). */
export class ThemeService {
  private themes = new Map<string, ThemeManifest>();
  private styleSheets: string[] = [];
  private applied: string | undefined;

  constructor(
    /** Folders holding themes, searched in order: `themes/` first, then extra ones (test fixtures). */
    private readonly themesDirs: readonly string[],
    private readonly options: Options,
    private readonly resolver: TemplateResolver,
    private readonly renderer: Renderer,
  ) {}

  load(): void {
    this.themes = discoverThemes(this.themesDirs);
    try {
      this.apply(this.activeName());
    } catch (error) {
      // A theme edited on disk into a broken chain must not keep the site from starting.
      log.error({ err: error, theme: this.activeName() }, 'the active theme cannot be used; falling back to the default');
      this.apply(DEFAULT_THEME);
    }
  }

  list(): ThemeManifest[] {
    return [...this.themes.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): ThemeManifest | undefined {
    return this.themes.get(name);
  }

  activeName(): string {
    const name = this.options.get('theme.active', DEFAULT_THEME);
    return this.themes.has(name) ? name : DEFAULT_THEME;
  }

  active(): ThemeManifest | undefined {
    return this.themes.get(this.activeName());
  }

  async activate(name: string): Promise<void> {
    if (!this.themes.has(name)) throw new ThemeError(`No theme named "${name}"`);
    this.chain(name); // refuses a broken parent chain before anything is saved
    await this.options.set('theme.active', name);
    this.apply(name);
  }

  /** Applies the active theme again if the stored choice changed (another instance switched it). */
  refresh(): void {
    const name = this.activeName();
    if (name === this.applied) return;
    try {
      this.apply(name);
    } catch (error) {
      log.error({ err: error, theme: name }, 'the theme chosen elsewhere cannot be used; keeping the current one');
    }
  }

  /** The theme followed by its parents, nearest first. */
  chain(name: string): ThemeManifest[] {
    const chain: ThemeManifest[] = [];
    let current = this.themes.get(name);
    while (current) {
      if (chain.includes(current)) throw new ThemeError(`Theme "${name}" cannot be used: its parents form a loop.`);
      chain.push(current);
      if (!current.parent) break;
      const parent = this.themes.get(current.parent);
      if (!parent) throw new ThemeError(`Theme "${current.title}" cannot be used: its parent theme "${current.parent}" is not installed.`);
      current = parent;
    }
    return chain;
  }

  publicDir(name: string): string | undefined {
    const theme = this.themes.get(name);
    return theme ? path.join(theme.dir, 'public') : undefined;
  }

  /** The `site.css` of every theme in the chain, parents first, so a child theme's rules win. */
  styles(): readonly string[] {
    return this.styleSheets;
  }

  private apply(name: string): void {
    const chain = this.themes.has(name) ? this.chain(name) : [];
    this.applied = name;
    this.resolver.setThemeChain(chain);
    this.styleSheets = [...chain].reverse().filter((t) => fs.existsSync(path.join(t.dir, 'public', 'site.css'))).map((t) => `/themes/${t.name}/site.css`);
    this.renderer.reset();
  }
}
