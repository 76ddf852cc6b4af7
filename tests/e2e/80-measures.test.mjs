// Measures, printed and written to build-logs/e2e-measures.json (WB_E2E_MEASURES_FILE), with no
// limit asserted: they are for the issue's report and for comparing runs.
//   transfer      bytes over the wire for the municipality page and everything it loads, from
//                 the Resource Timing API (transferSize: headers and body; encodedBodySize:
//                 body as sent, so gzip-compressed where the server compressed), with the
//                 browser's own Accept-Encoding (Chromium sends gzip, deflate, br, zstd)
//   lcp           largest-contentful-paint of the municipality page, in a fresh context
//   verification  data-verify-ms / performance.measure('wb-verify') of entry pages

import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  ROOT,
  checkpointSize,
  disposeApi,
  launchBrowser,
  newContext,
  waitForBadge,
  waitForCharts,
} from './support.mjs';

const MEASURES_FILE =
  process.env.WB_E2E_MEASURES_FILE || path.join(ROOT, 'build-logs', 'e2e-measures.json');
//! How long to wait for LCP entries after load: LCP is final once painting settles.
const LCP_WAIT_MS = 1000;

let browser;
const measures = { measured_at: new Date().toISOString(), base_url: process.env.WB_BASE_URL };

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await disposeApi();
  await mkdir(path.dirname(MEASURES_FILE), { recursive: true });
  await writeFile(MEASURES_FILE, `${JSON.stringify(measures, null, 2)}\n`);
  console.log(`measures (${MEASURES_FILE}):\n${JSON.stringify(measures, null, 2)}`);
});

test('transfer size and largest contentful paint of the municipality page', async () => {
  // A fresh context: nothing cached, as for a first visit.
  const context = await newContext(browser, { viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  try {
    const encodings = {};
    page.on('response', async (response) => {
      const headers = await response.request().allHeaders();
      encodings[new URL(response.url()).pathname] = {
        accept_encoding: headers['accept-encoding'],
        content_encoding: response.headers()['content-encoding'] ?? 'identity',
      };
    });
    await page.goto('/', { waitUntil: 'load' });
    await waitForCharts(page);
    const timing = await page.evaluate(async (waitMs) => {
      const lcp = await new Promise((resolve) => {
        let last = null;
        new PerformanceObserver((list) => {
          const entries = list.getEntries();
          last = entries[entries.length - 1];
        }).observe({ type: 'largest-contentful-paint', buffered: true });
        setTimeout(() => resolve(last), waitMs);
      });
      const navigation = performance.getEntriesByType('navigation')[0];
      const pick = (entry) => ({
        name: new URL(entry.name).pathname,
        transfer_bytes: entry.transferSize,
        encoded_body_bytes: entry.encodedBodySize,
        decoded_body_bytes: entry.decodedBodySize,
      });
      return {
        resources: [pick(navigation), ...performance.getEntriesByType('resource').map(pick)],
        lcp: lcp && {
          ms: Math.round(lcp.startTime * 10) / 10,
          element: lcp.element
            ? `${lcp.element.tagName.toLowerCase()}${lcp.element.id ? `#${lcp.element.id}` : ''}`
            : null,
          size: lcp.size,
        },
        dom_content_loaded_ms: Math.round(navigation.domContentLoadedEventEnd),
        load_ms: Math.round(navigation.loadEventEnd),
      };
    }, LCP_WAIT_MS);
    // The page and what it loads; /favicon.ico is the browser's own request (listed, not summed).
    const counted = timing.resources.filter((r) => r.name !== '/favicon.ico');
    const sum = (key) => counted.reduce((total, r) => total + r[key], 0);
    measures.municipality_page = {
      transfer_bytes: sum('transfer_bytes'),
      encoded_body_bytes: sum('encoded_body_bytes'),
      decoded_body_bytes: sum('decoded_body_bytes'),
      resources: timing.resources.map((r) => ({
        ...r,
        ...encodings[r.name],
        summed: r.name !== '/favicon.ico',
      })),
      largest_contentful_paint: timing.lcp,
      dom_content_loaded_ms: timing.dom_content_loaded_ms,
      load_ms: timing.load_ms,
    };
    // Only that something was measured: the page, its script and its stylesheet.
    assert.ok(timing.resources.length >= 3, JSON.stringify(timing.resources));
    assert.ok(measures.municipality_page.transfer_bytes > 0);
    assert.ok(timing.lcp && timing.lcp.ms > 0, `LCP: ${JSON.stringify(timing.lcp)}`);
  } finally {
    await context.close();
  }
});

test('in-browser verification time of entry pages', async () => {
  const size = await checkpointSize();
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    const runs = [];
    // A warm-up page first (the script compiled, the connection open), then three entries.
    for (const index of [0, Math.floor(size / 3), Math.floor((2 * size) / 3), size - 1]) {
      await page.goto(`/ledger/${index}`);
      assert.equal(await waitForBadge(page), 'ok', `entry ${index}`);
      const run = await page.evaluate(() => ({
        data_verify_ms: Number(document.getElementById('verification').dataset.verifyMs),
        measure_ms: performance.getEntriesByName('wb-verify', 'measure').pop()?.duration ?? null,
      }));
      runs.push({ index, ...run });
    }
    const timed = runs
      .slice(1)
      .map((r) => r.data_verify_ms)
      .sort((a, b) => a - b);
    measures.verification = {
      first_page_ms: runs[0].data_verify_ms,
      median_ms: timed[Math.floor(timed.length / 2)],
      runs,
    };
    for (const run of runs)
      assert.ok(run.data_verify_ms > 0 && run.measure_ms > 0, JSON.stringify(run));
  } finally {
    await context.close();
  }
});
