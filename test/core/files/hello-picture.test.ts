import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import sharp from 'sharp';
import type supertest from 'supertest';
import { createUser, csrfFrom, login, startTestApp, type TestApp } from '../../helpers/app';

/** A post of the picture form as the browser sends it: to its action, the CSRF token as its first field. */
async function pictureForm(agent: supertest.Agent): Promise<{ post: supertest.Test }> {
  const page = await agent.get('/hello/picture').expect(200);
  const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(page.text)?.[1];
  expect(action, 'the multipart form').to.equal('/hello/picture');
  // Wrapped: an async function returning the request itself would await it, sending it before its file is attached.
  return { post: agent.post(action!).field('_csrf', csrfFrom(page.text)) };
}

describe('hello: a public picture (ctx.files.upload, ctx.files.images, ctx.files.public)', function () {
  this.timeout(60_000);
  let t: TestApp;
  let agent: supertest.Agent;
  before(async () => {
    t = await startTestApp({ plugins: ['hello'], fixtures: true });
    const { user, password } = await createUser();
    agent = t.agent();
    await login(agent, user.email, password);
  });
  after(async () => t.close());

  it('turns an uploaded PNG into a WebP served under /uploads/hello/', async () => {
    const png = await sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 200, g: 30, b: 30 } } }).png().toBuffer();
    const res = await (await pictureForm(agent)).post.attach('picture', png, { filename: 'red.png', contentType: 'image/png' });
    expect(res.status, res.text.slice(0, 300)).to.equal(200);
    const url = /<img src="(\/uploads\/hello\/pictures\/[^"]+\.webp)"/.exec(res.text)?.[1];
    expect(url, 'the new picture on the page').to.be.a('string');
    const served = await t.agent().get(url!).buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(served.status).to.equal(200);
    const meta = await sharp(served.body as Buffer).metadata();
    expect(meta.format).to.equal('webp');
    expect([meta.width, meta.height]).to.deep.equal([32, 24]);
    expect(fs.existsSync(path.join(t.platform.config.uploadsDir, decodeURIComponent(url!.replace(/^\/uploads\//, ''))))).to.equal(true);
  });

  it('refuses a file that is not an image with 422 and a message on the page, and writes nothing', async () => {
    const dir = path.join(t.platform.config.uploadsDir, 'hello', 'pictures');
    const before = fs.existsSync(dir) ? fs.readdirSync(dir).length : 0;
    const res = await (await pictureForm(agent)).post.attach('picture', Buffer.from('#!/bin/sh\necho not a picture\n'), { filename: 'fake.png', contentType: 'image/png' });
    expect(res.status).to.equal(422);
    expect(res.text).to.match(/class="error"[^>]*>[^<]*(image|picture|file)/i);
    expect(res.text).to.contain('enctype="multipart/form-data"');
    expect(fs.existsSync(dir) ? fs.readdirSync(dir).length : 0).to.equal(before);
  });

  it('refuses the upload without the CSRF token', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } }).png().toBuffer();
    const res = await agent.post('/hello/picture').attach('picture', png, { filename: 'a.png', contentType: 'image/png' });
    expect(res.status).to.equal(403);
  });
});
