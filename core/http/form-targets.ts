import type { Disposer } from '../hooks';

/**
 * Origins outside this site that a form's answer may send the browser to (CSP `form-action`). Browsers
 * apply form-action to the redirects that follow a form's POST too, so a payment gateway that answers
 * "Place order" with a redirect to its hosted page (Stripe Checkout) needs its origin listed here, or the
 * browser blocks the redirect and the buyer stays on the checkout page.
 */
export class FormTargets {
  private readonly entries: Array<{ owner: string; origin: string }> = [];

  /** Lists `origin` (https, no path) for `owner`; the disposer takes it away again. */
  add(owner: string, origin: string): Disposer {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new Error(`Plugin "${owner}" declared a form target that is not an address: ${origin}`);
    }
    if (url.protocol !== 'https:' || url.origin !== origin.replace(/\/$/, '')) throw new Error(`Plugin "${owner}" declared a form target that is not an https origin: ${origin}`);
    const entry = { owner, origin: url.origin };
    this.entries.push(entry);
    return () => {
      const i = this.entries.indexOf(entry);
      if (i >= 0) this.entries.splice(i, 1);
    };
  }

  /** The CSP sources, each once, in the order they were declared. */
  sources(): string[] {
    return [...new Set(this.entries.map((e) => e.origin))];
  }
}
