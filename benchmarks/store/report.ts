/**
 * Seed 000's endpoint table with this run's figures next to the seed's own (labelled
 * as its claim: another machine, schema and client). Every figure is in results.json
 * and reproducible with `npm run bench` (or `schemabench run --workload store`).
 */
import { type ResultsFile, fmtMs, textTable } from 'schemabench';
import { ENDPOINTS } from './endpoints.ts';

export default function storeSeedReport(results: ResultsFile): string {
  const mean = (name: string, variant: string) => {
    const all = results.cases.filter((c) => c.name === name && c.variant === variant);
    return all.length ? all[all.length - 1]!.latency.mean : undefined;
  };
  const ms = (v: number | undefined) => (v === undefined ? '-' : `${fmtMs(v)} ms`);
  const out = [`\nSeed 000 endpoints, measured (scale ${results.fingerprint.scale}) vs the seed's claim`];
  out.push(
    textTable(
      [{ header: 'endpoint' }, { header: 'seed', align: 'right' }, { header: 'seed after fix', align: 'right' }, { header: 'ours before', align: 'right' }, { header: 'ours after', align: 'right' }, { header: 'speedup [95% CI]', align: 'right' }, { header: 'index' }],
      ENDPOINTS.map((e) => {
        const name = e.case.name;
        const comparison = results.comparisons.find((c) => c.candidate === `${name}[after-fix]` && c.baseline === `${name}[before]`);
        const s = comparison?.speedup;
        return [
          e.path,
          `${e.seedMs} ms`,
          e.seedAfterMs ? `${e.seedAfterMs} ms` : '-',
          e.fix ? ms(mean(name, 'before')) : '-',
          ms(mean(name, 'after')),
          s ? `${s.estimate.toFixed(1)}x [${s.low.toFixed(1)}-${s.high.toFixed(1)}]` : '-',
          e.fix ? `${e.fix.index}${comparison ? (comparison.passed ? '' : ' (FAILED)') : ''}` : '',
        ];
      }),
    ),
  );
  out.push('seed figures are whole HTTP requests on its deployment; ours are the database work of each endpoint.');
  return out.join('\n');
}
