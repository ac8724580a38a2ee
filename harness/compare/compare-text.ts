/**
 * `schemabench compare` on a terminal: the verdict first, the two sides, the server and
 * scale; then a table of what changed only (regressions first) with its evidence; then the
 * change's migrations with their locks; one line counting what did not change; notes last.
 */
import { fmtInt, textTable } from '../report/text-table.ts';
import { compareChanges, verdictLine, migrationFlagged, orderedFindings, type ChangedItem } from './compare-changes.ts';
import { caseEvidence, comparisonSide, durationText, fmtX, latencyChange, locksText, migrationFlags, migrationName, msText, requiredText, sideText } from './compare-evidence.ts';
import type { CompareReport, MigrationTrace } from './compare-report.ts';
import { rewrittenTables } from './strongest-locks.ts';

/**
 * Text as one terminal line: line breaks become spaces, other control characters (an
 * escape sequence in a hostile case name would drive the terminal) become U+FFFD.
 */
export function plain(text: string): string {
  return text.replace(/\r\n|\r|\n/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '\ufffd');
}

/** The verdict line: `schemabench compare: REGRESSION (2); 1 improvement`. */
export function verdictText(report: CompareReport, counts = compareChanges(report)): string {
  return `schemabench compare: ${verdictLine(report.verdict, counts)}`;
}

const LABEL = { regression: 'REGRESSION', improvement: 'improvement', change: 'changed' } as const;

function changeRow(item: ChangedItem): string[] {
  const what = orderedFindings(item.diff.findings).map((f) => f.message);
  if (item.type === 'case') {
    const status = item.diff.status === 'unchanged' ? [] : [`case ${item.diff.status}`];
    return [LABEL[item.severity], item.diff.id, [...what, ...(what.length ? [] : status)].join('; '), latencyChange(item.diff), caseEvidence(item.diff).join('; ')];
  }
  const d = item.diff;
  const speedup = (s: typeof d.base) => (s ? fmtX(s.speedup.estimate) : '-');
  const evidence = [`base ${comparisonSide(d.base)}`, `head ${comparisonSide(d.head)}`, `required ${requiredText(d.threshold)}`];
  return [LABEL[item.severity], d.name, what.join('; '), `${speedup(d.base)} -> ${speedup(d.head)}`, evidence.join('; ')];
}

function migrationRow(m: MigrationTrace): string[] {
  const rewrites = rewrittenTables(m);
  return [
    migrationFlagged(m) ? 'FLAGGED' : 'ok',
    migrationName(m),
    msText(m.durationMs),
    String(m.statements),
    locksText(m),
    rewrites.length ? rewrites.join(', ') : 'none',
    fmtInt(m.rowsTouched),
    msText(m.worstClientWaitMs),
    migrationFlags(m).join('; ') || '-',
  ];
}

export function compareText(report: CompareReport): string {
  const changes = compareChanges(report);
  const lines = [
    verdictText(report, changes),
    // The header's values come from git and the server: one line each, whatever they hold.
    `base    ${plain(sideText(report.base))}`,
    `head    ${plain(sideText(report.head))}`,
    `server  ${plain(`${report.server.provider}, PostgreSQL ${report.server.version}`)}`,
    `scale   ${report.scale} (seed ${report.seed}); workloads ${plain(report.workloads.join(', ') || 'none')}; ${durationText(report.durationMs)}`,
  ];
  if (!report.paired) lines.push('latency not paired: base and head could not take turns, so no latency ratio was judged');
  lines.push('');
  const rows = changes.items.map(changeRow);
  if (rows.length) {
    lines.push(textTable([{ header: 'change' }, { header: 'case or comparison' }, { header: 'what' }, { header: 'base -> head' }, { header: 'evidence' }], rows.map((r) => r.map(plain))), '');
  } else {
    lines.push('no case or comparison changed', '');
  }
  if (report.migrations.length) {
    const ordered = [...report.migrations].sort((a, b) => Number(migrationFlagged(b)) - Number(migrationFlagged(a)));
    lines.push(`migrations of the change (${report.migrations.length}, applied to base's data under concurrent clients):`);
    lines.push(
      textTable(
        [
          { header: '' },
          { header: 'migration' },
          { header: 'duration', align: 'right' },
          { header: 'statements', align: 'right' },
          { header: 'strongest lock per table, held' },
          { header: 'rewrites' },
          { header: 'rows touched', align: 'right' },
          { header: 'worst client wait', align: 'right' },
          { header: 'flags' },
        ],
        ordered.map((m) => migrationRow(m).map(plain)),
      ),
      '',
    );
  }
  const u = changes.unchanged;
  const bar = report.paired ? `; a latency ratio regresses when its interval lies wholly above ${fmtX(report.latencyThreshold)}` : '';
  lines.push(`unchanged: ${u.cases} case${u.cases === 1 ? '' : 's'}, ${u.comparisons} comparison${u.comparisons === 1 ? '' : 's'}${bar}`);
  for (const note of report.notes) lines.push(`note: ${plain(note)}`);
  return `${lines.join('\n')}\n`;
}
