/**
 * Reading a results file, the one reader of every command (gate, compare, merge, report,
 * baseline update): every problem is one line naming the file and the first thing wrong
 * in it (a UsageError, exit 2), never a stack trace. The content is checked against the
 * one schema (results-validation.ts), then for what a schema cannot say: every name is
 * measured once (unique-names.ts), and every comparison's cases are in the file.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import { caseId, RESULTS_SCHEMA_VERSION, type ResultsFile, type ResultsPart } from './results-schema.ts';
import { validateResultsFile, validateResultsPart, type ValidationResult } from './results-validation.ts';
import { assertUniqueNames } from './unique-names.ts';

/** The reason JSON.parse gave, on one line, without echoing the file's bytes back. */
function jsonProblem(error: unknown, length: number): string {
  const message = (error as Error).message;
  const position = /position (\d+)/.exec(message);
  if (/Unexpected end of JSON input/.test(message) || (position && Number(position[1]) >= length)) return 'truncated: the document ends early';
  return position ? `unexpected character at position ${position[1]}` : 'unexpected character';
}

function parseJson(path: string, label: string): unknown {
  if (!existsSync(path)) throw new UsageError(`${label}${path}: no such file`);
  if (!statSync(path).isFile()) throw new UsageError(`${label}${path}: not a file`);
  const text = readFileSync(path, 'utf8');
  if (!text.trim()) throw new UsageError(`${label}${path}: empty file, expected a schemabench results file`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${label}${path}: not valid JSON (${jsonProblem(error, text.length)})`);
  }
}

const describe = (value: unknown) => (Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`);

function checked<T>(path: string, label: string, document: unknown, validate: (d: unknown) => ValidationResult<T>): T {
  if (!document || typeof document !== 'object' || Array.isArray(document)) {
    throw new UsageError(`${label}${path}: not a schemabench results file (expected an object, got ${describe(document)})`);
  }
  const result = validate(document);
  if (!result.ok) throw new UsageError(`${label}${path}: invalid results file at ${result.problem}`);
  return result.value;
}

/** A results.json given to a command; `option` names where it came from (`--baseline`, `merge`). */
export function loadResults(path: string | undefined, option: string): ResultsFile {
  if (!path) throw new UsageError(`${option} FILE is required`);
  const label = `${option} `;
  const document = parseJson(path, label);
  const version = (document as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (document && typeof document === 'object' && !Array.isArray(document)) {
    if (version === undefined) throw new UsageError(`${label}${path}: not a schemabench results file (no schemaVersion)`);
    if (version !== RESULTS_SCHEMA_VERSION) throw new UsageError(`${label}${path}: results schemaVersion ${JSON.stringify(version)}; this schemabench reads ${RESULTS_SCHEMA_VERSION}`);
  }
  const file = checked(path, label, document, validateResultsFile);
  const problem = consistencyProblem(file, path);
  if (problem) throw new UsageError(`${label}${path}: ${problem}`);
  return file;
}

/** What is wrong across entries of a valid file: a name measured twice, a comparison of cases the file does not have. */
export function consistencyProblem(file: ResultsFile, source: string): string | undefined {
  try {
    assertUniqueNames([{ source, ...file }]);
  } catch (error) {
    return (error as Error).message;
  }
  const key = (workload: string, id: string, scale: number, pg: string | undefined) => `${workload}|${id}|${scale}|${pg ?? ''}`;
  const cases = new Set(file.cases.map((c) => key(c.workload, caseId(c), c.scale, c.pgVersion)));
  for (const c of file.comparisons) {
    const missing = [c.baseline, c.candidate].find((id) => !cases.has(key(c.workload, id, c.scale, c.pgVersion)));
    if (missing) return `comparison ${c.name} at scale ${c.scale} names case ${missing}, which the file does not have`;
  }
  return undefined;
}

/** A part file a benchmark file wrote during a run (merged by the run's teardown). */
export function loadPart(path: string): ResultsPart {
  return checked(path, 'result part ', parseJson(path, 'result part '), validateResultsPart);
}
