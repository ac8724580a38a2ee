/**
 * The machine's temp directory, as the process that started the run sees it. A child
 * that `schemabench` supervises gets a private TMPDIR (harness/cli/private-temp-dir.ts),
 * so that what vitest writes there is removed with the child; what must outlive the
 * child or be found by the next run's reapers (the binary cache, embedded clusters)
 * stays here.
 */
import { tmpdir } from 'node:os';
import { handedRun } from './run-descriptor.ts';

/** The machine's temp directory: the run descriptor's when the CLI started this process, else TMPDIR's. */
export function systemTempDir(): string {
  return handedRun()?.systemTmpDir || tmpdir();
}
