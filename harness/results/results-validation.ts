/**
 * The one schema every reader of a results file checks it against (gate, merge, report,
 * baseline update, run, and the parts a run merges), with zod. The TypeScript interfaces
 * in results-schema.ts stay the written contract; this schema follows them, and the
 * compile-time check at the bottom fails when a field the interfaces require is missing
 * here. Objects are loose: keys this version does not know pass through untouched (a new
 * field may be added within schemaVersion 1; docs/results-format.md).
 */
import { z } from 'zod';
import type { PlanTreeNode, ResultsFile, ResultsPart } from './results-schema.ts';

const text = z.string();
const num = z.number();
const count = z.number().int().nonnegative();
const params = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

const latencySchema = z.looseObject({ mean: num.nonnegative(), p50: num.nonnegative(), p99: num.nonnegative(), rme: num.nonnegative(), n: count });
const intervalSchema = z.looseObject({ estimate: num, low: num, high: num });
const buffersSchema = z.looseObject({ hit: count, read: count });

const planTreeSchema: z.ZodType<PlanTreeNode> = z.lazy(() =>
  z.looseObject({
    type: text,
    relation: text.optional(),
    index: text.optional(),
    rows: num.nonnegative(),
    loops: num.nonnegative().optional(),
    buffers: buffersSchema.optional(),
    children: z.array(planTreeSchema).optional(),
  }),
);

/** Optional (results before it was recorded lack it): what a dataset key was made of. */
const hashes = z.record(z.string(), z.string()).optional();
const datasetDetailsSchema = z.looseObject({
  schemaHash: text,
  fixtures: text,
  rows: z.record(z.string(), count),
  checksums: hashes,
  sources: hashes,
  libraries: hashes,
  versionKey: text.optional(),
  plannedWith: z.looseObject({ snapshot: text, capturedAt: text }).optional(),
});

/** The server's `server_version`, set on each result of a version-matrix run (`--pg`). */
const pgVersion = text.min(1).optional();

const serverSchema = z.looseObject({ version: text, provider: text, settings: z.record(z.string(), z.string()) });

const fingerprintSchema = z.looseObject({
  postgres: serverSchema,
  machine: z.looseObject({ cpuModel: text, cores: num, memoryGiB: num, platform: text }),
  node: text,
  packages: z.record(z.string(), z.string()),
  datasets: z.record(z.string(), z.string()),
  datasetDetails: z.record(z.string(), datasetDetailsSchema).optional(),
  scale: num.positive(),
  seed: num,
  gitCommit: text.nullable(),
  noise: z
    .looseObject({
      roundSpread: num.nullable(),
      loadStart: z.tuple([num, num, num]),
      loadEnd: z.tuple([num, num, num]),
      cores: num,
    })
    .optional(),
});

const caseSchema = z.looseObject({
  name: text.min(1),
  workload: text,
  variant: text,
  params,
  scale: num.positive(),
  cache: z.enum(['warm', 'cold']),
  latency: latencySchema,
  plan: z.looseObject({ nodes: z.array(text), indexes: z.array(text), seqScans: z.array(text), tree: planTreeSchema.optional() }).nullable(),
  buffers: buffersSchema.nullable(),
  rows: num.nullable(),
  pgVersion,
  sql: text.optional(),
  rounds: z.looseObject({ medians: z.array(num.nonnegative()), turns: z.array(num.int().nonnegative()).optional(), iterations: count.optional() }).optional(),
  file: text.optional(),
});

const comparisonSchema = z.looseObject({
  name: text.min(1),
  workload: text,
  baseline: text,
  candidate: text,
  scale: num.positive(),
  speedup: intervalSchema,
  threshold: num.nullable(),
  rounds: count,
  bufferRatio: num.nullable(),
  verdict: z.enum(['pass', 'fail', 'inconclusive']).nullable().optional(),
  confidence: num.optional(),
  roundSpread: num.nullable().optional(),
  passed: z.boolean(),
  failures: z.array(text),
  pgVersion,
  file: text.optional(),
});

const metricSchema = z.looseObject({ name: text.min(1), workload: text, value: num, unit: text, scale: num.positive(), params: params.optional(), pgVersion, file: text.optional() });

/** When a side of a compare measured (epoch ms), with the turn it held. */
const windowSchema = z.looseObject({ label: text, turn: count.optional(), start: num, end: num });

/** A test the server could not run (a feature, privilege or extension it lacks). */
const skippedSchema = z.looseObject({ name: text.min(1), workload: text, scale: num.positive(), reason: text, pgVersion });

export const resultsFileSchema = z.looseObject({
  schemaVersion: z.literal(1),
  createdAt: text,
  fingerprint: fingerprintSchema,
  cases: z.array(caseSchema),
  comparisons: z.array(comparisonSchema),
  metrics: z.array(metricSchema).default([]),
  skipped: z.array(skippedSchema).optional(),
  servers: z.array(serverSchema).optional(),
  measurements: z.array(windowSchema).optional(),
});

export const resultsPartSchema = z.looseObject({
  file: text,
  workload: text,
  datasetKey: text,
  dataset: datasetDetailsSchema.optional(),
  cases: z.array(caseSchema),
  comparisons: z.array(comparisonSchema),
  metrics: z.array(metricSchema).default([]),
  skipped: z.array(skippedSchema).optional(),
  measurements: z.array(windowSchema).optional(),
});

/** The schema as JSON Schema (draft 2020-12), as published in docs/results.schema.json. */
export function resultsJsonSchema(): Record<string, unknown> {
  return { title: 'schemabench results.json, schemaVersion 1', ...z.toJSONSchema(resultsFileSchema, { io: 'input' }) };
}

/** `cases[3].latency.p50` from zod's path. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}${out ? '.' : ''}${String(key)}`), '') || '(top level)';
}

/** The first problem of a parsed document, on one line: where it is and what was expected. */
export function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const message = issue.message.replace(/^Invalid input: /, '').replace(/\s+/g, ' ');
  return `${formatPath(issue.path)}: ${message}`;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; problem: string };

export function validateResultsFile(document: unknown): ValidationResult<ResultsFile> {
  const parsed = resultsFileSchema.safeParse(document);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: firstProblem(parsed.error) };
}

export function validateResultsPart(document: unknown): ValidationResult<ResultsPart> {
  const parsed = resultsPartSchema.safeParse(document);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: firstProblem(parsed.error) };
}

// Compile-time: what the schema lets through is a ResultsFile / ResultsPart. A field added
// to the interfaces as required but not to this schema is a type error here.
type Assignable<T extends U, U> = T;
export type ValidatedResultsFile = Assignable<z.output<typeof resultsFileSchema>, ResultsFile>;
export type ValidatedResultsPart = Assignable<z.output<typeof resultsPartSchema>, ResultsPart>;
