import { expect } from 'chai';
import type supertest from 'supertest';
import { startTestApp, loginAsAdmin, tokenFor, type TestApp } from '../helpers/app';

describe('error pages', () => {
  let t: TestApp;
  let admin: supertest.Agent;
  before(async () => {
    t = await startTestApp({ plugins: ['hello'], fixtures: true });
    admin = t.agent();
    await loginAsAdmin(admin);
  });
  after(async () => t.close());

  it('answers a route that throws with the themed error page, its request id and no stack trace', async () => {
    const res = await t.agent().get('/hello/boom').expect(500);
    const requestId = res.headers['x-request-id'];
    expect(requestId).to.match(/^[0-9a-f-]{36}$/);
    expect(res.text).to.contain('<h1>Something went wrong</h1>');
    expect(res.text).to.contain(`Error 500 · request <code>${requestId}</code>`);
    expect(res.text, 'inside the site layout').to.contain('<header class="site-header">').and.to.contain('/themes/storefront/site.css');
    expect(res.text).not.to.contain('kaboom').and.not.to.contain('hunter2');
    expect(res.text).not.to.match(/\bat .+\.ts:\d+/);
    expect(res.text).not.to.contain(t.config.rootDir);
  });

  it('gives each request its own id', async () => {
    const a = await t.agent().get('/hello/boom');
    const b = await t.agent().get('/hello/boom');
    expect(a.headers['x-request-id']).not.to.equal(b.headers['x-request-id']);
  });

  it('answers an unknown address with the 404 page of the active theme', async () => {
    const plain = await t.agent().get('/no-such-page').expect(404);
    expect(plain.text).to.contain('<h1>Page not found</h1>').and.to.contain('We could not find that page.');
    expect(plain.text).to.contain('<header class="site-header">');

    const token = await tokenFor(admin, '/admin/themes');
    await admin.post('/admin/themes/storefront-night/activate').type('form').send({ _csrf: token }).expect(303);
    try {
      const night = await t.agent().get('/no-such-page').expect(404);
      expect(night.text).to.contain('<h1>Lost in the night</h1>');
      expect(night.text).to.contain('/themes/storefront-night/site.css');
      const failure = await t.agent().get('/hello/boom').expect(500);
      expect(failure.text, 'the error page in the night theme').to.contain('/themes/storefront-night/site.css').and.to.contain('Something went wrong');
    } finally {
      await t.platform.themes.activate('storefront');
    }
  });

  it('shows the message of a refused request, such as a form without its CSRF token', async () => {
    const res = await t.agent().post('/hello').type('form').send({ name: 'x', email: 'x@example.test', message: 'x' }).expect(403);
    expect(res.text).to.contain('This form has expired or was not sent from this site.');
    expect(res.text).to.match(/Error 403 · request <code>[0-9a-f-]{36}<\/code>/);
  });
});
