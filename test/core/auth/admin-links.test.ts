import { expect } from 'chai';
import { startTestApp, createUser, login, loginAsAdmin, type TestApp } from '../../helpers/app';

/** Every local link in the admin shell's page (menu, dashboard, widgets), except logging out and assets. */
function links(html: string): string[] {
  const found = new Set<string>();
  for (const m of html.matchAll(/<a\b[^>]*\bhref="(\/[^"#]*)"/g)) {
    const href = m[1].replace(/&amp;/g, '&');
    if (href.startsWith('/assets/') || href.startsWith('/themes/') || href.startsWith('/uploads/')) continue;
    found.add(href);
  }
  return [...found];
}

/** A moderator's admin is what a moderator may open: no link there answers 403. */
describe('the admin shows each person only what they may open', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    // Every bundled plugin that ships by default, and the fixtures, so their menu entries and widgets are there.
    t = await startTestApp({ fixtures: true });
  });
  after(async () => t.close());

  for (const role of ['moderator', 'admin'] as const) {
    it(`every link a ${role} sees on the dashboard and in the menu opens`, async () => {
      const agent = t.agent();
      if (role === 'admin') await loginAsAdmin(agent);
      else {
        const { user, password } = await createUser({ role });
        await login(agent, user.email, password);
      }
      const dashboard = await agent.get('/admin').expect(200);
      const refused: string[] = [];
      const hrefs = links(dashboard.text);
      expect(hrefs).to.include('/admin');
      for (const href of hrefs) {
        const res = await agent.get(href);
        if (res.status === 403 || res.status >= 500) refused.push(`${href} ${res.status}`);
      }
      expect(refused).to.deep.equal([]);
    });
  }

  it("a plugin's problem on the dashboard links to the plugins page only for someone who may manage plugins", async () => {
    const { user, password } = await createUser({ role: 'moderator' });
    const agent = t.agent();
    await login(agent, user.email, password);
    const problem = t.platform.plugins.list()[0];
    const saved = problem.problem;
    problem.problem = 'a probe problem';
    try {
      const page = await agent.get('/admin').expect(200);
      expect(page.text).to.contain('a probe problem');
      expect(page.text).to.not.contain('href="/admin/plugins"');
      const admin = t.agent();
      await loginAsAdmin(admin);
      expect((await admin.get('/admin').expect(200)).text).to.contain('href="/admin/plugins"');
    } finally {
      problem.problem = saved;
    }
  });
});
