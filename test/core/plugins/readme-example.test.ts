import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type supertest from 'supertest';
import { rootDir } from '../../../core/config';
import { startTestApp, loginAsAdmin, tokenFor, type TestApp } from '../../helpers/app';
import { pluginAction, statusOnAdminPage } from './admin-actions';
import { zip } from './zip-file';

/** The README's "Write a plugin" example, read from the README itself so the two cannot part. */
function readmeExample(): { manifest: string; entry: string } {
  const readme = fs.readFileSync(path.join(rootDir, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Write a plugin'));
  const manifest = /\(`(\{ "name": "hello"[^`]*\})`\)/.exec(section)?.[1];
  const entry = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!manifest || !entry) throw new Error('README has no plugin example');
  return { manifest, entry };
}

describe('the README plugin example, uploaded as a .zip', () => {
  let t: TestApp;
  let admin: supertest.Agent;
  before(async () => {
    t = await startTestApp({ plugins: [] });
    admin = t.agent();
    await loginAsAdmin(admin);
  });
  after(async () => t.close());

  async function upload(file: Buffer): Promise<supertest.Response> {
    const token = await tokenFor(admin, '/admin/plugins');
    return admin.post('/admin/plugins/upload').field('_csrf', token).attach('plugin', file, 'plugin.zip');
  }

  async function uninstall(name: string): Promise<supertest.Response> {
    const token = await tokenFor(admin, `/admin/plugins/${name}/uninstall`);
    return admin.post(`/admin/plugins/${name}/uninstall`).type('form').send({ _csrf: token, confirm: name });
  }

  it('imports @agora/core, activates, serves /hello, deactivates and uninstalls from the admin', async () => {
    const { manifest, entry } = readmeExample();
    expect(entry).to.contain("from '@agora/core'");
    const page = '<%# @version 1.0.0 %>\n<section class="panel"><h1>Hello from the README plugin</h1></section>\n';
    const file = await zip([
      { name: 'hello/plugin.json', data: manifest },
      { name: 'hello/index.ts', data: entry.replace('// plugins/hello/index.ts\n', '') },
      { name: 'hello/views/page.ejs', data: page },
    ]);
    expect((await upload(file)).status).to.equal(303);

    const activated = await pluginAction(admin, 'hello', 'activate');
    expect(activated.status, activated.text.slice(0, 400)).to.equal(303);
    expect(await statusOnAdminPage(admin, 'hello')).to.equal('active');
    const hello = await t.agent().get('/hello').expect(200);
    expect(hello.text).to.contain('<h1>Hello from the README plugin</h1>');
    expect(hello.text, 'rendered inside the site layout').to.contain('<title>Hello');

    expect((await pluginAction(admin, 'hello', 'deactivate')).status).to.equal(303);
    await t.agent().get('/hello').expect(503);
    expect((await uninstall('hello')).status).to.equal(303);
    await t.agent().get('/hello').expect(404);
    expect(fs.readdirSync(t.config.installedPluginsDir)).to.deep.equal([]);
    expect((await admin.get('/admin/plugins')).text).not.to.contain('data-plugin="hello"');
  });

  it("shares core's modules with an installed plugin, which may also use core's packages (zod)", async () => {
    const entry = `import { z } from 'zod';
import { definePlugin, notFound, parseForm } from '@agora/core';

export default definePlugin({
  setup(ctx) {
    ctx.router.get('/shared/:n', (req) => {
      const parsed = parseForm(z.object({ n: z.coerce.number().int() }), req.params);
      throw notFound(parsed.ok ? 'number ' + parsed.data.n : 'number');
    });
  },
});
`;
    const manifest = JSON.stringify({ name: 'shared', version: '1.0.0', title: 'Shared' });
    expect((await upload(await zip([{ name: 'plugin.json', data: manifest }, { name: 'index.ts', data: entry }]))).status).to.equal(303);
    expect((await pluginAction(admin, 'shared', 'activate')).status).to.equal(303);
    // Core's error page knows the plugin's HttpError: one copy of core, not a second one compiled for the plugin.
    const res = await t.agent().get('/shared/7').expect(404);
    expect(res.text).to.contain('We could not find that number 7.');
    await pluginAction(admin, 'shared', 'deactivate');
    expect((await uninstall('shared')).status).to.equal(303);
  });

  it('shows why a plugin cannot load (no 500), leaves no tables, and still uninstalls it', async () => {
    const entry = "import { definePlugin } from '../../core/plugins/define-plugin';\nexport default definePlugin({ setup() {} });\n";
    const migration = "export async function up({ context }) { await context.queryInterface.createTable('broken_things', { id: { type: 'INTEGER', primaryKey: true } }); }\nexport async function down({ context }) { await context.queryInterface.dropTable('broken_things'); }\n";
    const manifest = JSON.stringify({ name: 'broken', version: '1.0.0', title: 'Broken' });
    const file = await zip([
      { name: 'plugin.json', data: manifest },
      { name: 'index.ts', data: entry },
      { name: 'migrations/001-things.ts', data: migration },
    ]);
    expect((await upload(file)).status).to.equal(303);

    const res = await pluginAction(admin, 'broken', 'activate');
    expect(res.status).to.equal(409);
    expect(res.text).to.match(/&#34;Broken&#34; could not be loaded: Cannot find module[^<]*define-plugin/);
    expect(await statusOnAdminPage(admin, 'broken')).to.equal('error');
    const row = /<tr data-plugin="broken">([\s\S]*?)<\/tr>/.exec((await admin.get('/admin/plugins')).text)?.[1] ?? '';
    expect(row, 'the reason stays on the plugins page').to.contain('could not be loaded');
    const tables = (await t.platform.sequelize.getQueryInterface().showAllTables()).map(String);
    expect(tables).not.to.include('broken_things');

    expect((await uninstall('broken')).status).to.equal(303);
    expect(fs.readdirSync(t.config.installedPluginsDir)).to.deep.equal([]);
  });
});
