import { expect } from 'chai';
import { z } from 'zod';
import { startTestApp, createUser, login, loginAsAdmin, type TestApp } from '../../helpers/app';
import { submit } from './support';

/** The admin shell as plugins use it: menu entries and widgets behind capabilities, settings pages from a schema. */
describe('the admin shell', () => {
  let t: TestApp;
  const disposers: Array<() => void> = [];
  before(async () => {
    t = await startTestApp({ plugins: [] });
    const { capabilities: caps, admin, settings } = t.platform;
    disposers.push(
      caps.register('probe', 'probe.reports', 'Read the probe reports', ['moderator']),
      caps.register('probe', 'probe.secrets', 'Read the probe secrets', []),
      admin.addMenuItem({ owner: 'probe', id: 'reports', label: 'Probe reports', href: '/admin/probe-reports', capability: 'probe.reports', order: 20 }),
      admin.addMenuItem({ owner: 'probe', id: 'secrets', label: 'Probe secrets', href: '/admin/probe-secrets', capability: 'probe.secrets', order: 21 }),
      admin.addWidget({ owner: 'probe', id: 'count', title: 'Probe count', capability: 'probe.reports', render: async () => '<p>42 probes</p>' }),
      admin.addWidget({ owner: 'probe', id: 'secret', title: 'Probe secret', capability: 'probe.secrets', render: async () => '<p>the secret</p>' }),
      admin.addWidget({ owner: 'probe', id: 'broken', title: 'Broken probe', capability: 'core.admin.access', render: async () => { throw new Error('boom'); } }),
      settings.define('probe', {
        title: 'Probe',
        fields: [
          { key: 'threshold', label: 'Threshold', type: 'number' },
          { key: 'enabled', label: 'Enabled', type: 'checkbox' },
          { key: 'mode', label: 'Mode', type: 'select', choices: [{ value: 'fast', label: 'Fast' }, { value: 'careful', label: 'Careful' }] },
        ],
        schema: z.object({
          threshold: z.number({ message: 'Enter a number' }).int('Enter a whole number').min(1, 'The threshold must be at least 1').default(5),
          enabled: z.boolean().default(false),
          mode: z.enum(['fast', 'careful'], 'Choose a mode').default('fast'),
        }),
      }),
    );
  });
  after(async () => {
    for (const d of disposers) d();
    await t.close();
  });

  it('shows each person only the menu entries and widgets their capabilities allow', async () => {
    const { user, password } = await createUser({ role: 'moderator' });
    const mod = t.agent();
    await login(mod, user.email, password);
    const page = await mod.get('/admin').expect(200);
    expect(page.text).to.contain('Probe reports');
    expect(page.text).to.not.contain('Probe secrets');
    expect(page.text).to.not.contain('>Plugins<');
    expect(page.text).to.contain('42 probes');
    expect(page.text).to.not.contain('the secret');
    expect(page.text).to.contain('This widget failed to load');

    const admin = t.agent();
    await loginAsAdmin(admin);
    const adminPage = await admin.get('/admin').expect(200);
    for (const text of ['Probe reports', 'Probe secrets', 'Plugins', '42 probes', 'the secret']) expect(adminPage.text).to.contain(text);
  });

  it('keeps customers and sellers out of the admin shell', async () => {
    for (const role of ['customer', 'seller'] as const) {
      const { user, password } = await createUser({ role });
      const agent = t.agent();
      await login(agent, user.email, password);
      expect((await agent.get('/admin')).status).to.equal(403);
      expect((await agent.get('/admin/settings/core')).status).to.equal(403);
    }
    expect((await t.agent().get('/admin')).status).to.equal(302);
  });

  it("renders a plugin's settings page from its schema and saves good values", async () => {
    const admin = t.agent();
    await loginAsAdmin(admin);
    const index = await admin.get('/admin/settings').expect(200);
    expect(index.text).to.contain('/admin/settings/probe');
    const form = await admin.get('/admin/settings/probe').expect(200);
    expect(form.text).to.contain('name="threshold"');
    expect(form.text).to.contain('type="checkbox"');
    expect(form.text).to.contain('<option value="careful"');
    const res = await submit(admin, '/admin/settings/probe', '/admin/settings/probe', { threshold: '7', enabled: 'on', mode: 'careful' });
    expect(res.status).to.equal(303);
    expect(t.platform.settings.get('probe')).to.deep.equal({ threshold: 7, enabled: true, mode: 'careful' });
    expect((await admin.get('/admin/settings/probe')).text).to.contain('Settings saved.');
  });

  it('refuses bad settings with 422 and a message beside the field, and keeps the old values', async () => {
    const admin = t.agent();
    await loginAsAdmin(admin);
    const before = t.platform.settings.get('core');
    const res = await submit(admin, '/admin/settings/core', '/admin/settings/core', { siteName: 'Agora', minimumAge: '16', adultAge: '15' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('The age of majority cannot be below the minimum age');
    expect(res.text).to.contain('value="15"');
    expect(t.platform.settings.get('core')).to.deep.equal(before);

    const notNumber = await submit(admin, '/admin/settings/probe', '/admin/settings/probe', { threshold: 'lots', mode: 'reckless' });
    expect(notNumber.status).to.equal(422);
    expect(notNumber.text).to.contain('Enter a number');
    expect(notNumber.text).to.contain('Choose a mode');
    const zero = await submit(admin, '/admin/settings/probe', '/admin/settings/probe', { threshold: '0', mode: 'fast' });
    expect(zero.status).to.equal(422);
    expect(zero.text).to.contain('The threshold must be at least 1');
    expect(t.platform.settings.get<{ threshold: number }>('probe').threshold).to.not.equal(0);
  });
});
