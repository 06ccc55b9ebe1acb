import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import * as core from '../../../core/index';
import { startTestApp, type TestApp } from '../../helpers/app';

describe('public files: areas core hands out (ctx.files.publicAreas), no constructor for plugins', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'hello'], fixtures: true });
  });
  after(async () => t.close());

  it('does not export the PublicFiles constructor from @agora/core (a plugin cannot make a store for another)', () => {
    expect(core).to.not.have.property('PublicFiles');
    expect(core).to.not.have.property('PublicFileBatch');
  });

  it("gives shops its products/ and shops/ areas and refuses them, or shops' own folder, to any other plugin", () => {
    const intruder = t.platform.files.forOwner('intruder');
    for (const areas of [['products'], ['shops'], ['Products'], ['hello'], ['../x'], []]) {
      expect(() => intruder.publicAreas(areas), JSON.stringify(areas)).to.throw();
    }
    // The same owner may ask again (re-activation, its uninstall step).
    expect(() => t.platform.files.forOwner('shops').publicAreas(['products', 'shops'])).to.not.throw();
    // A plugin named like another's area gets no folder there either.
    expect(() => t.platform.files.forOwner('products')).to.throw(/area of shops/);
  });

  it("keeps a plugin's public files to its own folder: another's files are neither written nor removed", async () => {
    const hello = t.platform.files.forOwner('hello');
    const saved = await hello.public.save(Buffer.from('hi'), { ext: 'txt' });
    expect(saved.path).to.match(/^hello\//);
    const shopsArea = await t.platform.files.forOwner('shops').publicAreas(['products', 'shops']).save(Buffer.from('pic'), { ext: 'txt', folder: 'products/1' });
    await t.platform.files.forOwner('intruder').public.remove([shopsArea.path, `../${shopsArea.path}`]);
    expect(fs.existsSync(path.join(t.platform.config.uploadsDir, shopsArea.path))).to.equal(true);
    expect(fs.existsSync(path.join(t.platform.config.uploadsDir, saved.path))).to.equal(true);
  });
});
