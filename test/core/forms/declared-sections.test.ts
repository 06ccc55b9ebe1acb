import { expect } from 'chai';
import type { Request } from 'express';
import { z } from 'zod';
import { FormRegistry } from '../../../core/forms/registry';
import { pluginForms } from '../../../core/forms/plugin-forms';
import { fragment } from '../../../core/forms/fragment';
import type { Disposer } from '../../../core/hooks';
import type { FormSectionName } from '../../../core/forms/section-map';

const renderer = { renderSync: () => '' };
const req = {} as Request;
/** A section no interface declares: a plugin activated later brings its own. */
const LATER = 'later.contact' as FormSectionName;

function tracked(): { track: (d: Disposer) => Disposer; disposeAll: () => void } {
  const list: Disposer[] = [];
  return { track: (d) => (list.push(d), d), disposeAll: () => list.reverse().forEach((d) => d()) };
}

describe('form sections known at run time (declare, sections, extendEach, check)', () => {
  it("lists core's sections from the start, then a plugin's declared one, and forgets it when the plugin goes", () => {
    const registry = new FormRegistry(renderer);
    expect(registry.sections().map((s) => s.name)).to.include.members(['core.register', 'core.login.after', 'core.account.profile']);
    const owner = tracked();
    const forms = pluginForms(registry, 'later', owner.track);
    forms.declare(LATER, { label: 'Contact form' });
    expect(registry.sections().find((s) => s.name === LATER)).to.deep.equal({ name: LATER, owner: 'later', label: 'Contact form' });
    owner.disposeAll();
    expect(registry.isDeclared(LATER)).to.equal(false);
  });

  it('extendEach reaches sections declared later, and a section an owner only renders is made known by that', async () => {
    const registry = new FormRegistry(renderer);
    const seen: string[] = [];
    const consent = tracked();
    pluginForms(registry, 'gdpr', consent.track).extendEach((section) => {
      seen.push(section.name);
      return { schema: z.object({ gdpr_box: z.string().optional() }), render: () => fragment`<input name="gdpr_box">` };
    });
    expect(seen).to.include('core.register');
    expect(registry.list('core.register').map((r) => r.owner)).to.deep.equal(['gdpr']);

    // A plugin activated afterwards that never declares its section, but renders its form.
    const later = tracked();
    const laterForms = pluginForms(registry, 'later', later.track);
    const rendered = await laterForms.render(LATER, { req, context: {} as never });
    expect(rendered.map((r) => r.owner)).to.deep.equal(['gdpr']);
    expect(seen).to.include(LATER);

    // The owner goes: its section goes, and the extension made for it with it; back again, it is extended again.
    later.disposeAll();
    expect(registry.list(LATER)).to.deep.equal([]);
    const again = tracked();
    pluginForms(registry, 'later', again.track).declare(LATER);
    expect(registry.list(LATER).map((r) => r.owner)).to.deep.equal(['gdpr']);

    // The extending plugin goes: every extension it made goes.
    consent.disposeAll();
    expect(registry.list('core.register')).to.deep.equal([]);
    expect(registry.list(LATER)).to.deep.equal([]);
  });

  it("check adds messages the schema cannot give, shown with the owner's, and the form is refused", async () => {
    const registry = new FormRegistry(renderer);
    registry.extend('gdpr', 'core.register', {
      schema: z.object({ gdpr_box: z.string().optional() }),
      render: () => fragment``,
      check: (data) => (data.gdpr_box ? undefined : { gdpr_box: 'Tick the box to go on' }),
    });
    const owner = z.object({ name: z.string().min(1, 'Enter a name') });
    const refused = await registry.parse('core.register', owner, { name: '' }, { req, context: {} });
    expect(refused).to.deep.equal({ ok: false, errors: { name: 'Enter a name', gdpr_box: 'Tick the box to go on' } });
    const passed = await registry.parse('core.register', owner, { name: 'Ada', gdpr_box: '1' }, { req, context: {} });
    expect(passed.ok).to.equal(true);
  });
});
