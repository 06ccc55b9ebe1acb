import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { expect } from 'chai';
import type supertest from 'supertest';
import { startTestApp, loginAsAdmin, tokenFor, type TestApp } from '../../helpers/app';
import { pluginAction, statusOnAdminPage } from './admin-actions';
import { zip } from './zip-file';

const manifest = (fields: Record<string, unknown> = {}) => JSON.stringify({ name: 'greeter', version: '1.0.0', title: 'Greeter', ...fields });
const entry = `export default {
  setup(ctx) {
    ctx.router.get('/greeter', (_req, res) => { res.type('text').send('The greeter says hi'); });
  },
};
`;

describe('installing a plugin from a .zip upload', () => {
  let t: TestApp;
  let admin: supertest.Agent;
  const MAX = 4096;
  before(async () => {
    t = await startTestApp({ plugins: [], fixtures: true, env: { PLUGIN_ZIP_MAX_BYTES: String(MAX) } });
    admin = t.agent();
    await loginAsAdmin(admin);
  });
  after(async () => t.close());

  async function upload(file: Buffer, filename = 'plugin.zip'): Promise<supertest.Response> {
    const token = await tokenFor(admin, '/admin/plugins');
    return admin.post('/admin/plugins/upload').field('_csrf', token).attach('plugin', file, filename);
  }

  const installed = () => fs.readdirSync(t.config.installedPluginsDir);

  async function expectRefused(file: Buffer, message: string | RegExp): Promise<void> {
    const res = await upload(file);
    expect(res.status, res.text.slice(0, 300)).to.equal(422);
    const shown = /<section class="panel">[\s\S]*?<div class="flash flash-error" role="alert">([^<]*)<\/div>/.exec(res.text)?.[1] ?? '';
    if (typeof message === 'string') expect(shown).to.contain(message);
    else expect(shown).to.match(message);
    expect(installed(), 'nothing was written to DATA_DIR/plugins').to.deep.equal([]);
  }

  it('refuses a file over the size cap', async () => {
    const noise = crypto.randomBytes(MAX * 2);
    const big = await zip([
      { name: 'plugin.json', data: manifest() },
      { name: 'index.ts', data: entry },
      { name: 'noise.bin', data: noise, compress: false },
    ]);
    expect(big.length).to.be.above(MAX);
    await expectRefused(big, 'plugins may be at most');
  });

  it('refuses a zip without plugin.json', async () => {
    await expectRefused(await zip([{ name: 'index.ts', data: entry }]), 'The zip has no plugin.json at its top level.');
  });

  it('refuses an invalid manifest, saying which field', async () => {
    await expectRefused(await zip([{ name: 'plugin.json', data: manifest({ name: 'Not A Name' }) }, { name: 'index.ts', data: entry }]), /The plugin.json is not valid: plugin.json: name: lowercase letters/);
    await expectRefused(await zip([{ name: 'plugin.json', data: '{ not json' }, { name: 'index.ts', data: entry }]), 'The plugin.json is not valid');
    await expectRefused(await zip([{ name: 'plugin.json', data: manifest({ main: 'missing.ts' }) }]), 'The entry file &#34;missing.ts&#34; named in plugin.json is missing.');
  });

  it('refuses an entry that escapes the plugin folder (zip-slip)', async () => {
    // yazl will not write "../" names, so write a same-length placeholder and patch the bytes.
    const placeholder = 'xx/escape.ts';
    let file = await zip([{ name: 'plugin.json', data: manifest() }, { name: 'index.ts', data: entry }, { name: placeholder, data: 'pwned' }]);
    file = replaceAll(file, Buffer.from(placeholder), Buffer.from('../escape.ts'));
    await expectRefused(file, /outside the plugin folder|invalid relative path/);
    expect(fs.existsSync(path.join(t.config.dataDir, 'escape.ts'))).to.equal(false);

    let absolute = await zip([{ name: 'plugin.json', data: manifest() }, { name: 'index.ts', data: entry }, { name: 'xtmp/owned.ts', data: 'pwned' }]);
    absolute = replaceAll(absolute, Buffer.from('xtmp/owned.ts'), Buffer.from('/tmp/owned.ts'));
    await expectRefused(absolute, /outside the plugin folder|absolute path/);
  });

  it('refuses a symbolic link', async () => {
    const file = await zip([
      { name: 'plugin.json', data: manifest() },
      { name: 'index.ts', data: entry },
      { name: 'secrets', data: '/etc/passwd', mode: 0o120777 },
    ]);
    await expectRefused(file, 'The entry &#34;secrets&#34; is a link; links are not allowed.');
  });

  it('refuses a plugin whose package.json makes it CommonJS', async () => {
    const file = await zip([{ name: 'plugin.json', data: manifest() }, { name: 'index.ts', data: entry }, { name: 'package.json', data: '{ "type": "commonjs" }' }]);
    await expectRefused(file, 'the package.json of the plugin must say &#34;type&#34;: &#34;module&#34;');
  });

  it('refuses a name that already exists', async () => {
    await expectRefused(await zip([{ name: 'plugin.json', data: manifest({ name: 'hello', title: 'Another hello' }) }, { name: 'index.ts', data: entry }]), 'A plugin named &#34;hello&#34; already exists.');
  });

  it('refuses something that is not a zip, and a form without the file', async () => {
    await expectRefused(Buffer.from('just text'), 'The file is not a readable zip archive');
    const token = await tokenFor(admin, '/admin/plugins');
    const named = await admin.post('/admin/plugins/upload').field('_csrf', token).attach('plugin', Buffer.from('x'), 'plugin.tar.gz');
    expect(named.status).to.equal(422);
    expect(named.text).to.contain('Upload a plugin as a .zip file.');
    const none = await admin.post('/admin/plugins/upload').field('_csrf', token).field('nothing', 'here');
    expect(none.status).to.equal(422);
    expect(none.text).to.contain('Choose a .zip file to upload.');
    const wrongField = await admin.post('/admin/plugins/upload').field('_csrf', token).attach('file', Buffer.from('x'), 'plugin.zip');
    expect(wrongField.status).to.equal(422);
    expect(wrongField.text).to.contain('Upload one .zip file');
    expect(installed()).to.deep.equal([]);
  });

  it('installs a good upload, which can then be activated and answers on its route', async () => {
    const file = await zip([
      { name: 'greeter/plugin.json', data: manifest() },
      { name: 'greeter/index.ts', data: entry },
    ]);
    const res = await upload(file, 'greeter.zip');
    expect(res.status, res.text.slice(0, 500)).to.equal(303);
    const page = await admin.get('/admin/plugins').expect(200);
    expect(page.text).to.contain('&#34;Greeter&#34; 1.0.0 was installed. Activate it when you are ready.');
    expect(installed()).to.deep.equal(['greeter']);
    expect(fs.readdirSync(path.join(t.config.installedPluginsDir, 'greeter')).sort()).to.deep.equal(['index.ts', 'plugin.json']);
    expect(await statusOnAdminPage(admin, 'greeter')).to.equal('installed');
    await t.agent().get('/greeter').expect(404);

    expect((await pluginAction(admin, 'greeter', 'activate')).status).to.equal(303);
    const answer = await t.agent().get('/greeter').expect(200);
    expect(answer.text).to.equal('The greeter says hi');

    // Uninstalling an uploaded plugin removes its folder too.
    await pluginAction(admin, 'greeter', 'deactivate');
    const token = await tokenFor(admin, '/admin/plugins/greeter/uninstall');
    await admin.post('/admin/plugins/greeter/uninstall').type('form').send({ _csrf: token, confirm: 'greeter' }).expect(303);
    expect(installed()).to.deep.equal([]);
    expect((await admin.get('/admin/plugins')).text).not.to.contain('data-plugin="greeter"');
  });

  it('runs the new code when a plugin is uploaded again after an uninstall, its own imported files too', async () => {
    const split = (text: string) => [
      { name: 'plugin.json', data: manifest({ version: '1.1.0' }) },
      { name: 'index.ts', data: entry.replace("'The greeter says hi'", 'message').replace('export default', "import { message } from './message';\nexport default") },
      { name: 'message.ts', data: `export const message = '${text}';\n` },
    ];
    expect((await upload(await zip(split('The greeter 1.1 says hello')))).status).to.equal(303);
    await pluginAction(admin, 'greeter', 'activate');
    expect((await t.agent().get('/greeter').expect(200)).text).to.equal('The greeter 1.1 says hello');

    await pluginAction(admin, 'greeter', 'deactivate');
    const token = await tokenFor(admin, '/admin/plugins/greeter/uninstall');
    await admin.post('/admin/plugins/greeter/uninstall').type('form').send({ _csrf: token, confirm: 'greeter' }).expect(303);
    expect((await upload(await zip(split('The greeter 1.2 says welcome')))).status).to.equal(303);
    await pluginAction(admin, 'greeter', 'activate');
    expect((await t.agent().get('/greeter').expect(200)).text).to.equal('The greeter 1.2 says welcome');
  });
});

function replaceAll(haystack: Buffer, from: Buffer, to: Buffer): Buffer {
  const out = Buffer.from(haystack);
  let at = out.indexOf(from);
  while (at >= 0) {
    to.copy(out, at);
    at = out.indexOf(from, at + from.length);
  }
  return out;
}
