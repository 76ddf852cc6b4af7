// The verification badge of an entry page turns "ok": the browser fetched the checkpoint and the
// inclusion proof, checked the Ed25519 signature, and hashed the page's bytes up to the signed
// root. For the first entry, one in the middle and the last one the checkpoint covers.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  LANGUAGES,
  apiJson,
  apiText,
  assertCleanLog,
  checkpointSize,
  clearLog,
  disposeApi,
  launchBrowser,
  newContext,
  waitForBadge,
  watchContext,
} from './support.mjs';

//! The steps of web/src/verify.js, in order; an "ok" run reports each once.
const STEPS = ['key', 'checkpoint', 'history', 'coverage', 'proof', 'leaf', 'root'];

let browser;
let context;
let page; // One tab for the whole file: a new one costs about half a second.
let log;
let size;

before(async () => {
  browser = await launchBrowser();
  context = await newContext(browser);
  log = await watchContext(context);
  size = await checkpointSize();
  page = await context.newPage();
});

after(async () => {
  await context?.close();
  await browser?.close();
  await disposeApi();
});

async function verifyOnPage(page, index) {
  const response = await page.goto(`/ledger/${index}`);
  assert.equal(response.status(), 200);
  const section = page.locator('section#verification');
  assert.equal(await section.getAttribute('data-index'), String(index));
  assert.equal(await section.getAttribute('data-vkey'), (await apiVkey()).trim());
  const state = await waitForBadge(page);
  const steps = await page
    .locator('#verification-steps li')
    .evaluateAll((items) =>
      items.map((li) => ({
        step: li.dataset.step,
        outcome: li.dataset.outcome,
        text: li.textContent,
      })),
    );
  const badge = (await page.locator('#verification-badge').textContent()).trim();
  const ms = Number(await section.getAttribute('data-verify-ms'));
  return { state, steps, badge, ms };
}

let vkey = null;
async function apiVkey() {
  vkey ??= await apiText('/api/v1/ledger/vkey');
  return vkey;
}

for (const which of ['first', 'middle', 'last covered']) {
  test(`the badge of the ${which} entry turns ok`, async () => {
    const index = { first: 0, middle: Math.floor(size / 2), 'last covered': size - 1 }[which];
    clearLog(log);
    const result = await verifyOnPage(page, index);
    assert.equal(
      result.state,
      'ok',
      `entry ${index}: ${result.badge}\n${JSON.stringify(result.steps, null, 2)}`,
    );
    assert.deepEqual(
      result.steps.map((s) => [s.step, s.outcome]),
      STEPS.map((s) => [s, 'ok']),
    );
    // The leaf hash the browser computed is the one the server stored for this entry.
    const { entries } = await apiJson(
      `/api/v1/ledger/entries?${index > 0 ? `after=${index - 1}&` : ''}limit=1`,
    );
    assert.equal(entries[0].index, index);
    const leaf = result.steps.find((s) => s.step === 'leaf').text;
    assert.ok(leaf.includes(entries[0].leaf_hash), `leaf step: ${leaf}`);
    // The page's bytes are the entry's canonical bytes.
    assert.equal(await page.locator('pre#entry-bytes').textContent(), entries[0].entry);
    // The key whose checkpoint passed is pinned: a page naming another one fails from now on.
    assert.equal(
      await page.evaluate(() => localStorage.getItem('wijkbudget.vkey')),
      (await apiVkey()).trim(),
    );
    assert.ok(result.ms > 0, `data-verify-ms: ${result.ms}`);
    const measures = await page.evaluate(
      () => performance.getEntriesByName('wb-verify', 'measure').length,
    );
    assert.equal(measures, 1, "performance.measure('wb-verify')");
    assertCleanLog(log, `entry ${index}`);
  });
}

test('the badge speaks the page language', async () => {
  const texts = {};
  for (const language of LANGUAGES) {
    await page.goto(`/ledger/1?lang=${language}`);
    assert.equal(await waitForBadge(page), 'ok');
    texts[language] = (await page.locator('#verification-badge').textContent()).trim();
  }
  assert.match(texts.nl, /^Geverifieerd/);
  assert.match(texts.en, /^Verified/);
});

test('the browser keeps the checkpoint, and a log that shows less than it kept turns red', async () => {
  await page.goto('/ledger/0');
  assert.equal(await waitForBadge(page), 'ok');
  const key = `wijkbudget.checkpoint.${(await apiVkey()).trim()}`;
  const stored = JSON.parse(await page.evaluate((name) => localStorage.getItem(name), key));
  assert.ok(stored.size >= size, JSON.stringify(stored));
  assert.match(stored.root, /^[0-9a-f]{64}$/);
  // As if this browser had seen a longer ledger before: the server's now takes history back.
  await page.evaluate(
    ([name, kept]) => localStorage.setItem(name, JSON.stringify(kept)),
    [key, { size: stored.size + 1000, root: stored.root }],
  );
  await page.goto('/ledger/1');
  assert.equal(await waitForBadge(page), 'failed');
  assert.equal(
    await page.locator('#verification-steps [data-step="history"]').getAttribute('data-outcome'),
    'failed',
  );
  // What was kept stays kept: every later visit fails too, until a person looks into it.
  const after = JSON.parse(await page.evaluate((name) => localStorage.getItem(name), key));
  assert.equal(after.size, stored.size + 1000);
  await page.evaluate((name) => localStorage.removeItem(name), key);
});

test('an entry beyond the ledger has no page and no badge', async () => {
  const response = await page.goto(`/ledger/${size + 1000}`);
  assert.equal(response.status(), 404);
  assert.equal(await page.locator('#verification-badge').count(), 0);
});
