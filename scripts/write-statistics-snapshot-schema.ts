/** Writes docs/statistics-snapshot.schema.json from the zod schema snapshots are read with (specs/statistics-snapshot.test.ts keeps it current). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { statisticsSnapshotJsonSchema } from '../harness/stats/statistics-snapshot.ts';

writeFileSync(join(import.meta.dirname, '..', 'docs', 'statistics-snapshot.schema.json'), `${JSON.stringify(statisticsSnapshotJsonSchema(), null, 2)}\n`);
