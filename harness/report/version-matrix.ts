/**
 * The version matrix of a `--pg` run: per comparison the speedup on each PostgreSQL
 * major, per case the plan and shared buffers on each, and what a version could not
 * run (skips with their reason). Rows where a decision changes between versions come
 * first: the question a team asks before an upgrade is "what changes?".
 *
 * A decision changes when, between majors, a comparison's verdict (candidate faster /
 * no clear difference / slower) or pass/fail differs, or a case's plan uses different
 * indexes or sequential scans. Shared buffers of the same plan over the same data are
 * deterministic per version, so a buffer difference is real too; it ranks second.
 */
import { caseId, type CaseResult, type ComparisonResult, type ResultsFile } from '../results/results-schema.ts';
import { majorOf } from '../postgres/postgres-versions.ts';
import { esc } from './html-escape.ts';
import { mdCell } from './markdown-summary.ts';
import { fmtInt, textTable } from './text-table.ts';

/**
 * Reporting band of the verdict, not a measured threshold: a candidate is "faster"
 * when the lower bound of its speedup interval is at least 1.1 (10%), "slower" when the
 * upper bound is at most 1/1.1; otherwise the versions do not tell the sides apart.
 */
export const VERDICT_BAND = 1.1;

export type Verdict = 'faster' | 'no clear difference' | 'slower';

export function verdictOf(c: ComparisonResult): Verdict {
  if (c.speedup.low >= VERDICT_BAND) return 'faster';
  if (c.speedup.high <= 1 / VERDICT_BAND) return 'slower';
  return 'no clear difference';
}

export interface MatrixRow<T> {
  /** Row label: a comparison name or a case id, with its scale. */
  label: string;
  /** The result on each major (undefined: not run or skipped there). */
  byMajor: Map<number, T>;
  /** Why the row is first: what differs between majors; empty when nothing does. */
  changes: string[];
  /** 0: a decision changes; 1: only buffers differ; 2: the same on every major. */
  rank: number;
}

export interface VersionMatrix {
  majors: number[];
  comparisons: MatrixRow<ComparisonResult>[];
  cases: MatrixRow<CaseResult>[];
  /** Tests a major could not run, with the reason. */
  skipped: { major: number; name: string; reason: string }[];
}

const majorOfResult = (r: { pgVersion?: string }, results: ResultsFile) => majorOf(r.pgVersion ?? results.fingerprint.postgres.version);

export function planLabel(plan: CaseResult['plan']): string {
  if (!plan) return 'no plan';
  const parts = [];
  if (plan.indexes.length) parts.push(`index ${plan.indexes.join(', ')}`);
  if (plan.seqScans.length) parts.push(`seq scan ${plan.seqScans.join(', ')}`);
  return parts.length ? parts.join('; ') : [...new Set(plan.nodes)].slice(0, 3).join(' > ');
}

const buffersOf = (c: CaseResult) => (c.buffers ? c.buffers.hit + c.buffers.read : undefined);

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** What differs between majors in one row's values, as sentences naming the majors. */
function differences<T>(byMajor: Map<number, T>, what: string, value: (t: T) => string | undefined): string | undefined {
  const seen = [...byMajor].map(([major, r]) => [major, value(r)] as const).filter(([, v]) => v !== undefined);
  if (new Set(seen.map(([, v]) => v)).size < 2) return undefined;
  return `${what}: ${seen.map(([major, v]) => `${major} ${v}`).join(' / ')}`;
}

/** The matrix of a results file, or undefined when it holds results of fewer than two majors. */
export function versionMatrix(results: ResultsFile): VersionMatrix | undefined {
  const tagged = [...results.cases, ...results.comparisons];
  const majors = [...new Set(tagged.map((r) => majorOfResult(r, results)))].sort((a, b) => a - b);
  if (majors.length < 2) return undefined;
  const casesById = groupBy(results.cases, (c) => `${caseId(c)} [scale=${c.scale}]`);
  const caseOn = (id: string, scale: number, major: number) =>
    casesById.get(`${id} [scale=${scale}]`)?.find((c) => majorOfResult(c, results) === major);

  const comparisons = [...groupBy(results.comparisons, (c) => `${c.name} [scale=${c.scale}]`)].map(([label, rows]) => {
    const byMajor = new Map(rows.map((r) => [majorOfResult(r, results), r]));
    const candidatePlans = new Map([...byMajor].map(([m, r]) => [m, caseOn(r.candidate, r.scale, m)]));
    const decision = [
      differences(byMajor, 'verdict', verdictOf),
      differences(byMajor, 'result', (r) => (r.passed ? 'pass' : 'FAIL')),
      differences(candidatePlans, 'candidate plan', (c) => (c ? planLabel(c.plan) : undefined)),
    ].filter((d): d is string => d !== undefined);
    return { label, byMajor, changes: decision, rank: decision.length ? 0 : 2 };
  });

  const cases = [...casesById].map(([label, rows]) => {
    const byMajor = new Map(rows.map((r) => [majorOfResult(r, results), r]));
    const plan = differences(byMajor, 'plan', (c) => planLabel(c.plan));
    const buffers = differences(byMajor, 'shared buffers', (c) => (buffersOf(c) === undefined ? undefined : fmtInt(buffersOf(c)!)));
    const changes = [plan, buffers].filter((d): d is string => d !== undefined);
    return { label, byMajor, changes, rank: plan ? 0 : buffers ? 1 : 2 };
  });

  const order = <T>(rows: MatrixRow<T>[]) => rows.sort((a, b) => a.rank - b.rank || a.label.localeCompare(b.label));
  const skipped = (results.skipped ?? []).map((s) => ({ major: majorOfResult(s, results), name: s.name, reason: s.reason }));
  return { majors, comparisons: order(comparisons), cases: order(cases), skipped };
}

const speedupCell = (c: ComparisonResult | undefined) =>
  c ? `${c.speedup.estimate.toFixed(2)}x [${c.speedup.low.toFixed(2)}, ${c.speedup.high.toFixed(2)}]${c.passed ? '' : ' FAIL'}` : '-';
const caseCell = (c: CaseResult | undefined) => (c ? `${planLabel(c.plan)}${buffersOf(c) === undefined ? '' : `, ${fmtInt(buffersOf(c)!)} buf`}` : '-');
const changeCell = (row: MatrixRow<unknown>) => (row.rank === 0 ? 'CHANGES' : row.rank === 1 ? 'buffers' : 'same');

/** The matrix as terminal tables ('' when the results hold fewer than two majors). */
export function versionMatrixText(results: ResultsFile): string {
  const m = versionMatrix(results);
  if (!m) return '';
  const majorColumns = m.majors.map((major) => ({ header: `PostgreSQL ${major}` }));
  const out = [`\nVersion matrix (PostgreSQL ${m.majors.join(', ')}): rows where a decision changes first`];
  if (m.comparisons.length) {
    out.push(
      '\nSpeedup per version (baseline / candidate, 95% interval)',
      textTable(
        [{ header: 'comparison' }, ...majorColumns, { header: 'change' }],
        m.comparisons.map((r) => [r.label, ...m.majors.map((major) => speedupCell(r.byMajor.get(major))), changeCell(r)]),
      ),
    );
  }
  if (m.cases.length) {
    out.push(
      '\nPlan and shared buffers per version',
      textTable(
        [{ header: 'case' }, ...majorColumns, { header: 'change' }],
        m.cases.map((r) => [r.label, ...m.majors.map((major) => caseCell(r.byMajor.get(major))), changeCell(r)]),
      ),
    );
  }
  const changed = [...m.comparisons, ...m.cases].filter((r) => r.rank === 0);
  if (changed.length) out.push('\nWhat changes', ...changed.map((r) => `  ${r.label}: ${r.changes.join('; ')}`));
  if (m.skipped.length) out.push('\nNot run (what the version or server lacks)', ...m.skipped.map((s) => `  PostgreSQL ${s.major}: ${s.name}: ${s.reason}`));
  return `${out.join('\n')}\n`;
}

/** The matrix as a markdown section for report.md ('' with fewer than two majors). */
export function versionMatrixMarkdown(results: ResultsFile): string {
  const m = versionMatrix(results);
  if (!m) return '';
  const head = (first: string) => [`| ${first} | ${m.majors.map((major) => `PostgreSQL ${major}`).join(' | ')} | change |`, `|---|${m.majors.map(() => '---|').join('')}---|`];
  const lines = ['', `### Version matrix (PostgreSQL ${m.majors.join(', ')})`, '', 'Rows where a decision changes between versions come first.', ''];
  if (m.comparisons.length) {
    lines.push(...head('comparison'));
    for (const r of m.comparisons) lines.push(`| ${mdCell(r.label)} | ${m.majors.map((major) => mdCell(speedupCell(r.byMajor.get(major)))).join(' | ')} | ${r.rank === 0 ? `**changes**: ${mdCell(r.changes.join('; '))}` : 'same'} |`);
    lines.push('');
  }
  if (m.cases.length) {
    lines.push(...head('case'));
    for (const r of m.cases) lines.push(`| ${mdCell(r.label)} | ${m.majors.map((major) => mdCell(caseCell(r.byMajor.get(major)))).join(' | ')} | ${r.rank === 2 ? 'same' : mdCell(r.changes.join('; '))} |`);
    lines.push('');
  }
  if (m.skipped.length) {
    lines.push('Not run:', '', ...m.skipped.map((s) => `- PostgreSQL ${s.major}: ${mdCell(s.name)}: ${mdCell(s.reason)}`), '');
  }
  return `${lines.join('\n')}\n`;
}

/** The matrix as an HTML section for report.html ('' with fewer than two majors). */
export function versionMatrixHtml(results: ResultsFile): string {
  const m = versionMatrix(results);
  if (!m) return '';
  const head = (first: string) => `<tr><th>${esc(first)}</th>${m.majors.map((major) => `<th>PostgreSQL ${major}</th>`).join('')}<th>change</th></tr>`;
  const row = <T>(r: MatrixRow<T>, cell: (t: T | undefined) => string) =>
    `<tr${r.rank === 0 ? ' class="changed"' : ''}><td>${esc(r.label)}</td>${m.majors.map((major) => `<td>${esc(cell(r.byMajor.get(major)))}</td>`).join('')}<td>${esc(r.rank === 2 ? 'same' : r.changes.join('; '))}</td></tr>`;
  const parts = [`<section id="version-matrix"><h2>Version matrix (PostgreSQL ${esc(m.majors.join(', '))})</h2><p>Rows where a decision changes between versions come first.</p>`];
  if (m.comparisons.length) parts.push(`<h3>Speedup per version</h3><table>${head('comparison')}${m.comparisons.map((r) => row(r, speedupCell)).join('')}</table>`);
  if (m.cases.length) parts.push(`<h3>Plan and shared buffers per version</h3><table>${head('case')}${m.cases.map((r) => row(r, caseCell)).join('')}</table>`);
  if (m.skipped.length) parts.push(`<h3>Not run</h3><ul>${m.skipped.map((s) => `<li>PostgreSQL ${s.major}: ${esc(s.name)}: ${esc(s.reason)}</li>`).join('')}</ul>`);
  parts.push('<style>#version-matrix tr.changed td{background:#fff3cd}</style></section>');
  return parts.join('');
}
