import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import sharp from 'sharp';
import { startTestApp, type TestApp } from '../../helpers/app';
import { ImageRejected, processImage } from '../../../core/files/images';

const png = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#c2410c' } }).png().toBuffer();

async function rejection(promise: Promise<unknown>): Promise<ImageRejected> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(ImageRejected);
    return error as ImageRejected;
  }
  throw new Error('the image was accepted');
}

describe('core image processing and public files (ctx.files.images, ctx.files.public)', () => {
  let t: TestApp;
  before(async () => {
    // A small cap, so an "oversized" upload stays small.
    t = await startTestApp({ plugins: ['hello'], fixtures: true, env: { UPLOAD_MAX_BYTES: '20000' } });
  });
  after(async () => t.close());

  it('refuses a file that is not an image, whatever it is called, with a message for people', async () => {
    const error = await rejection(t.platform.files.forOwner('hello').images.process(Buffer.from('<svg onload="alert(1)"></svg> GIF89a pretending')));
    expect(error.message).to.equal('This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF.');
    expect((await rejection(processImage(Buffer.alloc(0), { maxBytes: 1000 }))).message).to.equal('The file is empty.');
  });

  it('refuses an upload over UPLOAD_MAX_BYTES before decoding it, naming the cap', async () => {
    const big = Buffer.concat([await png(10, 10), Buffer.alloc(25_000)]);
    const error = await rejection(t.platform.files.forOwner('hello').images.process(big));
    expect(error.message).to.equal('The image is larger than 20 KB.');
  });

  it('makes WebP variants (a large one that is never enlarged and a square thumbnail) by default', async () => {
    const image = await t.platform.files.forOwner('hello').images.process(await png(800, 400));
    expect(image.variants.map((v) => v.suffix)).to.deep.equal(['', '-thumb']);
    const [main, thumb] = await Promise.all(image.variants.map((v) => sharp(v.data).metadata()));
    expect(main).to.include({ format: 'webp', width: 800, height: 400 });
    expect(thumb).to.include({ format: 'webp', width: 480, height: 480 });
  });

  it('saves public files under /uploads/<plugin>/, served there, and removes only its own', async () => {
    const files = t.platform.files.forOwner('hello');
    const image = await files.images.process(await png(100, 100), { variants: [{ suffix: '', width: 50, height: 50, fit: 'cover' }] });
    const saved = await files.public.saveImage(image, { folder: 'gallery' });
    expect(saved[''].path).to.match(/^hello\/gallery\/[A-Za-z0-9_-]+\.webp$/);
    const res = await t.agent().get(saved[''].url).expect(200);
    expect(res.headers['content-type']).to.equal('image/webp');

    // Another plugin cannot remove hello's file, nor can a path that climbs out of the folder.
    await t.platform.files.forOwner('hello-friend').public.remove([saved[''].path, `../${saved[''].path}`]);
    expect(fs.existsSync(path.join(t.config.uploadsDir, saved[''].path))).to.equal(true);

    await files.public.remove([saved[''].path]);
    await t.agent().get(saved[''].url).expect(404);
  });

  it('refuses folder names and extensions that could escape or mislead', async () => {
    const files = t.platform.files.forOwner('hello');
    for (const folder of ['../x', 'a/../../b', '.hidden', 'a//b']) {
      let failed = false;
      await files.public.save(Buffer.from('x'), { ext: 'txt', folder }).catch(() => (failed = true));
      expect(failed, folder).to.equal(true);
    }
    let failed = false;
    await files.public.save(Buffer.from('x'), { ext: 'html/../../x' }).catch(() => (failed = true));
    expect(failed).to.equal(true);
  });
});
