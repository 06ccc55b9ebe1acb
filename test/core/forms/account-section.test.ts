import { expect } from 'chai';
import { DataTypes, QueryTypes } from 'sequelize';
import { z } from 'zod';
import { createUser, login, startTestApp, type TestApp } from '../../helpers/app';
import { User } from '../../../core/auth/user-model';
import { FormSectionError } from '../../../core/forms/section-error';
import { fragment } from '../../../core/forms/fragment';
import type { Disposer } from '../../../core/hooks';
import { submit } from '../auth/support';

describe('form sections: core.account.profile', function () {
  this.timeout(60_000);
  let t: TestApp;
  let dispose: Disposer;
  let refuse = false;

  const bioOf = async (userId: number) =>
    (await t.platform.sequelize.query<{ text: string }>('SELECT text FROM profile_bios WHERE user_id = :userId', { type: QueryTypes.SELECT, replacements: { userId } }))[0]?.text;

  before(async () => {
    t = await startTestApp({ plugins: [] });
    await t.platform.sequelize.getQueryInterface().createTable('profile_bios', { user_id: { type: DataTypes.INTEGER, primaryKey: true }, text: { type: DataTypes.STRING(200), allowNull: false } });
    dispose = t.platform.forms.extend('bio', 'core.account.profile', {
      schema: z.object({ bio_text: z.string().trim().max(40, 'Keep your bio under 40 characters') }),
      // First shown: the stored bio; shown again: what was typed.
      render: async ({ values, errors, submitted, context }) => {
        const value = submitted ? (values.bio_text ?? '') : ((await bioOf(context.user.id)) ?? '');
        return fragment`<label for="f-bio">Bio</label><input id="f-bio" name="bio_text" value="${value}">${errors.bio_text ? fragment`<p class="error">${errors.bio_text}</p>` : ''}`;
      },
      async commit(tx, data, _req, { user }) {
        await t.platform.sequelize.query('DELETE FROM profile_bios WHERE user_id = :userId', { replacements: { userId: user.id }, transaction: tx });
        await t.platform.sequelize.query('INSERT INTO profile_bios (user_id, text) VALUES (:userId, :text)', { replacements: { userId: user.id, text: data.bio_text }, transaction: tx });
        if (refuse) throw new FormSectionError('That bio could not be checked right now; nothing was changed.', 'bio_text');
      },
    });
  });
  after(async () => {
    dispose();
    await t.close();
  });

  async function person() {
    const { user, password } = await createUser({ display_name: 'Before Name' });
    const agent = t.agent();
    await login(agent, user.email, password);
    return { user, agent };
  }

  it('saves the profile and the extension field together, and shows the stored value in the form', async () => {
    const { user, agent } = await person();
    const res = await submit(agent, '/account', '/account', { first_name: 'Mary', last_name: 'Shelley', display_name: 'Frankie', email: user.email, bio_text: 'I write novels' });
    expect(res.status).to.equal(303);
    expect((await User.findByPk(user.id))!.display_name).to.equal('Frankie');
    expect(await bioOf(user.id)).to.equal('I write novels');
    const page = await agent.get('/account').expect(200);
    expect(page.text).to.contain('value="I write novels"');
    // The fixed place: inside the profile form, right before its Save button.
    const field = page.text.indexOf('name="bio_text"');
    expect(field).to.be.greaterThan(page.text.indexOf('name="email"'));
    expect(field).to.be.lessThan(page.text.indexOf('>Save</button>'));
  });

  it('refuses an extension field with 422 and changes nothing of the profile', async () => {
    const { user, agent } = await person();
    const res = await submit(agent, '/account', '/account', { first_name: 'Mary', last_name: 'Shelley', display_name: 'Typed Name', email: user.email, bio_text: 'x'.repeat(41) });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Keep your bio under 40 characters').and.contain('value="Typed Name"').and.contain(`value="${'x'.repeat(41)}"`);
    expect((await User.findByPk(user.id))!.display_name).to.equal('Before Name');
    expect(await bioOf(user.id)).to.equal(undefined);
  });

  it('rolls the profile change back when a commit refuses', async () => {
    const { user, agent } = await person();
    refuse = true;
    try {
      const res = await submit(agent, '/account', '/account', { first_name: 'Mary', last_name: 'Shelley', display_name: 'Rolled Back', email: user.email, bio_text: 'hello' });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('That bio could not be checked right now').and.contain('value="hello"');
    } finally {
      refuse = false;
    }
    expect((await User.findByPk(user.id))!.display_name).to.equal('Before Name');
    expect(await bioOf(user.id)).to.equal(undefined);
  });
});
