/**
 * The migrations part of a comparison, per workload: head's new migrations
 * (new-migrations.ts) traced on a private copy of base's dataset (trace-migrations.ts),
 * and a note for each released migration head edited or removed (edited-migrations.ts).
 * Where base's dataset comes from is the caller's: `baseCopy` hands out a copy of it
 * (copyDataset of base's template) that is dropped after the workload's trace, whatever
 * happened. With `forecast`, the new files are traced again at several scales of base's
 * dataset and each trace gets its cost at production size (forecast-migrations.ts) and
 * the flags that cost earns (flag-rules.ts, flagForecast); a forecast that cannot be made
 * (a dataset that does not build) is a note, never the end of the comparison.
 */
import { join } from 'node:path';
import type { MigrationTrace } from '../judge/evidence.ts';
import { editedMigrations } from './edited-migrations.ts';
import { flagForecast, flagRules, type FlagRules } from './flag-rules.ts';
import { forecastMigrations } from './forecast-migrations.ts';
import type { MigrationFile } from './migration-files.ts';
import type { ForecastTarget } from './migration-forecast.ts';
import { newMigrations } from './new-migrations.ts';
import { traceMigrations } from './trace-migrations.ts';

export interface ChangeMigrationsRequest {
  /** Base's project folder (its migrations/<workload>/). */
  baseDir: string;
  /** Head's project folder. */
  headDir: string;
  workloads: string[];
  /**
   * A private copy of base's dataset of `workload`; called only when head has new migrations
   * for it. undefined when base has none (none of its suites of that workload ran).
   */
  baseCopy: (workload: string) => Promise<{ uri: string; drop(): Promise<void> } | undefined>;
  /** Notes of the report: edited and removed released migrations are added here. */
  notes: string[];
  /** Application clients while each file runs. @default 4 */
  clients?: number;
  /** Overrides of the flag rules. @default DEFAULT_FLAG_RULES */
  rules?: Partial<FlagRules>;
  /** Progress lines. @default no output */
  log?: (line: string) => void;
  /** Forecast the new files' cost at production size. @default no forecast */
  forecast?: ForecastPlan;
}

export interface ForecastPlan {
  /** Scales of base's dataset to trace at (at least two distinct). */
  scales: number[];
  /** Runs per scale. @default FORECAST_RUNS */
  runs?: number;
  /** A private copy of base's dataset of `workload` at `scale`. */
  copyAt: (workload: string, scale: number) => Promise<{ uri: string; drop(): Promise<void> }>;
  /** Production's size for `workload`. */
  target: (workload: string) => Promise<ForecastTarget>;
}

/** Each trace's forecast and its flags at production size; a note instead when it could not be made. */
async function addForecasts(request: ChangeMigrationsRequest, plan: ForecastPlan, workload: string, files: MigrationFile[], traces: MigrationTrace[]): Promise<void> {
  try {
    const forecasts = await forecastMigrations({
      workload,
      files,
      scales: plan.scales,
      copyAt: (scale) => plan.copyAt(workload, scale),
      target: await plan.target(workload),
      ...(plan.runs === undefined ? {} : { runs: plan.runs }),
      ...(request.clients === undefined ? {} : { clients: request.clients }),
      ...(request.rules ? { rules: request.rules } : {}),
      ...(request.log ? { log: request.log } : {}),
    });
    const rules = flagRules(request.rules);
    for (const trace of traces) {
      const forecast = forecasts.get(trace.file);
      if (!forecast) continue;
      trace.forecast = forecast;
      trace.flags.push(...flagForecast(trace, forecast, rules));
    }
  } catch (error) {
    request.notes.push(`${workload}: no forecast at production size: ${(error as Error).message.split('\n')[0]}`);
  }
}

export async function traceChangeMigrations(request: ChangeMigrationsRequest): Promise<MigrationTrace[]> {
  const traces: MigrationTrace[] = [];
  for (const workload of request.workloads) {
    const base = join(request.baseDir, 'migrations', workload);
    const head = join(request.headDir, 'migrations', workload);
    for (const m of editedMigrations(base, head)) {
      request.notes.push(`${workload}/${m.file}: released migration ${m.change} in head; a database base migrated never runs it again`);
    }
    const files = newMigrations(base, head);
    if (!files.length) continue;
    request.log?.(`schemabench: ${workload}: applying ${files.length} new migration${files.length === 1 ? '' : 's'} to a copy of base's data under load`);
    const copy = await request.baseCopy(workload);
    if (!copy) {
      request.notes.push(`${workload}: ${files.length} new migration(s) not traced: base built no ${workload} dataset (none of its suites ran; run without --filter)`);
      continue;
    }
    let traced: MigrationTrace[];
    try {
      const options = { uri: copy.uri, workload, files, ...(request.clients === undefined ? {} : { clients: request.clients }), ...(request.rules ? { rules: request.rules } : {}) };
      traced = await traceMigrations(options);
    } finally {
      await copy.drop();
    }
    if (request.forecast) await addForecasts(request, request.forecast, workload, files, traced);
    traces.push(...traced);
  }
  return traces;
}
