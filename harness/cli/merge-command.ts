/** `schemabench merge --out FILE A.json B.json ...`: one results.json from shards of a run. */
import { UsageError } from '../errors.ts';
import { checkFileDestination, writeFailure } from '../output-destination.ts';
import { parseArgs } from 'node:util';

export const MERGE_USAGE = `schemabench merge --out FILE RESULTS.json [RESULTS.json ...]
  Merge the results of shards (schemabench run --shard i/n on several machines) into one file.`;

/** The arguments as typed, checked before the results schema (zod) loads: --out and the files to merge. */
export function parseMergeArguments(args: string[]): { out: string; files: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { out: { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`schemabench merge: ${(error as Error).message.split('\n')[0]}`);
  }
  const { values, positionals } = parsed;
  if (values.out === undefined) throw new UsageError('merge: --out FILE is required');
  return { out: values.out, files: positionals };
}

export async function mergeCommand({ out: outArg, files: positionals }: ReturnType<typeof parseMergeArguments>): Promise<number> {
  const out = checkFileDestination('--out', outArg);
  if (positionals.length < 1) throw new UsageError('merge: give at least one results file');
  const [{ mergeResults }, { loadResults }, { writeResults }] = await Promise.all([import('../results/merge-results.ts'), import('../results/load-results.ts'), import('../results/results-file.ts')]);
  const merged = mergeResults(positionals.map((p) => loadResults(p, 'merge')), positionals);
  try {
    writeResults(out, merged);
  } catch (error) {
    throw writeFailure('--out', out, error);
  }
  process.stdout.write(`merged ${positionals.length} files: ${merged.cases.length} cases, ${merged.comparisons.length} comparisons -> ${out}\n`);
  return 0;
}
