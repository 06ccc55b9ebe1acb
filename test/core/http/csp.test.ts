import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { rootDir } from '../../../core/config';
import { startTestApp, type TestApp } from '../../helpers/app';

function ejsFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ejs'))
    .map((e) => path.join(e.parentPath, e.name));
}

/**
 * Inline scripts and handlers a template would send: `<script>` without `src`, `on…=` attributes and
 * `javascript:` URLs. EJS tags are blanked first so that `<%= x %>` inside a tag cannot hide or fake one.
 */
function inlineScriptProblems(source: string): string[] {
  const html = source.replace(/<%[\s\S]*?%>/g, (m) => ' '.repeat(m.length));
  const problems: string[] = [];
  // A JSON data block (schema.org JSON-LD) is never executed by the browser, so it is not an inline script.
  const dataBlock = /\btype\s*=\s*["']application\/(ld\+)?json["']/i;
  for (const m of html.matchAll(/<script\b([^>]*)>/gi)) if (!/\bsrc\s*=/i.test(m[1]) && !dataBlock.test(m[1])) problems.push(`inline <script${m[1]}>`);
  for (const m of html.matchAll(/<[a-z][^<>]*>/gi)) {
    const handler = /\s(on[a-z]+)\s*=/i.exec(m[0]);
    if (handler) problems.push(`${handler[1]}= in ${m[0].slice(0, 80)}`);
    if (/\s(href|src|action|formaction)\s*=\s*["']?\s*javascript:/i.test(m[0])) problems.push(`javascript: URL in ${m[0].slice(0, 80)}`);
  }
  return problems;
}

describe('content security policy', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: [] });
  });
  after(async () => t.close());

  it('sends a nonce-based script-src without unsafe-inline, a new nonce on every response', async () => {
    const nonces = [];
    for (const url of ['/', '/login', '/register']) {
      const csp = String((await t.agent().get(url)).headers['content-security-policy']);
      const scriptSrc = /(?:^|;)\s*script-src ([^;]*)/.exec(csp)?.[1] ?? '';
      expect(scriptSrc, csp).to.match(/'nonce-[A-Za-z0-9+/=]{16,}'/);
      expect(scriptSrc).to.not.contain('unsafe-inline');
      expect(scriptSrc).to.not.contain('unsafe-eval');
      expect(csp).to.match(/script-src-attr 'none'/);
      expect(csp).to.match(/frame-ancestors 'none'/);
      nonces.push(/'nonce-([^']+)'/.exec(scriptSrc)![1]);
    }
    expect(new Set(nonces).size).to.equal(nonces.length);
  });

  it('finds inline scripts and handlers when they are there', () => {
    expect(inlineScriptProblems('<script>alert(1)</script>')).to.have.length(1);
    expect(inlineScriptProblems('<button onclick="go()">')).to.have.length(1);
    expect(inlineScriptProblems('<a href="javascript:void(0)">')).to.have.length(1);
    expect(inlineScriptProblems('<script type="text/javascript">go()</script>')).to.have.length(1);
    expect(inlineScriptProblems('<script type="application/ld+json" nonce="<%= nonce %>"><%- jsonLd %></script>')).to.deep.equal([]);
    expect(inlineScriptProblems('<img src=x ONERROR=alert(1)>')).to.have.length(1);
    expect(inlineScriptProblems('<script src="<%= asset(s) %>" nonce="<%= nonce %>" defer></script>')).to.deep.equal([]);
    expect(inlineScriptProblems('<p>Questions=answers, online=yes</p><input value="<%= x %>">')).to.deep.equal([]);
  });

  it('has no inline script or inline event handler in any template (views, themes, plugins)', () => {
    const files = ['views', 'themes', 'plugins'].flatMap((d) => ejsFiles(path.join(rootDir, d)));
    expect(files.length).to.be.greaterThan(20);
    const problems = files.flatMap((f) => inlineScriptProblems(fs.readFileSync(f, 'utf8')).map((p) => `${path.relative(rootDir, f)}: ${p}`));
    expect(problems).to.deep.equal([]);
  });
});
