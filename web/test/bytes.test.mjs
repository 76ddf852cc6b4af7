import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../test-support.mjs';
import { fromBase64, fromHex, toHex } from '../src/bytes.js';

test('base64 decodes every padding length', () => {
  for (const length of [0, 1, 2, 3, 4, 32, 33, 68]) {
    const bytes = Uint8Array.from({ length }, (_, position) => (position * 37 + 11) & 0xff);
    assert.deepEqual(fromBase64(Buffer.from(bytes).toString('base64')), bytes);
  }
});

test('base64 accepts exactly one spelling', () => {
  assert.equal(fromBase64('QQ'), null, 'padding missing');
  assert.equal(fromBase64('QR=='), null, 'unused bits set');
  assert.deepEqual(fromBase64('QUI='), Uint8Array.of(0x41, 0x42));
  assert.equal(fromBase64('QUJ='), null, 'unused bits set');
  assert.equal(fromBase64('Q=Q='), null, 'padding inside');
  assert.equal(fromBase64('QU I'), null, 'white space');
  assert.equal(fromBase64('QUJD\n'), null, 'newline');
  assert.equal(fromBase64('QU-_'), null, 'URL alphabet');
});

test('hex is lowercase both ways', () => {
  assert.equal(toHex(Uint8Array.of(0, 15, 16, 255)), '000f10ff');
  assert.deepEqual(fromHex('000f10ff'), Uint8Array.of(0, 15, 16, 255));
  assert.equal(fromHex('0F'), null);
  assert.equal(fromHex('abc'), null);
});
