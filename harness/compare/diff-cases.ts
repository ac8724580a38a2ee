/**
 * Base and head cases paired by workload and `name[variant]` (and scale, and server
 * version in a matrix): what each side's plan, buffers, rows and SQL were, and what
 * changed. A plan that lost an index without touching fewer buffers, a sequential scan
 * gained on a table with rows, more buffers beyond tolerance, or a latency ratio whose
 * interval lies above the threshold is a regression (compare-rules.ts).
 */
import { caseId, type CaseResult, type ResultsFile } from '../results/results-schema.ts';
import type { CaseDiff, CaseFacts, Finding } from './compare-report.ts';
import type { CompareRules } from './compare-rules.ts';
import { latencyRatio } from './latency-ratio.ts';

const key = (c: CaseResult) => `${c.workload} ${caseId(c)} ${c.scale} ${c.pgVersion ?? ''}`;

function facts(c: CaseResult): CaseFacts {
  return {
    p50: c.latency.p50,
    plan: c.plan ? { nodes: c.plan.nodes, indexes: c.plan.indexes, seqScans: c.plan.seqScans } : null,
    buffers: c.buffers ? c.buffers.hit + c.buffers.read : null,
    rows: c.rows,
    ...(c.sql !== undefined ? { sql: c.sql } : {}),
  };
}

/** Rows of a table in head's dataset (unknown: treated as a table with rows). */
function tableRows(head: ResultsFile, workload: string, table: string): number {
  return head.fingerprint.datasetDetails?.[workload]?.rows[table] ?? Number.POSITIVE_INFINITY;
}

const fmtRatio = (r: { estimate: number; low: number; high: number }) => `${r.estimate.toFixed(2)}x [${r.low.toFixed(2)}, ${r.high.toFixed(2)}]`;
const sortedJoin = (xs: string[]) => [...xs].sort().join(', ');

function planFindings(b: CaseFacts, h: CaseFacts, seqRows: (table: string) => number, rules: CompareRules): Finding[] {
  const out: Finding[] = [];
  if (!b.plan || !h.plan) return out;
  const lost = b.plan.indexes.filter((i) => !h.plan!.indexes.includes(i));
  const gained = h.plan.indexes.filter((i) => !b.plan!.indexes.includes(i));
  const notFewer = b.buffers === null || h.buffers === null || h.buffers >= b.buffers;
  const plans = `plan ${b.plan.nodes.join(' > ')} -> ${h.plan.nodes.join(' > ')}; buffers ${b.buffers ?? '-'} -> ${h.buffers ?? '-'}`;
  if (lost.length) out.push({ kind: 'index-lost', regression: notFewer, message: `no longer uses ${sortedJoin(lost)}${gained.length ? ` (uses ${sortedJoin(gained)} instead)` : ''}: ${plans}` });
  else if (gained.length) out.push({ kind: 'index-gained', regression: false, message: `now uses ${sortedJoin(gained)}: ${plans}` });
  const newScans = h.plan.seqScans.filter((t) => !b.plan!.seqScans.includes(t));
  const bigScans = newScans.filter((t) => seqRows(t) >= rules.seqScanMinRows);
  if (bigScans.length) out.push({ kind: 'seq-scan-gained', regression: true, message: `sequential scan of ${bigScans.map((t) => `${t} (${Number.isFinite(seqRows(t)) ? seqRows(t) : '?'} rows)`).join(', ')}: ${plans}` });
  const goneScans = b.plan.seqScans.filter((t) => !h.plan!.seqScans.includes(t));
  if (goneScans.length) out.push({ kind: 'seq-scan-lost', regression: false, message: `no sequential scan of ${sortedJoin(goneScans)} any more: ${plans}` });
  if (!lost.length && !gained.length && !newScans.length && !goneScans.length && b.plan.nodes.join() !== h.plan.nodes.join()) {
    out.push({ kind: 'plan-changed', regression: false, message: plans });
  }
  return out;
}

function bufferFindings(b: CaseFacts, h: CaseFacts, rules: CompareRules): Finding[] {
  if (b.buffers === null || h.buffers === null) return [];
  const ratio = h.buffers / Math.max(b.buffers, 1);
  if (h.buffers > b.buffers * rules.bufferTolerance && h.buffers - b.buffers >= rules.minBufferDelta) {
    return [{ kind: 'buffers-up', regression: true, message: `shared buffers ${b.buffers} -> ${h.buffers} (${ratio.toFixed(2)}x, tolerance ${rules.bufferTolerance}x)` }];
  }
  if (b.buffers > h.buffers * rules.bufferTolerance && b.buffers - h.buffers >= rules.minBufferDelta) {
    return [{ kind: 'buffers-down', regression: false, message: `shared buffers ${b.buffers} -> ${h.buffers} (${(b.buffers / Math.max(h.buffers, 1)).toFixed(2)}x fewer)` }];
  }
  return [];
}

export function diffCase(base: CaseResult, head: CaseResult, headResults: ResultsFile, rules: CompareRules, paired: boolean): CaseDiff {
  const b = facts(base);
  const h = facts(head);
  const findings: Finding[] = [];
  if (b.sql !== undefined && h.sql !== undefined && b.sql !== h.sql) findings.push({ kind: 'sql-changed', regression: false, message: 'the measured SQL changed' });
  findings.push(...planFindings(b, h, (t) => tableRows(headResults, head.workload, t), rules), ...bufferFindings(b, h, rules));
  if (b.rows !== h.rows) findings.push({ kind: 'rows-changed', regression: false, message: `rows ${b.rows ?? '-'} -> ${h.rows ?? '-'}` });
  const latency = paired ? latencyRatio(base, head) : null;
  // Sub-millisecond cases are round trips: only a large change is told from the machine.
  const roundTrips = b.p50 < rules.roundTripMs;
  const threshold = roundTrips ? Math.max(rules.roundTripThreshold, rules.latencyThreshold) : rules.latencyThreshold;
  if (latency && latency.low > threshold) {
    const why = roundTrips ? `above ${threshold}x (the bar of a case under ${rules.roundTripMs} ms: round trips)` : `above ${threshold}x`;
    findings.push({ kind: 'latency-up', regression: true, message: `latency ${fmtRatio(latency)} head/base over ${latency.pairs} paired rounds (median ${b.p50.toFixed(3)} -> ${h.p50.toFixed(3)} ms), ${why}` });
  } else if (latency && latency.high < 1 / threshold) {
    findings.push({ kind: 'latency-down', regression: false, message: `latency ${fmtRatio(latency)} head/base over ${latency.pairs} paired rounds (median ${b.p50.toFixed(3)} -> ${h.p50.toFixed(3)} ms)` });
  }
  return { id: caseId(head), workload: head.workload, status: findings.length ? 'changed' : 'unchanged', base: b, head: h, latency, findings };
}

/** Every case of either side, paired; added and removed ones listed as such. */
export function diffCases(base: ResultsFile, head: ResultsFile, rules: CompareRules, paired: boolean): CaseDiff[] {
  const baseCases = new Map(base.cases.map((c) => [key(c), c]));
  const headCases = new Map(head.cases.map((c) => [key(c), c]));
  const out: CaseDiff[] = [];
  for (const [k, h] of headCases) {
    const b = baseCases.get(k);
    if (b) out.push(diffCase(b, h, head, rules, paired));
    else out.push({ id: caseId(h), workload: h.workload, status: 'added', head: facts(h), latency: null, findings: [{ kind: 'case-added', regression: false, message: 'new case (not on base)' }] });
  }
  for (const [k, b] of baseCases) {
    if (!headCases.has(k)) out.push({ id: caseId(b), workload: b.workload, status: 'removed', base: facts(b), latency: null, findings: [{ kind: 'case-removed', regression: false, message: 'case removed (not on head)' }] });
  }
  return out;
}
