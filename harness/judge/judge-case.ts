/**
 * The rules for a case measured on both sides, the same in both modes: its plan, shared
 * buffers, rows and SQL are deterministic on the same data and settings, so they are
 * compared strictly and judged by what they cost (judge-rules.ts):
 * - an index the base plan used is gone while head touches no fewer buffers: regression;
 * - a sequential scan gained on a table of `seqScanMinRows` or more: regression;
 * - shared buffers above base's times `bufferTolerance` and by `minBufferDelta`: regression;
 * - other rows from the same SQL on the same data (the answer changed): regression;
 *   with other SQL or another dataset, evidence;
 * - a plan of another shape that costs no more, new SQL, an index gained: evidence.
 * Latency is judged by the mode: a paired ratio (compare) or medians on the same machine (gate).
 */
import { fmtInt } from '../report/text-table.ts';
import type { CaseDiff, CaseFacts, LatencyRatio } from './evidence.ts';
import { clip, fmtX, latencyText, planText, SQL_SHOWN } from './evidence-text.ts';
import type { Finding, FindingKind, Severity } from './finding.ts';
import type { JudgeRules } from './judge-rules.ts';

/** What a rule returns; the judge adds the subject and the cause. */
export type Found = Pick<Finding, 'kind' | 'severity' | 'message' | 'evidence'>;

export const found = (kind: FindingKind, severity: Severity, message: string, evidence: string[] = []): Found => ({ kind, severity, message, evidence });

const list = (xs: string[]) => [...xs].sort().join(', ');
const count = (n: number | null | undefined) => (n === null || n === undefined ? '-' : fmtInt(n));

export interface CaseContext {
  rules: JudgeRules;
  /** Rows of a table in head's dataset (unknown: +Infinity, a table with rows). */
  tableRows: (table: string) => number;
  /** Both sides loaded the same rows (same dataset key, or content identical). */
  sameData: boolean;
}

function planFindings(b: CaseFacts, h: CaseFacts, ctx: CaseContext): Found[] {
  if (!b.plan || !h.plan) return [];
  const [bp, hp] = [b.plan, h.plan];
  const out: Found[] = [];
  const plans = [`plan ${planText(bp)} -> ${planText(hp)}`, `buffers ${count(b.buffers)} -> ${count(h.buffers)}`];
  const lost = bp.indexes.filter((i) => !hp.indexes.includes(i));
  const gained = hp.indexes.filter((i) => !bp.indexes.includes(i));
  const fewerBuffers = b.buffers !== null && h.buffers !== null && h.buffers < b.buffers;
  if (lost.length) {
    const instead = gained.length ? ` (uses ${list(gained)} instead)` : '';
    out.push(found('index-lost', fewerBuffers ? 'change' : 'regression', `no longer uses ${list(lost)}${instead}${fewerBuffers ? ', with fewer buffers' : ''}`, plans));
  } else if (gained.length) {
    out.push(found('index-gained', 'improvement', `now uses ${list(gained)}`, plans));
  }
  const newScans = hp.seqScans.filter((t) => !bp.seqScans.includes(t));
  const big = newScans.filter((t) => ctx.tableRows(t) >= ctx.rules.seqScanMinRows);
  const rows = (t: string) => (Number.isFinite(ctx.tableRows(t)) ? `${fmtInt(ctx.tableRows(t))} rows` : 'rows unknown');
  if (big.length) out.push(found('seq-scan-gained', 'regression', `sequential scan of ${big.map((t) => `${t} (${rows(t)})`).join(', ')}`, plans));
  const gone = bp.seqScans.filter((t) => !hp.seqScans.includes(t));
  if (gone.length) out.push(found('seq-scan-lost', 'improvement', `no sequential scan of ${list(gone)} any more`, plans));
  const small = newScans.filter((t) => !big.includes(t));
  const shapeChanged = bp.nodes.join() !== hp.nodes.join();
  if (!out.length && (shapeChanged || small.length)) {
    const why = small.length ? `sequential scan of ${small.map((t) => `${t} (${rows(t)}, under ${fmtInt(ctx.rules.seqScanMinRows)})`).join(', ')}` : 'another plan shape';
    out.push(found('plan-changed', 'change', why, plans));
  }
  return out;
}

function bufferFindings(b: CaseFacts, h: CaseFacts, rules: JudgeRules): Found[] {
  if (b.buffers === null || h.buffers === null) return [];
  const evidence = [`buffers ${count(b.buffers)} -> ${count(h.buffers)}`];
  if (h.buffers > b.buffers * rules.bufferTolerance && h.buffers - b.buffers >= rules.minBufferDelta) {
    return [found('buffers-up', 'regression', `shared buffers ${count(b.buffers)} -> ${count(h.buffers)} (${fmtX(h.buffers / Math.max(b.buffers, 1))}, tolerance ${fmtX(rules.bufferTolerance)})`, evidence)];
  }
  if (b.buffers > h.buffers * rules.bufferTolerance && b.buffers - h.buffers >= rules.minBufferDelta) {
    return [found('buffers-down', 'improvement', `shared buffers ${count(b.buffers)} -> ${count(h.buffers)} (${fmtX(b.buffers / Math.max(h.buffers, 1))} fewer)`, evidence)];
  }
  return [];
}

function answerFindings(b: CaseFacts, h: CaseFacts, ctx: CaseContext): Found[] {
  const out: Found[] = [];
  const sqlChanged = b.sql !== undefined && h.sql !== undefined && b.sql !== h.sql;
  if (sqlChanged) out.push(found('sql-changed', 'change', 'the measured SQL changed', [`sql ${clip(b.sql!, SQL_SHOWN)} -> ${clip(h.sql!, SQL_SHOWN)}`]));
  if (b.rows !== null && h.rows !== null && b.rows !== h.rows) {
    const regression = !sqlChanged && ctx.sameData;
    const why = regression ? 'the same SQL on the same data returns other rows' : sqlChanged ? 'the SQL changed' : 'the dataset changed';
    out.push(found('rows-changed', regression ? 'regression' : 'change', `rows ${count(b.rows)} -> ${count(h.rows)} (${why})`, [`rows ${count(b.rows)} -> ${count(h.rows)}`]));
  }
  return out;
}

/** Plan, buffers, rows and SQL: the findings both modes make for a case on both sides. */
export function judgeCaseFacts(b: CaseFacts, h: CaseFacts, ctx: CaseContext): Found[] {
  return [...planFindings(b, h, ctx), ...bufferFindings(b, h, ctx.rules), ...answerFindings(b, h, ctx)];
}

/** Paired (compare): the latency ratio head / base with its interval against the bar. */
export function judgePairedLatency(diff: CaseDiff, ratio: LatencyRatio | null, rules: JudgeRules): Found[] {
  const b = diff.base!;
  if (!ratio) return [];
  // Sub-millisecond cases are round trips: only a large change is told from the machine.
  const roundTrips = b.p50 < rules.roundTripMs;
  const bar = roundTrips ? Math.max(rules.roundTripThreshold, rules.latencyThreshold) : rules.latencyThreshold;
  const what = `latency ${latencyText(ratio)} head/base over ${ratio.pairs} paired rounds`;
  const evidence = [`p50 ${b.p50.toFixed(3)} -> ${diff.head!.p50.toFixed(3)} ms`, `latency ${latencyText(ratio)}`];
  if (ratio.low > bar) return [found('latency-up', 'regression', `${what}, wholly above ${fmtX(bar)}${roundTrips ? ` (a case under ${rules.roundTripMs} ms: round trips)` : ''}`, evidence)];
  if (ratio.high < 1 / bar) return [found('latency-down', 'improvement', what, evidence)];
  return [];
}

/** Cross-run (gate), on the same machine: medians of two runs. */
export function judgeCrossRunLatency(b: CaseFacts, h: CaseFacts, rules: JudgeRules): Found[] {
  if (!(b.p50 > 0)) return [];
  const ratio = h.p50 / b.p50;
  if (ratio > rules.maxLatencyRatio && h.p50 - b.p50 > rules.latencySlackMs) {
    return [found('latency-up', 'regression', `median ${b.p50.toFixed(3)} -> ${h.p50.toFixed(3)} ms (${fmtX(ratio)}, limit ${fmtX(rules.maxLatencyRatio)})`, [`p50 ${b.p50.toFixed(3)} -> ${h.p50.toFixed(3)} ms`])];
  }
  return [];
}

/** Iterations per round differ: base's and head's rounds did not do the same work, so they are not paired. */
export function judgeIterations(b: CaseFacts, h: CaseFacts): Found[] {
  if (b.iterations === undefined || h.iterations === undefined || b.iterations === h.iterations) return [];
  return [found('iterations-differ', 'change', `iterations per round ${b.iterations} on base, ${h.iterations} on head: rounds not paired, latency not judged`)];
}

