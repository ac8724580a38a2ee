/**
 * schemabench installed with npm into a project of its own: the common specs
 * (helpers/installed-project.ts), then what a team checks in npm's project: plain Node
 * imports the package, a vitest.config.ts of the project's own built on
 * `schemabench/vitest` runs the suite, and the user's typecheck passes with TypeScript 5.9
 * and 7.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeInstalled } from './helpers/installed-project.ts';

describeInstalled('npm', ({ sh, write }) => {
  it('plain Node imports it: the public names, and schemabench/vitest', async () => {
    const names = async (specifier: string) => JSON.parse((await sh(['node', ['-e', `import(${JSON.stringify(specifier)}).then((m) => console.log(JSON.stringify(Object.keys(m))))`]])).stdout) as string[];
    expect(await names('schemabench')).toEqual(expect.arrayContaining(['benchmarkSuite', 'defineCase', 'defineFixtures', 'defineConfig', 'withConnection', 'runLoad', 'caseId']));
    expect(await names('schemabench/vitest')).toEqual(['defineSchemabenchConfig']);
  });

  it("the project's vitest.config.ts on schemabench/vitest runs its own tests and schemabench's projects", async () => {
    const { stdout } = await sh(['npx', ['--no-install', 'vitest', 'run', '--project', 'unit']]);
    expect(stdout).toMatch(/1 passed/);
    // `run` above used this config (the project's own): its "benchmarks" project came from it.
    const { stdout: listed } = await sh(['npx', ['--no-install', 'vitest', 'list', '--project', 'benchmarks', '--filesOnly']]);
    expect(listed).toContain('benchmarks/library/loans.bench.ts');
  }, 600_000);

  describe('the user\'s typecheck', () => {
    const TSCONFIG = { compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, noEmit: true, types: ['node'] }, include: ['schema', 'fixtures', 'benchmarks', 'unit', '*.ts'] };
    const tsc = (compiler: string, flags: string[]) =>
      sh(['node', [join('node_modules', compiler, 'bin', 'tsc'), '-p', '.', '--pretty', 'false', ...flags]]).then(
        () => [] as string[],
        (e: { stdout: string }) => e.stdout.split('\n').filter((l) => / error TS\d+/.test(l)),
      );

    beforeAll(async () => {
      write('tsconfig.json', `${JSON.stringify(TSCONFIG, null, 2)}\n`);
      await sh(['npm', ['install', '--save-dev', '--no-audit', '--no-fund', '--prefer-offline', 'ts59@npm:typescript@5.9.3', 'ts7@npm:typescript@7.0.2', '@types/node@20']]);
    }, 300_000);

    for (const compiler of ['ts59', 'ts7']) {
      it(`${compiler}: strict, NodeNext and Bundler resolution, skipLibCheck: no error`, async () => {
        expect(await tsc(compiler, [])).toEqual([]);
        expect(await tsc(compiler, ['--module', 'ESNext', '--moduleResolution', 'Bundler'])).toEqual([]);
      }, 600_000);

      it(`${compiler}: schemabench's declaration files pass with skipLibCheck false and exactOptionalPropertyTypes`, async () => {
        const errors = await tsc(compiler, ['--skipLibCheck', 'false', '--exactOptionalPropertyTypes']);
        // Third-party declaration files have errors of their own (drizzle-orm's other dialects); ours and the project's none.
        const elsewhere = errors.filter((l) => !/^node_modules\/(?!schemabench\/)/.test(l));
        expect(elsewhere).toEqual([]);
      }, 600_000);
    }
  });
});
