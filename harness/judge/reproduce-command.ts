/**
 * The command lines that reproduce a compare, rendered from the report (base and head refs,
 * workloads, scale, seed): as it was run, and pinned to the measured commits when head was
 * a clean tree. The report does not record --filter or a subset of several workloads; a
 * run of several workloads is rendered as `--workload all`. Forecast scales other than the
 * default are read from a migration's forecast (`--forecast-scales off` leaves none to read).
 */
import { DEFAULT_FORECAST_SCALES, DEFAULTS } from '../config.ts';
import type { Judgement } from './judgement.ts';

/** What `schemabench compare` calls a head that is the working tree (CompareSide.ref). */
export const WORKING_TREE = 'working tree';

/**
 * A shell word: as is when it has only safe characters, otherwise single-quoted (nothing is
 * special inside '...'); with control characters, bash's $'...' with each one as \xHH, so
 * the command stays one printable line.
 */
export function shellWord(text: string): string {
  if (/^[A-Za-z0-9_./:@%+=,^~-]+$/.test(text)) return text;
  if (!/[\u0000-\u001f\u007f]/.test(text)) return `'${text.replace(/'/g, `'\\''`)}'`;
  const escaped = text.replace(/[\\']/g, (c) => `\\${c}`).replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `$'${escaped}'`;
}

export function reproduceCommands(report: Judgement): string[] {
  const workload = report.workloads.length === 1 ? report.workloads[0]! : 'all';
  // The seed comes from the environment (config.ts: options > env > defaults); compare has no --seed.
  const env = report.seed === DEFAULTS.seed ? '' : `SCHEMABENCH_SEED=${shellWord(String(report.seed))} `;
  const scales = report.migrations.find((m) => m.forecast)?.forecast?.scales;
  const forecast = scales && scales.join(',') !== DEFAULT_FORECAST_SCALES.join(',') ? ` --forecast-scales ${shellWord(scales.join(','))}` : '';
  const rest = `--workload ${shellWord(workload)} --scale ${shellWord(String(report.scale))}${forecast}`;
  const head = report.head.ref === WORKING_TREE ? '' : ` --head ${shellWord(report.head.ref)}`;
  const lines = [`${env}npx schemabench compare --base ${shellWord(report.base.ref)}${head} ${rest}`];
  if (!report.head.dirty && (report.base.ref !== report.base.commit || report.head.ref !== report.head.commit)) {
    lines.push(`${env}npx schemabench compare --base ${shellWord(report.base.commit)} --head ${shellWord(report.head.commit)} ${rest}`);
  }
  return lines;
}
