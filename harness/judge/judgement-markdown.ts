/**
 * A Judgement as markdown: the pull-request comment of `compare --markdown`, the step
 * summary, and the top of the gate's report.md. A hidden marker first (a workflow finds
 * its own comment by it and updates it), then the verdict as one heading, then only what
 * changed, by cause — regressions (a flagged migration is one), improvements, other changes,
 * tests failing on both sides — before -> after with the evidence; everything else folded
 * in <details>: every case with its latency ratio, every comparison, the migrations, the
 * notes and the command that reproduces the run. Every value is escaped and mentions
 * and references are neutralised (md-text.ts), and the text stays within GitHub's comment
 * limit: the folded part is cut first, with a line saying what was left out; the verdict
 * and the changes stay (comment-budget.ts).
 */
import { esc } from '../report/html-escape.ts';
import { fmtInt, fmtMs } from '../report/text-table.ts';
import { COMMENT_LIMIT, fitBlocks, textSize, type MarkdownBlock } from './comment-budget.ts';
import type { CaseDiff, ComparisonDiff, LoadDiff, MigrationTrace, Side } from './evidence.ts';
import { clip, costForecastText, durationText, serverText, fmtX, forecastAtText, forecastFitText, forecastPointsText, confidenceText, intervalText, latencyFamilyText, latencyText, locksText, migrationFlags, migrationName, msText, planText, requiredText, SHORT_COMMIT, sideVerdict } from './evidence-text.ts';
import type { Severity } from './finding.ts';
import { judgementOutline, unchangedText, type OutlineGroup } from './judgement-outline.ts';
import type { Judgement } from './judgement.ts';
import { mdCode, mdLine, mdText } from './md-text.ts';
import { reproduceCommands } from './reproduce-command.ts';
import { rewrittenTables } from './strongest-locks.ts';

/** The comment's first line: hidden when rendered, found by a workflow to update its own comment. */
export const markerOf = (command: Judgement['command']) => `<!-- schemabench-${command} -->`;
export const COMPARE_MARKER = markerOf('compare');

export interface JudgementMarkdownOptions {
  /** Largest size of the text, UTF-8 bytes (never fewer than GitHub's characters). @default COMMENT_LIMIT (65,536) */
  limit?: number;
}

/** Longest name, message or note shown, characters: one hostile value cannot fill the comment. */
const TEXT_SHOWN = 400;
/** Bytes kept free for the line that says the folded part was left out. */
const RESERVE = 400;
/** Width of the longer speedup bar, characters. */
const BAR_WIDTH = 16;

const ICON: Record<Severity, string> = { regression: '❌', improvement: '✅', change: '🔄' };
const TITLE: Record<Severity, string> = { regression: 'Regressions', improvement: 'Improvements', change: 'Other changes' };
const SIDES = { compare: ['base', 'head'], gate: ['baseline', 'results'] } as const;

/** Plain text for a cell: clipped, arrows for ' -> ', escaped. */
const cell = (text: string, max = TEXT_SHOWN) => mdText(clip(text, max).replaceAll(' -> ', ' → '));

/** A bar of `value / max` of BAR_WIDTH, in eighths of a block. */
export function speedupBar(value: number, max: number): string {
  if (!(value > 0) || !(max > 0) || !Number.isFinite(value) || !Number.isFinite(max)) return '';
  const eighths = Math.max(1, Math.round((Math.min(value, max) / max) * BAR_WIDTH * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + (eighths % 8 ? '▏▎▍▌▋▊▉'[(eighths % 8) - 1] : '');
}

function sideLine(side: Side): string {
  const commit = side.commit.slice(0, SHORT_COMMIT);
  const pinned = side.commit && side.ref !== side.commit && side.ref !== commit ? ` ${mdCode(commit)}` : '';
  return `${mdCode(clip(side.ref, 200))}${pinned}${side.dirty ? ' (uncommitted changes)' : ''}`;
}

function groupRow(g: OutlineGroup): string {
  const what = g.subjects.map((s) => `${cell(s.label, 200)}: ${s.messages.map((m) => (m.regression ? `**${cell(m.text)}**` : cell(m.text))).join('; ')}`);
  // Cases that lost the same index show the same plans and buffers: each line once.
  const evidence = [...new Set(g.subjects.flatMap((s) => s.evidence))].map((e) => cell(e));
  return `| ${ICON[g.severity]} ${cell(g.cause)} | ${what.join('<br>')} | ${evidence.join('<br>') || '-'} |`;
}

function migrationRow(m: MigrationTrace): string {
  const rewrites = rewrittenTables(m);
  const flags = migrationFlags(m);
  const flagged = m.flags.length > 0 || m.error !== undefined;
  return `| ${flagged ? '❌ ' : ''}${cell(migrationName(m))} | ${msText(m.durationMs)} | ${m.statements} | ${cell(locksText(m))} | ${rewrites.length ? cell(rewrites.join(', ')) : 'none'} | ${fmtInt(m.rowsTouched)} | ${msText(m.worstClientWaitMs)} | ${flags.length ? flags.map((f) => cell(f)).join('<br>') : '-'} |`;
}

const MIGRATION_HEADER = [
  '| migration | duration | statements | strongest lock per table, held | rewrites | rows touched | worst client wait | flags |',
  '|---|---:|---:|---|---|---:|---:|---|',
];

const FORECAST_HEADER = [
  '| migration | predicted at | duration | strongest lock per table, held | rows touched | rewrites | fitted points (scale, rows, values) |',
  '|---|---|---:|---|---:|---|---|',
];

/** A migration's cost at production size, with the points its duration and strongest lock were fitted on. */
function forecastRow(m: MigrationTrace & { forecast: NonNullable<MigrationTrace['forecast']> }): string {
  const f = m.forecast;
  const locks = f.locks.map((l) => cell(`${l.table} ${l.mode} ${costForecastText(l.held, 'ms')}`)).join('<br>') || 'none';
  const rewrites = f.rewrites.length ? f.rewrites.map((r) => cell(`${r.table}${r.rows === null ? '' : ` (${fmtInt(r.rows)} rows)`}`)).join('<br>') : 'none';
  const points = [
    ...(f.duration.points.length ? [`duration: ${forecastPointsText(f.duration.points, 'ms')}`] : []),
    ...(f.locks[0]?.held.points.length ? [`${f.locks[0].table} held: ${forecastPointsText(f.locks[0].held.points, 'ms')}`] : []),
    ...f.notes,
  ];
  return `| ${cell(migrationName(m))} | ${cell(forecastAtText(f))} | ${cell(costForecastText(f.duration, 'ms'))} | ${locks} | ${cell(costForecastText(f.rowsTouched, 'rows'))} | ${rewrites} | ${points.map((p) => cell(p)).join('<br>') || '-'} |`;
}

const omittedRows = (n: number) => `_${fmtInt(n)} more row${n === 1 ? '' : 's'} not shown (GitHub limits a comment's size); \`--json\` has everything._`;

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

/** p50 base → head, ms (numbers only: nothing to escape). */
const p50Change = (d: CaseDiff) => `${d.base ? fmtMs(d.base.p50) : '-'} → ${d.head ? fmtMs(d.head.p50) : '-'}`;

function caseRow(d: CaseDiff): string {
  const latency = d.latency ? mdText(latencyText(d.latency)) : d.base && d.head ? 'not paired' : '-';
  const buffers = (f: CaseDiff['base']) => (f?.buffers === null || f?.buffers === undefined ? '-' : fmtInt(f.buffers));
  const bufferCell = d.base && d.head && d.base.buffers !== d.head.buffers ? `${buffers(d.base)} → ${buffers(d.head)}` : buffers(d.head ?? d.base);
  const found = d.findings.length ? [...new Set(d.findings.map((f) => f.kind))].join(', ') : d.status;
  const icon = d.findings.some((f) => f.severity === 'regression') ? '❌ ' : '';
  return `| ${icon}${cell(d.subject.id)} | ${mdText(found)} | ${p50Change(d)} | ${latency} | ${bufferCell} | ${cell(planText((d.head ?? d.base)?.plan ?? null))} |`;
}

function comparisonCell(d: ComparisonDiff, side: 'base' | 'head'): string {
  const s = d[side];
  if (!s) return '-';
  const max = Math.max(d.base?.speedup.estimate ?? 0, d.head?.speedup.estimate ?? 0, s.threshold ?? 0);
  const text = `${mdText(intervalText(s.speedup))} ${s.passed ? mdText(sideVerdict(s)) : `**${mdText(sideVerdict(s))}**`}`;
  return `<code>${speedupBar(s.speedup.estimate, max)}</code> ${text}`;
}

function comparisonRow(d: ComparisonDiff): string {
  const icon = d.findings.some((f) => f.severity === 'regression') ? '❌ ' : '';
  return `| ${icon}${cell(d.subject.id)} | ${mdText(requiredText((d.head ?? d.base)!.threshold))} | ${comparisonCell(d, 'base')} | ${comparisonCell(d, 'head')} |`;
}

function loadRow(d: LoadDiff): string {
  const ratios = (side: LoadDiff['base']) => (side ? side.ratios.map((r) => `${cell(r.label, 120)} ${mdText(intervalText(r.ratio))}${r.threshold === null ? '' : ` ${r.passed ? '' : '**'}${mdText(`(>= ${fmtX(r.threshold)}, ${r.verdict ?? (r.passed ? 'pass' : 'fail')})`)}${r.passed ? '' : '**'}`}`).join('<br>') : '-');
  return `| ${d.findings.some((f) => f.severity === 'regression') ? '❌ ' : ''}${cell(d.subject.id)} | ${ratios(d.base)} | ${ratios(d.head)} |`;
}

function detailBlocks(j: Judgement): MarkdownBlock[] {
  const [baseLabel, headLabel] = SIDES[j.command];
  const blocks: MarkdownBlock[] = [];
  if (j.cases.length) {
    const confidence = j.cases.find((c) => c.latency)?.latency?.confidence;
    const ratios = confidence === undefined ? `p50 of ${baseLabel} and ${headLabel}` : `p50 and latency ${headLabel} / ${baseLabel}, ${confidenceText(confidence)} intervals`;
    blocks.push(folded(`All cases (${j.cases.length}): ${ratios}`, [`| case | change | p50 ${baseLabel} → ${headLabel}, ms | ${headLabel} / ${baseLabel} | buffers | plan |`, '|---|---|---:|---:|---:|---|'], j.cases.map(caseRow), 3));
  }
  if (j.comparisons.length) {
    blocks.push(folded(`All comparisons (${j.comparisons.length}): speedup on ${baseLabel} and on ${headLabel}`, [`| comparison | required | ${baseLabel} | ${headLabel} |`, '|---|---:|---:|---:|'], j.comparisons.map(comparisonRow), 2));
  }
  if (j.loads.length) blocks.push(folded(`All loads (${j.loads.length}): ratios on ${baseLabel} and on ${headLabel}`, [`| load | ${baseLabel} | ${headLabel} |`, '|---|---|---|'], j.loads.map(loadRow), 2));
  if (j.migrations.length) {
    blocks.push(folded(`Migrations of the change (${j.migrations.length}), applied to base's data under concurrent clients`, MIGRATION_HEADER, j.migrations.map(migrationRow), 1));
    const forecast = j.migrations.filter((m): m is MigrationTrace & { forecast: NonNullable<MigrationTrace['forecast']> } => m.forecast !== undefined);
    if (forecast.length) blocks.push(folded(`The same migrations at production size (${forecast.length}): ${forecastFitText(forecast[0]!.forecast)}`, FORECAST_HEADER, forecast.map(forecastRow), 1));
  }
  if (j.notes.length) blocks.push(folded(`Notes (${j.notes.length})`, [], j.notes.map((n) => `- ${mdLine(clip(n, 2000))}`), 0));
  if (j.command === 'compare') {
    const commands = reproduceCommands(j);
    const reproduce = [fence(commands), ...commands, fence(commands)];
    blocks.push({
      open: ['<details><summary>How to reproduce</summary>', '', ...reproduce, ''],
      header: [],
      rows: [],
      close: [`Base ${mdCode(j.base.commit)} and head ${mdCode(j.head.commit)}${j.head.dirty ? ' with uncommitted changes' : ''}, measured on ${cell(serverText(j.server), 200)}.`, '', '</details>', ''],
      omitted: omittedRows,
      priority: 0,
    });
  }
  return blocks;
}

export function judgementMarkdown(j: Judgement, options: JudgementMarkdownOptions = {}): string {
  const limit = options.limit ?? COMMENT_LIMIT;
  const outline = judgementOutline(j);
  const [baseLabel, headLabel] = SIDES[j.command];
  const icon = j.verdict === 'pass' ? '✅' : j.verdict === 'no-verdict' ? '⚠️' : '❌';
  const duration = j.durationMs ? ` · ${durationText(j.durationMs)}` : '';
  const top = [
    markerOf(j.command),
    `## ${icon} schemabench ${j.command}: ${mdText(outline.verdict)}`,
    '',
    `${baseLabel} ${sideLine(j.base)} → ${headLabel} ${sideLine(j.head)} · ${cell(serverText(j.server), 200)} · scale ${j.scale}, seed ${j.seed} · workloads ${cell(j.workloads.join(', ') || 'none', 200)}${duration}`,
    '',
  ];
  if (j.command === 'compare' && !j.paired) top.push('**Latency not paired**: base and head could not take turns, so no latency ratio was judged.', '');

  const header = ['| cause | what changed | before → after |', '|---|---|---|'];
  const blocks: MarkdownBlock[] = [];
  for (const severity of ['regression', 'improvement', 'change'] as const) {
    const rows = outline.groups.filter((g) => g.severity === severity).map(groupRow);
    if (rows.length) blocks.push(section(`### ${ICON[severity]} ${TITLE[severity]} (${rows.length})`, header, rows));
  }
  if (j.unmeasured.length) {
    blocks.push(section(`### Not measured: the change cannot move them (${j.unmeasured.length})`, [], j.unmeasured.map((t) => `- ${mdLine(clip(t, TEXT_SHOWN))}`)));
  }
  if (j.alreadyFailing.length) {
    blocks.push(section(`### ⚠️ Failing on ${headLabel}, already on ${baseLabel} (${j.alreadyFailing.length})`, [], j.alreadyFailing.map((t) => `- ${mdLine(clip(t, TEXT_SHOWN))}`)));
  }
  const bar = j.paired ? `; a latency ratio (${headLabel} / ${baseLabel}) regresses when its interval lies wholly above ${fmtX(j.rules.latencyThreshold)}${latencyFamilyText(j.latencyFamily)}` : '';
  const unchanged = [`${unchangedText(outline.unchanged)}${bar}.`, ''];

  const fixed = textSize(top) + textSize(unchanged);
  const shown = fitBlocks(blocks, limit - fixed - RESERVE) ?? ['_The changes are too many to show here: `--json` has them._', ''];
  const rest = fitBlocks(detailBlocks(j), limit - fixed - textSize(shown)) ?? [`_The details are not shown (GitHub limits a comment's size); \`--json\` has everything._`, ''];
  return `${[...top, ...shown, ...unchanged, ...rest].join('\n').trimEnd()}\n`;
}

