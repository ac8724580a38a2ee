/**
 * Collects one benchmark file's results and writes them as a part file; the run's
 * global teardown merges the parts into results.json (results-file.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectRoot } from '../project-root.ts';
import { partsDirectory } from '../results/results-file.ts';
import type { CaseResult, ComparisonResult, DatasetDetails, LoadResult, MeasurementWindow, MetricResult, ResultsPart, SkippedResult } from '../results/results-schema.ts';

export class ResultsCollector {
  readonly cases: CaseResult[] = [];
  readonly comparisons: ComparisonResult[] = [];
  readonly metrics: MetricResult[] = [];
  readonly loads: LoadResult[] = [];
  readonly skipped: SkippedResult[] = [];
  datasetKey = '';
  dataset: DatasetDetails | undefined;

  constructor(
    readonly file: string,
    readonly workload: string,
  ) {}

  addCase(result: CaseResult): void {
    const i = this.cases.findIndex((c) => c.name === result.name && c.variant === result.variant && c.scale === result.scale);
    if (i >= 0) this.cases[i] = result;
    else this.cases.push(result);
  }

  addComparison(result: ComparisonResult): void {
    this.comparisons.push(result);
  }

  addMetric(metric: MetricResult): void {
    this.metrics.push(metric);
  }

  addLoad(result: LoadResult): void {
    this.loads.push(result);
  }

  addSkipped(skipped: SkippedResult): void {
    this.skipped.push(skipped);
  }

  /** Writes the part; every result names this file, and `windows` are when it measured (compare). */
  write(windows: readonly MeasurementWindow[] = []): void {
    if (!this.cases.length && !this.comparisons.length && !this.metrics.length && !this.loads.length && !this.skipped.length) return;
    const dir = partsDirectory();
    mkdirSync(dir, { recursive: true });
    const file = relative(projectRoot(), this.file);
    const stamped = <T extends object>(items: T[]) => items.map((item) => ({ ...item, file }));
    const part: ResultsPart = {
      file,
      workload: this.workload,
      datasetKey: this.datasetKey,
      ...(this.dataset ? { dataset: this.dataset } : {}),
      cases: stamped(this.cases),
      comparisons: stamped(this.comparisons),
      metrics: stamped(this.metrics),
      ...(this.loads.length ? { loads: stamped(this.loads) } : {}),
      ...(this.skipped.length ? { skipped: this.skipped } : {}),
      ...(windows.length ? { measurements: [...windows] } : {}),
    };
    const name = part.file.replace(/[^a-zA-Z0-9.-]+/g, '_');
    writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(part, null, 2)}\n`);
  }
}
