/**
 * A supervised child (harness/cli/supervised-child.ts) speaks through the CLI until the CLI
 * stops it; what its group prints while being stopped never reaches the terminal, so the
 * CLI's one line about the signal stays the last word. Deterministic counterpart of the
 * race run-lifecycle.test.ts can only hit by chance (vitest's "Worker exited unexpectedly").
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { collect, spawnTsx } from './helpers/run-tsx.ts';

describe('supervised child', () => {
  it('shows the child stderr while it runs, and nothing of it once SIGINT stops it', async () => {
    const cli = spawnTsx(join(import.meta.dirname, 'helpers', 'supervise-noisy-child.ts'));
    const finished = collect(cli);
    let seen = '';
    await new Promise<void>((resolve) => cli.stderr!.on('data', (d) => (seen += d).includes('child: working') && resolve()));
    cli.kill('SIGINT');
    const { code, stderr } = await finished;
    expect(code, stderr).toBe(130);
    expect(stderr.trim().split('\n'), stderr).toEqual(['child: working', 'schemabench: SIGINT, stopping and removing what this run started']);
  });
});
