// Verifier keys: "name+hex key id+base64(0x01 || public key)" (ledger/note_key.hpp).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import { ledgerFixture, makeNoteKey } from '../test-support.mjs';
import { toHex } from '../src/bytes.js';
import { parseVerifierKey } from '../src/note.js';

test('the ledger fixture key, made by the C++ make_export, parses', async () => {
  const { vkey } = ledgerFixture();
  const parsed = await parseVerifierKey(vkey);
  assert.equal(parsed.error, undefined);
  assert.equal(parsed.value.name, 'bench.wijkbudget.example');
  assert.equal(toHex(parsed.value.keyId), vkey.split('+')[1]);
  assert.equal(parsed.value.publicKey.length, 32);
});

test('a key whose base64 holds "+" parses: only the first two "+" separate fields', async () => {
  // Make keys until one's base64 part has a '+' (about one in three does).
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const key = makeNoteKey('log.example');
    if (!key.vkey.split('+').slice(2).join('+').includes('+')) continue;
    const parsed = await parseVerifierKey(key.vkey);
    assert.deepEqual(parsed.value.publicKey, new Uint8Array(key.publicKey));
    return;
  }
  assert.fail('no key with "+" in its base64 in 100 tries');
});

test('a wrong algorithm byte is refused, even with a matching key id', async () => {
  // A witness cosignature key (type 0x04) with its own correct id: only the type is wrong.
  const witness = makeNoteKey('auditor.example', 0x04);
  assert.deepEqual(await parseVerifierKey(witness.vkey), { error: 'key_algorithm' });
});

test('a wrong key id is refused', async () => {
  const key = makeNoteKey('log.example');
  const [name, keyId, blob] = key.vkey.split(/\+(.*?)\+(.*)/s).filter(Boolean);
  const flipped = keyId.slice(0, 7) + (keyId[7] === '0' ? '1' : '0');
  assert.deepEqual(await parseVerifierKey(`${name}+${flipped}+${blob}`), {
    error: 'key_id_mismatch',
  });
  // The same key under another name has another id.
  assert.deepEqual(await parseVerifierKey(`other.example+${keyId}+${blob}`), {
    error: 'key_id_mismatch',
  });
});

test('malformed keys are refused', async () => {
  const key = makeNoteKey('log.example');
  const [name, keyId, blob] = key.vkey.split(/\+(.*?)\+(.*)/s).filter(Boolean);
  const shortBlob = Buffer.from([1, ...Buffer.alloc(31)]).toString('base64');
  const upperId = createHash('sha256').update('x').digest('hex').slice(0, 8).toUpperCase();
  for (const text of [
    '',
    name,
    `${name}+${keyId}`,
    `+${keyId}+${blob}`,
    `${name}+${keyId.slice(1)}+${blob}`,
    `${name}+${upperId}+${blob}`,
    `${name}+${keyId}+${blob.slice(0, -1)}`,
    `${name}+${keyId}+${shortBlob}`,
    `log example+${keyId}+${blob}`,
  ]) {
    assert.deepEqual(await parseVerifierKey(text), { error: 'key_malformed' }, text);
  }
});
