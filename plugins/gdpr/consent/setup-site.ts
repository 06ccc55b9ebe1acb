import { escapeHtml, type PluginContext } from '@agora/core';
import { Policy } from './models';
import { listPolicies } from './policies';
import { MANAGE } from './routes/admin-guard';

/** The footer's links on every page, the admin menu, and the dashboard's reminder to review generated texts. */
export function setupSite(ctx: PluginContext): void {
  ctx.slot('core.footer.links', async () => {
    const policies = await listPolicies();
    const items = policies.map((p) => `<li><a href="/privacy/policies/${encodeURIComponent(p.slug)}">${escapeHtml(p.title)}</a></li>`);
    items.push('<li><a href="/privacy/cookies">Cookies</a></li>', '<li><a href="/privacy/rights">Exercise your rights</a></li>');
    return { html: items.join('') };
  });

  ctx.capabilities.register(MANAGE, 'Manage policies, consent and the consent register', ['admin']);
  ctx.admin.menu({ id: 'gdpr-privacy', label: 'Privacy', href: '/admin/privacy/policies', capability: MANAGE, order: 70 });
  ctx.admin.widget({
    id: 'gdpr-review',
    title: 'Privacy policies',
    capability: MANAGE,
    render: async () => {
      const pending = await Policy.findAll({ where: { reviewed_at: null }, order: [['position', 'ASC']] });
      if (!pending.length) return '<p class="gdpr-widget muted">Every policy has been reviewed.</p>';
      const list = pending.map((p) => `<li><a href="/admin/privacy/policies/${p.id}">${escapeHtml(p.title)}</a></li>`).join('');
      return `<div class="gdpr-widget"><p><strong>${pending.length} ${pending.length === 1 ? 'policy was' : 'policies were'} generated and not reviewed yet.</strong> Read and adapt ${pending.length === 1 ? 'it' : 'them'} before relying on ${pending.length === 1 ? 'it' : 'them'}:</p><ul>${list}</ul></div>`;
    },
  });
}
