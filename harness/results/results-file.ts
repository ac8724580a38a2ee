/** Merging a run's part files into results.json, and reading it back. */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { currentRun } from '../run-descriptor.ts';
import { loadPart, loadResults } from './load-results.ts';
import { RESULTS_SCHEMA_VERSION, type Fingerprint, type ResultsFile, type ResultsPart } from './results-schema.ts';
import { assertUniqueNames } from './unique-names.ts';

/** Where a run's benchmark files leave their result parts (merged at the end of the run). */
export function partsDirectory(outDir = currentRun().outDir): string {
  return resolve(outDir, 'parts');
}

export function readParts(partsDir: string): ResultsPart[] {
  if (!existsSync(partsDir)) return [];
  return readdirSync(partsDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => loadPart(join(partsDir, f)));
}

export function clearParts(partsDir: string): void {
  rmSync(partsDir, { recursive: true, force: true });
}

/** One results file from a run's parts; a name measured by two benchmark files is refused, naming both. */
export function mergeParts(parts: ResultsPart[], fingerprint: Omit<Fingerprint, 'datasets' | 'datasetDetails'>): ResultsFile {
  assertUniqueNames(parts.map((p) => ({ ...p, source: p.file })));
  const details = parts.filter((p) => p.dataset).map((p) => [p.workload, p.dataset!] as const);
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    fingerprint: {
      ...fingerprint,
      datasets: Object.fromEntries(parts.map((p) => [p.workload, p.datasetKey])),
      ...(details.length ? { datasetDetails: Object.fromEntries(details) } : {}),
    },
    cases: parts.flatMap((p) => p.cases),
    comparisons: parts.flatMap((p) => p.comparisons),
    metrics: parts.flatMap((p) => p.metrics ?? []),
    loads: parts.flatMap((p) => p.loads ?? []),
    ...(parts.some((p) => p.skipped?.length) ? { skipped: parts.flatMap((p) => p.skipped ?? []) } : {}),
    ...(parts.some((p) => p.measurements?.length) ? { measurements: parts.flatMap((p) => p.measurements ?? []) } : {}),
  };
}

export function writeResults(path: string, results: ResultsFile): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}

/** A run's results.json, checked like any results file (exit 2 with one line when it is not one). */
export function readResults(path: string): ResultsFile {
  return loadResults(path, 'results');
}
