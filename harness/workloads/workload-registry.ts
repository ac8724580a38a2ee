/** The workloads this build knows, by name; a const list drives CLI validation and suites. */
import { receiptsWorkload } from '../../fixtures/receipts/receipts-workload.ts';
import { storeWorkload } from '../../fixtures/store/store-workload.ts';
import { UsageError } from '../errors.ts';
import type { Workload } from './workload.ts';

export const WORKLOADS: readonly Workload[] = [receiptsWorkload, storeWorkload];
export const WORKLOAD_NAMES = WORKLOADS.map((w) => w.name);

export function getWorkload(name: unknown): Workload {
  const found = WORKLOADS.find((w) => w.name === name);
  if (!found) throw new UsageError(`--workload must be one of ${WORKLOAD_NAMES.join(', ')} (got ${JSON.stringify(name)})`);
  return found;
}
