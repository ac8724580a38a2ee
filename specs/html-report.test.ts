/**
 * report.html in a real browser (Debian's Chromium driven by playwright-core), at 1400 px
 * and 800 px: no console error, no script, no horizontal scroll, every SVG text inside its
 * chart's viewBox, a hostile case name (`<script>`, quotes) shown as text, plans collapsed.
 * Screenshots go to the run's output folder (<out>/screenshots/, CI keeps it). Skipped
 * with a reason where no Chromium is installed, unless CI expects one
 * (SCHEMABENCH_EXPECT_BROWSER=1).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../harness/config.ts';
import { projectRoot } from '../harness/project-root.ts';
import { htmlReport } from '../harness/report/html-report.ts';
import { markdownSummary } from '../harness/report/markdown-summary.ts';
import type { GateOutcome } from '../harness/report/report-summary.ts';
import type { ComparisonResult, ResultsFile } from '../harness/results/results-schema.ts';
import { resultsTables, verdictLabel } from '../harness/report/results-table.ts';
import { neededTool } from './helpers/needed-tool.ts';
import { HOSTILE, SAMPLE } from './helpers/sample-results.ts';

const CHROMIUM = process.env.SCHEMABENCH_CHROMIUM ?? '/usr/bin/chromium';
const browser = neededTool('SCHEMABENCH_EXPECT_BROWSER', 'the browser check of report.html', existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM} (apt-get install chromium)`);

const GATE: GateOutcome = {
  verdict: 'regression',
  line: 'REGRESSION (1); 1 improvement',
  groups: [
    { severity: 'regression', cause: `index x_idx no longer used (receipts, scale 1)`, detail: `case ${HOSTILE}[a]: no longer uses x_idx` },
    { severity: 'improvement', cause: 'case receipts/index/x[btree] (receipts, scale 1)', detail: 'case receipts/index/x[btree]: shared buffers 1376 -> 12 (115x fewer)' },
  ],
  notes: ['skipped: absolute latencies of 4 cases: --latency off'],
};

describe('report.md and report.html open with the verdict', () => {
  it('counts, failed comparisons, and the gate: what regressed and improved', () => {
    const md = markdownSummary(SAMPLE, { gate: GATE, against: 'benchmarks/baseline.json' });
    const head = md.split('\n').slice(0, 12).join('\n');
    expect(head).toMatch(/^## schemabench: REGRESSION/);
    expect(head).toContain('**4 cases (scales 0.1, 1), 2 comparisons: 1 passed, 1 failed; 3 metrics**');
    expect(head).toContain('gate against benchmarks/baseline.json: REGRESSION (1); 1 improvement');
    expect(head).toMatch(/\| \*\*regression\*\* \| index x\\_idx no longer used \(receipts, scale 1\) \| case evil\/&lt;script&gt;/);
    expect(md).toMatch(/- \*\*FAIL\*\* receipts\/insert: copy vs unnest \(scale 1\): 1\.10x \[0\.90-1\.30\], required >= 1\.2x: too slow/);
    expect(md).toMatch(/\| case \| scale \| mean ms/);
    expect(markdownSummary(SAMPLE)).toMatch(/^## schemabench: FAIL\n/);
    const html = htmlReport(SAMPLE, { gate: GATE });
    expect(html.indexOf('REGRESSION')).toBeLessThan(html.indexOf('<svg'));
    expect(html).not.toContain('<script>');
    expect(html).toContain('evil/&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;quote&quot;');
  });

  it('shows a comparison\'s verdict when the file has one (inconclusive), else passed/failed', () => {
    const r = JSON.parse(JSON.stringify(SAMPLE)) as ResultsFile;
    Object.assign(r.comparisons[1]!, { verdict: 'inconclusive' });
    const md = markdownSummary(r);
    expect(md).toContain('1 passed, 0 failed, 1 inconclusive');
    expect(md).toContain('**INCONCLUSIVE**');
  });

  it('labels each verdict in the terminal table, and FAIL whenever the test failed', () => {
    const base = SAMPLE.comparisons[0]!;
    const withVerdict = (verdict: ComparisonResult['verdict'], passed: boolean): ComparisonResult => ({ ...base, verdict, passed });
    expect(verdictLabel(withVerdict('pass', true))).toBe('pass');
    expect(verdictLabel(withVerdict('fail', false))).toBe('FAIL');
    expect(verdictLabel(withVerdict('inconclusive', true))).toBe('inconclusive');
    expect(verdictLabel(withVerdict('inconclusive', false))).toBe('INCONCLUSIVE (estimate below bar): FAIL');
    expect(verdictLabel(withVerdict('pass', false))).toBe('FAIL'); // e.g. a plan expectation failed
    expect(verdictLabel({ ...base, verdict: undefined, passed: true })).toBe('pass'); // files before verdicts
  });

  it('prints the run\'s noise next to the verdicts in the table, report.md and report.html', () => {
    const noisy: ResultsFile = {
      ...SAMPLE,
      fingerprint: { ...SAMPLE.fingerprint, noise: { roundSpread: 0.123, loadStart: [3.5, 2, 1], loadEnd: [4.25, 3, 2], cores: 2 } },
      comparisons: [{ ...SAMPLE.comparisons[0]!, verdict: 'inconclusive', passed: true }],
    };
    const line = 'noise: round-to-round sd 0.123 (ln ratio), load 3.50 -> 4.25 on 2 cores';
    expect(resultsTables(noisy)).toContain(line);
    expect(resultsTables(noisy)).toMatch(/inconclusive/);
    expect(markdownSummary(noisy)).toContain(line.replace('->', '-&gt;')); // markdown cells are escaped
    expect(htmlReport(noisy)).toContain('round-to-round sd 0.123');
    expect(resultsTables(SAMPLE)).toContain('noise: not recorded');
  });

  it('folds a long case table', () => {
    const r = JSON.parse(JSON.stringify(SAMPLE)) as ResultsFile;
    r.cases = Array.from({ length: 20 }, (_, i) => ({ ...r.cases[2]!, name: `receipts/case-${i}` }));
    expect(markdownSummary(r)).toMatch(/<details><summary><b>Cases<\/b> \(20 rows\)<\/summary>/);
  });
});

const REPORTS: [string, () => string][] = [
  ['sample', () => htmlReport(SAMPLE, { gate: GATE, against: 'benchmarks/baseline.json' })],
  ['baseline', () => htmlReport(JSON.parse(readFileSync(join(projectRoot(), 'benchmarks', 'baseline.json'), 'utf8')) as ResultsFile)],
];

describe('report.html in Chromium', () => {
  it.runIf(browser.runs)('at 1400 and 800 px: no error, no script, no overflow, no text outside its chart, hostile names as text', async () => {
    browser.assertPresent();
    const { chromium } = await import('playwright-core');
    const dir = mkdtempSync(join(tmpdir(), 'schemabench-report-'));
    const shots = resolve(projectRoot(), resolveConfig().outDir, 'screenshots');
    mkdirSync(shots, { recursive: true });
    // A fresh profile each time: nothing cached or remembered from another run.
    const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      for (const [name, html] of REPORTS) {
        const file = join(dir, `${name}.html`);
        writeFileSync(file, html());
        for (const width of [1400, 800]) {
          const page = await context.newPage();
          await page.setViewportSize({ width, height: 900 });
          const problems: string[] = [];
          page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
          page.on('pageerror', (e) => problems.push(e.message));
          page.on('dialog', (d) => (problems.push(`dialog: ${d.message()}`), void d.dismiss()));
          await page.goto(`file://${file}`);
          const shown = await page.evaluate(() => {
            const outside: string[] = [];
            for (const svg of Array.from(document.querySelectorAll('svg'))) {
              const vb = svg.viewBox.baseVal;
              for (const t of Array.from(svg.querySelectorAll('text'))) {
                const b = t.getBBox();
                if (b.x < vb.x - 0.5 || b.y < vb.y - 0.5 || b.x + b.width > vb.x + vb.width + 0.5 || b.y + b.height > vb.y + vb.height + 0.5) {
                  outside.push(`${t.textContent} [${b.x.toFixed(0)},${b.y.toFixed(0)} ${b.width.toFixed(0)}x${b.height.toFixed(0)}] outside ${vb.width}x${vb.height}`);
                }
              }
            }
            return {
              scrollWidth: document.documentElement.scrollWidth,
              innerWidth: window.innerWidth,
              outside,
              charts: document.querySelectorAll('svg.chart').length,
              ticks: document.querySelectorAll('svg.chart text.tick').length,
              scripts: document.scripts.length,
              openDetails: document.querySelectorAll('details[open]').length,
              plans: document.querySelectorAll('td details').length,
              planTrees: document.querySelectorAll('td details ul.plan').length,
              text: document.body.innerText,
              svgText: Array.from(document.querySelectorAll('svg text')).map((t) => t.textContent).join('\n'),
            };
          });
          await page.screenshot({ path: join(shots, `report-${name}-${width}.png`), fullPage: true });
          await page.close();
          expect(problems, `${name} at ${width}px`).toEqual([]);
          expect(shown.scripts).toBe(0);
          expect(shown.scrollWidth, `${name} at ${width}px is wider than the window`).toBeLessThanOrEqual(shown.innerWidth);
          expect(shown.outside, `${name} at ${width}px`).toEqual([]);
          expect(shown.charts).toBeGreaterThanOrEqual(3);
          expect(shown.ticks).toBeGreaterThanOrEqual(9);
          expect(shown.openDetails).toBe(0);
          expect(shown.plans).toBeGreaterThan(0);
          expect(shown.svgText).toMatch(/log scale/);
          if (name === 'sample') {
            expect(shown.text).toContain(HOSTILE);
            expect(shown.svgText).toContain(HOSTILE);
            expect(shown.text).toMatch(/^REGRESSION$/m);
            expect(shown.svgText).toMatch(/time from the first step \(ms\)/);
            expect(shown.text).toContain('0006'); // a migration step, named
            expect(shown.planTrees).toBe(4);
          }
        }
      }
    } finally {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
