/**
 * One self-contained report.html per run: inline CSS, charts as inline SVG drawn here
 * (no script, no network), every piece of text escaped. Sections: speedups with their
 * 95% intervals, insert throughput, index and storage sizes, the migration timeline,
 * scale curves, cases with plans, and the fingerprint.
 */
import { caseId, type CaseResult, type ResultsFile } from '../results/results-schema.ts';
import { growthExponent } from '../bench/scale-fit.ts';
import { noiseLine } from './run-noise.ts';

export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

interface Bar {
  label: string;
  value: number;
  low?: number;
  high?: number;
  marker?: number;
  bad?: boolean;
  note?: string;
}

const W = 860;
const LABEL = 360;
const ROW = 24;

/** Horizontal bars, optional whiskers (interval) and a marker (threshold); log scale on request. */
function barChart(title: string, bars: Bar[], unit: string, log = false): string {
  if (!bars.length) return '';
  const max = Math.max(...bars.map((b) => b.high ?? b.value), ...bars.map((b) => b.marker ?? 0)) * 1.1 || 1;
  const min = log ? Math.min(...bars.map((b) => b.low ?? b.value).filter((v) => v > 0), 0.5) / 1.5 : 0;
  const x = (v: number) => {
    const span = W - LABEL - 90;
    if (!log) return LABEL + (span * Math.max(v, 0)) / max;
    return LABEL + (span * (Math.log(Math.max(v, min)) - Math.log(min))) / (Math.log(max) - Math.log(min));
  };
  const rows = bars.map((b, i) => {
    const y = 8 + i * ROW;
    const whisker = b.low !== undefined && b.high !== undefined ? `<line class="ci" x1="${x(b.low)}" x2="${x(b.high)}" y1="${y + 8}" y2="${y + 8}"/>` : '';
    const marker = b.marker !== undefined ? `<line class="marker" x1="${x(b.marker)}" x2="${x(b.marker)}" y1="${y}" y2="${y + 16}"/>` : '';
    const label = b.label.length > 52 ? `…${b.label.slice(-51)}` : b.label;
    return `<g><title>${esc(b.label)}</title><text x="${LABEL - 8}" y="${y + 12}" text-anchor="end">${esc(label)}</text><rect class="bar${b.bad ? ' bad' : ''}" x="${LABEL}" y="${y + 2}" width="${Math.max(1, x(b.value) - LABEL)}" height="12"/>${whisker}${marker}<text x="${Math.max(x(b.value), x(b.high ?? 0)) + 6}" y="${y + 12}">${esc(b.note ?? `${fmt(b.value)} ${unit}`)}</text></g>`;
  });
  return `<h3>${esc(title)}</h3><svg class="chart" role="img" aria-label="${esc(title)}" width="${W}" height="${bars.length * ROW + 16}" viewBox="0 0 ${W} ${bars.length * ROW + 16}">${rows.join('')}</svg>`;
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const mb = (bytes: number) => bytes / (1 << 20);

function speedups(results: ResultsFile): string {
  return barChart(
    'Speedups (baseline / candidate) with their interval (95%, or the sequential test\'s deciding look); the mark is the required bar',
    results.comparisons.map((c) => ({
      label: `${c.name} (scale ${c.scale})`,
      value: c.speedup.estimate,
      low: c.speedup.low,
      high: c.speedup.high,
      marker: c.threshold ?? undefined,
      bad: !c.passed,
      note: `${fmt(c.speedup.estimate)}x [${fmt(c.speedup.low)}-${fmt(c.speedup.high)}]${c.passed ? (c.verdict === 'inconclusive' ? ' inconclusive' : '') : ' FAILED'}`,
    })),
    'x',
    true,
  );
}

function throughput(results: ResultsFile): string {
  const rows = results.cases.filter((c) => typeof c.params.rows === 'number' && c.latency.mean > 0);
  return barChart(
    'Insert throughput (rows per second)',
    rows.map((c) => ({ label: `${c.variant} (${c.name})`, value: (Number(c.params.rows) * 1000) / c.latency.mean, note: `${fmt((Number(c.params.rows) * 1000) / c.latency.mean)} rows/s` })),
    'rows/s',
  );
}

function sizes(results: ResultsFile): string {
  const bytes = results.metrics.filter((m) => m.unit === 'bytes' && /total-size|index.*size|receipts-model-size|matview\/size/.test(m.name));
  return barChart('Index and storage sizes (MB)', bytes.map((m) => ({ label: m.name, value: mb(m.value), note: `${fmt(mb(m.value))} MB` })), 'MB');
}

function migrationTimeline(results: ResultsFile): string {
  const steps = results.metrics.filter((m) => m.name.includes('/safe-migration/step['));
  if (!steps.length) return '';
  const recipes = [...new Set(steps.map((s) => String(s.params?.recipe)))];
  const total = Math.max(...recipes.map((r) => steps.filter((s) => s.params?.recipe === r).reduce((t, s) => t + Number(s.params?.durationMs ?? 0), 0)), 1);
  const span = W - 120;
  let y = 10;
  const rows: string[] = [];
  for (const recipe of recipes) {
    let t = 0;
    rows.push(`<text x="4" y="${y + 14}">${esc(recipe)}</text>`);
    for (const s of steps.filter((x) => x.params?.recipe === recipe)) {
      const d = Number(s.params?.durationMs ?? 0);
      const x = 110 + (span * t) / total;
      const w = Math.max(2, (span * d) / total);
      const blocking = Number(s.params?.accessExclusiveMs ?? 0) > 0 || Number(s.params?.longestLockWaitMs ?? 0) > 0;
      rows.push(`<rect class="step${blocking ? ' bad' : ''}" x="${x}" y="${y}" width="${w}" height="18"><title>${esc(`${s.params?.step}: ${fmt(d)} ms, locks ${s.params?.lockModes}, longest client wait ${fmt(s.value)} ms`)}</title></rect>`);
      t += d;
    }
    y += 28;
  }
  return `<h3>Migration timeline (step durations; red: clients waited on a lock)</h3><svg class="chart" role="img" aria-label="migration timeline" width="${W}" height="${y + 6}" viewBox="0 0 ${W} ${y + 6}">${rows.join('')}</svg>`;
}

function scaleCurves(results: ResultsFile): string {
  const byCase = new Map<string, CaseResult[]>();
  for (const c of results.cases) byCase.set(caseId(c), [...(byCase.get(caseId(c)) ?? []), c]);
  const curves = [...byCase.entries()].filter(([, cs]) => new Set(cs.map((c) => c.scale)).size >= 2);
  if (!curves.length) return '<h3>Scale curves</h3><p>Run <code>schemabench run --scales 0.1,0.3,1</code> for scale curves.</p>';
  return barChart(
    'Growth exponent with scale (slope of log latency vs log scale; 1 = linear)',
    curves.map(([id, cs]) => {
      const e = growthExponent(cs.map((c) => ({ scale: c.scale, value: c.latency.p50 })));
      return { label: id, value: Math.max(e, 0.001), note: `${e.toFixed(2)} (${cs.map((c) => `${c.scale}: ${fmt(c.latency.p50)} ms`).join(', ')})` };
    }),
    '',
  );
}

function casesTable(results: ResultsFile): string {
  const rows = results.cases.map(
    (c) =>
      `<tr><td>${esc(caseId(c))}</td><td>${c.scale}</td><td>${fmt(c.latency.mean)}</td><td>${fmt(c.latency.p99)}</td><td>${c.latency.rme.toFixed(1)}%</td><td>${c.buffers ? c.buffers.hit + c.buffers.read : '-'}</td><td>${esc(c.plan ? `${c.plan.nodes.join(' > ')} ${c.plan.indexes.length ? `(${c.plan.indexes.join(', ')})` : ''}` : '-')}</td></tr>`,
  );
  return `<h3>Cases</h3><table><thead><tr><th>case</th><th>scale</th><th>mean ms</th><th>p99 ms</th><th>±rme</th><th>buffers</th><th>plan</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function fingerprint(results: ResultsFile): string {
  const f = results.fingerprint;
  const rows: [string, unknown][] = [
    ['PostgreSQL', `${f.postgres.version} (${f.postgres.provider})`],
    ['settings', Object.entries(f.postgres.settings).map(([k, v]) => `${k}=${v}`).join(', ')],
    ['machine', `${f.machine.cpuModel}, ${f.machine.cores} cores, ${f.machine.memoryGiB} GiB, ${f.machine.platform}`],
    ['node', f.node],
    ['packages', Object.entries(f.packages).map(([k, v]) => `${k}@${v}`).join(', ')],
    ['datasets', Object.entries(f.datasets).map(([k, v]) => `${k}: ${v}`).join(', ')],
    ['scale / seed', `${f.scale} / ${f.seed}`],
    ['git commit', f.gitCommit ?? '-'],
    ['noise', noiseLine(f.noise).replace(/^noise: /, '')],
  ];
  return `<h3>Fingerprint</h3><table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`;
}

const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}h1{font-size:20px}h3{margin-top:28px}
svg.chart text{font:12px system-ui,sans-serif;fill:#222}rect.bar{fill:#4a7bd0}rect.bar.bad,rect.step.bad{fill:#d04a4a}
rect.step{fill:#6aa56a;stroke:#fff}line.ci{stroke:#111;stroke-width:2}line.marker{stroke:#e08a00;stroke-width:3}
table{border-collapse:collapse;margin-top:8px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}th{background:#f3f3f3}`;

export function htmlReport(r: ResultsFile): string {
  const failed = r.comparisons.filter((c) => !c.passed).length;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>schemabench report</title><style>${CSS}</style></head><body>
<h1>schemabench report</h1><p>${esc(r.createdAt)} — ${r.cases.length} cases, ${r.comparisons.length} comparisons (${failed} failed, ${r.comparisons.filter((c) => c.verdict === 'inconclusive').length} inconclusive), ${r.metrics.length} metrics; ${esc(noiseLine(r.fingerprint.noise))}</p>
${speedups(r)}${throughput(r)}${sizes(r)}${migrationTimeline(r)}${scaleCurves(r)}${casesTable(r)}${fingerprint(r)}
</body></html>
`;
}
