/**
 * One self-contained report.html per run: inline CSS, charts as inline SVG drawn here,
 * no script, no network, every piece of text escaped. Hand-drawn SVG rather than an
 * inlined chart library: the charts are bars and a timeline, a library would add 100+ kB
 * and a script to a page that must open offline and run nothing; ours are ~200 lines.
 * The verdict first, then: speedups with their 95% intervals (log scale, 1x line),
 * insert throughput, sizes, the migration timeline, scale curves, cases with their plans,
 * and the fingerprint.
 */
import { caseId, type CaseResult, type ResultsFile } from '../results/results-schema.ts';
import { growthExponent } from '../bench/scale-fit.ts';
import { comparisonVerdict } from './comparison-verdict.ts';
import { esc, escName, fmt } from './html-escape.ts';
import { planTree } from './html-plan-tree.ts';
import { gateLine, reportSummary, summaryLine, type ReportOptions } from './report-summary.ts';
import { noiseLine } from './run-noise.ts';
import { barChart } from './svg-bar-chart.ts';
import { migrationTimeline } from './svg-migration-timeline.ts';

export { esc } from './html-escape.ts';

/** Tables with more rows than this are folded in <details>. */
const FOLD_ROWS = 15;
const mb = (bytes: number) => bytes / (1 << 20);

function folded(title: string, rows: number, table: string): string {
  return rows > FOLD_ROWS ? `<details><summary><h3>${esc(title)} (${rows})</h3></summary>${table}</details>` : `<h3>${esc(title)}</h3>${table}`;
}

function verdict(r: ResultsFile, options: ReportOptions): string {
  const s = reportSummary(r, options);
  const gate = gateLine(options);
  const groups = [...s.regressions, ...s.improvements, ...s.others];
  const findingRows = groups.map((g) => `<tr class="${g.severity === 'regression' ? 'bad' : g.severity === 'improvement' ? 'good' : ''}"><td>${esc(g.severity)}</td><td class="name">${escName(g.cause)}</td><td>${esc(g.detail)}</td></tr>`);
  const failed = r.comparisons.filter((c) => comparisonVerdict(c) !== 'pass');
  return `<section class="verdict ${s.headline === 'PASS' ? 'pass' : 'fail'}"><h2>${esc(s.headline)}</h2><p>${esc(summaryLine(s))}</p>${gate ? `<p>${esc(gate)}</p>` : ''}
${findingRows.length ? `<table><thead><tr><th>change</th><th>cause</th><th>what</th></tr></thead><tbody>${findingRows.join('')}</tbody></table>` : ''}
${failed.length ? `<ul>${failed.map((c) => `<li><b>${esc(comparisonVerdict(c).toUpperCase())}</b> <span class="name">${esc(c.name)}</span> (scale ${c.scale}): ${fmt(c.speedup.estimate)}x [${fmt(c.speedup.low)}-${fmt(c.speedup.high)}]${c.threshold === null ? '' : `, required &gt;= ${esc(c.threshold)}x`}${c.failures.length ? `: ${esc(c.failures.join('; '))}` : ''}</li>`).join('')}</ul>` : ''}
${(options.gate?.notes ?? []).map((x) => `<p class="muted">${esc(x)}</p>`).join('')}</section>`;
}

function speedups(r: ResultsFile, several: boolean): string {
  return barChart(
    r.comparisons.map((c) => {
      const v = comparisonVerdict(c);
      return {
        label: several ? `${c.name} (scale ${c.scale})` : c.name,
        value: c.speedup.estimate,
        low: c.speedup.low,
        high: c.speedup.high,
        marker: c.threshold ?? undefined,
        bad: v !== 'pass',
        note: `${fmt(c.speedup.estimate)}x [${fmt(c.speedup.low)}-${fmt(c.speedup.high)}]${v === 'pass' ? '' : ` ${v.toUpperCase()}`}`,
      };
    }),
    { title: 'Speedups (baseline / candidate) with 95% intervals; orange mark: the required lower bound', axisLabel: 'speedup (x)', unit: 'x', log: true, reference: { value: 1, label: '1x, no difference' } },
  );
}

function throughput(r: ResultsFile): string {
  const rows = r.cases.filter((c) => typeof c.params.rows === 'number' && c.latency.mean > 0);
  return barChart(
    rows.map((c) => ({ label: `${caseId(c)} (scale ${c.scale})`, value: (Number(c.params.rows) * 1000) / c.latency.mean, note: `${fmt((Number(c.params.rows) * 1000) / c.latency.mean)} rows/s` })),
    { title: 'Insert throughput (rows per second, from mean latency and rows per run)', axisLabel: 'rows per second', unit: 'rows/s' },
  );
}

function sizes(r: ResultsFile): string {
  // Every size a benchmark recorded (unit 'bytes'), whatever the workload names it.
  const bytes = r.metrics.filter((m) => m.unit === 'bytes');
  return barChart(bytes.map((m) => ({ label: m.name, value: mb(m.value), note: `${fmt(mb(m.value))} MB` })), { title: 'Index and storage sizes', axisLabel: 'size (MB)', unit: 'MB' });
}

function scaleCurves(r: ResultsFile): string {
  const byCase = new Map<string, CaseResult[]>();
  for (const c of r.cases) byCase.set(caseId(c), [...(byCase.get(caseId(c)) ?? []), c]);
  const curves = [...byCase.entries()].filter(([, cs]) => new Set(cs.map((c) => c.scale)).size >= 2);
  if (!curves.length) return '<h3>Scale curves</h3><p>Run <code>schemabench run --scales 0.1,0.3,1</code> for scale curves.</p>';
  const fits = curves.map(([id, cs]) => ({ id, cs: [...cs].sort((a, b) => a.scale - b.scale), e: growthExponent(cs.map((c) => ({ scale: c.scale, value: c.latency.p50 }))) }));
  const chart = barChart(
    fits.map(({ id, e }) => ({ label: id, value: e, note: e.toFixed(2) })),
    { title: 'Growth exponent with scale (slope of log median latency vs log scale)', axisLabel: 'growth exponent (0 constant, 1 linear)', unit: '', reference: { value: 1, label: '1, linear' } },
  );
  const rows = fits.flatMap(({ id, cs }) => cs.map((c, i) => `<tr>${i ? '' : `<td class="name" rowspan="${cs.length}">${escName(id)}</td>`}<td class="num">${c.scale}</td><td class="num">${fmt(c.latency.p50)}</td><td class="num">${c.buffers ? c.buffers.hit + c.buffers.read : '-'}</td></tr>`));
  return `${chart}<table><thead><tr><th>case</th><th>scale</th><th>median ms</th><th>buffers</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function casesTable(r: ResultsFile, several: boolean): string {
  const rows = r.cases.map(
    (c) =>
      `<tr><td class="name">${escName(caseId(c))}</td>${several ? `<td class="num">${c.scale}</td>` : ''}<td class="num">${fmt(c.latency.mean)}</td><td class="num">${fmt(c.latency.p99)}</td><td class="num">${c.latency.rme.toFixed(1)}%</td><td class="num">${c.buffers ? c.buffers.hit + c.buffers.read : '-'}</td><td>${planTree(c)}</td></tr>`,
  );
  const table = `<table><thead><tr><th>case</th>${several ? '<th>scale</th>' : ''}<th>mean ms</th><th>p99 ms</th><th>±rme</th><th>buffers</th><th>plan (click to open)</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  return folded('Cases', rows.length, table);
}

function fingerprint(r: ResultsFile): string {
  const f = r.fingerprint;
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
  return `<h3>Fingerprint</h3><table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td class="long">${esc(v)}</td></tr>`).join('')}</table>`;
}

const CSS = `*{box-sizing:border-box}body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;padding:16px;max-width:1000px;color:#222}
h1{font-size:20px}h2{margin:0 0 4px}h3{margin-top:28px}summary h3{display:inline}
.verdict{border-left:6px solid #3a8a3a;background:#f2f8f2;padding:10px 14px}.verdict.fail{border-color:#c03030;background:#fbf0f0}
figure{margin:20px 0}figcaption{font-weight:600;margin-bottom:4px}
svg.chart{display:block;width:100%;height:auto;max-width:960px}svg.chart text{font:12px system-ui,sans-serif;fill:#222;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
svg.chart text.value.bad{fill:#b02020;font-weight:600}svg.chart text.in-bar{fill:#fff;stroke:none}svg.chart text.axis-title{fill:#555}
rect.bar{fill:#4a7bd0}rect.bar.bad,rect.step.bad{fill:#d04a4a}rect.step{fill:#5b9b5b;stroke:#fff}
line.ci{stroke:#111;stroke-width:2}line.marker{stroke:#e08a00;stroke-width:3}line.axis,line.tick{stroke:#444}
line.grid{stroke:#e4e4e4}line.reference{stroke:#444;stroke-dasharray:4 3}
table{border-collapse:collapse;margin-top:8px;width:100%}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top;overflow-wrap:break-word}
th{background:#f3f3f3}td.nowrap{white-space:nowrap}td.name,td.long{overflow-wrap:anywhere}td.name{min-width:11em}td.num{text-align:right;white-space:nowrap}tr.bad td{background:#fbeaea}tr.good td{background:#eef7ee}
.muted{color:#666}ul.plan,ul.plan ul{list-style:none;margin:2px 0;padding-left:16px;border-left:1px dotted #aaa}ul.plan{padding-left:4px;border:0}
.node{font-weight:600}code{overflow-wrap:anywhere}`;

export function htmlReport(r: ResultsFile, options: ReportOptions = {}): string {
  const several = new Set(r.cases.map((c) => c.scale)).size > 1;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>schemabench report</title><style>${CSS}</style></head><body>
<h1>schemabench report</h1><p class="muted">${esc(r.createdAt)}; ${esc(noiseLine(r.fingerprint.noise))}</p>
${verdict(r, options)}
${speedups(r, several)}${throughput(r)}${sizes(r)}${migrationTimeline(r.metrics)}${scaleCurves(r)}${casesTable(r, several)}${fingerprint(r)}
</body></html>
`;
}
