import { escapeHtml } from '../services/text';
import type { ImageVariant, ProcessedImage } from '../services/images';

/**
 * The demo products' pictures, drawn here from SVG and rasterised with sharp at seed time (no download).
 * Each category has its own motif and palettes; each product picks a palette and a layout from its title,
 * so a grid of demo products looks varied rather than thirty identical squares.
 */

interface Palette {
  /** Background gradient, from and to. */
  from: string;
  to: string;
  /** The motif's colours. */
  ink: string;
  soft: string;
}

const PALETTES: Record<string, Palette[]> = {
  clothing: [
    { from: '#e9d8c4', to: '#d6b895', ink: '#7a4b2a', soft: '#f6ecdf' },
    { from: '#c9dbe8', to: '#9dbad3', ink: '#1d4e89', soft: '#eaf2f8' },
    { from: '#d9e5d3', to: '#a9c49c', ink: '#3d6b35', soft: '#f0f6ed' },
    { from: '#efd0d3', to: '#d9a1a8', ink: '#8c2a4b', soft: '#faedef' },
  ],
  accessories: [
    { from: '#f3e3c3', to: '#e6c27a', ink: '#8a5a12', soft: '#fbf3e2' },
    { from: '#dcd6ef', to: '#b3a8dc', ink: '#4b3a8c', soft: '#f1eefa' },
    { from: '#cfe7e4', to: '#93cbc4', ink: '#1f6a63', soft: '#ecf7f5' },
  ],
  'home-kitchen': [
    { from: '#f1dccf', to: '#dfae92', ink: '#b5523b', soft: '#fbefe8' },
    { from: '#d3e0ee', to: '#a4bfdc', ink: '#24528a', soft: '#edf3f9' },
    { from: '#e6e1d3', to: '#cdc3a8', ink: '#6b5d3a', soft: '#f6f3ea' },
    { from: '#d8eadf', to: '#a7d0b6', ink: '#2f7a52', soft: '#eef7f1' },
  ],
  electronics: [
    { from: '#24283b', to: '#3b4266', ink: '#7dd3fc', soft: '#c4b5fd' },
    { from: '#1f2a2e', to: '#2f4a4f', ink: '#5eead4', soft: '#fde68a' },
    { from: '#2a2133', to: '#4a3558', ink: '#f0abfc', soft: '#93c5fd' },
  ],
  stationery: [
    { from: '#fbf6e9', to: '#efe3c2', ink: '#2f4a7a', soft: '#d94f3d' },
    { from: '#eef3f7', to: '#d3e0ea', ink: '#3b3b58', soft: '#2f9467' },
    { from: '#f7ece6', to: '#e9cfc1', ink: '#5b3a2e', soft: '#2563eb' },
  ],
};
const FALLBACK: Palette[] = [{ from: '#e5e7eb', to: '#cbd5e1', ink: '#334155', soft: '#f8fafc' }];

/** A small stable hash of a string (FNV-1a), so the same product always gets the same picture. */
export function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** The category's motif, drawn in an 800×800 box. `seed` varies sizes and positions within the motif. */
function motif(category: string, p: Palette, seed: number, title: string): string {
  const r = (n: number) => (seed >>> n) % 7;
  switch (category) {
    case 'clothing': {
      // A folded knit: a sweater shape with rib stripes and a cable band.
      const stripes = Array.from({ length: 6 }, (_, i) => `<rect x="250" y="${430 + i * 30}" width="300" height="12" rx="6" fill="${p.soft}" fill-opacity="0.55"/>`).join('');
      return `<path d="M300 190 L360 170 Q400 210 440 170 L500 190 L640 290 L590 370 L550 340 L550 620 L250 620 L250 340 L210 370 L160 290 Z" fill="${p.ink}"/>
        ${stripes}
        <path d="M400 240 q-30 30 0 60 q30 30 0 60 q-30 30 0 60" stroke="${p.soft}" stroke-width="14" fill="none" stroke-linecap="round"/>
        <circle cx="${620 - r(3) * 10}" cy="${560 + r(5) * 8}" r="${40 + r(7) * 4}" fill="${p.soft}" fill-opacity="0.35"/>`;
    }
    case 'accessories': {
      // Rings and a diamond lattice, like a flat lay of small things.
      const dots = Array.from({ length: 5 }, (_, i) => `<circle cx="${170 + i * 115}" cy="${640 - (i % 2) * 30}" r="14" fill="${p.ink}" fill-opacity="0.5"/>`).join('');
      return `<circle cx="${330 + r(2) * 8}" cy="360" r="150" fill="none" stroke="${p.ink}" stroke-width="46"/>
        <circle cx="${500 - r(4) * 6}" cy="${420 + r(6) * 6}" r="110" fill="none" stroke="${p.soft}" stroke-width="30"/>
        <rect x="520" y="170" width="110" height="110" rx="12" transform="rotate(45 575 225)" fill="${p.ink}" fill-opacity="0.8"/>
        ${dots}`;
    }
    case 'home-kitchen': {
      // A bowl or a mug on a table, with steam.
      const mug = /mug|cup|tea|pour|jug/i.test(title) || (!/bowl|plate|vase/i.test(title) && seed % 2 === 0);
      const vessel = mug
        ? `<rect x="250" y="330" width="260" height="280" rx="36" fill="${p.ink}"/><path d="M510 390 q110 0 110 90 q0 90 -110 90" stroke="${p.ink}" stroke-width="34" fill="none"/><ellipse cx="380" cy="335" rx="130" ry="24" fill="${p.soft}" fill-opacity="0.6"/>`
        : `<path d="M170 380 L630 380 Q620 600 400 610 Q180 600 170 380 Z" fill="${p.ink}"/><ellipse cx="400" cy="380" rx="230" ry="40" fill="${p.soft}" fill-opacity="0.7"/>`;
      return `<rect x="0" y="610" width="800" height="190" fill="${p.soft}" fill-opacity="0.5"/>
        ${vessel}
        <path d="M340 280 q-30 -40 0 -80 q30 -40 0 -80 M420 280 q-30 -40 0 -80 q30 -40 0 -80" stroke="${p.ink}" stroke-opacity="0.35" stroke-width="14" fill="none" stroke-linecap="round"/>`;
    }
    case 'electronics': {
      // A device outline over a circuit of traces and pads.
      const traces = Array.from({ length: 7 }, (_, i) => {
        const y = 130 + i * 90;
        const x = 80 + ((seed >>> i) % 5) * 40;
        return `<path d="M0 ${y} H${x} l40 40 H800" stroke="${i % 2 ? p.soft : p.ink}" stroke-opacity="0.35" stroke-width="6" fill="none"/><circle cx="${x + 40}" cy="${y + 40}" r="10" fill="${p.ink}" fill-opacity="0.6"/>`;
      }).join('');
      // The device: a keyboard (rows of keys), a round thing (earbuds, a charging pad) or a box with a dial.
      let device: string;
      if (/keyboard/i.test(title)) {
        const keys = Array.from({ length: 4 }, (_, row) =>
          Array.from({ length: 10 }, (_, col) => `<rect x="${150 + col * 50 + (row % 2) * 12}" y="${330 + row * 50}" width="40" height="40" rx="8" fill="${(row + col + seed) % 7 === 0 ? p.soft : p.ink}" fill-opacity="0.85"/>`).join(''),
        ).join('');
        device = `<rect x="120" y="300" width="560" height="240" rx="30" fill="#0f1220" fill-opacity="0.9" stroke="${p.ink}" stroke-width="6"/>${keys}`;
      } else if (/earbud|charg|pad|audio/i.test(title)) {
        device = `<circle cx="400" cy="400" r="190" fill="#0f1220" fill-opacity="0.9" stroke="${p.ink}" stroke-width="8"/>
          <circle cx="340" cy="400" r="60" fill="${p.soft}"/><circle cx="470" cy="400" r="60" fill="${p.ink}"/>`;
      } else {
        device = `<rect x="220" y="250" width="360" height="300" rx="40" fill="#0f1220" fill-opacity="0.85" stroke="${p.ink}" stroke-width="8"/>
          <circle cx="400" cy="400" r="${70 + r(1) * 6}" fill="none" stroke="${p.soft}" stroke-width="16"/>
          <circle cx="400" cy="400" r="18" fill="${p.ink}"/>`;
      }
      return `${traces}${device}`;
    }
    case 'stationery': {
      // A notebook page with lines and a pen across it.
      const lines = Array.from({ length: 9 }, (_, i) => `<line x1="250" y1="${250 + i * 42}" x2="590" y2="${250 + i * 42}" stroke="${p.ink}" stroke-opacity="0.18" stroke-width="4"/>`).join('');
      return `<rect x="200" y="150" width="420" height="540" rx="18" fill="#ffffff" transform="rotate(${-4 + r(2)} 410 420)"/>
        <g transform="rotate(${-4 + r(2)} 410 420)">${lines}<rect x="200" y="150" width="34" height="540" fill="${p.ink}" fill-opacity="0.85"/></g>
        <g transform="rotate(${35 + r(4) * 3} 520 470)"><rect x="500" y="200" width="40" height="420" rx="10" fill="${p.soft}"/><path d="M500 620 L540 620 L520 680 Z" fill="${p.ink}"/></g>`;
    }
    default:
      return `<circle cx="400" cy="380" r="200" fill="${p.ink}" fill-opacity="0.7"/>`;
  }
}

/**
 * A square picture of a demo product, as SVG: a gradient in the category's colours, the category's motif and the
 * product's name on a label. `variant` 1 draws a second picture of the same product (another palette and a
 * closer crop), so the demo shows the product page's gallery.
 */
export function demoProductSvg(title: string, category: string, variant = 0): string {
  const palettes = PALETTES[category] ?? FALLBACK;
  const seed = hashOf(title);
  const palette = palettes[(seed + variant) % palettes.length];
  const angle = (seed % 4) * 45;
  const zoom = variant ? 'translate(-120 -100) scale(1.3)' : '';
  const label = escapeHtml(title.length > 26 ? `${title.slice(0, 25)}…` : title);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600" viewBox="0 0 800 800">
  <defs><linearGradient id="bg" gradientTransform="rotate(${angle} .5 .5)"><stop offset="0" stop-color="${palette.from}"/><stop offset="1" stop-color="${palette.to}"/></linearGradient></defs>
  <rect width="800" height="800" fill="url(#bg)"/>
  <circle cx="${640 - (seed % 5) * 30}" cy="${140 + (seed % 3) * 20}" r="170" fill="#ffffff" fill-opacity="0.16"/>
  <g transform="${zoom}">${motif(category, palette, seed, title)}</g>
  ${variant ? '' : `<rect x="60" y="690" width="680" height="70" rx="35" fill="#ffffff" fill-opacity="0.88"/>
  <text x="400" y="737" text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif" font-size="34" font-weight="700" fill="#1f2328">${label}</text>`}
</svg>`;
}

/**
 * The demo picture in every size the product form would make, as WebP. The SVG is rasterised once and each
 * variant encoded from those pixels: no PNG in between and no upload checks (the picture is ours), because the
 * whole seed runs inside one hook listener, under the hooks' time budget, on a machine that may be busy.
 */
export async function demoProductPicture(title: string, category: string, variant: number, variants: ImageVariant[]): Promise<ProcessedImage> {
  // Loaded here, not at start: sharp is about 25 MB resident and only the seed and uploads need it.
  const { default: sharp } = await import('sharp');
  const { data, info } = await sharp(Buffer.from(demoProductSvg(title, category, variant))).raw().toBuffer({ resolveWithObject: true });
  const out: ProcessedImage['variants'] = [];
  for (const v of variants) {
    const webp = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
      .resize({ width: v.width, height: v.height, fit: v.fit, withoutEnlargement: v.fit === 'inside' })
      .webp({ quality: 80, effort: 0 })
      .toBuffer();
    out.push({ suffix: v.suffix, data: webp });
  }
  return { variants: out };
}
