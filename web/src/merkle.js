// RFC 9162 Merkle tree hashing, and inclusion- and consistency-proof verification, as
// ledger/merkle.cpp does them.
//
// Indices and sizes are BigInt inside: the algorithm shifts and masks them, and JavaScript's
// bitwise operators would cut numbers to 32 bits.

import { concatBytes, equalBytes } from './bytes.js';
import { sha256 } from './sha256.js';

//! RFC 9162 section 2.1.1 domain separation: a leaf can never pass for an interior node.
const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** SHA-256(0x00 || bytes): the hash of one leaf. */
export function leafHash(bytes) {
  return sha256(concatBytes(LEAF_PREFIX, bytes));
}

/** SHA-256(0x01 || left || right): the hash of an interior node. */
export function nodeHash(left, right) {
  return sha256(concatBytes(NODE_PREFIX, left, right));
}

/**
 * Shifts fn and sn right until fn's lowest bit is set or fn is 0: RFC 9162 section 2.1.3.2
 * step 4.b.ii, which skips the levels where the node is on the right edge without a sibling.
 */
function skipRightEdge(state) {
  while ((state.fn & 1n) === 0n && state.fn !== 0n) {
    state.fn >>= 1n;
    state.sn >>= 1n;
  }
}

/**
 * The number of hashes in the inclusion proof of leaf `index` in a tree of `size` leaves: the
 * walk of verifyInclusionRoot without the hashing. Checking the length first makes a proof with
 * a hash too many or too few fail as malformed, whatever its hashes are (as the C++ does).
 * @pre 0 <= index < size, both safe integers.
 */
export function inclusionProofLength(index, size) {
  const state = { fn: BigInt(index), sn: BigInt(size) - 1n };
  let length = 0;
  while (state.sn !== 0n) {
    if ((state.fn & 1n) === 1n || state.fn === state.sn) skipRightEdge(state);
    state.fn >>= 1n;
    state.sn >>= 1n;
    length += 1;
  }
  return length;
}

/**
 * The root that an inclusion proof leads to from `leaf` (RFC 9162 section 2.1.3.2, steps 2 to 5,
 * without the final comparison, so that the caller can show the computed root).
 * Returns null when the proof does not fit the position (step 4.a or a hash left over at the
 * end); the caller checks the length first, so that never happens for a well-formed proof.
 * @param {number} index leaf index, 0 <= index < size
 * @param {number} size tree size
 * @param {Uint8Array} leaf the leaf hash
 * @param {Uint8Array[]} path the proof hashes, bottom-up
 */
export async function rootFromInclusionProof(index, size, leaf, path) {
  if (!(index >= 0 && index < size)) return null;
  const state = { fn: BigInt(index), sn: BigInt(size) - 1n };
  let root = leaf;
  for (const sibling of path) {
    if (state.sn === 0n) return null;
    if ((state.fn & 1n) === 1n || state.fn === state.sn) {
      root = await nodeHash(sibling, root);
      skipRightEdge(state);
    } else {
      root = await nodeHash(root, sibling);
    }
    state.fn >>= 1n;
    state.sn >>= 1n;
  }
  return state.sn === 0n ? root : null;
}

/**
 * Whether `path` proves that the tree of `size2` leaves with root `root2` extends the tree of
 * `size1` leaves with root `root1` (RFC 9162 section 2.1.4.2). The roots are the trusted ones
 * (a kept checkpoint's and a newly signed one's), never the proof file's claims.
 * @param {number} size1 the older size, 0 < size1 <= size2, both safe integers
 * @param {number} size2 the newer size
 * @param {Uint8Array} root1 the older root
 * @param {Uint8Array} root2 the newer root
 * @param {Uint8Array[]} path the proof hashes
 */
export async function verifyConsistency(size1, size2, root1, root2, path) {
  if (!(size1 > 0 && size1 <= size2)) return false;
  if (size1 === size2) return path.length === 0 && equalBytes(root1, root2);
  if (path.length === 0) return false;
  const first = BigInt(size1);
  // Step 2: a first tree of a power-of-two size is a complete subtree of the second; its root
  // starts the path.
  const hashes = (first & (first - 1n)) === 0n ? [root1, ...path] : path;
  const state = { fn: first - 1n, sn: BigInt(size2) - 1n };
  // Step 4: skip the levels where the first tree's last node is a right child.
  while ((state.fn & 1n) === 1n) {
    state.fn >>= 1n;
    state.sn >>= 1n;
  }
  let firstRoot = hashes[0];
  let secondRoot = hashes[0];
  for (const sibling of hashes.slice(1)) {
    if (state.sn === 0n) return false;
    if ((state.fn & 1n) === 1n || state.fn === state.sn) {
      firstRoot = await nodeHash(sibling, firstRoot);
      secondRoot = await nodeHash(sibling, secondRoot);
      skipRightEdge(state);
    } else {
      secondRoot = await nodeHash(secondRoot, sibling);
    }
    state.fn >>= 1n;
    state.sn >>= 1n;
  }
  return state.sn === 0n && equalBytes(firstRoot, root1) && equalBytes(secondRoot, root2);
}
