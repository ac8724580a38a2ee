/** The terminal view of results.json: one table of cases, one of comparisons, per workload. */
import { fmtMs, textTable } from './text-table.ts';
import type { ComparisonResult, ResultsFile } from '../results/results-schema.ts';
import { loadTables } from './load-tables.ts';
import { noiseLine } from './run-noise.ts';

const speedup = (s: { estimate: number; low: number; high: number }) => `${s.estimate.toFixed(2)}x [${s.low.toFixed(2)}-${s.high.toFixed(2)}]`;

/**
 * What a comparison's result column says: its verdict, and FAIL when the test failed for
 * another reason (plan, buffers) or an inconclusive estimate fell below the bar.
 */
export function verdictLabel(c: ComparisonResult): string {
  if (!c.verdict) return c.passed ? 'pass' : 'FAIL';
  if (c.verdict === 'inconclusive') return c.passed ? 'inconclusive' : 'INCONCLUSIVE (estimate below bar): FAIL';
  return c.passed ? c.verdict : 'FAIL';
}

const rounds = (c: ComparisonResult) => String(c.rounds);

export function resultsTables(results: ResultsFile): string {
  const out: string[] = [];
  const workloads = [...new Set([...results.cases.map((c) => c.workload), ...results.comparisons.map((c) => c.workload)])];
  for (const workload of workloads) {
    const cases = results.cases.filter((c) => c.workload === workload);
    const profile = results.fingerprint.postgres.profile;
    out.push(`
${workload} (scale ${results.fingerprint.scale}, PostgreSQL ${results.fingerprint.postgres.version}, ${results.fingerprint.postgres.provider}${profile ? `, profile ${profile}` : ''}; ${noiseLine(results.fingerprint.noise)})
`);
    out.push(
      textTable(
        [{ header: 'case' }, { header: 'variant' }, { header: 'mean ms', align: 'right' }, { header: 'p99 ms', align: 'right' }, { header: '±rme', align: 'right' }, { header: 'n', align: 'right' }, { header: 'plan' }, { header: 'buffers', align: 'right' }],
        cases.map((c) => [
          c.name,
          c.variant,
          fmtMs(c.latency.mean),
          fmtMs(c.latency.p99),
          `${c.latency.rme.toFixed(1)}%`,
          String(c.latency.n),
          c.plan ? [...new Set(c.plan.nodes.filter((n) => /Scan|Join/.test(n)))].join('+') + (c.plan.indexes.length ? ` (${c.plan.indexes.join(', ')})` : '') : '-',
          c.buffers ? String(c.buffers.hit + c.buffers.read) : '-',
        ]),
      ),
    );
    const comparisons = results.comparisons.filter((c) => c.workload === workload);
    if (comparisons.length) {
      out.push('');
      out.push(
        textTable(
          [{ header: 'comparison' }, { header: 'speedup [interval]', align: 'right' }, { header: 'required', align: 'right' }, { header: 'rounds', align: 'right' }, { header: 'buffers', align: 'right' }, { header: 'result' }],
          comparisons.map((c) => [
            c.name,
            speedup(c.speedup),
            c.threshold === null ? 'report' : `>= ${c.threshold}x`,
            rounds(c),
            c.bufferRatio === null ? '-' : `${c.bufferRatio.toFixed(2)}x fewer`,
            verdictLabel(c),
          ]),
        ),
      );
    }
  }
  out.push(loadTables(results));
  return out.join('\n');
}
