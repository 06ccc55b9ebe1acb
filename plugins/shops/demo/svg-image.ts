import sharp from 'sharp';
import { escapeHtml } from '../services/text';

/** Breaks a title into lines of about `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && (line + ' ' + word).length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.slice(0, 4);
}

/** A square picture made here, from an SVG: a coloured background, a few shapes and the product's name. No download. */
export async function demoProductImage(title: string, color: string, accent = '#ffffff'): Promise<Buffer> {
  const lines = wrap(title, 14);
  const lineHeight = 74;
  const top = 400 - ((lines.length - 1) * lineHeight) / 2 + 24;
  const text = lines
    .map((l, i) => `<text x="400" y="${top + i * lineHeight}" text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif" font-size="64" font-weight="700" fill="${accent}">${escapeHtml(l)}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600" viewBox="0 0 800 800">
  <rect width="800" height="800" fill="${color}"/>
  <circle cx="660" cy="140" r="180" fill="${accent}" fill-opacity="0.12"/>
  <circle cx="120" cy="700" r="240" fill="#000000" fill-opacity="0.08"/>
  <rect x="60" y="60" width="680" height="680" rx="36" fill="none" stroke="${accent}" stroke-opacity="0.35" stroke-width="6"/>
  ${text}
</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
