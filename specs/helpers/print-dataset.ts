/**
 * Child process for dataset-key specs: in the project its run descriptor names, prints the
 * dataset key of argv workload at argv scale and seed, its pre-content version key and
 * its details. With a ServerRef as JSON in argv[5], builds the dataset there first, so the
 * details carry the checksums of what was loaded.
 */
import { datasetDetails, datasetKey, ensureDataset, versionKey } from '../../harness/fixtures/dataset-cache.ts';
import type { ServerRef } from '../../harness/postgres/pg-server.ts';
import { loadWorkload } from '../../harness/workloads/load-workload.ts';

const [name, scale, seed, server] = process.argv.slice(2) as [string, string, string, string | undefined];
const request = { workload: await loadWorkload(name), scale: Number(scale), seed: Number(seed) };
const dataset = server ? await ensureDataset(JSON.parse(server) as ServerRef, request) : undefined;
process.stdout.write(`${JSON.stringify({ key: datasetKey(request), versionKey: versionKey(request), details: datasetDetails(request, dataset), built: Boolean(dataset?.built) })}\n`);
