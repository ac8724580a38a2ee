/**
 * Seed 000's endpoint table with this run's figures next to the seed's own (labelled
 * as its claim: another machine, schema and client). Every figure is in results.json
 * and reproducible with `npm run bench` (or `schemabench run --workload store`).
 */
import { type ResultsFile, fmtMs, lookupResults, textTable } from 'schemabench';
import { afterFix, beforeFix, ENDPOINTS } from './endpoints.ts';

export default function storeSeedReport(results: ResultsFile): string {
  // Results are found by the case objects the benchmarks measure: a rename changes both.
  const find = lookupResults(results);
  const ms = (v: number | undefined) => (v === undefined ? '-' : `${fmtMs(v)} ms`);
  const out = [`\nSeed 000 endpoints, measured (scale ${results.fingerprint.scale}) vs the seed's claim`];
  out.push(
    textTable(
      [{ header: 'endpoint' }, { header: 'seed', align: 'right' }, { header: 'seed after fix', align: 'right' }, { header: 'ours before', align: 'right' }, { header: 'ours after', align: 'right' }, { header: 'speedup [95% CI]', align: 'right' }, { header: 'index' }],
      ENDPOINTS.map((e) => {
        const comparison = e.fix && find.comparison(beforeFix(e), afterFix(e));
        const s = comparison?.speedup;
        return [
          e.path,
          `${e.seedMs} ms`,
          e.seedAfterMs ? `${e.seedAfterMs} ms` : '-',
          e.fix ? ms(find.case(beforeFix(e))?.latency.mean) : '-',
          ms(find.case(e.case)?.latency.mean),
          s ? `${s.estimate.toFixed(1)}x [${s.low.toFixed(1)}-${s.high.toFixed(1)}]` : '-',
          e.fix ? `${e.fix.index}${comparison ? (comparison.passed ? '' : ' (FAILED)') : ''}` : '',
        ];
      }),
    ),
  );
  out.push('seed figures are whole HTTP requests on its deployment; ours are the database work of each endpoint.');
  return out.join('\n');
}
