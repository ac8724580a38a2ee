/**
 * A supervised child's private TMPDIR (harness/cli/private-temp-dir.ts): created under
 * the machine's temp directory, named after the CLI's PID, removed with the child, and
 * the ones of dead CLIs reaped by the next start, never a live one's.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrivateTempDir, reapPrivateTempDirs } from '../harness/cli/private-temp-dir.ts';
import { runSupervised } from '../harness/cli/supervised-child.ts';
import { describeRun } from '../harness/run-descriptor.ts';

const root = mkdtempSync(join(tmpdir(), 'schemabench-private-tmp-spec-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('private temp directories', () => {
  it('the next start reaps those of dead CLIs, and leaves a live one', () => {
    const dead = join(root, 'schemabench-tmp-999999-abc');
    const live = join(root, `schemabench-tmp-${process.pid}-def`);
    const other = join(root, 'schemabench-tmp-notapid');
    for (const dir of [dead, live, other]) mkdirSync(join(dir, 'x', 'ssr'), { recursive: true });
    expect(reapPrivateTempDirs(root)).toEqual(['schemabench-tmp-999999-abc']);
    expect([existsSync(dead), existsSync(live), existsSync(other)]).toEqual([false, true, true]);
  });

  it('a supervised child writes under its own TMPDIR, removed when it exits; the machine temp dir is passed on', async () => {
    const report = join(root, 'child-env.json');
    // The machine's temp dir reaches the child in its run descriptor (harness/run-descriptor.ts).
    const script = `const os = require('node:os'); const fs = require('node:fs'); fs.mkdirSync(os.tmpdir() + '/left/ssr', { recursive: true }); fs.writeFileSync(${JSON.stringify(report)}, JSON.stringify({ tmp: os.tmpdir(), system: JSON.parse(process.env.SCHEMABENCH_RUN).systemTmpDir }));`;
    const outcome = await runSupervised(process.execPath, ['-e', script], { stdio: 'ignore', run: describeRun({}, {}, root) });
    expect(outcome.code).toBe(0);
    const seen = JSON.parse(readFileSync(report, 'utf8')) as { tmp: string; system: string };
    expect(seen.tmp).toMatch(new RegExp(`/schemabench-tmp-${process.pid}-[^/]+$`));
    expect(seen.system).toBe(tmpdir());
    expect(existsSync(seen.tmp)).toBe(false);
  });

  it('createPrivateTempDir makes a directory, and remove() takes it away', () => {
    const dir = createPrivateTempDir();
    try {
      writeFileSync(join(dir.path, 'f'), 'x');
      expect(dir.env.TMPDIR).toBe(dir.path);
    } finally {
      dir.remove();
    }
    expect(existsSync(dir.path)).toBe(false);
  });
});
