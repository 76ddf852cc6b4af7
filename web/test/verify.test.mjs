// The whole verification of an entry, as the badge runs it, with the network replaced by the
// C++-made fixtures: a real export, its signed checkpoint, the log's key and inclusion proofs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkpointBody,
  fakeFetch,
  ledgerFixture,
  makeNoteKey,
  readFixture,
} from '../test-support.mjs';
import { describeResult, describeStep, partsToText, textsFor } from '../src/texts.js';
import { STEPS, verifyEntry } from '../src/verify.js';

const CHECKPOINT_URL = '/api/v1/ledger/checkpoint';
const PROOF_URL = '/api/v1/ledger/proofs/inclusion';
const CONSISTENCY_URL = '/api/v1/ledger/proofs/consistency';
const ROOT_HEX = '151810db203e39d7d59b844124b27dd8500bf1934a1795ebf26689f41aeb86e8';
const ledger = ledgerFixture();
const encoder = new TextEncoder();

function routes(overrides = {}) {
  return {
    [CHECKPOINT_URL]: ledger.checkpoint,
    [`${PROOF_URL}?index=0&size=13`]: ledger.proof(0, 13),
    [`${PROOF_URL}?index=6&size=13`]: ledger.proof(6, 13),
    [`${PROOF_URL}?index=12&size=13`]: ledger.proof(12, 13),
    ...Object.fromEntries(
      [1, 5, 8, 12].map((from) => [
        `${CONSISTENCY_URL}?from=${from}&to=13`,
        readFixture('ledger', `consistency-${from}-to-13.json`),
      ]),
    ),
    ...overrides,
  };
}

function run({
  index = 6,
  entry = ledger.entries[index],
  vkey = ledger.vkey,
  answers = routes(),
  expectedLeafHash = null,
  previous = null,
  addressIndex = null,
  shownText = null,
  pinnedVkey = null,
} = {}) {
  const fetchBytes = fakeFetch(answers);
  const seen = [];
  const result = verifyEntry(
    {
      index: String(index),
      addressIndex,
      vkey,
      entryBytes: encoder.encode(entry),
      checkpointUrl: CHECKPOINT_URL,
      proofUrl: PROOF_URL,
      expectedLeafHash,
      consistencyUrl: CONSISTENCY_URL,
      previous,
      shownText,
      pinnedVkey,
    },
    { fetchBytes, onStep: (step) => seen.push(step) },
  );
  return result.then((value) => ({ ...value, seen, requests: fetchBytes.requests }));
}

const english = textsFor('en');

test('entries of the fixture ledger verify, every step passing', async () => {
  for (const index of [0, 6, 12]) {
    const result = await run({ index });
    assert.equal(result.state, 'ok', `entry ${index}: ${JSON.stringify(result.failure)}`);
    assert.deepEqual(
      result.steps.map((step) => step.step),
      STEPS,
    );
    assert.deepEqual(result.seen, result.steps, 'each step was reported as it ended');
    assert.ok(result.steps.every((step) => step.outcome === 'ok'));
    const root = result.steps.find((step) => step.step === 'root');
    assert.equal(root.computedRoot, ROOT_HEX);
    assert.deepEqual(result.requests, [CHECKPOINT_URL, `${PROOF_URL}?index=${index}&size=13`]);
  }
});

test('the badge and step texts of a passing run', async () => {
  const result = await run();
  assert.match(
    partsToText(describeResult(english, result)),
    /^Verified: this entry is in the signed ledger \(checkpoint of 13 entries\)/,
  );
  assert.match(partsToText(describeResult(textsFor('nl'), result)), /^Geverifieerd/);
  assert.match(
    partsToText(describeResult(textsFor(''), result)),
    /^Geverifieerd/,
    'Dutch by default',
  );
  const leaf = result.steps.find((step) => step.step === 'leaf');
  assert.equal(leaf.leafHash, JSON.parse(ledger.proof(6, 13)).leaf_hash);
  assert.ok(
    describeStep(english, leaf).some((part) => part.code === leaf.leafHash),
    'the leaf hash is shown as code',
  );
});

test("from a receipt, the entry must be the receipt's: its leaf hash, not only its index", async () => {
  const own = JSON.parse(ledger.proof(6, 13)).leaf_hash;
  const passed = await run({ expectedLeafHash: own });
  assert.equal(passed.state, 'ok', JSON.stringify(passed.failure));
  const leaf = passed.steps.find((step) => step.step === 'leaf');
  assert.equal(leaf.receipt, true);
  assert.match(partsToText(describeStep(english, leaf)), /the hash on your receipt$/);

  // Another ballot at index 6 (here: the receipt of entry 0) fails at the leaf, even though
  // the entry there is in the signed tree.
  const other = JSON.parse(ledger.proof(0, 13)).leaf_hash;
  const failed = await run({ expectedLeafHash: other });
  assert.equal(failed.state, 'failed');
  assert.deepEqual([failed.failure.step, failed.failure.error], ['leaf', 'leaf_not_expected']);
  assert.equal(failed.failure.leafHash, own);
  assert.equal(failed.failure.expected, other);
  assert.match(
    partsToText(describeResult(english, failed)),
    /another entry: these bytes hash to [0-9a-f]{64}, your receipt names [0-9a-f]{64}/,
  );

  for (const malformed of ['', 'ABC', own.toUpperCase(), `${own}0`]) {
    const result = await run({ expectedLeafHash: malformed });
    assert.deepEqual(
      [result.failure?.step, result.failure?.error],
      ['leaf', 'expected_leaf_malformed'],
      malformed,
    );
    assert.equal(result.requests.length, 0, 'nothing is fetched for a malformed receipt hash');
  }
});

//! The checkpoint a browser kept at `size`, as the fixture's consistency proof names its root.
function kept(size) {
  return { size, root: JSON.parse(readFixture('ledger', `consistency-${size}-to-13.json`)).root1 };
}

test('a checkpoint that extends the kept one passes the history step, and is kept', async () => {
  const first = await run();
  assert.equal(first.state, 'ok');
  assert.equal(first.steps.find((step) => step.step === 'history').first, true);
  assert.deepEqual(first.checkpoint, { size: 13, root: ROOT_HEX });

  for (const size of [1, 5, 8, 12]) {
    const result = await run({ previous: kept(size) });
    assert.equal(result.state, 'ok', `${size}: ${JSON.stringify(result.failure)}`);
    const history = result.steps.find((step) => step.step === 'history');
    assert.deepEqual([history.extended, history.previousSize], [true, size]);
    assert.ok(result.requests.includes(`${CONSISTENCY_URL}?from=${size}&to=13`));
    assert.deepEqual(result.checkpoint, { size: 13, root: ROOT_HEX });
    assert.match(
      partsToText(describeStep(english, history)),
      new RegExp(`extends the kept checkpoint of ${size} entries`),
    );
  }
  const same = await run({ previous: { size: 13, root: ROOT_HEX } });
  assert.equal(same.state, 'ok');
  assert.equal(same.steps.find((step) => step.step === 'history').same, true);
  assert.ok(!same.requests.some((url) => url.startsWith(CONSISTENCY_URL)));
});

test('a log that took back or rewrote what this browser saw fails the history step', async () => {
  const failure = async (options) => {
    const result = await run(options);
    assert.equal(result.state, 'failed', JSON.stringify(options));
    return result;
  };
  // Fewer entries than before.
  let result = await failure({ previous: { size: 20, root: ROOT_HEX } });
  assert.deepEqual([result.failure.step, result.failure.error], ['history', 'checkpoint_rollback']);
  assert.match(partsToText(describeResult(english, result)), /history taken back: .* 13 .* 20/);
  assert.equal(result.checkpoint, undefined, 'nothing new to keep');
  // Another root at the size seen before.
  result = await failure({ previous: { size: 13, root: kept(12).root } });
  assert.deepEqual([result.failure.step, result.failure.error], ['history', 'checkpoint_fork']);
  // A kept root that the new tree does not extend: the proof's own root1 is not trusted.
  result = await failure({ previous: { size: 5, root: kept(8).root } });
  assert.deepEqual([result.failure.step, result.failure.error], ['history', 'consistency_failed']);
  // A proof between other sizes, and one that does not parse.
  result = await failure({
    previous: kept(5),
    answers: routes({
      [`${CONSISTENCY_URL}?from=5&to=13`]: readFixture('ledger', 'consistency-8-to-13.json'),
    }),
  });
  assert.equal(result.failure.error, 'consistency_other_sizes');
  result = await failure({
    previous: kept(5),
    answers: routes({ [`${CONSISTENCY_URL}?from=5&to=13`]: '{"size1":5' }),
  });
  assert.equal(result.failure.error, 'consistency_malformed');
  // No checkpoint at all, where one was seen.
  result = await failure({
    previous: kept(5),
    answers: routes({ [CHECKPOINT_URL]: { status: 404, body: '{"code":"checkpoint_missing"}' } }),
  });
  assert.deepEqual(
    [result.failure.step, result.failure.error],
    ['checkpoint', 'checkpoint_vanished'],
  );
  for (const error of ['checkpoint_rollback', 'checkpoint_fork', 'consistency_failed']) {
    assert.ok(textsFor('nl').reasons[error], error);
    assert.ok(english.reasons[error], error);
  }
});

test('a tampered entry (one byte changed) fails with the root mismatch reason', async () => {
  const entry = ledger.entries[6];
  const position = entry.indexOf('Voorstel 0') + 'Voorstel '.length;
  const tampered = `${entry.slice(0, position)}1${entry.slice(position + 1)}`;
  assert.equal(tampered.length, entry.length);
  const result = await run({ entry: tampered });
  assert.equal(result.state, 'failed');
  assert.equal(result.failure.step, 'root');
  assert.equal(result.failure.error, 'root_mismatch');
  assert.equal(result.failure.signedRoot, ROOT_HEX);
  assert.notEqual(result.failure.computedRoot, ROOT_HEX);
  const text = partsToText(describeResult(english, result));
  assert.match(
    text,
    /Verification failed at “Computed root”: root mismatch: the entry's bytes do not hash to the signed root/,
  );
  assert.ok(text.includes(result.failure.computedRoot));
});

test('an entry beyond the checkpoint is uncovered, neither ok nor failed', async () => {
  const result = await run({ index: 13, entry: '{"index":13}' });
  assert.equal(result.state, 'uncovered');
  assert.equal(result.failure.outcome, 'uncovered');
  assert.equal(result.requests.length, 1, 'no proof is asked for');
  assert.match(
    partsToText(describeResult(english, result)),
    /^Not yet covered by a signed checkpoint: entry #13, the latest checkpoint holds 13 entries/,
  );
});

test('no checkpoint signed yet (404 checkpoint_missing) is uncovered', async () => {
  const answers = routes({
    [CHECKPOINT_URL]: { status: 404, body: '{"code":"checkpoint_missing"}' },
  });
  const result = await run({ answers });
  assert.equal(result.state, 'uncovered');
});

test('network errors name the HTTP status', async () => {
  let result = await run({ answers: routes({ [CHECKPOINT_URL]: { status: 503, body: '' } }) });
  assert.equal(result.state, 'failed');
  assert.deepEqual(
    [result.failure.step, result.failure.error, result.failure.status],
    ['checkpoint', 'http_status', 503],
  );
  assert.match(
    partsToText(describeResult(english, result)),
    /network error: the server answered with HTTP status 503/,
  );

  result = await run({ answers: routes({ [`${PROOF_URL}?index=6&size=13`]: { status: 500 } }) });
  assert.deepEqual([result.failure.step, result.failure.status], ['proof', 500]);

  result = await run({ answers: routes({ [CHECKPOINT_URL]: 'network' }) });
  assert.deepEqual([result.failure.step, result.failure.error], ['checkpoint', 'network']);
});

test('a checkpoint signed by another key: key unknown', async () => {
  const result = await run({ vkey: makeNoteKey('bench.wijkbudget.example').vkey });
  assert.deepEqual([result.failure.step, result.failure.error], ['checkpoint', 'key_unknown']);
  assert.match(partsToText(describeResult(english, result)), /key unknown/);
});

test('a checkpoint whose body was changed: signature invalid', async () => {
  const tampered = ledger.checkpoint.replace('\n13\n', '\n12\n');
  const result = await run({ answers: routes({ [CHECKPOINT_URL]: tampered }) });
  assert.deepEqual(
    [result.failure.step, result.failure.error],
    ['checkpoint', 'signature_invalid'],
  );
  assert.match(partsToText(describeResult(english, result)), /signature invalid/);
});

test('a bad page key fails at the first step', async () => {
  const result = await run({ vkey: 'not a key' });
  assert.deepEqual([result.failure.step, result.failure.error], ['key', 'key_malformed']);
  assert.equal(result.requests.length, 0);
});

test('the key must be the one this browser verified with here first', async () => {
  const same = await run({ pinnedVkey: ledger.vkey });
  assert.equal(same.state, 'ok', JSON.stringify(same.failure));
  // A server that swapped its key could sign a history of its own; the kept checkpoint is per
  // key, so only the pinned key shows the swap.
  const other = makeNoteKey('log.example');
  const swapped = await run({ pinnedVkey: other.vkey });
  assert.deepEqual([swapped.failure.step, swapped.failure.error], ['key', 'key_changed']);
  assert.equal(swapped.requests.length, 0);
  assert.match(
    partsToText(describeResult(english, swapped)),
    /another key \([0-9a-f]+\) than the one this browser checked here before \([0-9a-f]+\)/,
  );
});

test('the text the page shows must be the bytes it verifies', async () => {
  const entry = ledger.entries[6];
  const shown = await run({ shownText: entry });
  assert.equal(shown.state, 'ok', JSON.stringify(shown.failure));
  // The page shows other words than those it hashes: the badge would vouch for them.
  for (const text of [entry.replace('"index":6', '"index":7'), `${entry} `, '']) {
    const differs = await run({ shownText: text });
    assert.deepEqual([differs.failure.step, differs.failure.error], ['leaf', 'shown_not_hashed']);
    assert.equal(differs.requests.length, 0);
  }
});

test('a broken index on the page fails before any request', async () => {
  const fetchBytes = fakeFetch(routes());
  const result = await verifyEntry(
    {
      index: '06',
      vkey: ledger.vkey,
      entryBytes: new Uint8Array(),
      checkpointUrl: CHECKPOINT_URL,
      proofUrl: PROOF_URL,
    },
    { fetchBytes },
  );
  assert.deepEqual([result.failure.step, result.failure.error], ['coverage', 'index_malformed']);
  assert.equal(fetchBytes.requests.length, 0);
});

test("the entry must name the index it is proven at, and the address's", async () => {
  // Entry 0's bytes on the page of entry 6: wijkbudget-verify refuses this too.
  const other = await run({ index: 6, entry: ledger.entries[0] });
  assert.deepEqual([other.failure.step, other.failure.error], ['leaf', 'entry_other_index']);
  assert.equal(other.requests.length, 0);
  assert.match(
    partsToText(describeResult(english, other)),
    /another entry: these bytes name number 0, the proof is for #6/,
  );
  for (const entry of ['{}', '[6]', '{"index":"6"}', '{"index":6.5}', 'not json']) {
    const malformed = await run({ index: 6, entry });
    assert.deepEqual([malformed.failure.step, malformed.failure.error], ['leaf', 'entry_malformed']);
  }
  // The page of /ledger/7 proving entry 6 (its bytes, its index): the reader asked for 7.
  const moved = await run({ index: 6, addressIndex: '7' });
  assert.deepEqual([moved.failure.step, moved.failure.error], ['coverage', 'index_not_address']);
  assert.equal(moved.requests.length, 0);
  assert.match(
    partsToText(describeResult(textsFor('nl'), moved)),
    /deze pagina bewijst registratie #6, het adres vraagt om #7/,
  );
  const same = await run({ index: 6, addressIndex: '6' });
  assert.equal(same.state, 'ok', JSON.stringify(same.failure));
});

test('bytes the page could not give fail before any request', async () => {
  // badge.js passes null when the page's base64 copy of the stored bytes does not decode.
  const fetchBytes = fakeFetch(routes());
  const result = await verifyEntry(
    {
      index: '6',
      vkey: ledger.vkey,
      entryBytes: null,
      checkpointUrl: CHECKPOINT_URL,
      proofUrl: PROOF_URL,
    },
    { fetchBytes },
  );
  assert.equal(result.state, 'failed');
  assert.deepEqual([result.failure.step, result.failure.error], ['leaf', 'bytes_malformed']);
  assert.equal(fetchBytes.requests.length, 0);
});

test('malformed proofs are named as such', async () => {
  const good = JSON.parse(ledger.proof(6, 13));
  const cases = [
    ['{"leaf_index":6', 'proof_malformed'],
    [JSON.stringify({ ...good, extra: 1 }), 'proof_malformed'],
    [JSON.stringify({ ...good, root: good.root.toUpperCase() }), 'proof_malformed'],
    [
      JSON.stringify({ ...good, proof: [...good.proof, good.proof[0].slice(2)] }),
      'proof_malformed',
    ],
    // What JSON.parse takes and wijkbudget-verify refuses (ledger/strict_json.hpp): the two
    // verifiers must agree on what a proof is. A repeated key, also behind an escape, where
    // JSON.parse keeps the last; whole numbers as fractions or with exponents.
    [`{"leaf_index":5,${JSON.stringify(good).slice(1)}`, 'proof_malformed'],
    [`{"leaf\\u005findex":5,${JSON.stringify(good).slice(1)}`, 'proof_malformed'],
    [JSON.stringify(good).replace('"leaf_index":6', '"leaf_index":6.0'), 'proof_malformed'],
    [JSON.stringify(good).replace('"tree_size":13', '"tree_size":1.3e1'), 'proof_malformed'],
    [JSON.stringify({ ...good, leaf_index: 5 }), 'proof_other_position'],
    [JSON.stringify({ ...good, tree_size: 12 }), 'proof_other_position'],
    [JSON.stringify({ ...good, proof: good.proof.slice(1) }), 'proof_wrong_length'],
    [JSON.stringify({ ...good, proof: [...good.proof, good.proof[0]] }), 'proof_wrong_length'],
  ];
  // The same proof, spaced out and with its keys in another order, is still one.
  const spaced = `{ "proof" : ${JSON.stringify(good.proof)} ,\n "tree_size": 13, "leaf_index": 6,
    "root": "${good.root}", "leaf_hash": "${good.leaf_hash}" }\n`;
  const fine = await run({ answers: routes({ [`${PROOF_URL}?index=6&size=13`]: spaced }) });
  assert.equal(fine.state, 'ok', JSON.stringify(fine.failure));
  for (const [text, error] of cases) {
    const result = await run({ answers: routes({ [`${PROOF_URL}?index=6&size=13`]: text }) });
    assert.deepEqual([result.failure.step, result.failure.error], ['proof', error], text);
    assert.match(partsToText(describeResult(english, result)), /proof malformed/);
  }
});

test('a proof with one hash changed: root mismatch', async () => {
  const good = JSON.parse(ledger.proof(6, 13));
  const flipped = `${good.proof[1][0] === '0' ? '1' : '0'}${good.proof[1].slice(1)}`;
  const text = JSON.stringify({ ...good, proof: [good.proof[0], flipped, ...good.proof.slice(2)] });
  const result = await run({ answers: routes({ [`${PROOF_URL}?index=6&size=13`]: text }) });
  assert.deepEqual([result.failure.step, result.failure.error], ['root', 'root_mismatch']);
});

test("the proof's own root and leaf hash are not trusted", async () => {
  // A server claiming the tampered entry's leaf hash and a made-up root changes nothing: the
  // verifier hashes the bytes itself and compares with the signed root only.
  const good = JSON.parse(ledger.proof(6, 13));
  const text = JSON.stringify({ ...good, leaf_hash: '00'.repeat(32), root: '11'.repeat(32) });
  const result = await run({ answers: routes({ [`${PROOF_URL}?index=6&size=13`]: text }) });
  assert.equal(result.state, 'ok');
});

test('a checkpoint of another origin than the key name is refused', async () => {
  const log = makeNoteKey('log.example');
  const body = checkpointBody('other.example', 13, Buffer.from(ROOT_HEX, 'hex'));
  const answers = routes({ [CHECKPOINT_URL]: `${body}\n${log.signatureLine(body)}` });
  const result = await run({ vkey: log.vkey, answers });
  assert.deepEqual([result.failure.step, result.failure.error], ['checkpoint', 'origin_mismatch']);
});

test('every failure code has a text in both languages', () => {
  const codes = Object.keys(textsFor('nl').reasons);
  assert.deepEqual(Object.keys(textsFor('en').reasons), codes);
  for (const code of codes) {
    for (const lang of ['nl', 'en']) {
      const parts = textsFor(lang).reasons[code]({
        status: 500,
        computedRoot: 'aa',
        signedRoot: 'bb',
        message: 'm',
      });
      assert.ok(partsToText(parts).length > 10, `${lang} ${code}`);
    }
  }
});
