import { expect } from 'chai';
import { z } from 'zod';
import { SettingsRegistry } from '../../../core/admin/settings-registry';
import type { Options } from '../../../core/db/options';

/** An in-memory stand-in for the options table: the registry only reads and writes values by key. */
function memoryOptions(): Options {
  const values = new Map<string, unknown>();
  return {
    get: <T>(key: string, fallback: T) => (values.has(key) ? (values.get(key) as T) : fallback),
    set: async (key: string, value: unknown) => void values.set(key, value),
  } as unknown as Options;
}

describe('settings defined in parts by one owner', () => {
  it('merges the parts into one form and one option, and each disposer removes only its part', async () => {
    const settings = new SettingsRegistry(memoryOptions());
    const first = settings.define('gdpr', { title: 'Privacy', fields: [{ key: 'a', label: 'A', type: 'text' }], schema: z.object({ a: z.string().default('one') }) });
    const second = settings.define('gdpr', { title: 'Ignored', fields: [{ key: 'b', label: 'B', type: 'number' }], schema: z.object({ b: z.number().int().default(2) }) });
    expect(settings.definition('gdpr')!.title).to.equal('Privacy');
    expect(settings.definition('gdpr')!.fields.map((f) => f.key)).to.deep.equal(['a', 'b']);
    expect(settings.get('gdpr')).to.deep.equal({ a: 'one', b: 2 });
    expect(await settings.save('gdpr', { a: 'x', b: '5' })).to.deep.equal({ ok: true });
    expect(settings.get('gdpr')).to.deep.equal({ a: 'x', b: 5 });
    const refused = await settings.save('gdpr', { a: 'y', b: 'nope' });
    expect(refused.ok).to.equal(false);

    expect(() => settings.define('gdpr', { title: 'Again', fields: [], schema: z.object({ a: z.string().default('') }) })).to.throw(/already defined/);
    second();
    expect(settings.definition('gdpr')!.fields.map((f) => f.key)).to.deep.equal(['a']);
    first();
    expect(settings.definition('gdpr')).to.equal(undefined);
    expect(settings.owners()).to.deep.equal([]);
  });
});
