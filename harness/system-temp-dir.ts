/**
 * The machine's temp directory, as the process that started the run sees it. A child
 * that `schemabench` supervises gets a private TMPDIR (harness/cli/private-temp-dir.ts),
 * so that what vitest writes there is removed with the child; what must outlive the
 * child or be found by the next run's reapers (the binary cache, embedded clusters)
 * stays here.
 */
import { tmpdir } from 'node:os';

export const SYSTEM_TMPDIR_ENV = 'SCHEMABENCH_SYSTEM_TMPDIR';

export function systemTempDir(): string {
  return process.env[SYSTEM_TMPDIR_ENV] || tmpdir();
}
