/**
 * The bars a benchmark file declares, per scale, as a `calibrate` bars run writes them
 * (one file per suite file in `<out>/bars/`): what `schemabench calibrate` measures and
 * what `calibrate --check` holds against the calibration data. Nothing is measured to
 * write it, and no server is started.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { firstProblem } from './results-validation.ts';

const barSchema = z.union([z.number().positive(), z.object({ calibrated: z.literal(true), margin: z.number().gt(0).lte(1) }), z.null()]);

const declaredSchema = z.object({
  /** The assertion's name: a comparison's, or a load ratio's (`load: metric numerator/denominator`). */
  id: z.string().min(1),
  kind: z.enum(['comparison', 'load-ratio']),
  scale: z.number().positive(),
  /** A number, `calibrated()`, or null: reported only at this scale. */
  bar: barSchema,
});

const barsFileSchema = z.object({ file: z.string().min(1), workload: z.string().min(1), profile: z.string().min(1), bars: z.array(declaredSchema) });

export type DeclaredBar = z.output<typeof declaredSchema>;
export type DeclaredBars = z.output<typeof barsFileSchema>;

export const barsDirectory = (outDir: string) => join(outDir, 'bars');

export function writeDeclaredBars(outDir: string, bars: DeclaredBars): void {
  const dir = barsDirectory(outDir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${bars.file.replace(/[^a-zA-Z0-9.-]+/g, '_')}.json`), `${JSON.stringify(barsFileSchema.parse(bars), null, 2)}\n`);
}

/** Every suite file's bars a bars run wrote to `outDir`; a bad file is an error naming it. */
export function readDeclaredBars(outDir: string): DeclaredBars[] {
  const dir = barsDirectory(outDir);
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return names.map((name) => {
    const parsed = barsFileSchema.safeParse(JSON.parse(readFileSync(join(dir, name), 'utf8')));
    if (!parsed.success) throw new Error(`${join(dir, name)}: ${firstProblem(parsed.error)}`);
    return parsed.data;
  });
}
