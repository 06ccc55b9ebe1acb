import fs from 'node:fs';
import type { TemplateResolver } from './template-resolver';

/** What a plugin puts into a slot: ready HTML (already escaped by its maker) or a template to render. */
export interface SlotFragment {
  owner?: string;
  html?: string;
  template?: string;
  data?: Record<string, unknown>;
}

/**
 * Every slot a template calls, name → what the page tells its fillers besides the viewer and query: the
 * object(s) the page shows. The owner of a template declares its slots by declaration merging, like hooks:
 *   declare module '../../core/themes/slots' { interface SlotMap { 'shops.product.after_summary': { product: Product; shop: Shop } } }
 * The values come from the page's locals under the same names (the route already hands them to the template),
 * so a slot's context is whatever the template itself sees, typed.
 */
export interface SlotMap {
  /** Inside `<head>` of the site layout, on every page. */
  'core.head': object;
  /** The header's action area (beside the account links), on every page. */
  'core.header.actions': object;
  /** Under the header's main row, on every page: secondary navigation such as a store's categories. */
  'core.header.nav': object;
  /** Above the page's own content, below the flash messages, on every page. */
  'core.before_content': object;
  /** The site footer, on every page. */
  'core.footer': object;
  /** The footer's list of policy links (beside core's terms and privacy links); each filler gives `<li>` items. */
  'core.footer.links': object;
  /** The home page's hero; filled, it replaces the default welcome heading. */
  'core.home.hero': object;
  /** The home page's body, below the hero. */
  'core.home.content': object;
  /** Sections at the end of the account page; the viewer is the account holder. */
  'core.account.sections': object;
  /** On the close-account page, above the confirmation form (what closing will remove). */
  'core.account.close': object;
}

export type SlotName = keyof SlotMap & string;

/** The request's query string, as Express parsed it (strings, arrays, nested objects). */
export type SlotQuery = Readonly<Record<string, unknown>>;

/** What every slot is told, whatever the page. */
export interface SlotBase {
  /** The page template being rendered (`shops/product`), not the partial that calls the slot. */
  template: string;
  /** The logged-in person looking at the page; undefined for a guest (and in mail). */
  viewer: Express.User | undefined;
  query: SlotQuery;
  /** Every local of the page, untyped; prefer the typed fields. */
  locals: Record<string, unknown>;
}

/** What the fillers of slot `N` get. */
export type SlotContext<N extends SlotName = SlotName> = SlotBase & SlotMap[N];

/** A filler's answer: one fragment, several, or nothing for this page. */
export type SlotFill<N extends SlotName> = (
  context: SlotContext<N>,
) => SlotFragment | SlotFragment[] | undefined | Promise<SlotFragment | SlotFragment[] | undefined>;

/** The filter behind each slot: slot `x.y` is filled through the filter `view.x.y`. */
export type SlotFilters = { [N in SlotName as `view.${N}`]: [fragments: SlotFragment[], context: SlotContext<N>] };

/** Builds a slot's context from a page's locals: the page objects are the locals of the same names. */
export function slotContextFrom(template: string, locals: Record<string, unknown>): SlotContext {
  const query = locals.query && typeof locals.query === 'object' ? (locals.query as SlotQuery) : {};
  const viewer = locals.user && typeof locals.user === 'object' ? (locals.user as Express.User) : undefined;
  // The typed keys of every SlotMap entry are locals of the page, so spreading the locals provides them.
  return { ...locals, template, viewer, query, locals } as SlotContext;
}

const SLOT_CALL = /slot\(\s*['"]([a-z0-9_.-]+)['"]/g;
const INCLUDE_CALL = /include\(\s*['"]([a-z0-9_\-/]+)['"]/g;

/**
 * The slots a template (with everything it includes) calls, found by reading its source once.
 * Slot data is gathered before the synchronous render, so the renderer must know them in advance.
 */
export class SlotScanner {
  private readonly cache = new Map<string, string[]>();

  constructor(private readonly resolver: TemplateResolver) {}

  slotsOf(template: string): string[] {
    const file = this.resolver.resolve(template).file;
    const hit = this.cache.get(file);
    if (hit) return hit;
    const found = new Set<string>();
    this.scan(template, found, new Set());
    const list = [...found];
    this.cache.set(file, list);
    return list;
  }

  clear(): void {
    this.cache.clear();
  }

  private scan(template: string, found: Set<string>, seen: Set<string>): void {
    if (seen.has(template)) return;
    seen.add(template);
    let source: string;
    try {
      source = fs.readFileSync(this.resolver.resolve(template).file, 'utf8');
    } catch {
      return;
    }
    for (const m of source.matchAll(SLOT_CALL)) found.add(m[1]);
    for (const m of source.matchAll(INCLUDE_CALL)) this.scan(m[1], found, seen);
  }
}
