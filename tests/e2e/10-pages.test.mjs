// Every page type loads: 200, HTML with the site's CSP, its script and stylesheet, no console
// error, no uncaught exception, no CSP violation, and no request to another origin.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  ORIGIN,
  assertCleanLog,
  clearLog,
  disposeApi,
  ledgerSize,
  launchBrowser,
  newContext,
  pageTypes,
  settle,
  watchContext,
} from './support.mjs';

//! After the script's work is done, how long to keep listening for late errors.
const LATE_WORK_MS = 150;
//! Links to entry pages checked per page (they share one template).
const LINKED_ENTRIES_MAX = 5;

let browser;
let context;
let page; // One tab for the whole file: a new one costs about half a second.
let log;
let pages;

before(async () => {
  browser = await launchBrowser();
  context = await newContext(browser);
  log = await watchContext(context);
  pages = await pageTypes();
  page = await context.newPage();
});

after(async () => {
  await context?.close();
  await browser?.close();
  await disposeApi();
});

test('every page type loads cleanly', async (t) => {
  for (const { name, path } of pages) {
    await t.test(`${name} (${path})`, async () => {
      clearLog(log);
      const response = await page.goto(path, { waitUntil: 'load' });
      assert.equal(response.status(), 200, `${path}: status`);
      const headers = response.headers();
      assert.match(headers['content-type'], /^text\/html/);
      assert.match(headers['content-security-policy'] ?? '', /script-src 'self'/);
      assert.equal(await page.locator('h1').count(), 1, `${path}: one h1`);
      // The front-end was loaded from this site: its files appear among the requests.
      const assets = log.requests.filter((r) => new URL(r.url).pathname.startsWith('/assets/'));
      assert.ok(
        assets.some((r) => r.url.endsWith('.js')),
        `${path}: the script was requested`,
      );
      assert.ok(
        assets.some((r) => r.url.endsWith('.css')),
        `${path}: the stylesheet was requested`,
      );
      await settle(page);
      // Let late work (a chart's resize, the badge's last fetch) surface its errors.
      await page.waitForTimeout(LATE_WORK_MS);
      assert.ok(log.requests.length >= 3, 'requests are recorded (page, script, stylesheet)');
      assertCleanLog(log, `${name} ${path}`);
    });
  }
});

test('every link on every page type leads somewhere (no 4xx or 5xx)', async () => {
  const links = new Map(); // path -> the page that links it
  for (const { path } of pages) {
    await page.goto(path);
    const hrefs = await page
      .locator('a[href]')
      .evaluateAll((anchors) => anchors.map((a) => a.href));
    let entryLinks = 0;
    for (const href of hrefs) {
      const url = new URL(href);
      if (url.origin !== ORIGIN) {
        links.set(href, path); // Fails below: the site links nothing outside itself.
        continue;
      }
      // Entry pages are one template: a few per page suffice (40-verification opens more).
      if (/^\/ledger\/\d+$/.test(url.pathname) && ++entryLinks > LINKED_ENTRIES_MAX) continue;
      if (!links.has(url.pathname + url.search)) links.set(url.pathname + url.search, path);
    }
  }
  assert.ok(links.size >= 20, `only ${links.size} links found`);
  const broken = [];
  for (const [target, from] of links) {
    if (!target.startsWith('/')) {
      broken.push({ target, from, status: 'another origin' });
      continue;
    }
    const status = (await page.request.get(target)).status();
    if (status >= 400) broken.push({ target, from, status });
  }
  assert.deepEqual(broken, [], 'broken links');
});

test('the site has an icon: every page links one, and it is served', async () => {
  // Without a linked icon Chromium asks for /favicon.ico on a first visit and logs its 404 as a
  // console error, which assertCleanLog counts.
  for (const path of ['/', '/ledger', '/verify']) {
    await page.goto(path);
    const linked = await page
      .locator('link[rel~="icon"]')
      .evaluateAll((links) => links.map((l) => l.href));
    assert.equal(linked.length, 1, `${path} links ${linked.length} icons`);
    const icon = await page.request.get(linked[0]);
    assert.equal(icon.status(), 200, `${linked[0]}`);
    assert.equal(icon.headers()['content-type'], 'image/svg+xml');
  }
});

test('the watcher sees a foreign request and a CSP violation (self-test)', async () => {
  // Guards the test above against passing because nothing was recorded: a page that tries to
  // load a script from another origin must show up both as a foreign request and a violation.
  clearLog(log);
  try {
    await page.goto('/verify');
    await page.evaluate(() => {
      const image = document.createElement('img');
      image.src = 'https://example.invalid/pixel.png';
      document.body.append(image);
    });
    await page.waitForTimeout(300);
    assert.ok(log.cspViolations.some((v) => v.blocked.includes('example.invalid')));
    assert.throws(() => assertCleanLog(log, 'self-test'), /cspViolations/);
  } finally {
    clearLog(log);
  }
});

test('a page that does not exist is a 404 page in the site frame', async () => {
  for (const path of ['/councils/no-such-council', '/ledger/99999999', '/ledger?after=x']) {
    const response = await page.goto(path);
    assert.ok([400, 404].includes(response.status()), `${path}: ${response.status()}`);
    assert.equal(await page.locator('#language-switch').count(), 1, `${path}: site frame`);
  }
});

test('the ledger browser pages by 100 with rel=next, in index order', async () => {
  const size = await ledgerSize();
  await page.goto('/ledger');
  const first = await page
    .locator('#ledger-entries tr[data-index]')
    .evaluateAll((rows) => rows.map((row) => Number(row.dataset.index)));
  assert.deepEqual(first, [...Array(Math.min(100, size)).keys()], 'first page: 0..99');
  if (size <= 100) return;
  await page.locator('nav.paging a[rel=next]').click();
  await page.waitForURL(/after=99/);
  const second = await page
    .locator('#ledger-entries tr[data-index]')
    .evaluateAll((rows) => rows.map((row) => Number(row.dataset.index)));
  assert.equal(second[0], 100, 'the second page starts at 100');
  assert.ok(second.length >= 1 && second.length <= 100);
  second.forEach((index, position) => assert.equal(index, 100 + position));
  assert.equal(new URL(page.url()).origin, ORIGIN);
});
