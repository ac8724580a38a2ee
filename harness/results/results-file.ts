/** Merging a run's part files into results.json, and reading it back. */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { resolveConfig } from '../config.ts';
import { projectRoot } from '../project-root.ts';
import { RESULTS_SCHEMA_VERSION, type Fingerprint, type ResultsFile, type ResultsPart } from './results-schema.ts';

/** Where a run's benchmark files leave their result parts (merged at the end of the run). */
export function partsDirectory(outDir = resolveConfig().outDir): string {
  return resolve(projectRoot(), outDir, 'parts');
}

export function readParts(partsDir: string): ResultsPart[] {
  if (!existsSync(partsDir)) return [];
  return readdirSync(partsDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(partsDir, f), 'utf8')) as ResultsPart);
}

export function clearParts(partsDir: string): void {
  rmSync(partsDir, { recursive: true, force: true });
}

export function mergeParts(parts: ResultsPart[], fingerprint: Omit<Fingerprint, 'datasets'>): ResultsFile {
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    fingerprint: { ...fingerprint, datasets: Object.fromEntries(parts.map((p) => [p.workload, p.datasetKey])) },
    cases: parts.flatMap((p) => p.cases),
    comparisons: parts.flatMap((p) => p.comparisons),
    metrics: parts.flatMap((p) => p.metrics ?? []),
    ...(parts.some((p) => p.skipped?.length) ? { skipped: parts.flatMap((p) => p.skipped ?? []) } : {}),
  };
}

export function writeResults(path: string, results: ResultsFile): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}

export function readResults(path: string): ResultsFile {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as ResultsFile;
  if (parsed.schemaVersion !== RESULTS_SCHEMA_VERSION) {
    throw new Error(`${path}: results schemaVersion ${parsed.schemaVersion}, this schemabench reads ${RESULTS_SCHEMA_VERSION}`);
  }
  return parsed;
}
