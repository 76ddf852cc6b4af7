// Voting in a residents' round through the site's form, in the browser, with a voting code that
// run.sh issued: the receipt names the ballot's entry and leaf hash, and that entry's page
// verifies it; a form sent twice replays the receipt; refusals (a used code, a malformed code, a
// ballot that breaks the round's rules) come back as the form with the reason in the reader's
// language, record nothing, never echo the code, and pass axe. While voting is open the round's
// page shows how many ballots were cast, never what they say.
//
// This file writes ballots into the ledger: it runs after the files that compare pages with the
// demo's figures, and before the tamper test, which breaks the ledger.

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  E2E_DIR,
  VOTING_ROUND,
  apiJson,
  assertCleanLog,
  clearLog,
  disposeApi,
  launchBrowser,
  ledgerSize,
  newContext,
  votingCodes,
  waitForBadge,
  watchContext,
} from './support.mjs';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
//! The receipt and a refusal are photographed too, for people to look at (as 70-screenshots).
const SCREENSHOTS = process.env.WB_E2E_SCREENSHOTS || path.join(E2E_DIR, 'screenshots');
const ROUND_PATH = `/rounds/${VOTING_ROUND}`;
const BALLOT_PATH = `${ROUND_PATH}/ballot`;

let browser;
let context;
let page;
let log;
let codes;

before(async () => {
  browser = await launchBrowser();
  context = await newContext(browser);
  // axe-core as an init script: the pages keep their CSP (see 60-accessibility.test.mjs).
  await context.addInitScript({ path: AXE_PATH });
  log = await watchContext(context);
  page = await context.newPage();
  codes = await votingCodes();
  await mkdir(SCREENSHOTS, { recursive: true });
});

async function screenshot(name) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

after(async () => {
  await context?.close();
  await browser?.close();
  await disposeApi();
});

async function axeViolations() {
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target) }));
  }, WCAG_21_AA);
}

/** Fills in the round's form and sends it; returns the POST's response once the page loaded. */
async function vote(code, projects, language = 'nl') {
  await page.goto(`${ROUND_PATH}?lang=${language}`);
  await page.locator('#code').fill(code);
  for (const project of projects) await page.locator(`#choice-${project}`).check();
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes(BALLOT_PATH)),
    page.locator('#ballot-form button[type=submit]').click(),
  ]);
  await page.waitForLoadState('load');
  return response;
}

/** What a refused ballot's page must show, and must not. */
async function expectRefusal(response, { status, refusal, says, code }) {
  assert.equal(response.status(), status, await page.content());
  const box = page.locator('#ballot-error');
  assert.equal(await box.getAttribute('data-refusal'), refusal);
  assert.equal(await box.getAttribute('role'), 'alert');
  const text = await box.textContent();
  assert.ok(text.includes(says), `the reason says "${says}": ${text}`);
  // The form again, the code not echoed: not in its field, nowhere on the page.
  assert.equal(await page.locator('#code').inputValue(), '');
  assert.ok(!(await page.content()).includes(code), 'the code is not on the page');
  assert.deepEqual(await axeViolations(), [], 'axe on the refusal');
}

test('while voting is open the round shows the form and counts, never the tallies', async () => {
  clearLog(log);
  const response = await page.goto(ROUND_PATH);
  assert.equal(response.status(), 200);
  assert.equal(await page.locator('#ballot-form').count(), 1);
  assert.equal(await page.locator('#code').getAttribute('autocomplete'), 'off');
  assert.equal(await page.locator('#ballot-choices legend').count(), 1);
  const checkboxes = page.locator('#ballot-form input[type=checkbox][name=project]');
  assert.equal(await checkboxes.count(), 4);
  for (const id of await checkboxes.evaluateAll((boxes) => boxes.map((b) => b.id)))
    assert.equal(await page.locator(`label[for="${id}"]`).count(), 1, `a label for ${id}`);
  const counts = page.locator('#ballot-counts');
  assert.ok(Number(await counts.getAttribute('data-codes-issued')) >= codes.length);
  assert.equal(await page.locator('#outcome').count(), 0, 'no outcome yet');
  assert.equal(await page.locator('[data-votes], [data-points]').count(), 0, 'no tallies');
  assertCleanLog(log, ROUND_PATH);
});

test('a resident votes through the form and gets a receipt that verifies', async () => {
  clearLog(log);
  const size = await ledgerSize();
  await page.goto(ROUND_PATH);
  const cast = Number(await page.locator('#ballot-counts').getAttribute('data-ballots-cast'));
  // Typed the forgiving way: lower case, spaces for hyphens.
  const typed = codes[0].toLowerCase().replaceAll('-', ' ');
  const response = await vote(typed, ['geveltuinen', 'bankjes']);
  assert.equal(response.status(), 200);
  const receipt = page.locator('#receipt');
  const index = Number(await receipt.getAttribute('data-index'));
  const leafHash = await receipt.getAttribute('data-leaf-hash');
  assert.ok(index >= size, `entry ${index} is new (ledger had ${size})`);
  assert.equal(await ledgerSize(), size + 1, 'one entry written');
  const html = await page.content();
  assert.ok(!html.includes(codes[0]) && !html.includes(typed), 'the code is not on the receipt');
  await screenshot('ballot-receipt-nl');

  const stored = await apiJson(`/api/v1/ledger/entries/${index}`);
  assert.equal(stored.leaf_hash, leafHash, 'the receipt names the stored leaf hash');
  const entry = JSON.parse(stored.entry);
  assert.equal(entry.kind, 'ballot.cast');
  assert.equal(entry.payload.round, VOTING_ROUND);
  assert.deepEqual(
    entry.payload.choices.map((c) => c.project).sort(),
    ['bankjes', 'geveltuinen'],
  );
  assert.ok(!stored.entry.includes(codes[0].replaceAll('-', '')), 'no code in the ledger');

  // "Check it here": the entry's page verifies the ballot against the signed checkpoint, and
  // that the entry at that index is the one the receipt names.
  await page.locator('#receipt-check').click();
  await page.waitForURL(new RegExp(`/ledger/${index}#leaf=${leafHash}$`));
  assert.equal(await waitForBadge(page), 'ok');
  assert.match(
    await page.locator('#verification-steps [data-step="leaf"]').textContent(),
    /ontvangstbewijs/,
  );
  // The language switch keeps the receipt's hash, which the server never sees: the page in
  // English checks the receipt's entry too, not only the index.
  assert.match(
    await page.locator('#language-switch').getAttribute('href'),
    new RegExp(`/ledger/${index}\\?lang=en#leaf=${leafHash}$`),
  );
  // A receipt of another ballot at this index would fail: the same page, another leaf hash.
  await page.goto(ROUND_PATH);
  await page.goto(`/ledger/${index}#leaf=${'0'.repeat(64)}`);
  assert.equal(await waitForBadge(page), 'failed');
  assert.equal(
    await page.locator('#verification-steps [data-step="leaf"]').getAttribute('data-outcome'),
    'failed',
  );

  // The round counts the ballot, and still shows no tallies.
  await page.goto(ROUND_PATH);
  assert.equal(
    Number(await page.locator('#ballot-counts').getAttribute('data-ballots-cast')),
    cast + 1,
  );
  assert.equal(await page.locator('[data-votes], [data-points]').count(), 0, 'no tallies');
  assertCleanLog(log, 'voting');
});

test('the same form sent again replays the receipt and records nothing', async () => {
  const size = await ledgerSize();
  const body = `code=${encodeURIComponent(codes[0])}&project=geveltuinen&project=bankjes`;
  const response = await page.request.post(`${BALLOT_PATH}?lang=nl`, {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    data: body,
  });
  assert.equal(response.status(), 200);
  assert.equal(response.headers()['idempotency-replayed'], 'true');
  const html = await response.text();
  assert.match(html, /id="receipt-replayed"/);
  assert.match(html, /<dl class="facts" id="receipt" data-index="\d+"/);
  assert.equal(await ledgerSize(), size);
});

test('a used code is refused, in the reader language, and nothing is recorded', async () => {
  const size = await ledgerSize();
  const english = await vote(codes[0], ['speeltuin'], 'en');
  await expectRefusal(english, {
    status: 409,
    refusal: 'code_used',
    says: 'already been used',
    code: codes[0],
  });
  const dutch = await vote(codes[0], ['speeltuin'], 'nl');
  await expectRefusal(dutch, {
    status: 409,
    refusal: 'code_used',
    says: 'al gestemd',
    code: codes[0],
  });
  assert.equal(await ledgerSize(), size);
});

test('a malformed code and a ballot that breaks the rules are refused with the reason', async () => {
  const size = await ledgerSize();
  const malformed = await vote('1234-5678', ['speeltuin'], 'nl');
  await expectRefusal(malformed, {
    status: 422,
    refusal: 'code_invalid',
    says: 'geen geldige stemcode',
    code: '1234-5678',
  });
  assert.equal(await page.locator('#code').getAttribute('aria-invalid'), 'true');
  // Three projects where at most two may be chosen: the server decides, and says which rule.
  const tooMany = await vote(codes[1], ['speeltuin', 'geveltuinen', 'bankjes'], 'en');
  await expectRefusal(tooMany, {
    status: 422,
    refusal: 'ballot_invalid',
    says: 'too many projects',
    code: codes[1],
  });
  await screenshot('ballot-refused-en');
  // The choices are kept, so that the reader only corrects them.
  assert.ok(await page.locator('#choice-speeltuin').isChecked());
  assert.ok(await page.locator('#choice-bankjes').isChecked());
  assert.equal(await ledgerSize(), size);
  // The code was not used: the corrected ballot is taken.
  const corrected = await vote(codes[1], ['speeltuin'], 'en');
  assert.equal(corrected.status(), 200);
  assert.equal(await ledgerSize(), size + 1);
});

test('a form that is not the round form is a 400 page in the site frame', async () => {
  const size = await ledgerSize();
  for (const body of [`code=${codes[2]}&colour=red`, `code=${codes[2]}&code=${codes[3]}`]) {
    const response = await page.request.post(`${BALLOT_PATH}?lang=en`, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      data: body,
    });
    assert.equal(response.status(), 400, body);
    assert.match(response.headers()['content-type'], /^text\/html/);
    assert.match(response.headers()['content-security-policy'], /script-src 'self'/);
    const html = await response.text();
    assert.match(html, /<html lang="en">/);
    assert.match(html, /did not arrive intact/);
    assert.ok(!html.includes(codes[2]), 'the code is not echoed');
  }
  assert.equal(await ledgerSize(), size);
});
