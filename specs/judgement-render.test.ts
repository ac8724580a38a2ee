/**
 * How a Judgement is shown, by the renderers both commands share (pure functions on
 * judgements of hand-built results: nothing is measured). The markdown is rendered to
 * HTML by micromark with its GFM extension — the CommonMark + GFM reference parser,
 * tables, strikethrough, autolinks and raw HTML as GitHub has them — so that the tests
 * see tables, tags and text as a reader would.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMENT_LIMIT, fitBlocks, type MarkdownBlock } from '../harness/judge/comment-budget.ts';
import { judge } from '../harness/judge/judge.ts';
import { COMPARE_MARKER, judgementMarkdown } from '../harness/judge/judgement-markdown.ts';
import { judgementText, TEXT_WIDTH } from '../harness/judge/judgement-text.ts';
import type { Judgement } from '../harness/judge/judgement.ts';
import { reproduceCommands } from '../harness/judge/reproduce-command.ts';
import { strongestLocks } from '../harness/judge/strongest-locks.ts';
import { checkJudgementOutputs, writeJudgementOutputs } from '../harness/judge/write-judgement-outputs.ts';
import { UsageError } from '../harness/errors.ts';
import { PACKAGE_ROOT } from '../harness/package-root.ts';
import { HOSTILE, hostileJudgement, kase, sampleInput, sampleJudgement, unchanged } from './helpers/judge-evidence.ts';

/** GitHub renders raw HTML in comments (and then sanitizes it): allow it, as GitHub does. */
const html = (markdown: string) => micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });

/** Tags the renderer itself writes or that its markdown produces; anything else was injected. */
const ALLOWED_TAGS = new Set(['h2', 'h3', 'p', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'br', 'strong', 'details', 'summary', 'ul', 'li', 'pre']);

const tagsOf = (page: string) => [...page.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase());

/** Every table's body rows have as many cells as its header. */
function tableShapes(page: string): { header: number; rows: number[] }[] {
  return [...page.matchAll(/<table>([\s\S]*?)<\/table>/g)].map(([, table]) => {
    const [head, body = ''] = table!.split('<tbody>');
    return { header: (head!.match(/<th[ >]/g) ?? []).length, rows: [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row]) => (row!.match(/<td[ >]/g) ?? []).length) };
  });
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** Base and head the same: nothing changed. */
function passingJudgement(): Judgement {
  const input = sampleInput();
  input.head = structuredClone(input.base);
  for (const c of input.head.cases) c.rounds!.turns = c.rounds!.turns!.map((t) => t + 1);
  input.paired = { ...input.paired!, migrations: [input.paired!.migrations[1]!], tests: { base: { failed: [], passed: [] }, head: { failed: [], passed: [] } } };
  input.notes = [];
  return judge(input);
}

/** The sample with `n` more unchanged cases, named by `name(i)`. */
function withUnchanged(n: number, name: (i: number) => string): Judgement {
  const input = sampleInput();
  for (let i = 0; i < n; i++) {
    for (const [side, file] of [['base', input.base], ['head', input.head]] as const) file.cases.push({ ...unchanged(i + 10, side), name: name(i) });
  }
  return judge(input);
}

/** A temporary folder removed after the test. */
const scratch: string[] = [];
function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'schemabench-outputs-'));
  scratch.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const VERDICT = 'REGRESSION (2); 1 test failing on head, already on base; 1 improvement, 2 other changes';

describe('what changed, by cause', () => {
  it('groups regressions first (a flagged migration is one), then improvements, then other changes; unchanged subjects counted', () => {
    const j = sampleJudgement();
    expect(j.groups.map((g) => [g.severity, g.cause])).toEqual([
      ['regression', 'index carts_user_id_idx no longer used (store, scale 1)'],
      ['regression', 'migration store/0004_loyalty_points.sql'],
      ['improvement', 'case receipts/index/purchase-date[btree] (receipts, scale 1)'],
      ['change', 'case store/carts/items[normalized] (store, scale 1)'],
      ['change', 'case store/users/new[normalized] (store, scale 1)'],
    ]);
  });

  it('the strongest lock per table, held as long as that mode was seen; rewrites kept', () => {
    const locks = strongestLocks([
      { table: 'users', mode: 'RowExclusiveLock', heldMs: 900, rows: 10, rewritten: false },
      { table: 'users', mode: 'AccessExclusiveLock', heldMs: 3, rows: 10, rewritten: true },
      { table: 'users', mode: 'AccessExclusiveLock', heldMs: 12, rows: 10, rewritten: false },
      { table: 'carts', mode: 'ShareUpdateExclusiveLock', heldMs: 50, rows: 5, rewritten: false },
    ]);
    expect(locks).toEqual([
      { table: 'users', mode: 'AccessExclusiveLock', heldMs: 12, rows: 10, rewritten: true },
      { table: 'carts', mode: 'ShareUpdateExclusiveLock', heldMs: 50, rows: 5, rewritten: false },
    ]);
  });
});

describe('judgementText (terminal)', () => {
  it('the verdict first, the sides, server and scale; each cause with its subjects and evidence; migrations; unchanged count; notes last', () => {
    const lines = judgementText(sampleJudgement()).trimEnd().split('\n');
    expect(lines.slice(0, 2).join(' ').replace(/\s+/g, ' ')).toBe(`schemabench compare: ${VERDICT}`);
    expect(lines.slice(2, 6)).toEqual(['base     origin/main 0123456789ab', 'head     working tree fedcba987654 (uncommitted changes)', 'server   embedded, PostgreSQL 17.10', 'scale    1 (seed 20240601); workloads receipts, store; 4m 12s']);
    const causes = lines.filter((l) => /^(REGRESSION|improvement|changed) /.test(l));
    expect(causes.map((r) => r.split(/\s{2,}/)[0])).toEqual(['REGRESSION', 'REGRESSION', 'improvement', 'changed', 'changed']);
    const text = lines.join('\n').replace(/\n {4,}/g, ' ');
    for (const evidence of ['indexes carts_user_id_idx -> none', 'seq scans none -> carts', 'buffers 12 -> 3,456', 'latency 16.19x', 'base 15.36x [14.14, 16.69] pass; head 1.01x [0.98, 1.04] FAIL; required >= 10.00x']) expect(text).toContain(evidence);
    expect(text).toContain('test store [scale=1] store/carts: index vs none [scale=1]: fails on head (passed on base)');
    const flagged = lines.findIndex((l) => l.startsWith('  FLAGGED'));
    for (const fact of ['store/0004_loyalty_points.sql', '1,834 ms', 'rows touched 200,000', '1,760 ms']) expect(lines[flagged]! + lines[flagged + 1]!).toContain(fact);
    expect(text).toContain('locks: users AccessExclusiveLock 1,790 ms; rewrites users');
    expect(text).toContain('failing on head, and already on base (1):');
    // Unchanged cases are counted, not listed.
    expect(lines.some((l) => l.includes('store/unchanged/'))).toBe(false);
    expect(lines.at(-3)).toBe('2 cases, 1 comparison unchanged; a latency ratio regresses when its interval lies wholly above 1.10x'.slice(0, lines.at(-3)!.length));
    expect(lines.at(-1)).toBe('note: base: a note for the reader');
  });

  it(`fits ${TEXT_WIDTH} columns, whatever the names`, () => {
    for (const j of [sampleJudgement(), hostileJudgement(), withUnchanged(1, () => `store/${'very-long-name/'.repeat(20)}x`)]) {
      const long = judgementText(j).split('\n').filter((l) => [...l].length > TEXT_WIDTH);
      expect(long).toEqual([]);
    }
  });

  it('nothing changed: PASS', () => {
    const text = judgementText(passingJudgement());
    expect(text.split('\n')[0]).toBe('schemabench compare: PASS; nothing changed');
    expect(text).toContain('nothing changed');
  });

  it('a hostile name cannot add lines or drive the terminal (no control characters out)', () => {
    const text = judgementText(hostileJudgement());
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    // Each value stays within its own lines: every line that is not a continuation starts as a renderer's line does.
    for (const line of text.split('\n').filter((l) => l && !l.startsWith(' '))) expect(line).toMatch(/^(schemabench |base |head |server |scale |REGRESSION |improvement |changed |failing |migrations |\d+ cases|note: )/);
  });
});

describe('judgementMarkdown (pull-request comment)', () => {
  it('the hidden marker, then the verdict heading first', () => {
    const md = judgementMarkdown(sampleJudgement());
    const lines = md.split('\n');
    expect(lines[0]).toBe(COMPARE_MARKER);
    expect(lines[1]).toBe(`## ❌ schemabench compare: ${VERDICT}`);
    expect(judgementMarkdown(passingJudgement()).split('\n')[1]).toBe('## ✅ schemabench compare: PASS; nothing changed');
    const page = html(md);
    // The marker stays a comment (hidden when rendered); the first thing shown is the verdict.
    expect(page.startsWith(`${COMPARE_MARKER}\n<h2>❌ schemabench compare: REGRESSION (2)`)).toBe(true);
  });

  it('above <details>: only what changed, by cause, regressions before improvements before other changes; a dropped index is one row', () => {
    const md = judgementMarkdown(sampleJudgement());
    const [above, below] = [md.slice(0, md.indexOf('<details>')), md.slice(md.indexOf('<details>'))];
    const headings = [...above.matchAll(/^### (.*)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(['❌ Regressions (2)', '✅ Improvements (1)', '🔄 Other changes (2)', '⚠️ Failing on head, already on base (1)']);
    const index = above.split('\n').filter((l) => l.includes('carts\\_user\\_id\\_idx no longer used'));
    expect(index).toHaveLength(1);
    for (const e of ['store/carts/by-user\\[normalized\\]', 'store/carts/by-user\\[none\\]', 'comparison store/carts: index vs none', 'fails on head (passed on base)', 'indexes carts\\_user\\_id\\_idx → none', 'buffers 12 → 3,456', 'head 1.01x \\[0.98, 1.04\\] FAIL']) expect(index[0]).toContain(e);
    // What did not change is folded: unchanged cases, the passing comparison, the safe migration, notes.
    for (const folded of ['store/unchanged/case-0001', 'receipts/date-analysis', '0005\\_loyalty\\_points\\_safe', 'a note for the reader']) {
      expect(above).not.toContain(folded);
      expect(below).toContain(folded);
    }
    expect(above).toContain('2 cases, 1 comparison unchanged');
  });

  it('everything else folded: every case with its ratio, comparisons, migrations, notes, the command that reproduces it', () => {
    const md = judgementMarkdown(sampleJudgement());
    const summaries = [...md.matchAll(/<details><summary>(.*?)<\/summary>/g)].map((m) => m[1]);
    expect(summaries).toEqual([
      'All cases (8): p50 and latency head / base, 99.29% intervals',
      'All comparisons (2): speedup on base and on head',
      'Migrations of the change (2), applied to base&#39;s data under concurrent clients',
      'Notes (1)',
      'How to reproduce',
    ]);
    expect(md).toMatch(/\| store\/unchanged\/case-0001\\\[normalized\\\] \| unchanged \| 0\.20 → 0\.20 \| 1\.00x \\\[/);
    expect(md).toContain('\n```\nnpx schemabench compare --base origin/main --workload all --scale 1\n```\n');
    const page = html(md);
    expect(page.match(/<details>/g)).toHaveLength(5);
    expect(page.match(/<\/details>/g)).toHaveLength(5);
    for (const shape of tableShapes(page)) expect(shape.rows.every((n) => n === shape.header)).toBe(true);
  });

  it('a hostile case name, message, SQL, index, table, ref, server version and note cannot break a table, inject HTML or notify anyone', () => {
    const md = judgementMarkdown(hostileJudgement());
    const page = html(md);
    // Tags: only the renderer's own; the one comment is the marker.
    expect([...new Set(tagsOf(page))].filter((t) => !ALLOWED_TAGS.has(t))).toEqual([]);
    expect(page.match(/<!--/g)).toHaveLength(1);
    expect(page).not.toMatch(/<script|<img|<a |<del>/i);
    // Tables keep their shape: each body row has the header's number of cells, and as many tables as a benign report.
    const shapes = tableShapes(page);
    expect(shapes.length).toBe(tableShapes(html(judgementMarkdown(sampleJudgement()))).length);
    expect(shapes.every((s) => s.rows.every((n) => n === s.header))).toBe(true);
    expect([page.match(/<details>/g)?.length, page.match(/<\/details>/g)?.length]).toEqual([5, 5]);
    // The text is shown as text, whole: escaped, not interpreted.
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt; &amp; `tick` **bold** [link](javascript:alert(3)) &lt;/details&gt; &lt;!--');
    // Mentions and issue references are neutralised: GitHub's patterns no longer match outside code.
    // (HTML character references such as &#39; are characters, not issue references.)
    const text = page.replace(/<pre>[\s\S]*?<\/pre>|<code>[\s\S]*?<\/code>/g, '').replace(/&#\d+;/g, '');
    expect(text).toContain('@\u200boctocat');
    expect(text).not.toMatch(/(^|[^\w`])@[A-Za-z0-9]/);
    expect(text).not.toMatch(/#\d/);
    expect(text).not.toMatch(/\bGH-\d/i);
    // The reproduce command quotes the ref as one shell word, inside a code block it cannot close.
    expect(page).toContain(`<pre><code>npx schemabench compare --base $'origin/evil | &lt;script&gt;`);
    expect(HOSTILE).toContain('\n');
  });

  it('a mention in a variant, a parameter or SQL is neutralised too', () => {
    const input = sampleInput();
    for (const side of [input.base, input.head]) side.cases.push(kase('store/x', '@octocat', { sql: 'select 1 -- cc @octocat, fixes #12', side: side === input.base ? 'base' : 'head' }));
    input.head.cases.at(-1)!.sql = 'select 2 -- cc @octocat, fixes #12';
    const text = html(judgementMarkdown(judge(input))).replace(/<pre>[\s\S]*?<\/pre>|<code>[\s\S]*?<\/code>/g, '').replace(/&#\d+;/g, '');
    expect(text).toContain('store/x[@\u200boctocat]');
    expect(text).not.toMatch(/(^|[^\w`])@octocat|#12/);
  });

  it(`stays under GitHub's ${COMMENT_LIMIT}-character limit: the folded part is cut with a line saying so, the verdict and changes stay`, () => {
    const long = 'x'.repeat(150);
    const j = withUnchanged(3000, (i) => `store/unchanged/${long}/${i}`);
    const md = judgementMarkdown(j);
    expect(bytes(md)).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(md.split('\n')[1]).toBe(`## ❌ schemabench compare: ${VERDICT}`);
    expect(md).toMatch(/_[\d,]+ more rows not shown \(GitHub limits a comment's size\); `--json` has everything\._/);
    const above = md.slice(0, md.indexOf('<details>'));
    const plain = judgementMarkdown(sampleJudgement());
    // 3000 more cases judged together widen every latency interval: the same text but for those figures.
    const figures = (t: string) => t.replace(/\\\[[\d.,]+, [\d.,]+\\\] \([\d.]+%\)/g, '[…]').replace(/ \(\d+ cases together: [^)]*\([^)]*\)\)| \(\d+ cases together: [^)]*\)/g, '');
    expect(figures(above)).toBe(figures(plain.slice(0, plain.indexOf('<details>'))).replace('2 cases,', '3002 cases,'));
    expect(md).toContain('a note for the reader');
    expect(md).toContain('npx schemabench compare --base origin/main');
    const page = html(md);
    expect([page.match(/<details>/g)?.length, page.match(/<\/details>/g)?.length]).toEqual([5, 5]);
    for (const shape of tableShapes(page)) expect(shape.rows.every((n) => n === shape.header)).toBe(true);
    // Multi-byte text is counted in bytes: never over the limit in characters either.
    expect(bytes(judgementMarkdown(withUnchanged(3000, (i) => `store/照合/${'検'.repeat(60)}/${i}`)))).toBeLessThanOrEqual(COMMENT_LIMIT);
  });

  it('too many changes for one comment: the verdict and as many causes as fit, then a line saying what was left out', () => {
    const input = sampleInput();
    for (let i = 0; i < 2000; i++) {
      input.base.cases.push(kase(`store/regressed/${i}`, 'n', { indexes: [`idx_${i}`], buffers: 10, side: 'base' }));
      input.head.cases.push(kase(`store/regressed/${i}`, 'n', { seqScans: ['carts'], buffers: 5000, side: 'head' }));
    }
    const md = judgementMarkdown(judge(input));
    expect(bytes(md)).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(md.split('\n')[1]).toMatch(/^## ❌ schemabench compare: REGRESSION \(2002\)/);
    expect(md).toContain('### ❌ Regressions (2002)');
    expect(md).toMatch(/more rows not shown/);
    const page = html(md);
    expect(page.match(/<details>/g)?.length).toBe(page.match(/<\/details>/g)?.length);
    for (const shape of tableShapes(page)) expect(shape.rows.every((n) => n === shape.header)).toBe(true);
  });

  it('rows go to blocks by priority, each in its own order; a block with none keeps no table header', () => {
    const block = (name: string, rows: number, priority: number): MarkdownBlock => ({
      open: [`### ${name}`, ''],
      header: ['| a |', '|---|'],
      rows: Array.from({ length: rows }, (_, i) => `| ${name}${i} ${'y'.repeat(40)} |`),
      close: [''],
      omitted: (n) => `_${n} more_`,
      priority,
    });
    const lines = fitBlocks([block('low', 50, 1), block('high', 50, 0)], 2000)!;
    const kept = (name: string) => lines.filter((l) => l.startsWith(`| ${name}`)).length;
    expect(kept('high')).toBeGreaterThan(0);
    expect(kept('low')).toBeLessThan(kept('high'));
    expect(lines.join('\n').length + 1).toBeLessThanOrEqual(2000);
    const none = fitBlocks([block('only', 50, 0)], 60)!;
    expect(none).toEqual(['### only', '', '_50 more_', '']);
    expect(fitBlocks([block('none', 5, 0)], 10)).toBeNull();
  });

  it("docs/ci.md's workflow finds its comment by the marker the renderer writes", () => {
    const ci = readFileSync(join(PACKAGE_ROOT, 'docs', 'ci.md'), 'utf8');
    expect(ci).toContain(`const marker = '${COMPARE_MARKER}';`);
    expect(ci).toContain('npx schemabench compare --base "origin/$BASE_REF" --markdown compare.md || code=$?');
  });

  it('the reproduce command: --head for a ref, the seed through the environment, pinned commits for a clean head', () => {
    const j = sampleJudgement();
    expect(reproduceCommands(j)).toEqual(['npx schemabench compare --base origin/main --workload all --scale 1']);
    j.head = { ref: 'feature/x', commit: 'f'.repeat(40) };
    j.workloads = ['store'];
    j.seed = 7;
    j.scale = 0.3;
    expect(reproduceCommands(j)).toEqual([
      'SCHEMABENCH_SEED=7 npx schemabench compare --base origin/main --head feature/x --workload store --scale 0.3',
      `SCHEMABENCH_SEED=7 npx schemabench compare --base ${j.base.commit} --head ${'f'.repeat(40)} --workload store --scale 0.3`,
    ]);
  });
});

describe('writeJudgementOutputs', () => {
  it('--json: stdout is the judgement, and it round-trips', () => {
    for (const j of [sampleJudgement(), hostileJudgement()]) {
      const out = writeJudgementOutputs(j, { json: true, env: {} });
      expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(j)));
      expect(out.endsWith('}\n')).toBe(true);
    }
  });

  it('writes the comment to --markdown (creating its folder), appends it to $GITHUB_STEP_SUMMARY, returns the terminal text', () => {
    const dir = scratchDir();
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, '# earlier step output\n');
    const j = sampleJudgement();
    const file = join(dir, 'nested', 'compare.md');
    const out = writeJudgementOutputs(j, { markdownFile: file, env: { GITHUB_STEP_SUMMARY: summary } });
    expect(out).toBe(judgementText(j));
    expect(readFileSync(file, 'utf8')).toBe(judgementMarkdown(j));
    expect(readFileSync(summary, 'utf8')).toBe(`# earlier step output\n${judgementMarkdown(j).trimEnd()}\n\n`);
    // Without $GITHUB_STEP_SUMMARY nothing else is written.
    expect(writeJudgementOutputs(j, { env: {} })).toBe(judgementText(j));
  });

  it('an unusable --markdown is refused in one line before anything is measured', () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'a-file'), '');
    expect(() => checkJudgementOutputs({ markdownFile: dir, env: {} })).toThrow(UsageError);
    expect(() => checkJudgementOutputs({ markdownFile: join(dir, 'a-file', 'compare.md'), env: {} })).toThrow(/is a file, not a folder/);
    expect(() => checkJudgementOutputs({ markdownFile: '', env: {} })).toThrow('--markdown needs a file name');
    expect(() => checkJudgementOutputs({ env: { GITHUB_STEP_SUMMARY: dir } })).toThrow(/is a folder, not a file/);
    expect(checkJudgementOutputs({ markdownFile: join(dir, 'new', 'compare.md'), env: {} })).toBe(join(dir, 'new', 'compare.md'));
    expect(() => writeJudgementOutputs(sampleJudgement(), { markdownFile: join(dir, 'a-file', 'compare.md'), env: {} })).toThrow(UsageError);
  });
});
