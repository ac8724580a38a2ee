/** A markdown summary of results.json, fit for a CI job summary ($GITHUB_STEP_SUMMARY). */
import { caseId, type ResultsFile } from '../results/results-schema.ts';
import { verdictLabel } from './results-table.ts';
import { noiseLine } from './run-noise.ts';

/** Table cells are text: pipes, backslashes, HTML and newlines are escaped. */
export function mdCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ');
}

export function markdownSummary(results: ResultsFile): string {
  const f = results.fingerprint;
  const lines = [
    `## schemabench results`,
    '',
    `PostgreSQL ${mdCell(f.postgres.version)} (${mdCell(f.postgres.provider)}), ${mdCell(f.machine.cpuModel)} x${f.machine.cores}, Node ${mdCell(f.node)}, scale ${f.scale}, seed ${f.seed}${f.gitCommit ? `, commit ${f.gitCommit.slice(0, 12)}` : ''}`,
    '',
    mdCell(noiseLine(f.noise)),
    '',
  ];
  if (results.comparisons.length) {
    lines.push('| comparison | speedup | interval | required | result |', '|---|---:|---:|---:|---|');
    for (const c of results.comparisons) {
      lines.push(
        `| ${mdCell(c.name)} | ${c.speedup.estimate.toFixed(2)}x | ${c.speedup.low.toFixed(2)}-${c.speedup.high.toFixed(2)} | ${c.threshold === null ? 'report' : `>= ${c.threshold}x`} | ${c.passed ? verdictLabel(c) : `**${mdCell(verdictLabel(c))}**`} |`,
      );
    }
    lines.push('');
  }
  if (results.cases.length) {
    lines.push('| case | mean ms | p99 ms | ±rme | buffers | plan |', '|---|---:|---:|---:|---:|---|');
    for (const c of results.cases) {
      const plan = c.plan ? `${[...new Set(c.plan.nodes)].join(' > ')}${c.plan.indexes.length ? ` (${c.plan.indexes.join(', ')})` : ''}` : '-';
      lines.push(
        `| ${mdCell(caseId(c))} | ${c.latency.mean.toFixed(3)} | ${c.latency.p99.toFixed(3)} | ${c.latency.rme.toFixed(1)}% | ${c.buffers ? c.buffers.hit + c.buffers.read : '-'} | ${mdCell(plan)} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
