/** Results of one server in a version matrix (`run --pg`, `compare --pg`), each tagged with that server's version. */
import type { ResultsFile } from './results-schema.ts';

/** Every result of one major's run carries its server version. */
export function tagWithVersion(results: ResultsFile): ResultsFile {
  const pgVersion = results.fingerprint.postgres.version;
  const tag = <T extends object>(items: T[] | undefined) => items?.map((item) => ({ ...item, pgVersion }));
  return {
    ...results,
    cases: tag(results.cases)!,
    comparisons: tag(results.comparisons)!,
    metrics: tag(results.metrics ?? [])!,
    ...(results.loads ? { loads: tag(results.loads) } : {}),
    ...(results.skipped ? { skipped: tag(results.skipped) } : {}),
    servers: [results.fingerprint.postgres],
  };
}
