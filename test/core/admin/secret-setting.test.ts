import { expect } from 'chai';
import { z } from 'zod';
import { SettingsRegistry } from '../../../core/admin/settings-registry';
import { SecretBox, maskSecret } from '../../../core/admin/secret-box';
import type { Options } from '../../../core/db/options';

function memoryOptions(): Options & { raw: Map<string, unknown> } {
  const values = new Map<string, unknown>();
  return {
    raw: values,
    get: <T>(key: string, fallback: T) => (values.has(key) ? (values.get(key) as T) : fallback),
    set: async (key: string, value: unknown) => void values.set(key, value),
  } as unknown as Options & { raw: Map<string, unknown> };
}

const definition = {
  title: 'Payments',
  fields: [
    { key: 'apiKey', label: 'API key', type: 'secret' as const },
    { key: 'name', label: 'Name', type: 'text' as const },
  ],
  schema: z.object({ apiKey: z.string().max(200).default(''), name: z.string().default('shop') }),
};
const KEY = 'a-settings-key-that-is-long-enough-0123456789';

describe('a secret setting (an API key)', () => {
  it('is stored sealed, read back plain, kept when the field is left blank, and removed on request', async () => {
    const options = memoryOptions();
    const settings = new SettingsRegistry(options, new SecretBox(KEY));
    settings.define('pay', definition);
    expect(await settings.save('pay', { apiKey: 'sk_test_1234567890abcdef', name: 'x' })).to.deep.equal({ ok: true });
    const stored = options.raw.get('settings.pay') as Record<string, string>;
    expect(stored.apiKey).to.match(/^sealed:v1:/);
    expect(JSON.stringify(stored)).to.not.contain('sk_test_1234567890abcdef');
    expect(settings.get<{ apiKey: string }>('pay').apiKey).to.equal('sk_test_1234567890abcdef');
    expect(settings.masked('pay')).to.deep.equal({ apiKey: '••••••••cdef' });

    await settings.save('pay', { apiKey: '', name: 'y' });
    expect(settings.get<{ apiKey: string; name: string }>('pay')).to.deep.equal({ apiKey: 'sk_test_1234567890abcdef', name: 'y' });

    await settings.save('pay', { apiKey: '', apiKey_clear: 'on', name: 'y' });
    expect(settings.get<{ apiKey: string }>('pay').apiKey).to.equal('');
    expect(settings.masked('pay')).to.deep.equal({ apiKey: '' });
  });

  it('falls back to the default when the value was sealed with another key, and refuses a secret field without a key', async () => {
    const options = memoryOptions();
    const first = new SettingsRegistry(options, new SecretBox(KEY));
    first.define('pay', definition);
    await first.save('pay', { apiKey: 'sk_test_abcdefghijklmnop', name: 'x' });
    const other = new SettingsRegistry(options, new SecretBox(`${KEY}-other`));
    other.define('pay', definition);
    expect(other.get<{ apiKey: string; name: string }>('pay')).to.deep.equal({ apiKey: '', name: 'x' });
    expect(() => new SettingsRegistry(memoryOptions()).define('pay', definition)).to.throw(/no key to seal/);
    expect(maskSecret('short')).to.equal('••••••••');
  });
});
