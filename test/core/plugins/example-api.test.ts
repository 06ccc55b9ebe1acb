import { expect } from 'chai';
import { startTestApp, type TestApp } from '../../helpers/app';
import { HelloGreeting } from '../../fixtures/plugins/hello/models';

describe('the example plugin (hello) through the public API: the pager and html', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ fixtures: true, plugins: ['shops', 'hello'] });
    for (const [name, message] of [
      ['Ada', 'First!'],
      ['<b>Bob</b>', 'Hi & bye'],
      ['Cy', 'Third'],
    ]) {
      await HelloGreeting.create({ name, email: 'x@example.test', message });
    }
  });
  after(async () => t.close());

  it('pages the greetings with core pager and escapes what the html helper interpolates', async () => {
    const first = await t.agent().get('/hello/greetings').expect(200);
    expect(first.text).to.contain('Greetings <span class="muted small">3 greetings</span>');
    expect(first.text).to.contain('<li><strong>&lt;b&gt;Bob&lt;/b&gt;</strong>: Hi &amp; bye</li>');
    expect(first.text).not.to.contain('<b>Bob</b>');
    expect(first.text).to.match(/<span>Page 1 of 2<\/span>\s*<a rel="next" href="\/hello\/greetings\?page=2">/);
    const second = await t.agent().get('/hello/greetings?page=2').expect(200);
    expect(second.text).to.contain('<li><strong>Cy</strong>: Third</li>');
    expect(second.text).to.match(/<a rel="prev" href="\/hello\/greetings">&larr; Previous<\/a>\s*<span>Page 2 of 2<\/span>/);
  });
});
