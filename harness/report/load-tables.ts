/** The terminal view of load benchmarks: per load, each variant's transactions, then its ratios. */
import { fmtMs, textTable } from './text-table.ts';
import type { LoadRatioResult, ResultsFile } from '../results/results-schema.ts';

const ratioText = (r: LoadRatioResult) =>
  `${r.ratio.estimate.toFixed(2)}x [${r.ratio.low.toFixed(2)}-${r.ratio.high.toFixed(2)}]${r.confidence !== undefined && r.confidence !== 0.95 ? ` ${(100 * r.confidence).toFixed(1)}%` : ''}`;
const resultText = (r: LoadRatioResult) => (!r.passed ? 'FAIL' : r.verdict === 'inconclusive' ? 'inconclusive' : 'pass');
const countText = (errors: Record<string, number>) => Object.entries(errors).map(([code, n]) => `${code}:${n}`).join(' ') || '-';

export function loadTables(results: ResultsFile): string {
  const out: string[] = [];
  for (const load of results.loads ?? []) {
    const how = load.mode === 'open' ? `open loop at ${load.rate} tx/s` : 'closed loop';
    out.push(`\n${load.name} [scale=${load.scale}] (${how}, ${load.intervals} intervals of ${load.intervalMs} ms per variant${load.maxIntervals !== undefined ? ` (cap ${load.maxIntervals})` : ''}, interleaved)\n`);
    out.push(
      textTable(
        [
          { header: 'variant' }, { header: 'clients', align: 'right' }, { header: 'transaction' }, { header: 'tx/s', align: 'right' },
          { header: 'p50 ms', align: 'right' }, { header: 'p95 ms', align: 'right' }, { header: 'p99 ms', align: 'right' }, { header: 'p99.9 ms', align: 'right' },
          { header: 'max ms', align: 'right' }, { header: 'errors' }, { header: 'retries', align: 'right' }, { header: 'late/skipped', align: 'right' }, { header: 'lock waits', align: 'right' },
        ],
        load.variants.flatMap((v) =>
          v.transactions.map((t) => [
            v.variant, String(v.clients), t.name, t.throughput.toFixed(0),
            fmtMs(t.latency.p50), fmtMs(t.latency.p95), fmtMs(t.latency.p99), fmtMs(t.latency.p999), fmtMs(t.latency.max),
            countText(t.errors), String(t.retries), `${t.late}/${t.skipped}`, v.lockWaits === null ? '-' : v.lockWaits.toFixed(2),
          ]),
        ),
      ),
    );
    out.push('');
    out.push(
      textTable(
        [{ header: 'ratio' }, { header: 'value [interval]', align: 'right' }, { header: 'required', align: 'right' }, { header: 'result' }],
        load.ratios.map((r) => [
          `${r.metric}${r.transaction === 'all' ? '' : ` (${r.transaction})`} ${r.numerator} / ${r.denominator}`,
          ratioText(r),
          r.threshold === null ? 'report' : `>= ${r.threshold}x`,
          resultText(r),
        ]),
      ),
    );
    if (load.failures.length) out.push(load.failures.map((f) => `  ${f}`).join('\n'));
  }
  return out.join('\n');
}
