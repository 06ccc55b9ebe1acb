import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { rootDir } from '../../core/config';

/**
 * The baseline's renderer: Agora's own EJS files (core's layout, the plugins' pages and partials), found by
 * owner with no theme lookup, compiled once, rendered with plain data. No slots machinery: the baseline's
 * routes hand each template the HTML of its slots themselves.
 */
const owners = ['shops', 'follows', 'reviews', 'gdpr', 'newsletter', 'messaging'];
const viewDirs: Record<string, string> = Object.fromEntries([['core', path.join(rootDir, 'views', 'core')], ...owners.map((o) => [o, path.join(rootDir, 'plugins', o, 'views')])]);

const fileOf = (name: string) => {
  const i = name.indexOf('/');
  const dir = viewDirs[name.slice(0, i)];
  if (!dir) throw new Error(`baseline: no views for ${name}`);
  return path.join(dir, `${name.slice(i + 1)}.ejs`);
};

const compiled = new Map<string, ejs.TemplateFunction>();
export function render(name: string, locals: Record<string, unknown>): string {
  let fn = compiled.get(name);
  if (!fn) {
    const file = fileOf(name);
    fn = ejs.compile(fs.readFileSync(file, 'utf8'), { filename: file, cache: true, includer: (n: string) => ({ filename: fileOf(n) }) });
    compiled.set(name, fn);
  }
  return fn(locals);
}

/** `/plugins/gdpr/consent.js` → the same URL with the content hash Agora's asset() adds. */
function fingerprinted(url: string, file: string): string {
  return `${url}?v=${crypto.createHash('sha256').update(fs.readFileSync(path.join(rootDir, file))).digest('hex').slice(0, 12)}`;
}
const assets = new Map<string, string>([
  ['/themes/storefront/site.css', fingerprinted('/themes/storefront/site.css', 'themes/storefront/public/site.css')],
  ['/plugins/shops/variant-picker.js', fingerprinted('/plugins/shops/variant-picker.js', 'plugins/shops/public/variant-picker.js')],
  ['/plugins/gdpr/consent.js', fingerprinted('/plugins/gdpr/consent.js', 'plugins/gdpr/public/consent.js')],
]);
export const asset = (url: string) => assets.get(url) ?? url;

/** A CSRF token of the shape Agora's (random value and its HMAC), made per response as Agora does. */
const secret = crypto.randomBytes(32);
export function csrfToken(): string {
  const value = crypto.randomBytes(32).toString('hex');
  return `${value}.${crypto.createHmac('sha256', secret).update(value).digest('hex')}`;
}
