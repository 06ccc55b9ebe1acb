import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startTestApp, createUser, type TestApp } from '../helpers/app';
import { rootDir } from '../../core/config';
import { describeGaps, personalDataGaps, platformGaps } from '../../core/privacy/coverage';
import { PrivacyRegistry } from '../../core/privacy/registry';

/** Every plugin that ships in plugins/. */
function bundledPlugins(): string[] {
  const dir = path.join(rootDir, 'plugins');
  return fs.readdirSync(dir).filter((name) => fs.existsSync(path.join(dir, name, 'plugin.json')));
}

async function greet(t: TestApp, email: string, message: string): Promise<void> {
  await t.platform.sequelize.query('INSERT INTO hello_greetings (name, email, message, created_at) VALUES (?, ?, ?, ?)', { replacements: ['Someone', email, message, new Date()] });
}

describe('privacy registry', () => {
  describe('export and erasure of one person', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp({ plugins: ['hello'], fixtures: true });
    });
    after(async () => t.close());

    it("runs the example plugin's exporter, and the combined export has its section", async () => {
      const { user } = await createUser({ email: 'hana@example.test' });
      await greet(t, 'hana@example.test', 'first');
      await greet(t, 'hana@example.test', 'second');
      await greet(t, 'other@example.test', 'not hers');
      const result = await t.platform.privacy.exportPerson('hana@example.test');
      expect(result.email).to.equal('hana@example.test');
      const hello = result.sections.find((s) => s.owner === 'hello' && s.exporter === 'greetings');
      expect(hello, 'the hello section').to.exist;
      expect(hello!.items.map((i) => [i.group, i.data.message])).to.deep.equal([
        ['Greetings', 'first'],
        ['Greetings', 'second'],
      ]);
      const account = result.sections.find((s) => s.owner === 'core' && s.exporter === 'account');
      expect(account!.items[0].data).to.include({ username: user.username, email: 'hana@example.test' });
    });

    it("runs the example plugin's eraser, which reports what it removed, and leaves others' data", async () => {
      await createUser({ email: 'ivo@example.test' });
      await greet(t, 'ivo@example.test', 'bye');
      const result = await t.platform.privacy.erasePerson('ivo@example.test');
      const hello = result.sections.find((s) => s.owner === 'hello' && s.eraser === 'greetings');
      expect(hello).to.include({ eraser: 'greetings', error: undefined });
      expect(hello!.removed).to.deep.equal(['1 greetings']);
      const rows = await t.platform.sequelize.query<{ email: string }>('SELECT email FROM hello_greetings', { type: QueryTypes.SELECT });
      expect(rows.map((r) => r.email)).not.to.include('ivo@example.test');
      expect(rows.map((r) => r.email)).to.include('other@example.test');
      // The plugin's data goes before the core account it hangs on.
      const owners = result.sections.map((s) => s.owner);
      expect(owners.indexOf('hello')).to.be.below(owners.lastIndexOf('core'));
      expect((await t.platform.privacy.exportPerson('ivo@example.test')).sections.every((s) => s.items.length === 0)).to.equal(true);
    });

    it('reports a failing exporter in its section and still runs the others', async () => {
      const dispose = t.platform.privacy.addExporter({
        owner: 'test',
        name: 'broken',
        covers: {},
        exportPage: async () => {
          throw new Error('index corrupted');
        },
      });
      try {
        await greet(t, 'kim@example.test', 'hey');
        const result = await t.platform.privacy.exportPerson('kim@example.test');
        expect(result.sections.find((s) => s.owner === 'test')).to.deep.include({ error: 'index corrupted', items: [] });
        expect(result.sections.find((s) => s.owner === 'hello' && s.exporter === 'greetings')!.items).to.have.length(1);
        expect(result.sections.find((s) => s.owner === 'hello' && s.exporter === 'greetings')).not.to.have.property('error');
      } finally {
        dispose();
      }
    });

    it('reports a failing eraser in the result and still runs the others', async () => {
      const dispose = t.platform.privacy.addEraser({
        owner: 'test',
        name: 'broken',
        covers: {},
        erasePage: async () => {
          throw new Error('disk on fire');
        },
      });
      try {
        await greet(t, 'jo@example.test', 'hi');
        const result = await t.platform.privacy.erasePerson('jo@example.test');
        expect(result.sections.find((s) => s.owner === 'test')).to.include({ error: 'disk on fire' });
        expect(result.sections.find((s) => s.owner === 'hello' && s.eraser === 'greetings')!.removed).to.deep.equal(['1 greetings']);
      } finally {
        dispose();
      }
    });
  });

  describe('coverage of personal columns', () => {
    let t: TestApp;
    const plugins = [...bundledPlugins(), 'hello', 'hello-friend'];
    before(async () => {
      t = await startTestApp({ plugins, fixtures: true });
    });
    after(async () => t.close());

    it('finds every personal column of core and of every active plugin covered by an exporter and an eraser', () => {
      const notActive = plugins.filter((p) => !t.platform.plugins.isActive(p)).map((p) => `${p}: ${t.platform.plugins.get(p)?.problem ?? 'not active'}`);
      expect(notActive, 'every bundled plugin started').to.deep.equal([]);
      const gaps = platformGaps(t.platform);
      expect(gaps, `\n${describeGaps(gaps)}`).to.deep.equal([]);
      // The walk did see personal columns (of core and the example plugin), so an empty result means something.
      const owners = new Set(Object.values(t.platform.sequelize.models).filter((m) => Object.values(m.getAttributes()).some((a) => a.personal)).map((m) => t.platform.plugins.modelOwner(m.name) ?? 'core'));
      expect([...owners]).to.include.members(['core', 'hello']);
    });

    it('reports the personal column that no exporter covers, naming the plugin, model and column', async () => {
      // Compared with the gaps before, so that this proves the check whatever the other plugins' state.
      const key = (g: { owner: string; model: string; attribute: string }) => `${g.owner}:${g.model}.${g.attribute}`;
      const before = new Set(platformGaps(t.platform).map(key));
      await t.platform.plugins.activate('leaky');
      try {
        const added = platformGaps(t.platform).filter((g) => !before.has(key(g)));
        expect(added).to.deep.equal([{ owner: 'leaky', model: 'LeakyNote', attribute: 'phone', missing: ['exporter'] }]);
        expect(describeGaps(added)).to.equal('leaky: LeakyNote.phone is personal but covered by no exporter');
      } finally {
        await t.platform.plugins.deactivate('leaky');
      }
      expect(platformGaps(t.platform).filter((g) => g.owner === 'leaky'), 'an inactive plugin is not walked').to.deep.equal([]);
    });

    it('reports a column missing both an exporter and an eraser', () => {
      const leaky = t.platform.sequelize.models.LeakyNote;
      const gaps = personalDataGaps([{ owner: 'leaky', model: leaky }], new PrivacyRegistry());
      expect(gaps.map((g) => `${g.attribute}: ${g.missing.join(',')}`)).to.deep.equal(['email: exporter,eraser', 'phone: exporter,eraser']);
    });
  });
});
