export type ConsentCategory = 'necessary' | 'preferences' | 'statistics' | 'marketing';

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
}
