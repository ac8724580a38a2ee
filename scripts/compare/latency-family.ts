/**
 * Re-judges the latencies of kept A/A runs (SCHEMABENCH_COMPARE_KEEP=DIR bash
 * scripts/compare/proofs.sh N) under the family rule (harness/judge/latency-family.ts),
 * beside the rule before it (a 95% interval per case), and prints per run: the cases
 * judged, the run's own between-side spread, and the cases each rule calls a regression.
 * Nothing changed between the sides of an A/A run: every regression is a false alarm.
 *
 *   npx tsx scripts/compare/latency-family.ts DIR [--side-spread 0.05]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { logRatioInterval, studentTQuantile } from '../../harness/bench/statistics.ts';
import { familyInterval, latencyFamily } from '../../harness/judge/latency-family.ts';
import { pairedLogRatios } from '../../harness/judge/latency-ratio.ts';
import { caseKey } from '../../harness/judge/pair-results.ts';
import { DEFAULT_RULES } from '../../harness/judge/judge-rules.ts';
import type { ResultsFile } from '../../harness/results/results-schema.ts';

interface KeptCase {
  id: string;
  p50: number;
  d: number[];
}

/** From both sides' results: each case's pairs, as the judge pairs them (judge.ts). */
function fromResults(base: ResultsFile, head: ResultsFile): KeptCase[] {
  const heads = new Map(head.cases.map((c) => [caseKey(c), c]));
  return base.cases.flatMap((b) => {
    const h = heads.get(caseKey(b));
    const d = h ? pairedLogRatios(b, h) : null;
    return d ? [{ id: `${b.name}[${b.variant}]`, p50: b.latency.p50, d }] : [];
  });
}

/** From a judgement of the rule before (95% per case): pairs rebuilt with the same mean and standard error. */
function fromJudgement(judgement: { cases: { subject: { id: string }; base?: { p50: number }; latency: { estimate: number; low: number; high: number; pairs: number; confidence: number } | null }[] }): KeptCase[] {
  return judgement.cases.flatMap((c) => {
    const l = c.latency;
    if (!l || !c.base) return [];
    const se = Math.log(l.high / l.low) / (2 * studentTQuantile(1 - (1 - l.confidence) / 2, l.pairs - 1));
    // n values of mean m and standard error se: m + s, m - s, ... (and m last when n is odd).
    const [m, n] = [Math.log(l.estimate), l.pairs];
    const s = se * Math.sqrt(n % 2 === 0 ? n - 1 : n);
    const d = Array.from({ length: n }, (_, k) => (n % 2 === 1 && k === n - 1 ? m : m + (k % 2 === 0 ? s : -s)));
    return [{ id: c.subject.id, p50: c.base.p50, d }];
  });
}

function keptRuns(dir: string): { name: string; cases: KeptCase[] }[] {
  const runs = readdirSync(dir).filter((f) => /^aa-run-\d+\.json$/.test(f)).sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]));
  return runs.map((file) => {
    const stem = file.replace(/\.json$/, '');
    const [basePath, headPath] = ['base', 'head'].map((s) => join(dir, `${stem}-${s}.json`));
    const read = (p: string) => JSON.parse(readFileSync(p, 'utf8'));
    const cases = existsSync(basePath!) && existsSync(headPath!) ? fromResults(read(basePath!), read(headPath!)) : fromJudgement(read(join(dir, file)));
    return { name: stem, cases };
  });
}

const USAGE = 'usage: npx tsx scripts/compare/latency-family.ts DIR [--side-spread 0.05]  (DIR: SCHEMABENCH_COMPARE_KEEP of an A/A proof)';
let parsed: { values: { 'side-spread'?: string }; positionals: string[] };
try {
  parsed = parseArgs({ allowPositionals: true, options: { 'side-spread': { type: 'string' } } });
} catch (error) {
  console.error(`${(error as Error).message}; ${USAGE}`);
  process.exit(2);
}
const { values, positionals } = parsed;
const dir = positionals[0];
if (!dir || !existsSync(dir)) {
  console.error(USAGE);
  process.exit(2);
}
const spread = values['side-spread'] === undefined ? DEFAULT_RULES.latencySideSpread : Number(values['side-spread']);
if (!(spread >= 0)) {
  console.error(`--side-spread must be a number >= 0 (got ${JSON.stringify(values['side-spread'])})`);
  process.exit(2);
}
const rules = { ...DEFAULT_RULES, latencySideSpread: spread };
const bar = (c: KeptCase) => (c.p50 < rules.roundTripMs ? Math.max(rules.roundTripThreshold, rules.latencyThreshold) : rules.latencyThreshold);
let alarmsBefore = 0;
let alarmsNow = 0;
for (const run of keptRuns(dir)) {
  const family = latencyFamily(run.cases.map((c) => c.d), rules);
  const before = run.cases.filter((c) => logRatioInterval(c.d).low > bar(c));
  const now = run.cases.filter((c) => familyInterval(c.d, family).low > bar(c));
  alarmsBefore += before.length ? 1 : 0;
  alarmsNow += now.length ? 1 : 0;
  const top = [...run.cases].sort((a, b) => familyInterval(b.d, family).low - familyInterval(a.d, family).low)[0];
  const topBefore = Math.max(...run.cases.map((c) => logRatioInterval(c.d).low));
  const shown = (c: KeptCase) => {
    const i = familyInterval(c.d, family);
    return `${c.id} ${i.estimate.toFixed(2)}x [${i.low.toFixed(2)}, ${i.high.toFixed(2)}]`;
  };
  console.log(
    `${run.name}: ${family.cases} cases, measured side spread ${family.measuredSpread?.toFixed(3) ?? 'n/a'}, used ${family.sideSpread.toFixed(3)}; ` +
      `regressions 95%/case ${before.length}, family ${now.length}${now.length ? ` (${now.map(shown).join('; ')})` : ''}; highest low end ${top ? shown(top) : 'n/a'} (95% per case: ${topBefore.toFixed(3)})`,
  );
}
console.log(`runs with a false latency regression: 95% per case ${alarmsBefore}, family ${alarmsNow}`);
