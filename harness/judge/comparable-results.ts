/**
 * Whether a baseline and results can be judged across runs (gate), and which workloads:
 * another seed or scale is bad input (every row differs); workloads of the baseline that
 * the results do not cover are not judged (a run of one workload), and said so.
 */
import { UsageError } from '../errors.ts';
import type { ResultsFile } from '../results/results-schema.ts';

/** The workloads a results file covers: those whose suites ran, and those it has results of. */
export function workloadsOf(file: ResultsFile): Set<string> {
  const named = [...file.cases, ...file.comparisons, ...(file.metrics ?? []), ...(file.loads ?? [])].map((r) => r.workload);
  return new Set([...Object.keys(file.fingerprint.datasets ?? {}), ...named]);
}

/** The workloads to judge: those of the baseline the results cover. Throws UsageError (exit 2) when the files cannot be compared. */
export function comparableWorkloads(baseline: ResultsFile, results: ResultsFile): Set<string> {
  if (baseline.fingerprint.seed !== results.fingerprint.seed) {
    throw new UsageError(`gate: baseline seed ${baseline.fingerprint.seed} vs results seed ${results.fingerprint.seed}: compare runs of the same seed`);
  }
  const covered = workloadsOf(results);
  const inBaseline = workloadsOf(baseline);
  const judged = new Set([...inBaseline].filter((w) => covered.has(w)));
  if (!judged.size && inBaseline.size && covered.size) {
    throw new UsageError(`gate: no workload in common: the baseline has ${[...inBaseline].sort().join(', ')}, the results ${[...covered].sort().join(', ')}`);
  }
  // The run's scale must match; scaling() cases at other scales are cases like any other
  // (missing when a filtered run left them out), unless no scale is shared at all.
  const scales = (f: ResultsFile) => [...new Set(f.cases.filter((c) => judged.has(c.workload)).map((c) => c.scale))].sort();
  const [before, after] = [scales(baseline), scales(results)];
  if (before.length && after.length && (baseline.fingerprint.scale !== results.fingerprint.scale || !before.some((s) => after.includes(s)))) {
    throw new UsageError(`gate: baseline was measured at scale ${before.join(',')}, results at scale ${after.join(',')}: compare runs of the same scales`);
  }
  return judged;
}

/** One line per baseline workload the results do not cover. */
export function notJudgedLines(baseline: ResultsFile, judged: ReadonlySet<string>): string[] {
  const lines: string[] = [];
  for (const workload of [...workloadsOf(baseline)].filter((w) => !judged.has(w)).sort()) {
    const n = (items: { workload: string }[], noun: string) => {
      const k = items.filter((t) => t.workload === workload).length;
      return `${k} ${noun}${k === 1 ? '' : 's'}`;
    };
    lines.push(`not judged: workload ${workload} is not in the results (${n(baseline.cases, 'case')}, ${n(baseline.comparisons, 'comparison')}, ${n(baseline.metrics ?? [], 'metric')} of the baseline)`);
  }
  return lines;
}

/** A results file with only the workloads in `keep`. */
export function onlyWorkloads(file: ResultsFile, keep: ReadonlySet<string>): ResultsFile {
  const only = <T extends { workload: string }>(items: T[] | undefined) => (items ?? []).filter((t) => keep.has(t.workload));
  return { ...file, cases: only(file.cases), comparisons: only(file.comparisons), metrics: only(file.metrics), loads: only(file.loads) };
}
