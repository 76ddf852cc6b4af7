// Charts: the script puts a drawn canvas into every figure.chart's .chart-area, on the
// municipality page (one chart per year), on council pages (the budget lines) and on a closed
// round's page (its projects' cost, funded and not).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  DECIDING_COUNCILS,
  LANGUAGES,
  disposeApi,
  launchBrowser,
  newContext,
  roundPaths,
  waitForCharts,
} from './support.mjs';

let browser;
let context;
let page; // One tab for the whole file: a new one costs about half a second.

before(async () => {
  browser = await launchBrowser();
  context = await newContext(browser);
  page = await context.newPage();
});

after(async () => {
  await context?.close();
  await browser?.close();
  await disposeApi();
});

/** For each figure: its canvas (if any), whether it shows, and how many pixels were painted. */
function chartsOf(page) {
  return page.locator('figure.chart').evaluateAll((figures) =>
    figures.map((figure) => {
      const area = figure.querySelector('.chart-area');
      const canvas = area?.querySelector('canvas');
      if (!canvas) return { canvas: false, hidden: area?.hidden ?? null };
      const box = canvas.getBoundingClientRect();
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted += 1;
      return {
        canvas: true,
        hidden: area.hidden,
        role: canvas.getAttribute('role'),
        label: canvas.getAttribute('aria-label') ?? '',
        caption: figure.querySelector('figcaption')?.textContent.trim() ?? '',
        width: box.width,
        height: box.height,
        painted,
        bars: figure.querySelectorAll('table[data-chart=bar] tbody td[data-cents]').length,
      };
    }),
  );
}

const PAGES = [
  { path: '/', figuresMin: 1 },
  ...DECIDING_COUNCILS.map((id) => ({ path: `/councils/${id}`, figuresMin: 1 })),
  { path: '/councils/amsterdamse-buurt', figuresMin: 1 },
  // A closed round's outcome: its projects' cost, funded and not.
  { path: (await roundPaths()).closed, figuresMin: 1 },
];

for (const { path, figuresMin } of PAGES) {
  for (const language of LANGUAGES) {
    test(`${path} (${language}): a painted canvas in every figure.chart`, async () => {
      await page.goto(`${path}?lang=${language}`);
      const figures = await page.locator('figure.chart').count();
      assert.ok(figures >= figuresMin, `${path}: ${figures} figure(s)`);
      await waitForCharts(page);
      const charts = await chartsOf(page);
      for (const [position, chart] of charts.entries()) {
        const what = `${path} figure ${position}: ${JSON.stringify(chart)}`;
        assert.ok(chart.canvas, what);
        assert.equal(chart.hidden, false, `the chart area is shown: ${what}`);
        assert.equal(chart.role, 'img', what);
        assert.ok(chart.label.startsWith(chart.caption) && chart.caption.length > 0, what);
        assert.ok(chart.width > 100 && chart.height > 100, `laid out: ${what}`);
        // Bars, axes and legend cover a real share of the canvas, not a blank one.
        assert.ok(chart.painted > 0.02 * chart.width * chart.height, `painted: ${what}`);
        assert.ok(chart.bars > 0, what);
      }
    });
  }
}

test('the chart is drawn from the table: a table that breaks the contract gets none', async () => {
  // Guards the tests above against a script that draws a canvas whatever the page holds: the
  // same page, with one cell's data-cents made invalid before the script runs, has no chart.
  await page.route('**/councils/leidsebuurt', async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(/data-cents="(\d+)"/, 'data-cents="12.5"');
    await route.fulfill({ response, body: html });
  });
  try {
    // app.js is a module script: it ran before DOMContentLoaded, so before goto returns.
    await page.goto('/councils/leidsebuurt');
    const charts = await chartsOf(page);
    assert.equal(charts.length, 1);
    assert.equal(charts[0].canvas, false, 'no canvas for a table with a bad amount');
    assert.equal(charts[0].hidden, true);
    // And the unaltered page, in the same tab, does get its chart.
    await page.unrouteAll();
    await page.goto('/councils/leidsebuurt');
    assert.equal((await chartsOf(page))[0].canvas, true);
  } finally {
    await page.unrouteAll();
  }
});
