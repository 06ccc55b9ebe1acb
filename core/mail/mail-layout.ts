/** What the store says about itself in every email: General settings of core (`core/core-parts.ts`). */
export interface StoreMailSettings {
  siteName: string;
  /** Postal address, one line per line of the footer. */
  storeAddress: string;
  /** An absolute URL, or a path on this site (`/assets/logo.png`) made absolute with BASE_URL. */
  logoUrl: string;
  termsUrl: string;
  privacyUrl: string;
}

export interface MailLayoutLocals {
  storeName: string;
  /** Absolute: a mail client has no page address to resolve a relative one against. */
  logoUrl: string | undefined;
  addressLines: string[];
  policyLinks: Array<{ label: string; url: string }>;
}

/** The locals every mail layout gets (the theme's `core/mail/layout` draws them). */
export function mailLayoutLocals(settings: StoreMailSettings, baseUrl: string): MailLayoutLocals {
  const absolute = (url: string) => (url ? new URL(url, `${baseUrl.replace(/\/$/, '')}/`).toString() : undefined);
  const links: Array<{ label: string; url: string | undefined }> = [
    { label: 'Terms', url: absolute(settings.termsUrl) },
    { label: 'Privacy policy', url: absolute(settings.privacyUrl) },
  ];
  return {
    storeName: settings.siteName,
    logoUrl: absolute(settings.logoUrl),
    addressLines: settings.storeAddress
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean),
    policyLinks: links.filter((l): l is { label: string; url: string } => !!l.url),
  };
}

/** A link in the store's settings: an http(s) address, or a path on this site (`/privacy/policies/terms`). */
export function isStoreLink(value: string): boolean {
  if (value === '') return true;
  if (/^\/(?!\/)\S*$/.test(value)) return true;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
