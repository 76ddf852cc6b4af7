// Signed notes and checkpoints (c2sp.org/signed-note, c2sp.org/tlog-checkpoint), checked with
// WebCrypto's Ed25519 as the browser checks them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkpointBody, ledgerFixture, makeNoteKey } from '../test-support.mjs';
import { toHex } from '../src/bytes.js';
import {
  openCheckpoint,
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  splitNote,
} from '../src/note.js';

const ROOT = Uint8Array.from({ length: 32 }, (_, position) => position * 7);

async function keyOf(noteKey) {
  return (await parseVerifierKey(noteKey.vkey)).value;
}

test('the C++-signed ledger checkpoint verifies', async () => {
  const { checkpoint, vkey } = ledgerFixture();
  const opened = await openCheckpoint(checkpoint, (await parseVerifierKey(vkey)).value);
  assert.equal(opened.error, undefined);
  assert.equal(opened.value.origin, 'bench.wijkbudget.example');
  assert.equal(opened.value.size, 13);
  assert.equal(
    toHex(opened.value.root),
    '151810db203e39d7d59b844124b27dd8500bf1934a1795ebf26689f41aeb86e8',
  );
});

test('one byte changed in the body breaks the signature', async () => {
  const { checkpoint, vkey } = ledgerFixture();
  const key = (await parseVerifierKey(vkey)).value;
  const bodyEnd = checkpoint.indexOf('\n\n');
  for (const position of [0, checkpoint.indexOf('\n') + 1, bodyEnd - 3]) {
    const original = checkpoint[position];
    const changed = original === 'A' ? 'B' : original === '1' ? '2' : 'A';
    const tampered = checkpoint.slice(0, position) + changed + checkpoint.slice(position + 1);
    assert.deepEqual(
      await openCheckpoint(tampered, key),
      { error: 'signature_invalid' },
      `byte ${position}`,
    );
  }
});

test('a note not signed by the key is refused: key unknown', async () => {
  const { checkpoint } = ledgerFixture();
  // Same name as the log, another key: its id differs, so no line is by this key.
  const stranger = makeNoteKey('bench.wijkbudget.example');
  assert.deepEqual(await openCheckpoint(checkpoint, await keyOf(stranger)), {
    error: 'key_unknown',
  });
});

test("a line with the key's name and id but another key's signature is invalid", async () => {
  const log = makeNoteKey('log.example');
  const impostor = makeNoteKey('log.example');
  const body = checkpointBody('log.example', 5, ROOT);
  const note = `${body}\n${impostor.signatureLine(body, 'log.example', log.keyId)}`;
  assert.deepEqual(await openCheckpoint(note, await keyOf(log)), { error: 'signature_invalid' });
});

test('signatures by other keys are ignored; the known one must verify', async () => {
  const log = makeNoteKey('log.example');
  const witness = makeNoteKey('witness.example');
  const body = checkpointBody('log.example', 5, ROOT);
  const note = `${body}\n${witness.signatureLine(body)}${log.signatureLine(body)}`;
  const opened = await openCheckpoint(note, await keyOf(log));
  assert.equal(opened.value.size, 5);
  assert.deepEqual(opened.value.root, ROOT);
});

test("a cosigner's name longer than our keys' limit is ignored, as wijkbudget-verify ignores it", async () => {
  // KEY_NAME_BYTES_MAX bounds the keys we are given, not the spec's names: a witness of another
  // log may sign with a longer one, and its line must not fail the log's own signature.
  const log = makeNoteKey('log.example');
  const witness = makeNoteKey(`witness.example/${'w'.repeat(300)}`);
  const body = checkpointBody('log.example', 5, ROOT);
  const note = `${body}\n${witness.signatureLine(body)}${log.signatureLine(body)}`;
  const opened = await openCheckpoint(note, await keyOf(log));
  assert.equal(opened.error, undefined);
  assert.equal(opened.value.size, 5);
});

test('the origin must be the key name', async () => {
  const log = makeNoteKey('log.example');
  const body = checkpointBody('other.example', 5, ROOT);
  const note = `${body}\n${log.signatureLine(body)}`;
  assert.deepEqual(await openCheckpoint(note, await keyOf(log)), { error: 'origin_mismatch' });
});

test('the body is everything up to the last blank line', () => {
  const split = splitNote('a\n\nb\n\n\u2014 k AAAAAAA=\n');
  assert.equal(split.value.body, 'a\n\nb\n');
  assert.equal(split.value.signatures.length, 1);
});

test('malformed notes are refused', async () => {
  const log = makeNoteKey('log.example');
  const key = await keyOf(log);
  const body = checkpointBody('log.example', 5, ROOT);
  const line = log.signatureLine(body);
  for (const note of [
    body, // no signatures
    `${body}\n`, // a blank line and nothing after it
    `${body}\n${line.slice(0, -1)}`, // no final newline
    `${body}\n${line.replace('\u2014', '-')}`, // a hyphen for the em dash
    `${body}\n\u2014 log.example\n`, // no signature
    `${body}\n\u2014 log.example AAAA\n`, // shorter than a key id and a byte
    `${body.replace('5', '5\t')}\n${line}`, // a control character
  ]) {
    assert.deepEqual(await openNote(note, key), { error: 'note_malformed' }, JSON.stringify(note));
  }
});

test('checkpoint bodies are read strictly', () => {
  const root = Buffer.from(ROOT).toString('base64');
  assert.equal(parseCheckpoint(`o\n0\n${root}\n`).value.size, 0);
  assert.equal(parseCheckpoint(`o\n7\n${root}\next\n`).value.size, 7);
  for (const body of [
    `o\n7\n${root}`, // no final newline
    `o\n07\n${root}\n`, // leading zero
    `o\n-7\n${root}\n`,
    `o\n+7\n${root}\n`,
    `o\n9007199254740993\n${root}\n`, // above the safe integers
    `o\n7\n${root.slice(4)}\n`, // not 32 bytes
    `o\n7\n${root}\n\n`, // empty extension line
    `\n7\n${root}\n`, // empty origin
    'o\n7\n',
  ]) {
    assert.deepEqual(
      parseCheckpoint(body),
      { error: 'checkpoint_malformed' },
      JSON.stringify(body),
    );
  }
});
