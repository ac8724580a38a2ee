/** `schemabench new NAME`: write a workload's first files, then its migrations. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.ts';
import { projectRoot } from '../project-root.ts';
import { generateMigrations } from '../workloads/generate-migrations.ts';
import { workloadFiles } from './workload-template.ts';

const NAME = /^[a-z][a-z0-9_-]{0,40}$/;

export async function scaffoldWorkload(name: string): Promise<string[]> {
  if (!NAME.test(name)) throw new UsageError(`a workload name is lowercase letters, digits, _ and -, starting with a letter (got ${JSON.stringify(name)})`);
  const root = projectRoot();
  const taken = ['schema', 'fixtures', 'benchmarks', 'migrations'].map((room) => join(root, room, name)).find((dir) => existsSync(dir));
  if (taken) throw new UsageError(`${taken} exists already: workload ${name} is taken (nothing was written)`);
  const files = workloadFiles(name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text, { flag: 'wx' });
  }
  const { written } = await generateMigrations(name, { name: `${name}_schema` });
  return [...Object.keys(files), ...written.map((f) => `migrations/${name}/${f}`)];
}
