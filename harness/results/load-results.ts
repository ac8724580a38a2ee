/** Reading a results file given on the command line: every problem is a one-line usage error (exit 2). */
import { existsSync, readFileSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import { RESULTS_SCHEMA_VERSION, type ResultsFile } from './results-schema.ts';

export function loadResults(path: string | undefined, option: string): ResultsFile {
  if (!path) throw new UsageError(`${option} FILE is required`);
  if (!existsSync(path)) throw new UsageError(`${option} ${path}: no such file`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`${option} ${path}: not valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const file = parsed as Partial<ResultsFile>;
  if (!file || typeof file !== 'object' || file.schemaVersion === undefined) throw new UsageError(`${option} ${path}: not a schemabench results file (no schemaVersion)`);
  if (file.schemaVersion !== RESULTS_SCHEMA_VERSION) {
    throw new UsageError(`${option} ${path}: results schemaVersion ${file.schemaVersion}; this schemabench reads ${RESULTS_SCHEMA_VERSION}`);
  }
  if (!Array.isArray(file.cases) || !Array.isArray(file.comparisons) || !file.fingerprint) {
    throw new UsageError(`${option} ${path}: incomplete results file (cases, comparisons and fingerprint are required)`);
  }
  return { ...file, metrics: file.metrics ?? [] } as ResultsFile;
}
