/**
 * report.html in a real browser (Debian's Chromium driven by playwright-core): it
 * renders its charts, logs no console error, runs no script, and shows a hostile case
 * name (`<script>`, quotes) as text. Skipped with a reason where no Chromium is
 * installed, unless CI expects one (SCHEMABENCH_EXPECT_BROWSER=1).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { htmlReport } from '../harness/report/html-report.ts';
import { markdownSummary } from '../harness/report/markdown-summary.ts';
import { bencherMetricFormat, githubActionBenchmarkBigger, githubActionBenchmarkSmaller } from '../harness/report/ci-formats.ts';
import { resultsTables, verdictLabel } from '../harness/report/results-table.ts';
import type { ComparisonResult, ResultsFile } from '../harness/results/results-schema.ts';

const CHROMIUM = process.env.SCHEMABENCH_CHROMIUM ?? '/usr/bin/chromium';
const hasBrowser = existsSync(CHROMIUM);
const expectBrowser = process.env.SCHEMABENCH_EXPECT_BROWSER === '1';
if (!hasBrowser && !expectBrowser) console.warn(`skipping the browser check of report.html: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

import { HOSTILE, SAMPLE } from './helpers/sample-results.ts';

describe('report formats', () => {
  it('escape what they show and carry every case and comparison', () => {
    const html = htmlReport(SAMPLE);
    expect(html).not.toContain('<script>');
    expect(html).toContain('evil/&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;quote&quot;');
    const md = markdownSummary(SAMPLE);
    expect(md).toContain('evil/&lt;script&gt;');
    expect(md).toContain('**FAIL**');
    expect(githubActionBenchmarkSmaller(SAMPLE)).toHaveLength(4);
    expect(githubActionBenchmarkSmaller(SAMPLE)[0]).toMatchObject({ unit: 'ms', value: 1.1 });
    expect(githubActionBenchmarkBigger(SAMPLE)[0]).toMatchObject({ unit: 'x', value: 8, range: '7.000 - 9.000' });
    const bmf = bencherMetricFormat(SAMPLE);
    expect(bmf['receipts/index/x[btree] (scale 1)']).toEqual({
      latency: { value: 550_000, lower_value: 533_500, upper_value: 566_500 },
      throughput: { value: 1000 / 0.55 },
      'shared-buffers': { value: 1376 },
    });
  });
});

describe('report.html in Chromium', () => {
  it.runIf(hasBrowser || expectBrowser)('renders its charts, logs no error, runs no script, shows hostile names as text', async () => {
    if (!hasBrowser) throw new Error(`SCHEMABENCH_EXPECT_BROWSER=1 but there is no Chromium at ${CHROMIUM}`);
    const { chromium } = await import('playwright-core');
    const dir = mkdtempSync(join(tmpdir(), 'schemabench-report-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, htmlReport(SAMPLE));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('dialog', (d) => (problems.push(`dialog: ${d.message()}`), void d.dismiss()));
      await page.goto(`file://${file}`);
      const shown = await page.evaluate(() => ({
        charts: document.querySelectorAll('svg.chart').length,
        bars: document.querySelectorAll('svg.chart rect').length,
        scripts: document.scripts.length,
        text: document.body.innerText,
        barWidth: (document.querySelector('rect.bar') as SVGRectElement | null)?.getBBox().width ?? 0,
      }));
      await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
      expect(problems).toEqual([]);
      expect(shown.scripts).toBe(0);
      expect(shown.charts).toBeGreaterThanOrEqual(4);
      expect(shown.bars).toBeGreaterThanOrEqual(6);
      expect(shown.barWidth).toBeGreaterThan(1);
      expect(shown.text).toContain(HOSTILE);
      expect(shown.text).toMatch(/Growth exponent/);
    } finally {
      await browser.close();
      if (!process.env.SCHEMABENCH_KEEP_REPORT) rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('verdicts and noise in reports', () => {
  const base = SAMPLE.comparisons[0]!;
  const withVerdict = (verdict: ComparisonResult['verdict'], passed: boolean): ComparisonResult => ({ ...base, verdict, passed });

  it('labels each verdict, and FAIL whenever the test failed', () => {
    expect(verdictLabel(withVerdict('pass', true))).toBe('pass');
    expect(verdictLabel(withVerdict('fail', false))).toBe('FAIL');
    expect(verdictLabel(withVerdict('inconclusive', true))).toBe('inconclusive');
    expect(verdictLabel(withVerdict('inconclusive', false))).toBe('INCONCLUSIVE (estimate below bar): FAIL');
    expect(verdictLabel(withVerdict('pass', false))).toBe('FAIL'); // e.g. a plan expectation failed
    expect(verdictLabel({ ...base, verdict: undefined, passed: true })).toBe('pass'); // files before verdicts
  });

  it('print the run\'s noise next to the verdicts in the table, markdown and HTML', () => {
    const noisy: ResultsFile = {
      ...SAMPLE,
      fingerprint: { ...SAMPLE.fingerprint, noise: { roundSpread: 0.123, loadStart: [3.5, 2, 1], loadEnd: [4.25, 3, 2], cores: 2 } },
      comparisons: [withVerdict('inconclusive', true)],
    };
    const line = 'noise: round-to-round sd 0.123 (ln ratio), load 3.50 -> 4.25 on 2 cores';
    expect(resultsTables(noisy)).toContain(line);
    expect(resultsTables(noisy)).toMatch(/inconclusive/);
    expect(markdownSummary(noisy)).toContain(line.replace('->', '-&gt;')); // markdown cells are escaped
    expect(markdownSummary(noisy)).toMatch(/\| inconclusive \|/);
    expect(htmlReport(noisy)).toContain('round-to-round sd 0.123');
    expect(htmlReport(noisy)).toContain('1 inconclusive');
    expect(resultsTables(SAMPLE)).toContain('noise: not recorded');
  });
});
