/**
 * `schemabench compare --markdown FILE`: the pull-request comment. A hidden marker first
 * (a workflow finds its own comment by it and updates it), then the verdict as one heading,
 * then only what changed — regressions (with flagged migrations), improvements, other
 * changes — before -> after with the evidence; everything else folded in <details>: every
 * case with its latency ratio, every comparison, the migrations, the notes and the command
 * that reproduces the run. Every value from the report is escaped (md-text.ts), and the
 * text stays within GitHub's comment limit: the folded part is cut first, with a line
 * saying what was left out; the verdict and the changes stay (comment-budget.ts).
 */
import { esc } from '../report/html-escape.ts';
import { fmtInt, fmtMs } from '../report/text-table.ts';
import { COMMENT_LIMIT, fitBlocks, textSize, type MarkdownBlock } from './comment-budget.ts';
import { compareChanges, verdictLine, migrationFlagged, orderedFindings, type ChangedItem, type ChangeSeverity } from './compare-changes.ts';
import {
  caseEvidence,
  clip,
  comparisonSide,
  durationText,
  fmtX,
  intervalText,
  latencyText,
  locksText,
  migrationFlags,
  migrationName,
  msText,
  planText,
  requiredText,
  SHORT_COMMIT,
  sideVerdict,
} from './compare-evidence.ts';
import type { CaseDiff, ComparisonDiff, CompareReport, CompareSide, MigrationTrace } from './compare-report.ts';
import { mdCode, mdLine, mdText } from './md-text.ts';
import { reproduceCommands } from './reproduce-command.ts';
import { rewrittenTables } from './strongest-locks.ts';

/** The comment's first line: hidden when rendered, found by a workflow to update its own comment. */
export const COMPARE_MARKER = '<!-- schemabench-compare -->';

export interface CompareMarkdownOptions {
  /** Largest size of the text, UTF-8 bytes (never fewer than GitHub's characters). @default COMMENT_LIMIT (65,536) */
  limit?: number;
}

/** Longest name, message or note shown, characters: one hostile value cannot fill the comment. */
const TEXT_SHOWN = 400;
/** Bytes kept free for the line that says the folded part was left out. */
const RESERVE = 400;
/** Width of the longer speedup bar, characters. */
const BAR_WIDTH = 16;

const ICON: Record<ChangeSeverity, string> = { regression: '❌', improvement: '✅', change: '🔄' };

/** Plain text for a cell: clipped, arrows for ' -> ', escaped. */
const cell = (text: string, max = TEXT_SHOWN) => mdText(clip(text, max).replaceAll(' -> ', ' → '));

/** A bar of `value / max` of BAR_WIDTH, in eighths of a block. */
export function speedupBar(value: number, max: number): string {
  if (!(value > 0) || !(max > 0) || !Number.isFinite(value) || !Number.isFinite(max)) return '';
  const eighths = Math.max(1, Math.round((Math.min(value, max) / max) * BAR_WIDTH * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + (eighths % 8 ? '▏▎▍▌▋▊▉'[(eighths % 8) - 1] : '');
}

function sideLine(side: CompareSide): string {
  const commit = side.commit.slice(0, SHORT_COMMIT);
  return `${mdCode(clip(side.ref, 200))}${side.ref === side.commit || side.ref === commit ? '' : ` ${mdCode(commit)}`}${side.dirty ? ' (uncommitted changes)' : ''}`;
}

function comparisonCell(d: ComparisonDiff): string {
  const max = Math.max(d.base?.speedup.estimate ?? 0, d.head?.speedup.estimate ?? 0, d.threshold ?? 0);
  const side = (label: string, s: ComparisonDiff['base']) =>
    s ? `<code>${label} ${speedupBar(s.speedup.estimate, max)}</code> ${mdText(intervalText(s.speedup))} ${s.passed ? mdText(sideVerdict(s)) : `**${mdText(sideVerdict(s))}**`}` : `<code>${label}</code> -`;
  return [side('base', d.base), side('head', d.head), `required ${mdText(requiredText(d.threshold))}`].join('<br>');
}

/** p50 base → head, ms (numbers only: nothing to escape). */
const p50Change = (d: CaseDiff) => `${d.base ? fmtMs(d.base.p50) : '-'} → ${d.head ? fmtMs(d.head.p50) : '-'}`;

function caseCell(d: CaseDiff): string {
  return [`p50 ${p50Change(d)} ms`, ...caseEvidence(d).map((e) => cell(e))].join('<br>');
}

function changeRow(item: ChangedItem): string {
  const messages = orderedFindings(item.diff.findings).map((f) => (f.regression ? `**${cell(f.message.trim())}**` : cell(f.message)));
  if (item.type === 'case') {
    if (!messages.length && item.diff.status !== 'unchanged') messages.push(`case ${item.diff.status}`);
    return `| ${ICON[item.severity]} ${cell(item.diff.id)} | ${messages.join('<br>')} | ${caseCell(item.diff)} |`;
  }
  return `| ${ICON[item.severity]} ${cell(item.diff.name)} | ${messages.join('<br>')} | ${comparisonCell(item.diff)} |`;
}

function migrationRow(m: MigrationTrace, withStatements: boolean): string {
  const rewrites = rewrittenTables(m);
  const flags = migrationFlags(m);
  return `| ${migrationFlagged(m) ? '❌ ' : ''}${cell(migrationName(m))} | ${msText(m.durationMs)} |${withStatements ? ` ${m.statements} |` : ''} ${cell(locksText(m))} | ${rewrites.length ? cell(rewrites.join(', ')) : 'none'} | ${fmtInt(m.rowsTouched)} | ${msText(m.worstClientWaitMs)} | ${flags.length ? flags.map((f) => cell(f)).join('<br>') : '-'} |`;
}

const migrationHeader = (withStatements: boolean) => [
  `| migration | duration |${withStatements ? ' statements |' : ''} strongest lock per table, held | rewrites | rows touched | worst client wait | flags |`,
  `|---|---:|${withStatements ? '---:|' : ''}---|---|---:|---:|---|`,
];

const omittedRows = (n: number) => `_${fmtInt(n)} more row${n === 1 ? '' : 's'} not shown (GitHub limits a comment's size); \`schemabench compare --json\` has everything._`;

function section(title: string, header: string[], rows: string[], priority = 0): MarkdownBlock {
  return { open: [title, ''], header, rows, close: [''], omitted: omittedRows, priority };
}

function folded(summary: string, header: string[], rows: string[], priority: number): MarkdownBlock {
  return { open: [`<details><summary>${esc(summary)}</summary>`, ''], header, rows, close: ['', '</details>', ''], omitted: omittedRows, priority };
}

/** A code fence longer than any run of backticks in the text it holds. */
function fence(lines: string[]): string {
  const longest = Math.max(0, ...lines.map((l) => Math.max(0, ...[...l.matchAll(/`+/g)].map((m) => m[0].length))));
  return '`'.repeat(Math.max(3, longest + 1));
}

function caseRow(d: CaseDiff, severity: ChangeSeverity | undefined): string {
  const latency = d.latency ? mdText(latencyText(d.latency)) : d.base && d.head ? 'not paired' : '-';
  const buffers = (f: CaseDiff['base']) => (f?.buffers === null || f?.buffers === undefined ? '-' : fmtInt(f.buffers));
  const bufferCell = d.base && d.head && d.base.buffers !== d.head.buffers ? `${buffers(d.base)} → ${buffers(d.head)}` : buffers(d.head ?? d.base);
  const found = d.findings.length ? orderedFindings(d.findings).map((f) => f.kind).join(', ') : d.status;
  return `| ${severity ? `${ICON[severity]} ` : ''}${cell(d.id)} | ${mdText(found)} | ${p50Change(d)} | ${latency} | ${bufferCell} | ${cell(planText((d.head ?? d.base)?.plan ?? null))} |`;
}

function comparisonRow(d: ComparisonDiff, severity: ChangeSeverity | undefined): string {
  const speedup = (s: ComparisonDiff['base']) => (s && !s.passed ? `**${mdText(comparisonSide(s))}**` : mdText(comparisonSide(s)));
  return `| ${severity ? `${ICON[severity]} ` : ''}${cell(d.name)} | ${mdText(requiredText(d.threshold))} | ${speedup(d.base)} | ${speedup(d.head)} |`;
}

export function compareMarkdown(report: CompareReport, options: CompareMarkdownOptions = {}): string {
  const limit = options.limit ?? COMMENT_LIMIT;
  const changes = compareChanges(report);
  const verdict = `${report.verdict === 'pass' ? '✅' : '❌'} schemabench compare: ${verdictLine(report.verdict, changes)}`;
  const top = [
    COMPARE_MARKER,
    `## ${verdict}`,
    '',
    `base ${sideLine(report.base)} → head ${sideLine(report.head)} · ${cell(`${report.server.provider}, PostgreSQL ${report.server.version}`, 200)} · scale ${report.scale}, seed ${report.seed} · workloads ${cell(report.workloads.join(', ') || 'none', 200)} · ${durationText(report.durationMs)}`,
    '',
  ];
  if (!report.paired) top.push('**Latency not paired**: base and head could not take turns, so no latency ratio was judged.', '');

  const byType = (severity: ChangeSeverity) => changes.items.filter((i) => i.severity === severity).map(changeRow);
  const changeHeader = ['| case or comparison | what changed | before → after |', '|---|---|---|'];
  const changeBlocks: MarkdownBlock[] = [];
  const regressions = byType('regression');
  if (regressions.length) changeBlocks.push(section(`### ❌ Regressions (${regressions.length})`, changeHeader, regressions));
  if (changes.flaggedMigrations.length) changeBlocks.push(section(`### ❌ Migrations flagged (${changes.flaggedMigrations.length})`, migrationHeader(false), changes.flaggedMigrations.map((m) => migrationRow(m, false))));
  const improvements = byType('improvement');
  if (improvements.length) changeBlocks.push(section(`### ✅ Improvements (${improvements.length})`, changeHeader, improvements));
  const others = byType('change');
  if (others.length) changeBlocks.push(section(`### 🔄 Other changes (${others.length})`, changeHeader, others));
  const u = changes.unchanged;
  const bar = report.paired ? `; a latency ratio (head / base) regresses when its interval lies wholly above ${fmtX(report.latencyThreshold)}` : '';
  const unchanged = [`${u.cases} case${u.cases === 1 ? '' : 's'} and ${u.comparisons} comparison${u.comparisons === 1 ? '' : 's'} unchanged${bar}.`, ''];

  const severity = new Map<unknown, ChangeSeverity>(changes.items.map((i) => [i.diff, i.severity]));
  const foldedBlocks: MarkdownBlock[] = [];
  if (report.cases.length) {
    const confidence = report.cases.find((c) => c.latency)?.latency?.confidence;
    const ratios = confidence === undefined ? 'p50 of base and head' : `p50 and latency head / base, ${+(confidence * 100).toFixed(1)}% intervals`;
    foldedBlocks.push(
      folded(
        `All cases (${report.cases.length}): ${ratios}`,
        ['| case | change | p50 base → head, ms | head / base | buffers | plan |', '|---|---|---:|---:|---:|---|'],
        report.cases.map((c) => caseRow(c, severity.get(c))),
        3,
      ),
    );
  }
  if (report.comparisons.length) {
    foldedBlocks.push(
      folded(`All comparisons (${report.comparisons.length}): speedup on base and on head`, ['| comparison | required | base | head |', '|---|---:|---:|---:|'], report.comparisons.map((c) => comparisonRow(c, severity.get(c))), 2),
    );
  }
  if (report.migrations.length) {
    foldedBlocks.push(folded(`Migrations of the change (${report.migrations.length}), applied to base's data under concurrent clients`, migrationHeader(true), report.migrations.map((m) => migrationRow(m, true)), 1));
  }
  if (report.notes.length) foldedBlocks.push(folded(`Notes (${report.notes.length})`, [], report.notes.map((n) => `- ${mdLine(clip(n, 2000))}`), 0));
  const commands = reproduceCommands(report);
  const reproduce = [fence(commands), ...commands, fence(commands)];
  foldedBlocks.push({
    open: ['<details><summary>How to reproduce</summary>', '', ...reproduce, ''],
    header: [],
    rows: [],
    close: [
      `Base ${mdCode(report.base.commit)} and head ${mdCode(report.head.commit)}${report.head.dirty ? ' with uncommitted changes' : ''}, measured on ${cell(`${report.server.provider}, PostgreSQL ${report.server.version}`, 200)}.`,
      '',
      '</details>',
      '',
    ],
    omitted: omittedRows,
    priority: 0,
  });

  const fixed = textSize(top) + textSize(unchanged);
  const shown = fitBlocks(changeBlocks, limit - fixed - RESERVE) ?? ['_The changes are too many to show here: `schemabench compare --json` has them._', ''];
  const rest = fitBlocks(foldedBlocks, limit - fixed - textSize(shown)) ?? [`_The details are not shown (GitHub limits a comment's size); \`schemabench compare --json\` has everything._`, ''];
  return `${[...top, ...shown, ...unchanged, ...rest].join('\n').trimEnd()}\n`;
}
