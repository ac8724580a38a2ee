/** `schemabench new NAME`: scaffold a workload (schema, fixtures, one benchmark, migrations). */
import { UsageError } from '../errors.ts';
import { packageManager } from '../package-manager.ts';
import { projectRoot } from '../project-root.ts';
import { scaffoldWorkload } from '../scaffold/scaffold-workload.ts';

export const NEW_USAGE = `schemabench new NAME
  Scaffold workload NAME: schema/NAME/schema.ts (one table), fixtures/NAME/fixtures.ts, a benchmark in
  benchmarks/NAME/ and its drizzle-kit migrations. Then: npx schemabench run --workload NAME`;

/** The arguments as typed: one workload name. */
export function parseNewArguments(args: string[]): string {
  const [name, ...rest] = args;
  if (!name || name.startsWith('-') || rest.length) throw new UsageError('usage: schemabench new NAME (one workload name)');
  return name;
}

export async function newCommand(name: string): Promise<number> {
  const files = await scaffoldWorkload(name);
  // npx, pnpm exec or yarn: the project's lockfile decides.
  const sb = packageManager(projectRoot()).exec('schemabench');
  process.stdout.write(`${files.map((f) => `  wrote ${f}`).join('\n')}\n\nnext: ${sb} fixtures --workload ${name}   (build and describe its dataset)\n      ${sb} run --workload ${name}        (run its benchmark)\n`);
  return 0;
}
