import { expect } from 'chai';
import { startTestApp, loginAsAdmin, type TestApp } from '../../helpers/app';

/** Issue 8, item 9: the header read "Site Admin  Admin": the first admin is named for a person, not the role. */
describe('the first admin in the header', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: [] });
  });
  after(async () => t.close());

  it('shows the admin’s name and one "Admin" link, not "Site Admin" beside "Admin"', async () => {
    const admin = t.agent();
    await loginAsAdmin(admin);
    const page = await admin.get('/').expect(200);
    const actions = /<div class="header-actions">([\s\S]*?)<\/div>/.exec(page.text)![1];
    expect(actions).to.not.contain('Site Admin');
    expect(actions).to.match(/<a href="\/account">Store owner<\/a>/);
    expect(actions.match(/\bAdmin\b/g), 'the word once: the admin link').to.have.length(1);
  });
});
