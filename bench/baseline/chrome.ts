import { escapeHtml } from '../../plugins/shops/services/text';
import type { Db } from './sql';
import { csrfToken, render } from './views';

/**
 * What every page of the store shows around its content with all bundled plugins active — the style sheets,
 * the category bar, the cookie banner, the footer's policy links and newsletter signup with its consent boxes —
 * rendered from the same templates. The rows behind them (categories, policies, the signup's policies) change
 * rarely and Agora keeps them in read caches, so the baseline reads them once at start; what varies per
 * request (the CSRF token, the page's address) is rendered per request.
 *
 * The texts are the store's default settings (a bare app would have them in its templates).
 */
export interface Chrome {
  categories: Array<{ id: number; name: string; slug: string; depth: number; ids: number[] }>;
  policyLinks: string;
  consentBoxes: string;
}

const HEAD =
  '<link rel="stylesheet" href="/plugins/follows/follows.css">\n<link rel="stylesheet" href="/plugins/gdpr/consent.css">\n<link rel="stylesheet" href="/plugins/messaging/messaging.css">\n<link rel="stylesheet" href="/plugins/reviews/reviews.css">';

const COOKIE_CATEGORIES = [
  { id: 'necessary', label: 'Strictly necessary', description: 'Needed for the site to work: your session, the protection of forms, your cart and your cookie choice. Always on.', preset: true, locked: true, gpcRefused: false },
  { id: 'statistics', label: 'Performance', description: 'Performance cookies count visits and measure how the site is used, so we can improve it. Off unless you agree.', preset: false, locked: false, gpcRefused: false },
  { id: 'preferences', label: 'Functional', description: 'Functional cookies remember your choices (such as a dismissed message) to make the site easier to use. Off unless you agree.', preset: false, locked: false, gpcRefused: false },
  { id: 'marketing', label: 'Targeting', description: 'Targeting cookies follow your visits to show you advertising that matches your interests. Off unless you agree.', preset: false, locked: false, gpcRefused: false },
];

export async function loadChrome(db: Db): Promise<Chrome> {
  const categories = (await db.all<{ id: number; name: string; slug: string }>('SELECT id, name, slug FROM categories WHERE parent_id IS NULL ORDER BY position ASC, name ASC')).map((c) => ({ ...c, depth: 0, ids: [c.id] }));
  const policies = await db.all<{ slug: string; title: string }>('SELECT slug, title FROM gdpr_policies ORDER BY position ASC, id ASC');
  const policyLinks =
    policies.map((p) => `<li><a href="/privacy/policies/${encodeURIComponent(p.slug)}">${escapeHtml(p.title)}</a></li>`).join('') +
    '<li><a href="/privacy/cookies">Cookies</a></li><li><a href="/privacy/rights">Exercise your rights</a></li>\n<li><a href="/contact">Contact us</a></li>\n<li><a href="/newsletter">Newsletter</a></li>';
  const signup = await db.all<{ id: number; slug: string; required: number | boolean; title: string; version: number }>(
    `SELECT p.id, p.slug, sp.required, v.title, v.version FROM gdpr_section_policies sp JOIN gdpr_policies p ON p.id = sp.policy_id
     JOIN gdpr_policy_versions v ON v.policy_id = p.id AND v.version = (SELECT MAX(version) FROM gdpr_policy_versions w WHERE w.policy_id = p.id)
     WHERE sp.section = 'newsletter.signup' ORDER BY sp.position ASC`,
  );
  const boxes = signup
    .map((s) => {
      const href = `/privacy/policies/${encodeURIComponent(s.slug)}`;
      const label = s.required
        ? `I have read and accept the <a href="${href}" target="_blank" rel="noopener">${escapeHtml(s.title)}</a> <span class="muted">(required)</span>`
        : `I agree to the <a href="${href}" target="_blank" rel="noopener">${escapeHtml(s.title)}</a> <span class="muted">(optional)</span>`;
      return `<div class="field gdpr-consent-box"><label class="check"><input type="checkbox" id="gdpr-newsletter-signup-${s.id}" name="gdpr_accept" value="${s.id}"> <span>${label}</span></label></div>`;
    })
    .join('');
  const consentBoxes = `<fieldset class="gdpr-consents"><legend class="sr-only">Policies</legend>${boxes}<input type="hidden" name="gdpr_shown" value="${signup.map((s) => `${s.id}:${s.version}`).join(',')}"></fieldset>`;
  return { categories, policyLinks, consentBoxes };
}

/** The layout's slots for a guest's page: `template` is the page's, `path` its address. */
export function layoutSlots(chrome: Chrome, template: string, path: string, query: Record<string, unknown>, csrf: () => string): Record<string, string> {
  const locals = { csrfToken: csrf, currentPath: path };
  return {
    'core.head': HEAD,
    'core.header.actions': `<a class="cart-link" href="/cart"${path === '/cart' ? ' aria-current="page"' : ''}>Cart (0)</a>`,
    'core.header.nav': render('shops/partials/category-nav', { ...locals, navCategories: chrome.categories, activeCategory: typeof query.category === 'string' ? query.category : '' }),
    'core.before_content': render('gdpr/partials/cookie-banner', { ...locals, gdprCategories: COOKIE_CATEGORIES, gdprGpc: false, gdprWall: false, gdprReturn: path, gdprTemplate: template }),
    'core.footer.links': chrome.policyLinks,
    'core.footer': render('newsletter/footer-signup', {
      ...locals,
      listName: 'Our newsletter',
      pitch: 'News, new shops and offers, about once a month. Unsubscribe in one click at any time.',
      formSections: [{ owner: 'gdpr', html: chrome.consentBoxes }],
    }),
  };
}

export { csrfToken };
