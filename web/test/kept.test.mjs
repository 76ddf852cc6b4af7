// The kept checkpoint (src/kept.js): read back only when well-formed, never replaced by an older
// or a disagreeing one (two tabs), and no failure where storage is missing or refuses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  KEPT_PREFIX,
  PINNED_KEY,
  keepCheckpoint,
  keptCheckpoint,
  pinVkey,
  pinnedVkey,
} from '../src/kept.js';

const VKEY = 'log.example+0a1b2c3d+AQ';
const ROOT_A = 'a'.repeat(64);
const ROOT_B = 'b'.repeat(64);

//! A stand-in for localStorage: getItem and setItem over a Map.
function memoryStorage() {
  const items = new Map();
  return {
    getItem: (name) => (items.has(name) ? items.get(name) : null),
    setItem: (name, value) => items.set(name, String(value)),
    items,
  };
}

test('a checkpoint is kept per log key and read back', () => {
  const storage = memoryStorage();
  assert.equal(keptCheckpoint(storage, VKEY), null);
  keepCheckpoint(storage, VKEY, { size: 10, root: ROOT_A });
  assert.deepEqual(keptCheckpoint(storage, VKEY), { size: 10, root: ROOT_A });
  assert.equal(keptCheckpoint(storage, 'another+key'), null);
  assert.ok(storage.items.has(KEPT_PREFIX + VKEY));
});

test('an older checkpoint, or one of the same size, never replaces the kept one', () => {
  // Two tabs: one verified size 25 and kept it; the slower one verified 15 from the same start.
  const storage = memoryStorage();
  keepCheckpoint(storage, VKEY, { size: 25, root: ROOT_A });
  keepCheckpoint(storage, VKEY, { size: 15, root: ROOT_B });
  assert.deepEqual(keptCheckpoint(storage, VKEY), { size: 25, root: ROOT_A });
  keepCheckpoint(storage, VKEY, { size: 25, root: ROOT_B });
  assert.deepEqual(keptCheckpoint(storage, VKEY), { size: 25, root: ROOT_A }, 'the first stays');
  keepCheckpoint(storage, VKEY, { size: 26, root: ROOT_B });
  assert.deepEqual(keptCheckpoint(storage, VKEY), { size: 26, root: ROOT_B });
});

test('what is stored but malformed is no kept checkpoint', () => {
  const storage = memoryStorage();
  for (const stored of [
    'not json',
    '{"size":0,"root":"' + ROOT_A + '"}',
    '{"size":1.5,"root":"' + ROOT_A + '"}',
    '{"size":3,"root":"ABC"}',
    '{"size":3}',
    'null',
  ]) {
    storage.setItem(KEPT_PREFIX + VKEY, stored);
    assert.equal(keptCheckpoint(storage, VKEY), null, stored);
  }
});

test('no storage, or storage that throws, keeps nothing and fails nothing', () => {
  assert.equal(keptCheckpoint(null, VKEY), null);
  keepCheckpoint(null, VKEY, { size: 3, root: ROOT_A });
  const refusing = {
    getItem: () => {
      throw new Error('SecurityError');
    },
    setItem: () => {
      throw new Error('QuotaExceededError');
    },
  };
  assert.equal(keptCheckpoint(refusing, VKEY), null);
  keepCheckpoint(refusing, VKEY, { size: 3, root: ROOT_A });
});

test('the first key verified with is pinned, and stays', () => {
  const storage = memoryStorage();
  assert.equal(pinnedVkey(storage), null);
  pinVkey(storage, VKEY);
  assert.equal(pinnedVkey(storage), VKEY);
  assert.equal(storage.items.get(PINNED_KEY), VKEY);
  pinVkey(storage, 'another+key');
  assert.equal(pinnedVkey(storage), VKEY, 'a later key never replaces the pinned one');
  storage.setItem(PINNED_KEY, '');
  assert.equal(pinnedVkey(storage), null, 'an empty value is no pin');
  assert.equal(pinnedVkey(null), null);
  const refusing = {
    getItem: () => {
      throw new Error('SecurityError');
    },
    setItem: () => {
      throw new Error('QuotaExceededError');
    },
  };
  assert.equal(pinnedVkey(refusing), null);
  pinVkey(refusing, VKEY);
});
