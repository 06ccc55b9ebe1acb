import { formatMoney } from '@agora/core';
import type { CurrencyReport } from './sales-report';

/**
 * The geometry of one currency's chart, computed here so the SVG partial only draws it: a horizontal bar per
 * month (net sales, negative to the left of zero when refunds outweighed sales) with a thinner bar for the
 * refunds under it. Horizontal, so a phone at 390 px shows it at a readable size however many months there are.
 */
export interface ChartBar {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ChartRow {
  label: string;
  y: number;
  net: ChartBar;
  refunds: ChartBar;
  netText: string;
  refundsText: string;
  /** Where the net amount is written, and on which side of it. */
  textX: number;
  textAnchor: 'start' | 'end';
}

export interface SalesChart {
  id: string;
  layout: ChartLayout;
  title: string;
  /** The figures in words, for screen readers (the table below says the same). */
  desc: string;
  width: number;
  height: number;
  zeroX: number;
  plotTop: number;
  plotBottom: number;
  ticks: Array<{ x: number; label: string }>;
  rows: ChartRow[];
}

/**
 * Two layouts of one drawing: `wide` for a desktop column, `compact` for a phone (drawn at about its own size
 * there, so its 12-unit text stays about 12 px); the stylesheet shows one of them.
 */
export type ChartLayout = 'wide' | 'compact';
const LAYOUTS: Record<ChartLayout, { width: number; labelWidth: number; rightPad: number }> = {
  wide: { width: 560, labelWidth: 92, rightPad: 96 },
  compact: { width: 340, labelWidth: 76, rightPad: 76 },
};
const ROW_HEIGHT = 34;
const TOP = 28;
const BOTTOM_PAD = 12;

/** A round step (1, 2 or 5 × 10^n minor units) of about `parts` to the range. */
function niceStep(range: number, parts: number): number {
  if (range <= 0) return 1;
  const rough = range / parts;
  const power = 10 ** Math.floor(Math.log10(rough));
  const unit = [1, 2, 5, 10].find((u) => u * power >= rough) ?? 10;
  return unit * power;
}

export function salesChart(report: CurrencyReport, layout: ChartLayout = 'wide'): SalesChart {
  const { currency, months } = report;
  const { width: WIDTH, labelWidth: LABEL_WIDTH, rightPad: RIGHT_PAD } = LAYOUTS[layout];
  const low = Math.min(0, ...months.map((m) => m.net));
  const high = Math.max(0, ...months.map((m) => Math.max(m.net, m.refunds)));
  const step = niceStep(high - low, layout === 'compact' ? 2.5 : 4);
  const min = Math.floor(low / step) * step;
  const max = Math.max(step, Math.ceil(high / step) * step);
  const plotWidth = WIDTH - LABEL_WIDTH - RIGHT_PAD;
  const xOf = (v: number) => LABEL_WIDTH + ((v - min) / (max - min)) * plotWidth;
  const zeroX = xOf(0);
  const ticks: SalesChart['ticks'] = [];
  for (let v = min; v <= max; v += step) ticks.push({ x: xOf(v), label: formatMoney(v, currency).replace(/\.00$/, '') });
  const rows = months.map((m, i): ChartRow => {
    const y = TOP + i * ROW_HEIGHT;
    const netEnd = xOf(m.net);
    return {
      label: m.month.short,
      y,
      net: { x: Math.min(zeroX, netEnd), y: y + 4, width: Math.max(m.net === 0 ? 0 : 1, Math.abs(netEnd - zeroX)), height: 16 },
      refunds: { x: zeroX, y: y + 22, width: m.refunds > 0 ? Math.max(1, xOf(m.refunds) - zeroX) : 0, height: 6 },
      netText: formatMoney(m.net, currency),
      refundsText: formatMoney(m.refunds, currency),
      textX: m.net < 0 ? Math.min(zeroX, netEnd) - 4 : Math.max(zeroX, netEnd) + 4,
      textAnchor: m.net < 0 ? 'end' : 'start',
    };
  });
  const words = months.map((m) => `${m.month.label}: net ${formatMoney(m.net, currency)}${m.refunds ? `, refunds ${formatMoney(m.refunds, currency)}` : ''}`);
  return {
    id: `sales-chart-${currency.toLowerCase()}${layout === 'compact' ? '-compact' : ''}`,
    layout,
    title: `Net sales per month in ${currency}`,
    desc: `${words.join('; ')}. Total net ${formatMoney(report.total.net, currency)}.`,
    width: WIDTH,
    height: TOP + months.length * ROW_HEIGHT + BOTTOM_PAD,
    zeroX,
    plotTop: TOP - 6,
    plotBottom: TOP + months.length * ROW_HEIGHT,
    ticks,
    rows,
  };
}
