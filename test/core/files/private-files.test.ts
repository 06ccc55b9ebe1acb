import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type supertest from 'supertest';
import { QueryTypes } from 'sequelize';
import { startTestApp, createUser, login, tokenFor, type TestApp } from '../../helpers/app';

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

async function saveNote(agent: supertest.Agent, text: string): Promise<supertest.Response> {
  const token = await tokenFor(agent, '/hello/notes');
  return agent.post('/hello/notes').type('form').send({ _csrf: token, text });
}

describe('private files (ctx.files.private)', () => {
  let t: TestApp;
  let owner: supertest.Agent;
  let stranger: supertest.Agent;
  let id: string;
  const text = 'my secret note: the safe code is 4711';

  before(async () => {
    t = await startTestApp({ plugins: ['hello'], fixtures: true });
    const a = await createUser();
    const b = await createUser();
    owner = t.agent();
    stranger = t.agent();
    await login(owner, a.user.email, a.password);
    await login(stranger, b.user.email, b.password);
    const res = await saveNote(owner, text);
    expect(res.status, res.text).to.equal(303);
    const rows = await t.platform.sequelize.query<{ file_id: string }>('SELECT file_id FROM hello_notes', { type: QueryTypes.SELECT });
    expect(rows).to.have.length(1);
    id = rows[0].file_id;
  });
  after(async () => t.close());

  it('stores the bytes outside the uploads folder, with a row naming the plugin', async () => {
    const onDisk = path.join(t.config.dataDir, 'private', 'hello', id);
    expect(fs.readFileSync(onDisk, 'utf8')).to.equal(text);
    expect(filesUnder(t.config.uploadsDir).filter((f) => fs.readFileSync(f).includes(text)), 'nothing of it is under /uploads').to.deep.equal([]);
    const rows = await t.platform.sequelize.query<{ owner: string; type: string; size: number }>('SELECT owner, type, size FROM private_files WHERE id = ?', { replacements: [id], type: QueryTypes.SELECT });
    expect(rows).to.deep.equal([{ owner: 'hello', type: 'text/plain', size: Buffer.byteLength(text) }]);
  });

  it('answers its owner through the plugin route, privately and sandboxed', async () => {
    const res = await owner.get(`/hello/notes/${id}`).expect(200);
    expect(res.text).to.equal(text);
    expect(res.headers['content-type']).to.match(/^text\/plain/);
    expect(res.headers['content-disposition']).to.match(/^inline; filename="?note\.txt"?$/);
    expect(res.headers['cache-control']).to.equal('private, no-store');
    expect(res.headers['content-security-policy']).to.contain('sandbox');
  });

  it('answers 404 to a stranger, and sends a guest to the login page', async () => {
    const res = await stranger.get(`/hello/notes/${id}`);
    expect(res.status).to.equal(404);
    expect(res.text).not.to.contain(text);
    const guest = await t.agent().get(`/hello/notes/${id}`);
    expect(guest.status).to.equal(302);
    expect(guest.headers.location).to.match(/^\/login/);
  });

  it('is not reachable under /uploads, however the path is written', async () => {
    for (const url of [`/uploads/hello/${id}`, `/uploads/${id}`, `/uploads/../private/hello/${id}`, `/uploads/%2e%2e/private/hello/${id}`, `/uploads/..%2fprivate%2fhello%2f${id}`]) {
      const res = await t.agent().get(url);
      expect(res.status, url).to.be.oneOf([400, 404]);
      expect(res.text, url).not.to.contain(text);
    }
  });

  it("is out of reach of another plugin's file store", async () => {
    const other = t.platform.files.forOwner('hello-friend');
    expect(await other.private.read(id)).to.equal(undefined);
    expect(await other.private.info(id)).to.equal(undefined);
    expect(await other.private.remove(id)).to.equal(false);
    expect(await t.platform.files.forOwner('hello').private.read(id)).to.deep.equal(Buffer.from(text));
  });

  it('refuses an empty note with 422 and the message on the same page, and writes nothing', async () => {
    const before = filesUnder(path.join(t.config.dataDir, 'private')).length;
    const res = await saveNote(owner, '   ');
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Write something');
    expect(filesUnder(path.join(t.config.dataDir, 'private'))).to.have.length(before);
  });

  it('deletes the file and its row; the route then answers 404', async () => {
    const res = await saveNote(owner, 'to be deleted');
    expect(res.status).to.equal(303);
    const [row] = await t.platform.sequelize.query<{ file_id: string }>('SELECT file_id FROM hello_notes ORDER BY id DESC', { type: QueryTypes.SELECT });
    const token = await tokenFor(owner, '/hello/notes');
    expect((await stranger.post(`/hello/notes/${row.file_id}/delete`).type('form').send({ _csrf: await tokenFor(stranger, '/hello/notes') })).status, 'a stranger cannot delete it').to.equal(404);
    await owner.post(`/hello/notes/${row.file_id}/delete`).type('form').send({ _csrf: token }).expect(303);
    expect(fs.existsSync(path.join(t.config.dataDir, 'private', 'hello', row.file_id))).to.equal(false);
    const left = await t.platform.sequelize.query('SELECT id FROM private_files WHERE id = ?', { replacements: [row.file_id], type: QueryTypes.SELECT });
    expect(left).to.deep.equal([]);
    await owner.get(`/hello/notes/${row.file_id}`).expect(404);
  });

  it("is in its author's data export, and erased (row and bytes) with the person", async () => {
    const c = await createUser();
    const agent = t.agent();
    await login(agent, c.user.email, c.password);
    expect((await saveNote(agent, 'a note to be forgotten')).status).to.equal(303);
    const [row] = await t.platform.sequelize.query<{ file_id: string }>('SELECT file_id FROM hello_notes WHERE user_id = ?', { replacements: [c.user.id], type: QueryTypes.SELECT });
    const exported = await t.platform.privacy.exportPerson({ email: c.user.email, userId: c.user.id });
    const notes = exported.sections.find((x) => x.owner === 'hello' && x.exporter === 'notes');
    expect(notes?.items.map((i) => i.data.text)).to.deep.equal(['a note to be forgotten']);
    await t.platform.privacy.erasePerson({ email: c.user.email, userId: c.user.id });
    expect(fs.existsSync(path.join(t.config.dataDir, 'private', 'hello', row.file_id))).to.equal(false);
    expect(await t.platform.sequelize.query('SELECT id FROM private_files WHERE id = ?', { replacements: [row.file_id], type: QueryTypes.SELECT })).to.deep.equal([]);
    expect(await t.platform.files.forOwner('hello').private.read(id), "another person's note stays").to.deep.equal(Buffer.from(text));
  });

  it("eraseOwner (the uninstall step) erases every file of one plugin, private and public, and no other plugin's", async () => {
    const files = t.platform.files.forOwner('hello');
    const pub = await files.public.save(Buffer.from('public bytes'), { ext: 'txt', folder: 'misc' });
    expect(fs.existsSync(path.join(t.config.uploadsDir, pub.path))).to.equal(true);
    const keep = await t.platform.files.forOwner('hello-friend').private.save(Buffer.from('not hello'), { name: 'x.txt', type: 'text/plain' });
    await t.platform.files.eraseOwner('hello');
    expect(fs.existsSync(path.join(t.config.dataDir, 'private', 'hello'))).to.equal(false);
    expect(fs.existsSync(path.join(t.config.uploadsDir, 'hello'))).to.equal(false);
    const rows = await t.platform.sequelize.query<{ owner: string }>('SELECT owner FROM private_files', { type: QueryTypes.SELECT });
    expect(rows.map((r) => r.owner)).to.deep.equal(['hello-friend']);
    expect(await t.platform.files.forOwner('hello-friend').private.read(keep.id)).to.deep.equal(Buffer.from('not hello'));
  });
});
