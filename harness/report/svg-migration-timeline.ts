/**
 * The safe-migration timeline: per recipe, its steps laid end to end on a time axis
 * (milliseconds from the first step), red where clients waited on a lock. A step is named
 * in its bar when the name fits, otherwise numbered; the table under the chart names every
 * step with its start, duration, locks and the longest client wait.
 */
import type { MetricResult } from '../results/results-schema.ts';
import { linearAxis } from './chart-axis.ts';
import { esc, fmt } from './html-escape.ts';
import { CHART_WIDTH } from './svg-bar-chart.ts';

const PAD = 8;
const CHAR_PX = 7.4;

interface Step {
  recipe: string;
  n: number;
  name: string;
  start: number;
  duration: number;
  blocking: boolean;
  metric: MetricResult;
}

function steps(metrics: MetricResult[]): Step[] {
  const out: Step[] = [];
  const ends = new Map<string, number>();
  for (const m of metrics.filter((x) => x.name.includes('/safe-migration/step['))) {
    const recipe = String(m.params?.recipe ?? '?');
    const start = ends.get(recipe) ?? 0;
    const duration = Number(m.params?.durationMs ?? 0);
    ends.set(recipe, start + duration);
    const n = out.filter((s) => s.recipe === recipe).length + 1;
    const blocking = Number(m.params?.accessExclusiveMs ?? 0) > 0 || Number(m.params?.longestLockWaitMs ?? 0) > 0;
    out.push({ recipe, n, name: String(m.params?.step ?? m.name), start, duration, blocking, metric: m });
  }
  return out;
}

export function migrationTimeline(metrics: MetricResult[]): string {
  const all = steps(metrics);
  if (!all.length) return '';
  const recipes = [...new Set(all.map((s) => s.recipe))];
  const total = Math.max(...all.map((s) => s.start + s.duration), 1);
  const axis = linearAxis(0, total, PAD, CHART_WIDTH - PAD);
  let y = PAD;
  const rows: string[] = [];
  for (const recipe of recipes) {
    rows.push(`<text class="label" x="${PAD}" y="${y + 11}">${esc(`${recipe} recipe`)}</text>`);
    y += 16;
    for (const s of all.filter((x) => x.recipe === recipe)) {
      const x0 = axis.x(s.start);
      const w = Math.max(2, axis.x(s.start + s.duration) - x0);
      const inside = s.name.length * CHAR_PX + 6 < w ? s.name : String(s.n).length * CHAR_PX + 4 < w ? String(s.n) : '';
      rows.push(`<g><title>${esc(`${s.n}. ${s.name}: ${fmt(s.duration)} ms from ${fmt(s.start)} ms, locks ${s.metric.params?.lockModes ?? '-'}, longest client wait ${fmt(s.metric.value)} ms`)}</title><rect class="step${s.blocking ? ' bad' : ''}" x="${x0.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="20"/>${inside ? `<text class="in-bar" x="${(x0 + 3).toFixed(1)}" y="${y + 14}">${esc(inside)}</text>` : ''}</g>`);
    }
    y += 30;
  }
  const bottom = y;
  const ticks = axis.ticks.map((t, i) => {
    const x = axis.x(t.value);
    const anchor = i === 0 ? 'start' : i === axis.ticks.length - 1 ? 'end' : 'middle';
    return `<line class="grid" x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${PAD}" y2="${bottom}"/><text class="tick" x="${x.toFixed(1)}" y="${bottom + 17}" text-anchor="${anchor}">${esc(t.label)}</text>`;
  });
  const svg = `<svg class="chart" role="img" aria-label="migration timeline" viewBox="0 0 ${CHART_WIDTH} ${bottom + 40}" preserveAspectRatio="xMinYMin meet">${ticks.join('')}<line class="axis" x1="${PAD}" x2="${CHART_WIDTH - PAD}" y1="${bottom}" y2="${bottom}"/><text class="axis-title" x="${CHART_WIDTH / 2}" y="${bottom + 34}" text-anchor="middle">time from the first step (ms)</text>${rows.join('')}</svg>`;
  const table = all
    .map((s) => `<tr${s.blocking ? ' class="bad"' : ''}><td>${esc(s.recipe)}</td><td>${s.n}</td><td class="nowrap">${esc(s.name)}</td><td class="num">${fmt(s.start)}</td><td class="num">${fmt(s.duration)}</td><td>${esc(s.metric.params?.lockModes ?? '-')}</td><td class="num">${fmt(s.metric.value)}</td></tr>`)
    .join('');
  return `<figure><figcaption>Migration timeline: each recipe's steps end to end; red: clients waited on a lock</figcaption>${svg}</figure>
<table><thead><tr><th>recipe</th><th>#</th><th>step</th><th>start ms</th><th>duration ms</th><th>locks</th><th>longest client wait, ms</th></tr></thead><tbody>${table}</tbody></table>`;
}
