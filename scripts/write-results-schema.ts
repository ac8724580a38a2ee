/**
 * Writes docs/results.schema.json and docs/calibration.schema.json from the zod schemas
 * every command checks (specs/results-validation.test.ts and specs/calibration.test.ts keep them current).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calibrationJsonSchema } from '../harness/results/calibration-file.ts';
import { resultsJsonSchema } from '../harness/results/results-validation.ts';

const docs = join(import.meta.dirname, '..', 'docs');
writeFileSync(join(docs, 'results.schema.json'), `${JSON.stringify(resultsJsonSchema(), null, 2)}\n`);
writeFileSync(join(docs, 'calibration.schema.json'), `${JSON.stringify(calibrationJsonSchema(), null, 2)}\n`);
