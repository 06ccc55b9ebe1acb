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

const WIDTH = 560;
const LABEL_WIDTH = 92;
const RIGHT_PAD = 96;
const ROW_HEIGHT = 34;
const TOP = 28;
const BOTTOM_PAD = 12;

/** A round step of about a quarter of the range (1, 2 or 5 × 10^n minor units). */
function niceStep(range: number): number {
  if (range <= 0) return 1;
  const rough = range / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const unit = [1, 2, 5, 10].find((u) => u * power >= rough) ?? 10;
  return unit * power;
}

export function salesChart(report: CurrencyReport): SalesChart {
  const { currency, months } = report;
  const low = Math.min(0, ...months.map((m) => m.net));
  const high = Math.max(0, ...months.map((m) => Math.max(m.net, m.refunds)));
  const step = niceStep(high - low);
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
    id: `sales-chart-${currency.toLowerCase()}`,
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
