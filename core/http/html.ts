import ejs from 'ejs';

/**
 * HTML built in code (slot fragments, small admin cells) escapes what it interpolates exactly as the
 * templates' `<%= %>` do: ejs's own escaper, so a plugin's fragment and a template never disagree.
 */
export function escapeHtml(text: unknown): string {
  return ejs.escapeXML(text === null || text === undefined ? '' : String(text));
}

/** Markup the caller vouches for (another `html` result, a rendered template), kept as it is by `html`. */
export class TrustedHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

export function raw(markup: string): TrustedHtml {
  return new TrustedHtml(markup);
}

/**
 * A tagged template that escapes every value: html`<p>Hello ${name}</p>`. Arrays are joined (each item
 * escaped unless trusted); null and undefined are empty; `raw(...)` or a nested `html` result via
 * `raw` is kept. Returns a plain string, as slot fragments (`{ html }`) expect.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): string {
  const piece = (value: unknown): string => {
    if (value instanceof TrustedHtml) return value.markup;
    if (Array.isArray(value)) return value.map(piece).join('');
    return escapeHtml(value);
  };
  return strings.reduce((out, s, i) => out + s + (i < values.length ? piece(values[i]) : ''), '');
}
