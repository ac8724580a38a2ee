/**
 * `schemabench gate`: its usage, its options and the checks of what was typed, in a module
 * that loads nothing heavy (the judging is judge-against-baseline.ts): bad arguments are
 * one line and exit 2 before the judge, the reports and TypeScript's loader load; the
 * files themselves are read and checked by the judging.
 */
import { UsageError } from '../errors.ts';
import { parseCommandLine } from './parse-command-line.ts';

export const GATE_USAGE = `schemabench gate --baseline FILE --results FILE [--latency auto|off] [--json] [--markdown FILE] [--report DIR]
  Judge a run against a baseline by the same rules as compare: plans, buffers, rows and sizes strictly (also
  when a dataset changed), speedups with a noise-aware test on the same server (provider, version, settings),
  latencies only on the same machine (auto) or never (off). Workloads the results do not cover are not judged.
  Exit 0 pass, 1 regression (or a comparison failing in both files), 2 bad input.
  --markdown FILE writes the verdict as markdown; --report DIR writes the reports with the verdict first (and
  appends report.md to $GITHUB_STEP_SUMMARY).`;

const GATE_OPTIONS = {
  baseline: { type: 'string' },
  results: { type: 'string' },
  latency: { type: 'string', default: 'auto' },
  json: { type: 'boolean', default: false },
  markdown: { type: 'string' },
  report: { type: 'string' },
} as const;

export type GateValues = ReturnType<typeof parseCommandLine<typeof GATE_OPTIONS>> & { baseline: string; results: string; latency: 'auto' | 'off' };

/** The arguments as typed, checked on their own; the files are read (and checked) by the judging. */
export function parseGateArguments(args: string[]): GateValues {
  const values = parseCommandLine('gate', args, GATE_OPTIONS);
  if (!values.baseline) throw new UsageError('--baseline FILE is required');
  if (!values.results) throw new UsageError('--results FILE is required');
  if (values.latency !== 'auto' && values.latency !== 'off') throw new UsageError(`--latency must be auto or off (got ${JSON.stringify(values.latency)})`);
  return { ...values, baseline: values.baseline, results: values.results, latency: values.latency };
}

export async function gateCommand(values: GateValues): Promise<number> {
  const { judgeAgainstBaseline } = await import('./judge-against-baseline.ts');
  return judgeAgainstBaseline(values);
}
