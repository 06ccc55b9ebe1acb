import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { z } from 'zod';
import { startTestApp, type TestApp } from '../../helpers/app';
import { User } from '../../../core/auth/user-model';
import { FormSectionError } from '../../../core/forms/section-error';
import { fragment } from '../../../core/forms/fragment';
import { register, registrationFields } from '../auth/support';

/** The answers hello's form section stored (its own table, read with SQL so the test does not share its model). */
async function referrals(t: TestApp, username: string): Promise<string[]> {
  const rows = await t.platform.sequelize.query<{ heard_from: string }>(
    'SELECT r.heard_from FROM hello_referrals r JOIN users u ON u.id = r.user_id WHERE u.username = :username',
    { type: QueryTypes.SELECT, replacements: { username } },
  );
  return rows.map((r) => r.heard_from);
}

describe('form sections: core.register (the hello example asks how you heard of us)', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ fixtures: true, plugins: ['hello'] });
  });
  after(async () => t.close());

  it('shows the extension field in the form, after the owner fields and right before the submit button', async () => {
    const page = await t.agent().get('/register').expect(200);
    const field = page.text.indexOf('name="hello_heard_from"');
    expect(field).to.be.greaterThan(page.text.indexOf('name="guardian_confirmed"'));
    expect(field).to.be.lessThan(page.text.indexOf('Create my account'));
    expect(page.text).to.contain('How did you hear of us?').and.contain('data-plugin="hello"');
  });

  it('stores the user and the answer together', async () => {
    const fields = registrationFields({ hello_heard_from: 'friend' });
    const res = await register(t.agent(), fields);
    expect(res.status, res.text.slice(0, 500)).to.equal(303);
    expect(await User.count({ where: { username: fields.username } })).to.equal(1);
    expect(await referrals(t, fields.username)).to.deep.equal(['friend']);
  });

  it('refuses a refused extension field with 422 and its message, keeps what was typed (not the password), and writes no user', async () => {
    const fields = registrationFields({ hello_heard_from: 'carrier-pigeon', display_name: 'Typed Name' });
    const res = await register(t.agent(), fields);
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Choose one of the answers offered');
    expect(res.text).to.contain(`value="${fields.username}"`).and.contain('value="Typed Name"');
    expect(res.text).to.not.contain(fields.password);
    expect(await User.count({ where: { username: fields.username } })).to.equal(0);
  });

  it('shows the owner messages and the extension messages together', async () => {
    const fields = registrationFields({ hello_heard_from: 'carrier-pigeon', first_name: '' });
    const res = await register(t.agent(), fields);
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Enter your first name').and.contain('Choose one of the answers offered');
  });

  it('keeps the typed answer when the owner refuses the form', async () => {
    const fields = registrationFields({ hello_heard_from: 'press', birth_date: 'yesterday' });
    const res = await register(t.agent(), fields);
    expect(res.status).to.equal(422);
    expect(res.text).to.match(/<option value="press" selected>/);
  });

  it('rolls everything back when a later commit refuses: no user, no answer, a 422 with its message', async () => {
    const dispose = t.platform.forms.extend('spoiler', 'core.register', {
      schema: z.object({}),
      render: () => fragment``,
      priority: 20,
      commit: () => {
        throw new FormSectionError('The invitation service said no; nothing was saved.');
      },
    });
    try {
      const fields = registrationFields({ hello_heard_from: 'search' });
      const res = await register(t.agent(), fields);
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('The invitation service said no; nothing was saved.');
      expect(res.text).to.contain(`value="${fields.username}"`);
      expect(await User.count({ where: { username: fields.username } })).to.equal(0);
      expect(await referrals(t, fields.username)).to.deep.equal([]);
      expect(await t.platform.sequelize.query('SELECT id FROM hello_referrals WHERE heard_from = :h', { type: QueryTypes.SELECT, replacements: { h: 'search' } })).to.have.length(0);
    } finally {
      dispose();
    }
  });

  it('treats a commit that fails with a bug as a bug: the error page, and still nothing written', async () => {
    const dispose = t.platform.forms.extend('buggy', 'core.register', {
      schema: z.object({}),
      render: () => fragment``,
      priority: 20,
      commit: () => {
        throw new TypeError('cannot read properties of undefined');
      },
    });
    try {
      const fields = registrationFields({ hello_heard_from: 'other' });
      const res = await register(t.agent(), fields);
      expect(res.status).to.equal(500);
      expect(res.text).to.contain('Something went wrong on our side').and.not.contain('cannot read properties');
      expect(await User.count({ where: { username: fields.username } })).to.equal(0);
      expect(await referrals(t, fields.username)).to.deep.equal([]);
    } finally {
      dispose();
    }
  });

  it('renders extensions in priority order, ties in registration order', async () => {
    const disposers = [
      t.platform.forms.extend('late', 'core.register', { schema: z.object({}), render: () => fragment`<p>late-part</p>`, priority: 30 }),
      t.platform.forms.extend('early', 'core.register', { schema: z.object({}), render: () => fragment`<p>early-part</p>`, priority: 1 }),
      t.platform.forms.extend('tie', 'core.register', { schema: z.object({}), render: () => fragment`<p>tie-part</p>` }),
    ];
    try {
      const html = (await t.agent().get('/register').expect(200)).text;
      const at = (s: string) => html.indexOf(s);
      // hello (10, registered first) before tie (10), between early (1) and late (30).
      expect(at('early-part')).to.be.greaterThan(-1);
      expect(at('early-part')).to.be.lessThan(at('hello_heard_from'));
      expect(at('hello_heard_from')).to.be.lessThan(at('tie-part'));
      expect(at('tie-part')).to.be.lessThan(at('late-part'));
    } finally {
      for (const d of disposers) d();
    }
  });

  it('escapes what was typed into a section field when the form is shown again (hello builds it with fragment``)', async () => {
    const attack = '"><script>alert(1)</script>';
    const fields = registrationFields({ hello_invite_code: attack });
    const res = await register(t.agent(), fields);
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('An invitation code has only letters, digits and dashes');
    expect(res.text).to.contain('value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(res.text).to.not.contain('<script>alert(1)</script>');
    expect(await User.count({ where: { username: fields.username } })).to.equal(0);
  });

  it('refuses a plain string from render: the page fails with the error page instead of trusting unescaped markup', async () => {
    const dispose = t.platform.forms.extend('careless', 'core.register', {
      schema: z.object({ careless_x: z.string().optional() }),
      // What the old API allowed: a string built by hand from echoed values (cast, as plain JavaScript would).
      render: (({ values }: { values: Record<string, string> }) => `<input name="careless_x" value="${values.careless_x ?? ''}">`) as unknown as () => ReturnType<typeof fragment>,
    });
    try {
      const res = await t.agent().get('/register');
      expect(res.status).to.equal(500);
      expect(res.text).to.not.contain('name="careless_x"');
    } finally {
      dispose();
    }
  });

  it('refuses a field without the plugin prefix, and a field another plugin declared', () => {
    expect(() => t.platform.forms.extend('other', 'core.register', { fields: ['heard_from'], schema: z.object({ heard_from: z.string() }), render: () => fragment`` })).to.throw(/start with "other_"/);
    expect(() => t.platform.forms.extend('hello', 'core.register', { schema: z.object({ hello_heard_from: z.string() }), render: () => fragment`` })).to.throw(/already declared by hello/);
    expect(t.platform.forms.list('core.register').map((e) => e.owner)).to.deep.equal(['hello', 'hello']);
  });

  it('removes the field when the plugin is deactivated, and registration goes on without it', async () => {
    await t.platform.plugins.deactivate('hello');
    try {
      const page = await t.agent().get('/register').expect(200);
      expect(page.text).to.not.contain('hello_heard_from').and.not.contain('How did you hear of us?');
      expect(t.platform.forms.accepts('core.register', 'hello_heard_from')).to.equal(false);
      const fields = registrationFields();
      expect((await register(t.agent(), fields)).status).to.equal(303);
      expect(await User.count({ where: { username: fields.username } })).to.equal(1);
    } finally {
      await t.platform.plugins.activate('hello');
    }
    expect((await t.agent().get('/register')).text).to.contain('hello_heard_from');
  });
});
