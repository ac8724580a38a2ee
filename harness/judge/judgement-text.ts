/**
 * A Judgement on a terminal, within 100 columns: the verdict first, the two sides, the
 * server and scale; then each cause with the subjects it touched, their messages and
 * evidence; the change's migrations; what did not change; notes last. Long lines wrap
 * with a hanging indent instead of widening a table.
 */
import { fmtInt } from '../report/text-table.ts';
import { wrapText } from '../report/wrap-text.ts';
import { durationText, fmtX, latencyFamilyText, forecastAtText, forecastFacts, forecastFitText, forecastPoints, serverText, locksText, migrationFlags, migrationName, msText, sideText } from './evidence-text.ts';
import type { MigrationTrace } from './evidence.ts';
import type { Severity } from './finding.ts';
import { judgementOutline, unchangedText } from './judgement-outline.ts';
import type { Judgement } from './judgement.ts';
import { rewrittenTables } from './strongest-locks.ts';

/** Width of the terminal text, characters. */
export const TEXT_WIDTH = 100;

/**
 * Text as one terminal line: line breaks become spaces, other control characters (an
 * escape sequence in a hostile case name would drive the terminal) become U+FFFD.
 */
export function plain(text: string): string {
  return text.replace(/\r\n|\r|\n/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '\ufffd');
}

/** `text` wrapped to TEXT_WIDTH, the first line after `indent` spaces, the others after `indent + 4`. */
export function wrapped(text: string, indent = 0): string[] {
  const lines = wrapText(plain(text), TEXT_WIDTH - indent - 4);
  return lines.map((l, i) => `${' '.repeat(i ? indent + 4 : indent)}${l}`);
}

const LABEL: Record<Severity, string> = { regression: 'REGRESSION', improvement: 'improvement', change: 'changed' };
const SIDES = { compare: ['base', 'head'], gate: ['baseline', 'results'] } as const;

function migrationLines(m: MigrationTrace): string[] {
  const flagged = m.flags.length > 0 || m.error !== undefined;
  const rewrites = rewrittenTables(m);
  const facts = [`${msText(m.durationMs)}`, `${m.statements} statement${m.statements === 1 ? '' : 's'}`, `rows touched ${fmtInt(m.rowsTouched)}`, `worst client wait ${msText(m.worstClientWaitMs)}`];
  return [
    ...wrapped(`${flagged ? 'FLAGGED' : 'ok'} ${migrationName(m)}: ${facts.join(', ')}`, 2),
    ...wrapped(`locks: ${locksText(m)}${rewrites.length ? `; rewrites ${rewrites.join(', ')}` : ''}`, 6),
    ...(flagged ? wrapped(`flags: ${migrationFlags(m).join('; ')}`, 6) : []),
    ...(m.forecast
      ? [
          ...wrapped(`at ${forecastAtText(m.forecast)}, ${forecastFitText(m.forecast)}:`, 6),
          ...wrapped(forecastFacts(m.forecast).join('; '), 8),
          ...wrapped(`points: ${forecastPoints(m.forecast).join('; ') || 'none'}`, 8),
        ]
      : []),
  ];
}

export function judgementText(j: Judgement): string {
  const outline = judgementOutline(j);
  const [baseLabel, headLabel] = SIDES[j.command];
  const lines = [
    ...wrapped(`schemabench ${j.command}: ${outline.verdict}`),
    ...wrapped(`${baseLabel.padEnd(8)} ${sideText(j.base)}`),
    ...wrapped(`${headLabel.padEnd(8)} ${sideText(j.head)}`),
    ...wrapped(`server   ${serverText(j.server)}`),
    ...wrapped(`scale    ${j.scale} (seed ${j.seed}); workloads ${j.workloads.join(', ') || 'none'}${j.durationMs ? `; ${durationText(j.durationMs)}` : ''}`),
  ];
  if (j.command === 'compare' && !j.paired) lines.push(...wrapped('latency not paired: base and head could not take turns, so no latency ratio was judged'));
  lines.push('');
  for (const g of outline.groups) {
    lines.push(...wrapped(`${LABEL[g.severity]}  ${g.cause}`));
    for (const s of g.subjects) {
      lines.push(...wrapped(`${s.label}: ${s.messages.map((m) => m.text).join('; ')}`, 2));
      if (s.evidence.length) lines.push(...wrapped(s.evidence.join('; '), 6));
    }
  }
  if (!outline.groups.length) lines.push('nothing changed');
  lines.push('');
  if (j.alreadyFailing.length) {
    lines.push(`failing on ${headLabel}, and already on ${baseLabel} (${j.alreadyFailing.length}):`);
    for (const t of j.alreadyFailing) lines.push(...wrapped(t, 2));
    lines.push('');
  }
  if (j.migrations.length) {
    lines.push(`migrations of the change (${j.migrations.length}, applied to base's data under concurrent clients):`);
    const ordered = [...j.migrations].sort((a, b) => Number(b.flags.length > 0 || b.error !== undefined) - Number(a.flags.length > 0 || a.error !== undefined));
    for (const m of ordered) lines.push(...migrationLines(m));
    lines.push('');
  }
  const bar = j.paired ? `; a latency ratio regresses when its interval lies wholly above ${fmtX(j.rules.latencyThreshold)}${latencyFamilyText(j.latencyFamily)}` : '';
  lines.push(...wrapped(`${unchangedText(outline.unchanged)}${bar}`));
  for (const line of j.unmeasured) lines.push(...wrapped(`not measured: ${line}`));
  for (const note of j.notes) lines.push(...wrapped(`note: ${note}`));
  return `${lines.join('\n')}\n`;
}
