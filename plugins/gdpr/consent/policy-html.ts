import { html, raw } from '@agora/core';

/**
 * A policy's text as the owner writes it (plain text: blank lines between paragraphs, `## ` headings, `- `
 * list items) turned into HTML. Everything is escaped: the owner writes words, not markup.
 */
export function policyHtml(body: string): string {
  const blocks = body.replace(/\r\n/g, '\n').split(/\n{2,}/).map((b) => b.trim()).filter(Boolean);
  return blocks
    .map((block) => {
      if (block.startsWith('## ')) return html`<h2>${block.slice(3).trim()}</h2>`;
      const lines = block.split('\n');
      if (lines.every((l) => l.startsWith('- '))) return html`<ul>${lines.map((l) => raw(html`<li>${l.slice(2)}</li>`))}</ul>`;
      return html`<p>${lines.map((l, i) => raw(i ? html`<br>${l}` : html`${l}`))}</p>`;
    })
    .join('\n');
}
