/** `schemabench new NAME`: scaffold a workload (schema, fixtures, one benchmark, migrations). */
import { UsageError } from '../errors.ts';
import { scaffoldWorkload } from '../scaffold/scaffold-workload.ts';

export const NEW_USAGE = `schemabench new NAME
  Scaffold workload NAME: schema/NAME/schema.ts (one table), fixtures/NAME/fixtures.ts, a benchmark in
  benchmarks/NAME/ and its drizzle-kit migrations. Then: npx schemabench run --workload NAME`;

export async function newCommand(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (!name || name.startsWith('-') || rest.length) throw new UsageError('usage: schemabench new NAME (one workload name)');
  const files = await scaffoldWorkload(name);
  process.stdout.write(`${files.map((f) => `  wrote ${f}`).join('\n')}\n\nnext: npx schemabench fixtures --workload ${name}   (build and describe its dataset)\n      npx schemabench run --workload ${name}        (run its benchmark)\n`);
  return 0;
}
