// Tamper evidence, seen in the browser. As the database superuser (the one who can switch the
// append-only trigger off, as tests/integration/api/tamper_test.cpp does), this rewrites one
// digit of an amount inside one stored entry's bytes (entries.body, ledger/pg/schema/
// 001_ledger.sql). The entry page shows the stored bytes as they now are, and the badge, which
// hashes those bytes up to the signed root, must turn "failed" at the root step with a root
// mismatch; before the rewrite the same page said "ok".
//
// LAST: this leaves the ledger broken (files run in name order, one at a time; see run.sh).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import {
  LANGUAGES,
  allEntries,
  disposeApi,
  launchBrowser,
  newContext,
  waitForBadge,
} from './support.mjs';

const run = promisify(execFile);
const PSQL = process.env.WB_PSQL || 'psql';
const SUPERUSER_DSN = process.env.WB_PG_SUPERUSER_DSN;
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const BADGE_FAILED_AT_ROOT = {
  nl: /^Verificatie mislukt bij „Berekende wortel”: wortel wijkt af: de bytes van de registratie leiden niet tot de ondertekende wortel \(berekend [0-9a-f]{64}, ondertekend [0-9a-f]{64}\)$/,
  en: /^Verification failed at “Computed root”: root mismatch: the entry's bytes do not hash to the signed root \(computed [0-9a-f]{64}, signed [0-9a-f]{64}\)$/,
};

let browser;
let context;
let page;

before(async () => {
  assert.ok(SUPERUSER_DSN, 'WB_PG_SUPERUSER_DSN is not set: run tests/e2e/run.sh');
  browser = await launchBrowser();
  context = await newContext(browser);
  // axe for the failed badge too (see 60-accessibility for why an init script).
  await context.addInitScript({ path: AXE_PATH });
  page = await context.newPage();
});

after(async () => {
  await context?.close();
  await browser?.close();
  await disposeApi();
});

/** Runs SQL as the superuser; variables are passed with -v and used as :'name' (quoted). */
async function sql(script, variables = {}) {
  const args = ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', SUPERUSER_DSN];
  for (const [name, value] of Object.entries(variables)) args.push('-v', `${name}=${value}`);
  const child = run(PSQL, [...args, '-f', '-'], { maxBuffer: 1 << 20 });
  child.child.stdin.end(script);
  const { stdout } = await child;
  return stdout.trim();
}

/** The body with one digit of its first amount changed: still JSON of the same shape. */
function forge(body) {
  const at = body.indexOf('"amount_cents":') + '"amount_cents":'.length;
  assert.ok(at > '"amount_cents":'.length - 1, 'the entry has an amount');
  const digit = Number(body[at]);
  const changed = (digit % 9) + 1; // 1..9, never the same digit, never a leading zero
  return { forged: body.slice(0, at) + changed + body.slice(at + 1), from: digit, to: changed };
}

async function badgeOf(index, language) {
  await page.goto(`/ledger/${index}?lang=${language}`);
  const state = await waitForBadge(page);
  return {
    state,
    text: (await page.locator('#verification-badge').textContent()).trim(),
    steps: await page
      .locator('#verification-steps li')
      .evaluateAll((items) => items.map((li) => [li.dataset.step, li.dataset.outcome])),
    bytes: await page.locator('pre#entry-bytes').textContent(),
  };
}

test('a rewritten amount in a stored entry turns its badge "failed" with a root mismatch', async () => {
  // A spending: the amount a treasurer paid is the figure someone would want to change.
  const entries = await allEntries();
  const target = entries.find(
    (e) => JSON.parse(e.entry).kind.startsWith('spending.') && e.entry.includes('"amount_cents":'),
  );
  assert.ok(target, 'the demo has a spending entry with an amount');
  const { index, entry: original } = target;

  const before = await badgeOf(index, 'nl');
  assert.equal(before.state, 'ok', `before the rewrite: ${before.text}`);
  assert.equal(before.bytes, original);

  const { forged, from, to } = forge(original);
  const count = await sql(
    `BEGIN;
     ALTER TABLE entries DISABLE TRIGGER entries_no_change;
     UPDATE entries SET body = :'forged' WHERE leaf_index = :'index' AND body = :'original';
     ALTER TABLE entries ENABLE ALWAYS TRIGGER entries_no_change;
     COMMIT;
     SELECT count(*) FROM entries WHERE leaf_index = :'index' AND body = :'forged';`,
    { forged, original, index: String(index) },
  );
  assert.equal(count, '1', `entry ${index} rewritten (amount digit ${from} -> ${to})`);

  for (const language of LANGUAGES) {
    const afterwards = await badgeOf(index, language);
    assert.equal(afterwards.bytes, forged, 'the page shows the stored (forged) bytes');
    assert.equal(afterwards.state, 'failed', `after the rewrite (${language}): ${afterwards.text}`);
    // Everything up to the leaf checks out; the computed root is what differs.
    assert.deepEqual(afterwards.steps, [
      ['key', 'ok'],
      ['checkpoint', 'ok'],
      ['history', 'ok'],
      ['coverage', 'ok'],
      ['proof', 'ok'],
      ['leaf', 'ok'],
      ['root', 'failed'],
    ]);
    assert.match(afterwards.text, BADGE_FAILED_AT_ROOT[language]);
    const [, computed, signed] = afterwards.text.match(/([0-9a-f]{64})\D+([0-9a-f]{64})/);
    assert.notEqual(computed, signed);
  }

  // The failed badge is as accessible as the green one.
  const violations = await page.evaluate(async () =>
    (
      await window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      })
    ).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  );
  assert.deepEqual(violations, [], 'axe on the failed badge');
});
