/**
 * report.md: a markdown summary of results.json for a CI job summary ($GITHUB_STEP_SUMMARY)
 * or a PR comment. The verdict first (counts, failed comparisons, the gate's regressions and
 * improvements when gated), then the tables; a table longer than FOLD_ROWS is folded in
 * <details>. A scale column appears when the run measured several scales.
 */
import { caseId, type ResultsFile } from '../results/results-schema.ts';
import { comparisonVerdict } from './comparison-verdict.ts';
import { neutraliseMentions } from './neutralise-mentions.ts';
import { noiseLine } from './run-noise.ts';
import { gateLine, reportSummary, summaryLine, type ReportOptions } from './report-summary.ts';

/** Tables with more rows than this are folded (GitHub renders <details> in markdown). */
const FOLD_ROWS = 15;

/** Table cells are text: pipes, backslashes, HTML and newlines are escaped; mentions and issue references neutralised. */
export function mdCell(text: string): string {
  return neutraliseMentions(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/([*_`[\]])/g, '\\$1').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ');
}

function table(title: string, header: string[], align: string[], rows: string[][]): string[] {
  if (!rows.length) return [];
  const lines = [`| ${header.join(' | ')} |`, `|${align.join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
  if (rows.length <= FOLD_ROWS) return [`### ${title}`, '', ...lines, ''];
  return [`<details><summary><b>${title}</b> (${rows.length} rows)</summary>`, '', ...lines, '', '</details>', ''];
}

export function markdownSummary(results: ResultsFile, options: ReportOptions = {}): string {
  const f = results.fingerprint;
  const s = reportSummary(results, options);
  const several = s.scales.length > 1;
  const lines = [`## schemabench: ${s.headline}`, '', `**${summaryLine(s)}**`, ''];
  const gate = gateLine(options);
  if (gate) lines.push(`**${mdCell(gate)}**`, '');
  const groups = [...s.regressions, ...s.improvements, ...s.others];
  if (groups.length) {
    lines.push('| change | cause | what |', '|---|---|---|');
    for (const g of groups) lines.push(`| ${g.severity === 'regression' ? '**regression**' : g.severity === 'improvement' ? 'improvement' : 'changed'} | ${mdCell(g.cause)} | ${mdCell(g.detail)} |`);
    lines.push('');
  }
  for (const c of results.comparisons.filter((c) => comparisonVerdict(c) !== 'pass')) {
    lines.push(`- **${comparisonVerdict(c).toUpperCase()}** ${mdCell(c.name)} (scale ${c.scale}): ${c.speedup.estimate.toFixed(2)}x [${c.speedup.low.toFixed(2)}-${c.speedup.high.toFixed(2)}]${c.threshold === null ? '' : `, required >= ${c.threshold}x`}${c.failures.length ? `: ${mdCell(c.failures.join('; '))}` : ''}`);
  }
  if (results.comparisons.some((c) => comparisonVerdict(c) !== 'pass')) lines.push('');
  for (const note of options.gate?.notes ?? []) lines.push(`_${mdCell(note)}_`, '');
  lines.push(
    `PostgreSQL ${mdCell(f.postgres.version)} (${mdCell(f.postgres.provider)}), ${mdCell(f.machine.cpuModel)} x${f.machine.cores}, Node ${mdCell(f.node)}, scale ${f.scale}, seed ${f.seed}${f.gitCommit ? `, commit ${f.gitCommit.slice(0, 12)}` : ''}`,
    '',
    mdCell(noiseLine(f.noise)),
    '',
  );
  const scaleHeader = several ? ['scale'] : [];
  const scaleAlign = several ? ['---:'] : [];
  lines.push(
    ...table(
      'Comparisons',
      ['comparison', ...scaleHeader, 'speedup', '95% CI', 'required', 'result'],
      ['---', ...scaleAlign, '---:', '---:', '---:', '---'],
      results.comparisons.map((c) => {
        const v = comparisonVerdict(c);
        return [mdCell(c.name), ...(several ? [String(c.scale)] : []), `${c.speedup.estimate.toFixed(2)}x`, `${c.speedup.low.toFixed(2)}-${c.speedup.high.toFixed(2)}`, c.threshold === null ? 'report' : `>= ${c.threshold}x`, v === 'pass' ? 'pass' : `**${v.toUpperCase()}**`];
      }),
    ),
  );
  lines.push(
    ...table(
      'Cases',
      ['case', ...scaleHeader, 'mean ms', 'p99 ms', '±rme', 'buffers', 'plan'],
      ['---', ...scaleAlign, '---:', '---:', '---:', '---:', '---'],
      results.cases.map((c) => {
        const plan = c.plan ? `${[...new Set(c.plan.nodes)].join(' > ')}${c.plan.indexes.length ? ` (${c.plan.indexes.join(', ')})` : ''}` : '-';
        return [mdCell(caseId(c)), ...(several ? [String(c.scale)] : []), c.latency.mean.toFixed(3), c.latency.p99.toFixed(3), `${c.latency.rme.toFixed(1)}%`, c.buffers ? String(c.buffers.hit + c.buffers.read) : '-', mdCell(plan)];
      }),
    ),
  );
  return `${lines.join('\n').trimEnd()}\n`;
}
