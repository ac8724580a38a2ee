/**
 * The change's new migration files traced again on base's dataset at several scales
 * (compare's `--forecast-scales`, default 0.1, 0.3 and 1), `runs` times each, then
 * fitted and predicted at production size (migration-forecast.ts). Each run applies
 * every file in order to a fresh copy of the scale's dataset, under the same application
 * clients and lock sampler as compare's own trace (trace-migrations.ts), so the points
 * measure what compare measures. Runs go scale by scale and start again from the smallest
 * (0.1, 0.3, 1, 0.1, 0.3, 1): a stretch of a busy machine lands on several scales rather
 * than bending the curve at one.
 */
import type { MigrationForecast } from '../judge/evidence.ts';
import type { FlagRules } from './flag-rules.ts';
import type { MigrationFile } from './migration-files.ts';
import { migrationForecast, type ForecastTarget, type TracedRun } from './migration-forecast.ts';
import { traceMigrations } from './trace-migrations.ts';

/** Runs per scale: with three scales, six points and four degrees of freedom for a two-parameter fit (t = 2.78 at 95%). */
export const FORECAST_RUNS = 2;

export interface ForecastRequest {
  workload: string;
  /** The new files, in order. */
  files: MigrationFile[];
  /** Scales of base's dataset to trace at (at least two). */
  scales: number[];
  /** A private copy of base's dataset of the workload at `scale`; dropped after one run. */
  copyAt: (scale: number) => Promise<{ uri: string; drop(): Promise<void> }>;
  target: ForecastTarget;
  /** Runs per scale. @default FORECAST_RUNS */
  runs?: number;
  /** Application clients while each file runs. @default 4 */
  clients?: number;
  rules?: Partial<FlagRules>;
  log?: (line: string) => void;
}

/** Per file, its forecast. */
export async function forecastMigrations(request: ForecastRequest): Promise<Map<string, MigrationForecast>> {
  const runs = request.runs ?? FORECAST_RUNS;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be an integer >= 1 (got ${JSON.stringify(request.runs)})`);
  if (new Set(request.scales).size < 2) throw new Error(`scales must hold at least two distinct scales (got ${JSON.stringify(request.scales)})`);
  const traced: TracedRun[] = [];
  for (let run = 1; run <= runs; run++) {
    for (const scale of request.scales) {
      request.log?.(`schemabench: ${request.workload}: forecast run ${run} of ${runs}: tracing ${request.files.length} file${request.files.length === 1 ? '' : 's'} at scale ${scale}`);
      const copy = await request.copyAt(scale);
      try {
        const options = { uri: copy.uri, workload: request.workload, files: request.files, ...(request.clients === undefined ? {} : { clients: request.clients }), ...(request.rules ? { rules: request.rules } : {}) };
        traced.push({ scale, traces: await traceMigrations(options) });
      } finally {
        await copy.drop();
      }
    }
  }
  return new Map(request.files.map((f) => [f.file, migrationForecast(f.file, traced, request.target)]));
}
