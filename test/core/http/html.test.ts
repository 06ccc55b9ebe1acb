import { expect } from 'chai';
import ejs from 'ejs';
import { escapeHtml, html, raw } from '../../../core/http/html';

describe('html helpers for plugins (core/http/html)', () => {
  it('escapes like the templates do', () => {
    const evil = `<script>alert("x")</script> & 'quotes'`;
    expect(escapeHtml(evil)).to.equal(ejs.render('<%= v %>', { v: evil }));
    expect(escapeHtml(evil)).not.to.contain('<script>');
    expect(escapeHtml(null)).to.equal('');
    expect(escapeHtml(42)).to.equal('42');
  });

  it('escapes every interpolated value, joins arrays and keeps what is marked as trusted', () => {
    const name = '<b>Ada</b>';
    expect(html`<p>Hello ${name}</p>`).to.equal('<p>Hello &lt;b&gt;Ada&lt;/b&gt;</p>');
    const items = ['a<', 'b>'];
    expect(html`<ul>${raw(items.map((i) => html`<li>${i}</li>`).join(''))}</ul>`).to.equal('<ul><li>a&lt;</li><li>b&gt;</li></ul>');
    expect(html`<p>${[name, raw('<br>')]}</p>`).to.equal('<p>&lt;b&gt;Ada&lt;/b&gt;<br></p>');
    expect(html`<p>${undefined}${null}</p>`).to.equal('<p></p>');
  });
});
