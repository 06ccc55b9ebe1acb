import fs from 'node:fs';
import ejs from 'ejs';
import type { Hooks } from '../hooks';
import type { TemplateResolver } from './template-resolver';
import { SlotScanner, slotContextFrom, type SlotFilters, type SlotContext } from './slots';

declare module '../hooks' {
  /** Every slot `x.y` declared in the SlotMap is filled through the filter `view.x.y`, typed by its context. */
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the members come from SlotFilters
  interface FilterMap extends SlotFilters {}
}

export interface RenderOptions {
  /** Wrap the page in this layout template; `false` renders the template alone (mail, fragments). */
  layout?: string | false;
  /** Marks each template's output with the file it came from (admins, `?debug=templates`). */
  debugTemplates?: boolean;
}

const VERSION_LINE = /^<%#\s*@version\s+(\S+)\s*%>/;

/** Renders `<owner>/<name>` templates through the resolver, with slots gathered from plugins beforehand. */
export class Renderer {
  readonly slots: SlotScanner;
  private readonly compiled = new Map<string, ejs.TemplateFunction>();

  constructor(
    private readonly resolver: TemplateResolver,
    private readonly hooks: Hooks,
  ) {
    this.slots = new SlotScanner(resolver);
  }

  /** Drops compiled templates; called when plugins or themes change. */
  reset(): void {
    ejs.clearCache();
    this.compiled.clear();
    this.slots.clear();
  }

  async render(template: string, locals: Record<string, unknown>, options: RenderOptions = {}): Promise<string> {
    const layout = options.layout === undefined ? 'core/layout' : options.layout;
    const templates = layout ? [template, layout] : [template];
    const slotHtml = await this.gatherSlots(templates, template, locals, options);
    const all = { ...locals, slot: (name: string) => slotHtml.get(name) ?? '' };
    const body = this.renderSync(template, all, options);
    return layout ? this.renderSync(layout, { ...all, body }, options) : body;
  }

  /** Renders one template synchronously with the given locals (no slots are gathered). */
  renderSync(template: string, locals: Record<string, unknown>, options: RenderOptions = {}): string {
    const { file } = this.resolver.resolve(template);
    const debug = options.debugTemplates ?? false;
    let fn = debug ? undefined : this.compiled.get(file);
    if (!fn) {
      fn = ejs.compile(this.source(file, template, debug), {
        filename: debug ? `${file}#debug` : file,
        cache: !debug,
        includer: (name: string) => {
          const resolved = this.resolver.resolve(name).file;
          return debug ? { template: this.source(resolved, name, true) } : { filename: resolved };
        },
      });
      if (!debug) this.compiled.set(file, fn);
    }
    return fn({ slot: () => '', ...locals });
  }

  /** The `@version` a template file declares on its first line. */
  static versionOf(source: string): string | undefined {
    return VERSION_LINE.exec(source)?.[1];
  }

  private source(file: string, name: string, debug: boolean): string {
    const text = fs.readFileSync(file, 'utf8');
    if (!debug) return text;
    const label = `${name} ← ${file}`.replace(/--/g, '');
    return `<!-- template: ${label} -->${text}<!-- /template: ${name} -->`;
  }

  private async gatherSlots(templates: string[], page: string, locals: Record<string, unknown>, options: RenderOptions): Promise<Map<string, string>> {
    const html = new Map<string, string>();
    const names = new Set(templates.flatMap((t) => this.slots.slotsOf(t)));
    let context: SlotContext | undefined;
    for (const name of names) {
      // A template may call a slot nobody declared (a theme's own); it is filled the same way, just untyped.
      const hook = `view.${name}` as keyof SlotFilters;
      if (!this.hooks.has(hook)) continue;
      // One context per page, built only when some slot has fillers: pages without plugins pay nothing.
      context ??= slotContextFrom(page, locals);
      const fragments = await this.hooks.apply(hook, [], context as never);
      const parts: string[] = [];
      for (const fragment of fragments) {
        if (fragment.html !== undefined) parts.push(fragment.html);
        else if (fragment.template) parts.push(this.renderSync(fragment.template, { ...locals, ...fragment.data }, options));
      }
      html.set(name, parts.join('\n'));
    }
    return html;
  }
}
