// RFC 9162 inclusion and consistency proofs: the project's known vectors, the C++-made ledger
// fixture, and every (index, size) and (size1, size2) up to 40 leaves against a reference written
// straight from the RFC's recursive definitions (section 2.1.1 MTH, 2.1.3.1 PATH and 2.1.4.1
// SUBPROOF), which share no code with src/merkle.js.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { fixturePath, ledgerFixture, readFixture } from '../test-support.mjs';
import { fromHex, toHex } from '../src/bytes.js';
import {
  inclusionProofLength,
  leafHash,
  rootFromInclusionProof,
  verifyConsistency,
} from '../src/merkle.js';
import { parseConsistencyProof, parseInclusionProof } from '../src/proof.js';

function sha256(...parts) {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(Uint8Array.from(part));
  return new Uint8Array(hash.digest());
}

//! RFC 9162's k: the largest power of two smaller than n (n >= 2).
function split(n) {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function referenceRoot(leaves) {
  if (leaves.length === 1) return leaves[0];
  const k = split(leaves.length);
  return sha256([1], referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

function referencePath(index, leaves) {
  if (leaves.length === 1) return [];
  const k = split(leaves.length);
  return index < k
    ? [...referencePath(index, leaves.slice(0, k)), referenceRoot(leaves.slice(k))]
    : [...referencePath(index - k, leaves.slice(k)), referenceRoot(leaves.slice(0, k))];
}

//! RFC 9162 section 2.1.4.1: SUBPROOF(m, D[n], b).
function referenceSubproof(m, leaves, complete) {
  const n = leaves.length;
  if (m === n) return complete ? [] : [referenceRoot(leaves)];
  const k = split(n);
  return m <= k
    ? [...referenceSubproof(m, leaves.slice(0, k), complete), referenceRoot(leaves.slice(k))]
    : [...referenceSubproof(m - k, leaves.slice(k), false), referenceRoot(leaves.slice(0, k))];
}

test("the project's known inclusion vectors verify (tests/fuzz/corpus/proof_verify)", async () => {
  const names = readdirSync(fixturePath('proofs')).filter((name) => name.startsWith('inclusion-'));
  assert.ok(names.length >= 4);
  for (const name of names) {
    const file = JSON.parse(readFixture('proofs', name));
    const path = file.proof.map(fromHex);
    assert.equal(path.length, inclusionProofLength(file.leaf_index, file.tree_size), name);
    const root = await rootFromInclusionProof(
      file.leaf_index,
      file.tree_size,
      fromHex(file.leaf_hash),
      path,
    );
    assert.equal(toHex(root), file.root, name);
  }
});

test('a vector with one proof hash changed does not reach its root', async () => {
  const file = JSON.parse(readFixture('proofs', 'invalid-root-mismatch.json'));
  const root = await rootFromInclusionProof(
    file.leaf_index,
    file.tree_size,
    fromHex(file.leaf_hash),
    file.proof.map(fromHex),
  );
  assert.notEqual(toHex(root), file.root);
});

test('leaf hashes and the root of the C++-made ledger fixture', async () => {
  const { entries } = ledgerFixture();
  const encoder = new TextEncoder();
  const leaves = await Promise.all(entries.map((entry) => leafHash(encoder.encode(entry))));
  leaves.forEach((leaf, index) => {
    assert.deepEqual(leaf, sha256([0], Buffer.from(entries[index], 'utf8')));
  });
  const root = toHex(referenceRoot(leaves));
  assert.equal(root, '151810db203e39d7d59b844124b27dd8500bf1934a1795ebf26689f41aeb86e8');
  for (const index of [0, 6, 12]) {
    const proof = parseInclusionProof(ledgerFixture().proof(index, 13), index, 13);
    assert.equal(proof.error, undefined);
    assert.equal(toHex(proof.value.leafHash), toHex(leaves[index]));
    assert.equal(
      toHex(await rootFromInclusionProof(index, 13, leaves[index], proof.value.path)),
      root,
    );
  }
});

test('a leaf hash of a non-ASCII entry equals the C++ one (UTF-8 of the text)', async () => {
  // fixtures/entry-non-ascii.json is tests/golden/entries/checkpoint.witnessed.json (it holds an
  // em dash); the expected hash is what `wijkbudget-verify root` printed for its bytes.
  const text = readFixture('entry-non-ascii.json').replace(/\n$/, '');
  const leaf = await leafHash(new TextEncoder().encode(text));
  assert.equal(toHex(leaf), '1d1e7b89c284267dbf17a62bdd7acd93398436c64b10f55fbcbf142268abd584');
});

test('every position in trees of 1 to 40 leaves matches the RFC reference', async () => {
  const leaves = Array.from({ length: 40 }, (_, position) =>
    sha256([0], Buffer.from(`leaf ${position}`)),
  );
  for (let size = 1; size <= leaves.length; size += 1) {
    const tree = leaves.slice(0, size);
    const root = referenceRoot(tree);
    for (let index = 0; index < size; index += 1) {
      const path = referencePath(index, tree);
      assert.equal(inclusionProofLength(index, size), path.length, `${index} of ${size}`);
      assert.deepEqual(
        await rootFromInclusionProof(index, size, tree[index], path),
        root,
        `${index} of ${size}`,
      );
      if (path.length > 0) {
        // The same path for the neighbouring leaf must not reach the root.
        const other = index ^ 1;
        if (other < size) {
          assert.notDeepEqual(await rootFromInclusionProof(other, size, tree[index], path), root);
        }
      }
    }
  }
});

test('a path of the wrong length is not accepted by the walk', async () => {
  const leaves = Array.from({ length: 5 }, (_, position) =>
    sha256([0], Buffer.from(`${position}`)),
  );
  const path = referencePath(2, leaves);
  assert.equal(await rootFromInclusionProof(2, 5, leaves[2], [...path, path[0]]), null);
  assert.equal(await rootFromInclusionProof(5, 5, leaves[2], path), null);
});

test('sizes beyond 32 bits are walked exactly', () => {
  // 2^40 leaves: a full tree, 40 levels; the last leaf of 2^40 + 1: 41 levels, first leaf: 41.
  assert.equal(inclusionProofLength(12345, 2 ** 40), 40);
  assert.equal(inclusionProofLength(2 ** 40, 2 ** 40 + 1), 1);
  assert.equal(inclusionProofLength(0, 2 ** 40 + 1), 41);
});

test('consistency proofs of the C++-made ledger fixture verify against the trusted roots', async () => {
  const { entries } = ledgerFixture();
  const encoder = new TextEncoder();
  const leaves = await Promise.all(entries.map((entry) => leafHash(encoder.encode(entry))));
  const root13 = referenceRoot(leaves);
  for (const from of [1, 5, 8, 12, 13]) {
    const text = readFixture('ledger', `consistency-${from}-to-13.json`);
    const proof = parseConsistencyProof(text, from, 13);
    assert.equal(proof.error, undefined, `${from}`);
    const root = referenceRoot(leaves.slice(0, from));
    assert.equal(JSON.parse(text).root1, toHex(root), `${from}`);
    assert.ok(await verifyConsistency(from, 13, root, root13, proof.value.path), `${from}`);
    // The same proof from another kept root (a rewritten history) fails.
    const other = referenceRoot(leaves.slice(1, from + 1));
    assert.equal(await verifyConsistency(from, 13, other, root13, proof.value.path), false);
  }
  assert.equal(parseConsistencyProof(readFixture('ledger', 'consistency-5-to-13.json'), 8, 13).error,
    'consistency_other_sizes');
  assert.equal(parseConsistencyProof('{"size1":5}', 5, 13).error, 'consistency_malformed');
});

test('every pair of sizes in trees of 1 to 40 leaves matches the RFC reference', async () => {
  const leaves = Array.from({ length: 40 }, (_, position) =>
    sha256([0], Buffer.from(`leaf ${position}`)),
  );
  for (let size2 = 1; size2 <= leaves.length; size2 += 1) {
    const tree = leaves.slice(0, size2);
    const root2 = referenceRoot(tree);
    for (let size1 = 1; size1 <= size2; size1 += 1) {
      const root1 = referenceRoot(leaves.slice(0, size1));
      const path = referenceSubproof(size1, tree, true);
      const where = `${size1} to ${size2}`;
      assert.ok(await verifyConsistency(size1, size2, root1, root2, path), where);
      assert.equal(await verifyConsistency(size1, size2, root2, root1, path), size1 === size2, where);
      if (path.length > 0) {
        const changed = path.map((hash, position) =>
          position === path.length - 1 ? sha256([2], hash) : hash,
        );
        assert.equal(await verifyConsistency(size1, size2, root1, root2, changed), false, where);
        assert.equal(
          await verifyConsistency(size1, size2, root1, root2, [...path, path[0]]),
          false,
          where,
        );
        assert.equal(
          await verifyConsistency(size1, size2, root1, root2, path.slice(1)),
          false,
          where,
        );
      }
    }
  }
  assert.equal(await verifyConsistency(5, 4, leaves[0], leaves[0], []), false);
  assert.equal(await verifyConsistency(0, 4, leaves[0], leaves[0], [leaves[1]]), false);
});
