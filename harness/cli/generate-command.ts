/** `schemabench generate`: drizzle-kit migrations for one workload or all, from schema/<W>/. */
import { parseCommandLine } from './parse-command-line.ts';

export const GENERATE_USAGE = `schemabench generate [--workload NAME|all] [--custom --name TAG]
  Write drizzle-kit migrations for schema/NAME/ into migrations/NAME/ (default: all workloads).
  --custom --name TAG   an empty migration NNNN_TAG.sql for SQL drizzle cannot express (partitions, views' indexes)`;

/** The arguments as typed, checked before the workloads' modules (drizzle, pg) load. */
export function parseGenerateArguments(args: string[]) {
  return parseCommandLine('generate', args, {
    workload: { type: 'string', default: 'all' },
    custom: { type: 'boolean', default: false },
    name: { type: 'string' },
  });
}

export async function generateCommand(values: ReturnType<typeof parseGenerateArguments>): Promise<number> {
  const [{ checkWorkloadName, workloadNames }, { generateMigrations }] = await Promise.all([import('../workloads/load-workload.ts'), import('../workloads/generate-migrations.ts')]);
  const names = values.workload === 'all' ? workloadNames() : [checkWorkloadName(values.workload)];
  for (const name of names) {
    const { written } = await generateMigrations(name, { custom: values.custom, name: values.name });
    process.stdout.write(written.length ? `${name}: wrote ${written.map((f) => `migrations/${name}/${f}`).join(', ')}\n` : `${name}: no schema changes\n`);
  }
  return 0;
}
