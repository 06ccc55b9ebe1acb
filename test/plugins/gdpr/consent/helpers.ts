import { QueryTypes } from 'sequelize';
import type { TestApp } from '../../../helpers/app';

/** The register as SQL sees it (the test does not share the plugin's models). */
export async function registerRows(t: TestApp): Promise<Array<{ id: number; seq: number; action: string; section: string; policy_slug: string; policy_version: number; categories: string; email: string | null; user_id: number | null }>> {
  return t.platform.sequelize.query(
    'SELECT r.id, r.seq, r.action, r.section, r.policy_slug, r.policy_version, r.categories, i.email, i.user_id FROM gdpr_consent_register r LEFT JOIN gdpr_consent_identities i ON i.register_id = r.id ORDER BY r.seq',
    { type: QueryTypes.SELECT },
  );
}

export async function policyId(t: TestApp, slug: string): Promise<number> {
  const [row] = await t.platform.sequelize.query<{ id: number }>('SELECT id FROM gdpr_policies WHERE slug = :slug', { type: QueryTypes.SELECT, replacements: { slug } });
  if (!row) throw new Error(`no policy ${slug}`);
  return Number(row.id);
}

/** The consent boxes' policy ids on a page (or in the form posting to `action`), in order, and whether any is ticked. */
export function boxesOn(page: string, action?: string): { ids: number[]; ticked: boolean } {
  const start = action ? page.indexOf(`action="${action}"`) : 0;
  const html = action ? page.slice(start, page.indexOf('</form>', start)) : page;
  const boxes = [...html.matchAll(/<input type="checkbox" id="gdpr-[a-z0-9-]+?-(\d+)" name="gdpr_accept" value="\d+"([^>]*)>/g)];
  return { ids: boxes.map((m) => Number(m[1])), ticked: boxes.some((m) => / checked/.test(m[2])) };
}

/** The `gdpr_shown` value of a page's consent boxes. */
export function shownOn(html: string): string {
  return /name="gdpr_shown" value="([^"]*)"/.exec(html)?.[1] ?? '';
}
