import { html, TrustedHtml } from '../http/html';

/**
 * A form section's markup, made with core's `html` tagged template: every value is escaped (what the person
 * typed is echoed into `values`, so a plain template string would be reflected XSS), and the result is a
 * `TrustedHtml` the form registry accepts. A plain string is refused at render time.
 *   render: ({ values }) => fragment`<input name="hello_code" value="${values.hello_code ?? ''}">`
 */
export function fragment(strings: TemplateStringsArray, ...values: unknown[]): TrustedHtml {
  return new TrustedHtml(html(strings, ...values));
}
