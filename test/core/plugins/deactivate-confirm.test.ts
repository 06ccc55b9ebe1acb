import { expect } from 'chai';
import type supertest from 'supertest';
import { startTestApp, loginAsAdmin, tokenFor, type TestApp } from '../../helpers/app';
import { pluginAction } from './admin-actions';

describe('deactivating a plugin asks first, and its pages answer 503 while it is off', () => {
  let t: TestApp;
  let admin: supertest.Agent;
  before(async () => {
    t = await startTestApp({ plugins: ['hello', 'hello-friend'], fixtures: true });
    admin = t.agent();
    await loginAsAdmin(admin);
  });
  after(async () => t.close());

  it('the plugins page links to a confirmation that names the pages that go and the plugins that depend on it', async () => {
    const list = await admin.get('/admin/plugins').expect(200);
    expect(list.text).to.contain('href="/admin/plugins/hello/deactivate"');
    const needed = await admin.get('/admin/plugins/hello/deactivate').expect(200);
    expect(needed.text).to.contain('Hello Friend');
    expect(needed.text).to.contain('Deactivate those first');
    expect(needed.text).to.contain('<code>/hello</code>');
    expect(needed.text, 'no button while a dependent is active').not.to.contain('name="confirm"');

    const page = await admin.get('/admin/plugins/hello-friend/deactivate').expect(200);
    expect(page.text).to.contain('<code>/hello-friend</code>');
    expect(page.text).to.contain('name="confirm"');
  });

  it('a post without the confirmation changes nothing; with it, the plugin goes and its pages answer 503 with the themed page', async () => {
    const token = await tokenFor(admin, '/admin/plugins/hello-friend/deactivate');
    const unconfirmed = await admin.post('/admin/plugins/hello-friend/deactivate').type('form').send({ _csrf: token });
    expect(unconfirmed.status).to.equal(422);
    expect(unconfirmed.text).to.contain('Confirm that');
    expect(t.platform.plugins.isActive('hello-friend')).to.equal(true);

    const off = await pluginAction(admin, 'hello-friend', 'deactivate');
    expect(off.status).to.equal(303);
    expect(t.platform.plugins.isActive('hello-friend')).to.equal(false);
    const gone = await t.agent().get('/hello-friend');
    expect(gone.status).to.equal(503);
    expect(gone.headers['retry-after']).to.equal('300');
    expect(gone.text).to.contain('temporarily unavailable');
    expect(gone.text, 'inside the theme layout').to.contain('class="site-header"');
    // Addresses no plugin ever served are still 404.
    await t.agent().get('/no-such-page').expect(404);

    await pluginAction(admin, 'hello-friend', 'activate');
    await t.agent().get('/hello-friend').expect(200);
  });
});
