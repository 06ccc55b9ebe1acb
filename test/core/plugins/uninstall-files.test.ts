import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startTestApp, createUser, login, loginAsAdmin, tokenFor, type TestApp } from '../../helpers/app';
import { pluginAction } from './admin-actions';

describe('uninstalling a plugin from the admin erases its files', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['hello'], fixtures: true });
  });
  after(async () => t.close());

  it("removes its private files (bytes and rows) and its public files, and keeps other plugins' files", async () => {
    const { user, password } = await createUser();
    const author = t.agent();
    await login(author, user.email, password);
    const token = await tokenFor(author, '/hello/notes');
    await author.post('/hello/notes').type('form').send({ _csrf: token, text: 'a note that must not outlive the plugin' }).expect(303);
    const publicFile = await t.platform.files.forOwner('hello').public.save(Buffer.from('public bytes'), { ext: 'txt', folder: 'misc' });
    const other = await t.platform.files.forOwner('other-plugin').private.save(Buffer.from('not hello'), { name: 'x.txt', type: 'text/plain' });
    const privateDir = path.join(t.config.dataDir, 'private', 'hello');
    expect(fs.readdirSync(privateDir)).to.have.length(1);
    expect(fs.existsSync(path.join(t.config.uploadsDir, publicFile.path))).to.equal(true);

    const admin = t.agent();
    await loginAsAdmin(admin);
    expect((await pluginAction(admin, 'hello', 'deactivate')).status).to.equal(303);
    const confirm = await tokenFor(admin, '/admin/plugins/hello/uninstall');
    await admin.post('/admin/plugins/hello/uninstall').type('form').send({ _csrf: confirm, confirm: 'hello' }).expect(303);

    expect(fs.existsSync(privateDir), 'the private folder is gone').to.equal(false);
    expect(fs.existsSync(path.join(t.config.uploadsDir, publicFile.path)), 'the public file is gone').to.equal(false);
    const owners = await t.platform.sequelize.query<{ owner: string }>('SELECT owner FROM private_files', { type: QueryTypes.SELECT });
    expect(owners.map((r) => r.owner)).to.deep.equal(['other-plugin']);
    expect(await t.platform.files.forOwner('other-plugin').private.read(other.id)).to.deep.equal(Buffer.from('not hello'));
  });
});
