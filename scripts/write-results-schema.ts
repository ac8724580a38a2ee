/** Writes docs/results.schema.json from the zod schema every command checks (specs/results-validation.test.ts keeps it current). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultsJsonSchema } from '../harness/results/results-validation.ts';

writeFileSync(join(import.meta.dirname, '..', 'docs', 'results.schema.json'), `${JSON.stringify(resultsJsonSchema(), null, 2)}\n`);
