/**
 * The consent categories, an open set: a plugin adds one by declaration merging, from its own `hooks.ts`
 * or any module it loads:
 *
 *   declare module '@agora/core' { interface ConsentCategoryMap { 'social-media': true } }
 *
 * The value type carries nothing; the key is the category. `necessary` is the one category that never
 * needs consent (strictly necessary cookies and scripts, Art. 5(3) ePrivacy).
 */
export interface ConsentCategoryMap {
  /** Strictly necessary for the service the visitor asked for (session, CSRF, the cart): never asks. */
  necessary: true;
  /** Remembers choices (language, a dismissed banner). */
  preferences: true;
  /** Counts visits and measures the site. */
  statistics: true;
  /** Follows the visitor for advertising. */
  marketing: true;
}

export type ConsentCategory = keyof ConsentCategoryMap & string;

export interface ScriptDeclaration {
  owner: string;
  /** A path under the plugin's `/plugins/<name>/` or a theme's assets; inline script is never allowed. */
  src: string;
  /** Scripts outside `necessary` load only after the visitor consented to that category. */
  consent: ConsentCategory;
  /** Limit to pages whose template starts with this prefix (`shops/`), or every page when unset. */
  templates?: string;
}

export interface CookieDeclaration {
  owner: string;
  name: string;
  purpose: string;
  consent: ConsentCategory;
  duration: string;
}

/** Scripts and cookies that plugins declare, with the consent category each needs; the cookie banner reads this. */
export class AssetRegistry {
  private readonly scripts: ScriptDeclaration[] = [];
  private readonly cookies: CookieDeclaration[] = [];

  addScript(script: ScriptDeclaration): () => void {
    this.scripts.push(script);
    return () => this.scripts.splice(this.scripts.indexOf(script) >>> 0, 1);
  }

  declareCookie(cookie: CookieDeclaration): () => void {
    this.cookies.push(cookie);
    return () => this.cookies.splice(this.cookies.indexOf(cookie) >>> 0, 1);
  }

  /** Scripts for one page, given the categories the visitor consented to. */
  scriptsFor(template: string, consented: ReadonlySet<ConsentCategory>): ScriptDeclaration[] {
    return this.scripts.filter(
      (s) => (s.consent === 'necessary' || consented.has(s.consent)) && (!s.templates || template.startsWith(s.templates)),
    );
  }

  allScripts(): readonly ScriptDeclaration[] {
    return this.scripts;
  }

  allCookies(): readonly CookieDeclaration[] {
    return this.cookies;
  }

  /** The declaration of a cookie by name (the first plugin to declare a name wins), or undefined. */
  cookie(name: string): CookieDeclaration | undefined {
    return this.cookies.find((c) => c.name === name);
  }

  /** Every category some declared cookie or script needs consent for (never `necessary`), sorted. */
  consentCategories(): ConsentCategory[] {
    const used = new Set<ConsentCategory>();
    for (const item of [...this.cookies, ...this.scripts]) if (item.consent !== 'necessary') used.add(item.consent);
    return [...used].sort();
  }
}
