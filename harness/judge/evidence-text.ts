/**
 * The evidence behind a change, as plain text parts (renderers escape and join them):
 * plan nodes, indexes and seq scans before -> after, shared buffers, rows, the SQL when it
 * changed, and the latency ratio head / base with its interval. Only what differs is
 * named; the latency ratio is always given when the case was paired.
 */
import { fmtInt, fmtMs } from '../report/text-table.ts';
import type { Interval } from '../results/results-schema.ts';
import { predicted, type CaseDiff, type CaseFacts, type CostForecast, type ForecastPoint, type MigrationForecast, type Side, type ComparisonDiff, type LatencyRatio, type MigrationTrace } from './evidence.ts';
import type { LatencyFamily } from './latency-family.ts';
import { holdText, strongestLocks } from './strongest-locks.ts';

/** Longest SQL shown in a change, characters: a whole statement belongs in the files, not a table cell. */
export const SQL_SHOWN = 240;

/** A ratio's number: 1.34, 16.20, 1,340, 0.053 (two significant digits below 0.1). */
const fmtRatio = (v: number) => (!Number.isFinite(v) ? String(v) : Math.abs(v) >= 100 ? fmtInt(v) : Math.abs(v) >= 0.1 || v === 0 ? v.toFixed(2) : v.toPrecision(2));

/** A ratio or speedup: 1.34x, 16.20x, 1,340x. */
export const fmtX = (v: number) => `${fmtRatio(v)}x`;

/** An estimate with its interval: `1.34x [1.28, 1.41]`. */
export const intervalText = (i: Interval) => `${fmtX(i.estimate)} [${fmtRatio(i.low)}, ${fmtRatio(i.high)}]`;

/** A confidence with the digits that tell it from 100%: `95%`, `99.3%`, `99.937%`. */
export function confidenceText(c: number): string {
  const digits = Math.min(6, Math.max(1, Math.ceil(-Math.log10(1 - c)) - 1));
  return `${+(c * 100).toFixed(digits)}%`;
}

/** The latency ratio head / base: `1.34x [1.28, 1.41]` (its confidence when not 0.95). */
export function latencyText(r: LatencyRatio): string {
  const confidence = Math.abs(r.confidence - 0.95) < 1e-9 ? '' : ` (${confidenceText(r.confidence)})`;
  // Below 1 head is faster: 0.053x reads better as 18.87x faster.
  const faster = r.estimate > 0 && r.estimate < 1 ? ` (${fmtX(1 / r.estimate)} faster)` : '';
  return `${intervalText(r)}${confidence}${faster}`;
}

/** How the run's latency ratios were judged together: ` (78 cases together: intervals at 99.936%, between-side spread 0.10 (0.06 measured))`. */
export function latencyFamilyText(f: LatencyFamily | null): string {
  if (!f?.cases) return '';
  const measured = f.measuredSpread === null ? '' : ` (${f.measuredSpread.toFixed(2)} measured)`;
  return ` (${f.cases} ${f.cases === 1 ? 'case' : 'cases'} together: intervals at ${confidenceText(f.confidence)}, between-side spread ${f.sideSpread.toFixed(2)}${measured})`;
}

/** Text cut to `max` characters, with an ellipsis when it was longer. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

const list = (xs: string[]) => (xs.length ? xs.join(', ') : 'none');
const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
/** Node types once each, in plan order (a Nested Loop over two Index Scans shows one Index Scan). */
const nodes = (plan: NonNullable<CaseFacts['plan']>) => [...new Set(plan.nodes)];

/** A case's plan in one line: `Hash Join > Seq Scan (carts_user_id_idx)`. */
export function planText(plan: CaseFacts['plan']): string {
  if (!plan) return 'no plan';
  return `${nodes(plan).join(' > ')}${plan.indexes.length ? ` (${plan.indexes.join(', ')})` : ''}`;
}

/** p50 base -> head, ms: `0.21 -> 3.40 ms`; a side that has no case shows `-`. */
export function latencyChange(diff: CaseDiff): string {
  const side = (f: CaseFacts | undefined) => (f ? fmtMs(f.p50) : '-');
  return `${side(diff.base)} -> ${side(diff.head)} ms`;
}

/** What one side measured, for a case only that side has. */
function factsText(f: CaseFacts): string[] {
  return [`plan ${planText(f.plan)}`, `buffers ${f.buffers === null ? '-' : fmtInt(f.buffers)}`, `rows ${f.rows === null ? '-' : fmtInt(f.rows)}`];
}

/** The evidence of a case, what differs only (a case of one side: that side's facts). */
export function caseEvidence(diff: CaseDiff): string[] {
  const { base, head } = diff;
  if (!base || !head) {
    const only = base ?? head;
    return only ? [`${base ? 'base only' : 'head only'}: ${factsText(only).join(', ')}`] : [];
  }
  const parts: string[] = [];
  if (base.plan && head.plan) {
    if (!same(base.plan.indexes, head.plan.indexes)) parts.push(`indexes ${list(base.plan.indexes)} -> ${list(head.plan.indexes)}`);
    if (!same(base.plan.seqScans, head.plan.seqScans)) parts.push(`seq scans ${list(base.plan.seqScans)} -> ${list(head.plan.seqScans)}`);
    if (!same(nodes(base.plan), nodes(head.plan))) parts.push(`plan ${nodes(base.plan).join(' > ')} -> ${nodes(head.plan).join(' > ')}`);
  } else if (base.plan || head.plan) {
    parts.push(`plan ${planText(base.plan)} -> ${planText(head.plan)}`);
  }
  if (base.buffers !== head.buffers) parts.push(`buffers ${base.buffers === null ? '-' : fmtInt(base.buffers)} -> ${head.buffers === null ? '-' : fmtInt(head.buffers)}`);
  if (base.rows !== head.rows) parts.push(`rows ${base.rows === null ? '-' : fmtInt(base.rows)} -> ${head.rows === null ? '-' : fmtInt(head.rows)}`);
  if ((base.sql ?? '') !== (head.sql ?? '')) parts.push(`sql ${clip(base.sql ?? '-', SQL_SHOWN)} -> ${clip(head.sql ?? '-', SQL_SHOWN)}`);
  if (diff.latency) parts.push(`latency ${latencyText(diff.latency)}`);
  return parts;
}

/** How a comparison side ended: its verdict, FAIL when the test failed for another reason. */
export function sideVerdict(side: NonNullable<ComparisonDiff['base']>): string {
  if (!side.verdict) return side.passed ? 'pass' : 'FAIL';
  if (side.verdict === 'inconclusive') return side.passed ? 'inconclusive' : 'INCONCLUSIVE (below bar): FAIL';
  return side.passed ? side.verdict : 'FAIL';
}

/** One side of a comparison: `15.36x [14.14, 16.69] pass`, or `-` when that side does not have it. */
export function comparisonSide(side: ComparisonDiff['base']): string {
  return side ? `${intervalText(side.speedup)} ${sideVerdict(side)}` : '-';
}

/** The required speedup: `>= 10x`, or `reported` when the comparison only reports. */
export const requiredText = (threshold: number | null) => (threshold === null ? 'reported' : `>= ${fmtX(threshold)}`);

/** Short commits as the reports print them (git's 7 are ambiguous in large repositories). */
export const SHORT_COMMIT = 12;

/** `origin/main 0123456789ab`, `working tree 0123456789ab (uncommitted changes)`. */
export function sideText(side: Side): string {
  const commit = side.commit.slice(0, SHORT_COMMIT);
  return `${side.ref}${side.ref === side.commit || side.ref === commit ? '' : ` ${commit}`}${side.dirty ? ' (uncommitted changes)' : ''}`;
}

/** `1m 23s`, `45.2 s`, `850 ms`. */
export function durationText(ms: number): string {
  if (ms < 1000) return `${fmtMs(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

/** Milliseconds of a migration: `1,834 ms`, `4.00 ms`, `0 ms`. */
export const msText = (ms: number) => `${ms === 0 ? '0' : ms >= 1000 ? fmtInt(ms) : fmtMs(ms)} ms`;

/** `receipts AccessExclusiveLock 1,200 ms, vendors ShareLock ≤ 12 ms, products RowExclusiveLock < 5 ms`; `none` when no user table was locked. */
export function locksText(m: MigrationTrace): string {
  const locks = strongestLocks(m.locks);
  return locks.length ? locks.map((l) => `${l.table} ${l.mode} ${holdText(l, m.samplingMs)}`).join(', ') : 'none';
}

/** A migration's name: `receipts/0003_add_loyalty.sql`. */
export const migrationName = (m: MigrationTrace) => `${m.workload}/${m.file}`;

/** Why a migration is flagged: its flags, and its error when it failed. */
export const migrationFlags = (m: MigrationTrace) => [...m.flags, ...(m.error !== undefined && !m.flags.some((f) => f.includes(m.error!)) ? [`failed: ${m.error}`] : [])];

/** `embedded, PostgreSQL 17.10`, or why no server was started (compare measured nothing). */
export const serverText = (server: { provider: string; version: string }) => (server.provider === 'none' ? 'none started: nothing the change can move is measured' : `${server.provider}, PostgreSQL ${server.version}`);

/** What a forecast counts: milliseconds or rows. */
export type ForecastUnit = 'ms' | 'rows';

const forecastValue = (v: number, unit: ForecastUnit) => (!Number.isFinite(v) ? '∞' : unit === 'rows' ? fmtInt(v) : durationText(v));

/** `6.0 s [4.1 s, 8.7 s]`; the estimate alone when the interval is that point (rows counted exactly). */
export function predictionText(p: Extract<CostForecast, { estimate: number }>, unit: ForecastUnit): string {
  const v = (x: number) => forecastValue(x, unit);
  return p.low === p.high ? v(p.estimate) : `${v(p.estimate)} [${v(p.low)}, ${v(p.high)}]`;
}

/** A prediction, or `not predicted (why)`. */
export const costForecastText = (f: CostForecast, unit: ForecastUnit) => (predicted(f) ? predictionText(f, unit) : `not predicted (${f.unavailable})`);

/** Where a forecast predicts: `production size (fixtures/receipts/production-stats.json, captured 2026-12-01)` or `scale 10 (no statistics snapshot)`. */
export function forecastAtText(f: MigrationForecast): string {
  return f.at.source === 'snapshot' ? `production size (${f.at.file}, captured ${f.at.capturedAt.slice(0, 10)})` : `scale ${f.at.scale} (no statistics snapshot: a guess of production's size, not flagged)`;
}

/** `fitted over scales 0.1, 0.3, 1, 2 runs each; 95% prediction intervals` */
export function forecastFitText(f: MigrationForecast): string {
  const confidence = [f.duration, ...f.locks.map((l) => l.held)].find(predicted)?.confidence ?? 0.95;
  return `fitted over scales ${f.scales.join(', ')}, ${f.runs} run${f.runs === 1 ? '' : 's'} each; ${+(confidence * 100).toFixed(1)}% prediction intervals`;
}

/** The predictions: duration, each table's strongest lock held, rows touched, rewrites. */
export function forecastFacts(f: MigrationForecast): string[] {
  const rows = (n: number | null) => (n === null ? '' : ` (${fmtInt(n)} rows)`);
  return [
    `duration ${costForecastText(f.duration, 'ms')}${predicted(f.duration) ? rows(f.duration.rows) : ''}`,
    ...f.locks.map((l) => `${l.table} ${l.mode} held ${costForecastText(l.held, 'ms')}`),
    `rows touched ${costForecastText(f.rowsTouched, 'rows')}`,
    ...(f.rewrites.length ? [`rewrites ${f.rewrites.map((r) => `${r.table}${rows(r.rows)}`).join(', ')}`] : []),
    ...f.notes,
  ];
}

const pointValue = (v: number, unit: ForecastUnit) => (unit === 'rows' || v >= 10 ? fmtInt(v) : fmtMs(v));

/** A cost's points by scale: `0.1 (10,000 rows) 86, 77 ms; 0.3 (30,000 rows) 176, 233 ms`. */
export function forecastPointsText(points: ForecastPoint[], unit: ForecastUnit): string {
  const scales = [...new Set(points.map((p) => p.scale))].sort((a, b) => a - b);
  return scales
    .map((scale) => {
      const at = points.filter((p) => p.scale === scale);
      const sizes = [...new Set(at.map((p) => p.rows))].map(fmtInt).join('/');
      return `${scale} (${sizes} rows) ${at.map((p) => pointValue(p.value, unit)).join(', ')}${unit === 'ms' ? ' ms' : ''}`;
    })
    .join('; ');
}

/** The points fitted: the duration's and the strongest lock's (when they have any). */
export function forecastPoints(f: MigrationForecast): string[] {
  const lock = f.locks[0];
  return [
    ...(f.duration.points.length ? [`duration at ${forecastPointsText(f.duration.points, 'ms')}`] : []),
    ...(lock?.held.points.length ? [`${lock.table} ${lock.mode} held at ${forecastPointsText(lock.held.points, 'ms')}`] : []),
  ];
}
