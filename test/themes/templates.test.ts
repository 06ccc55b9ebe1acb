import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import semver from 'semver';
import { rootDir } from '../../core/config';

/**
 * The rules every template of core, the bundled plugins and the bundled themes keeps, read from the files:
 * it begins with its `@version` (the override report compares versions, so an override without one can
 * never be flagged), its header documents each slot it calls (what it is for and what fills it), and
 * docs/themes.md lists every slot.
 */
function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return walk(full);
    return e.name.endsWith('.ejs') ? [full] : [];
  });
}

function viewRoots(): string[] {
  const roots = [path.join(rootDir, 'views')];
  for (const parent of ['plugins', 'themes']) {
    const dir = path.join(rootDir, parent);
    for (const name of fs.readdirSync(dir)) roots.push(path.join(dir, name, 'views'));
  }
  return roots;
}

const templates = viewRoots().flatMap(walk);
const relative = (file: string) => path.relative(rootDir, file);
const SLOT_CALL = /slot\(\s*['"]([a-z0-9_.-]+)['"]/g;

/** The comments a template opens with (before its first markup or code): its documentation. */
export function headerOf(source: string): string {
  const comments: string[] = [];
  const re = /\s*<%#([\s\S]*?)%>/y;
  let m: RegExpExecArray | null;
  while ((m = re.exec(source))) comments.push(m[1]);
  return comments.join('\n');
}

const slotsIn = (source: string) => [...new Set([...source.matchAll(SLOT_CALL)].map((m) => m[1]))];

describe('templates: version lines and slot documentation', () => {
  it('finds the templates of core, every plugin and every theme', () => {
    expect(templates.length).to.be.greaterThan(150);
    expect(templates.some((f) => relative(f).startsWith('themes/storefront-child/'))).to.equal(true);
  });

  it('every template begins with <%# @version x.y.z %>', () => {
    const bad = templates.filter((file) => {
      const first = fs.readFileSync(file, 'utf8').split('\n', 1)[0];
      const version = /^<%#\s*@version\s+(\S+)\s*%>\s*$/.exec(first)?.[1];
      return !version || !semver.valid(version);
    });
    expect(bad.map(relative)).to.deep.equal([]);
  });

  it('every template documents each slot it calls at its top: the slot, what it is for, what fills it', () => {
    const undocumented: string[] = [];
    for (const file of templates) {
      const source = fs.readFileSync(file, 'utf8');
      const header = headerOf(source);
      for (const slot of slotsIn(source)) {
        const line = new RegExp(`(^|\\s)${slot.replace(/\./g, '\\.')}\\s+—\\s*\\S`);
        if (!line.test(header)) undocumented.push(`${relative(file)}: ${slot}`);
      }
    }
    expect(undocumented, 'write "  <slot> — <what it is for>: <who fills it>" under "Slots:" in the header').to.deep.equal([]);
  });

  it('docs/themes.md lists every slot a template calls', () => {
    const doc = fs.readFileSync(path.join(rootDir, 'docs', 'themes.md'), 'utf8');
    const all = [...new Set(templates.flatMap((f) => slotsIn(fs.readFileSync(f, 'utf8'))))].sort();
    expect(all.length).to.be.greaterThan(20);
    expect(all.filter((slot) => !doc.includes(`\`${slot}\``))).to.deep.equal([]);
  });

  it('can fail: a header without the slot, a file without a version', () => {
    expect(headerOf('<%# @version 1.0.0 %>\n<%# Slots:\n  a.b — x %>\n<p>')).to.contain('a.b — x');
    expect(headerOf('<p><%# later %>')).to.equal('');
    expect(/^<%#\s*@version\s+(\S+)\s*%>\s*$/.exec('<%# version 1 %>')).to.equal(null);
  });
});
