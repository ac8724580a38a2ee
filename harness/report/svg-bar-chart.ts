/**
 * A horizontal bar chart as inline SVG: each bar's full name above it (wrapped, never
 * cut), its value at the right end of the name line, whiskers for an interval, a mark for
 * a required bound, an x axis with ticks and its unit, an optional log scale (labelled
 * as such) and reference line (e.g. 1x). The SVG has a viewBox and no fixed width: it
 * scales with the page; every piece of text stays inside the viewBox.
 */
import { linearAxis, logAxis, type Axis } from './chart-axis.ts';
import { esc, fmt } from './html-escape.ts';
import { wrapText } from './wrap-text.ts';

export interface Bar {
  label: string;
  value: number;
  low?: number;
  high?: number;
  /** A required bound, drawn as a mark across the bar. */
  marker?: number;
  bad?: boolean;
  /** Text shown for the value. @default `${fmt(value)} ${unit}` */
  note?: string;
}

export interface BarChartOptions {
  title: string;
  /** Axis title with its unit, e.g. 'speedup (x)'. */
  axisLabel: string;
  unit: string;
  /** Log10 scale (values must be > 0). @default false */
  log?: boolean;
  /** A labelled vertical reference line, e.g. { value: 1, label: '1x (no change)' }. */
  reference?: { value: number; label: string };
}

export const CHART_WIDTH = 760;
const PAD = 8;
const CHAR_PX = 7.4; // widest average advance of 12px system-ui text, with margin
const LINE = 15;
const BAR = 12;

export function barChart(bars: Bar[], o: BarChartOptions): string {
  if (!bars.length) return '';
  const values = bars.flatMap((b) => [b.value, b.low ?? b.value, b.high ?? b.value, b.marker ?? b.value]).concat(o.reference ? [o.reference.value] : []);
  const right = CHART_WIDTH - PAD;
  const axis: Axis = o.log
    ? logAxis(Math.min(...values.filter((v) => v > 0)), Math.max(...values), PAD, right)
    : linearAxis(Math.min(0, ...values), Math.max(...values), PAD, right);
  // Bars grow from 0, or on a log scale from the reference (1x: a speedup below it points left).
  const zero = o.log ? (o.reference ? axis.x(o.reference.value) : PAD) : axis.x(0);
  let y = PAD;
  const rows: string[] = [];
  for (const b of bars) {
    const note = b.note ?? `${fmt(b.value)} ${o.unit}`;
    const labelChars = Math.floor((CHART_WIDTH - 2 * PAD - (note.length + 2) * CHAR_PX) / CHAR_PX);
    const lines = wrapText(b.label, Math.max(labelChars, 20));
    const text = lines.map((l, i) => `<tspan x="${PAD}" dy="${i ? LINE : 0}">${esc(l)}</tspan>`).join('');
    rows.push(`<g class="row"><title>${esc(`${b.label}: ${note}`)}</title>`);
    rows.push(`<text class="label" x="${PAD}" y="${y + 11}">${text}</text><text class="value${b.bad ? ' bad' : ''}" x="${right}" y="${y + 11}" text-anchor="end">${esc(note)}</text>`);
    y += lines.length * LINE + 2;
    const [x0, x1] = [Math.min(zero, axis.x(b.value)), Math.max(zero, axis.x(b.value))];
    rows.push(`<rect class="bar${b.bad ? ' bad' : ''}" x="${x0.toFixed(1)}" y="${y}" width="${Math.max(1.5, x1 - x0).toFixed(1)}" height="${BAR}"/>`);
    if (b.low !== undefined && b.high !== undefined) rows.push(`<line class="ci" x1="${axis.x(b.low).toFixed(1)}" x2="${axis.x(b.high).toFixed(1)}" y1="${y + BAR / 2}" y2="${y + BAR / 2}"/>`);
    if (b.marker !== undefined) rows.push(`<line class="marker" x1="${axis.x(b.marker).toFixed(1)}" x2="${axis.x(b.marker).toFixed(1)}" y1="${y - 2}" y2="${y + BAR + 2}"/>`);
    rows.push('</g>');
    y += BAR + 10;
  }
  const plotBottom = y;
  const grid = axis.ticks.map((t) => `<line class="grid" x1="${axis.x(t.value).toFixed(1)}" x2="${axis.x(t.value).toFixed(1)}" y1="${PAD}" y2="${plotBottom}"/>`);
  const tickLabels = axis.ticks.map((t, i) => {
    const x = axis.x(t.value);
    const anchor = i === 0 && x - t.label.length * CHAR_PX < PAD ? 'start' : i === axis.ticks.length - 1 ? 'end' : 'middle';
    return `<line class="tick" x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${plotBottom}" y2="${plotBottom + 5}"/><text class="tick" x="${x.toFixed(1)}" y="${plotBottom + 17}" text-anchor="${anchor}">${esc(t.label)}</text>`;
  });
  const ref = o.reference
    ? `<line class="reference" x1="${axis.x(o.reference.value).toFixed(1)}" x2="${axis.x(o.reference.value).toFixed(1)}" y1="${PAD}" y2="${plotBottom}"/>`
    : '';
  const axisTitle = `${o.axisLabel}${o.log ? ', log scale' : ''}${o.reference ? `; dashed line: ${o.reference.label}` : ''}`;
  const height = plotBottom + 40;
  return `<figure><figcaption>${esc(o.title)}</figcaption><svg class="chart" role="img" aria-label="${esc(o.title)}" viewBox="0 0 ${CHART_WIDTH} ${height}" preserveAspectRatio="xMinYMin meet">
${grid.join('')}${ref}<line class="axis" x1="${PAD}" x2="${right}" y1="${plotBottom}" y2="${plotBottom}"/>${tickLabels.join('')}
<text class="axis-title" x="${CHART_WIDTH / 2}" y="${plotBottom + 34}" text-anchor="middle">${esc(axisTitle)}</text>
${rows.join('')}</svg></figure>`;
}
