// The inclusion and consistency proof JSON that the API serves (api/handlers/ledger_routes.cpp)
// and that `wijkbudget-verify inclusion` and `consistency` read (ledger/proof_json.hpp):
//   {"leaf_index": N, "tree_size": N, "leaf_hash": H, "root": H, "proof": [H, ...]}
//   {"size1": N, "size2": N, "root1": H, "root2": H, "proof": [H, ...]}
// with H 64 lowercase hex digits. Read as strictly as the C++ reads it: every field required, no
// other field, no key twice, whole numbers written as such, hashes well-formed, at most
// PROOF_FILE_BYTES_MAX bytes. Its leaf_hash and root are the server's claims; the verifier
// recomputes both and trusts only the signed checkpoint.

import { fromHex } from './bytes.js';
import { inclusionProofLength } from './merkle.js';

const INCLUSION_FIELDS = ['leaf_index', 'tree_size', 'leaf_hash', 'root', 'proof'];
const CONSISTENCY_FIELDS = ['size1', 'size2', 'root1', 'root2', 'proof'];
//! As PROOF_HASHES_MAX and PROOF_FILE_BYTES_MAX in ledger/proof_json.hpp.
export const PROOF_HASHES_MAX = 128;
export const PROOF_FILE_BYTES_MAX = 16 * 1024;

// One JSON token after optional whitespace: a string, a number (with its fraction and exponent
// captured), a punctuation mark, or a literal. Sticky, so that the scan below reads the text in
// order and stops at anything else.
const JSON_TOKEN =
  /[ \t\n\r]*(?:("(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*")|(-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?)|([{}[\]:,])|(true|false|null))/y;

/**
 * Whether `text` has none of what JSON.parse accepts and the C++ reader refuses
 * (ledger/strict_json.hpp, ledger/proof_json.cpp): a key repeated in one object, where
 * JSON.parse keeps the last and a reader that keeps the first sees another document, and a
 * number written with a fraction or an exponent ("3.0", "1e0"), which no proof has. Text that is
 * not JSON at all is left to JSON.parse to refuse.
 */
function hasNoRepeatsOrFractions(text) {
  const open = []; // Per container: the keys of an object so far, or null for an array.
  let expectKey = false;
  JSON_TOKEN.lastIndex = 0;
  while (JSON_TOKEN.lastIndex < text.length) {
    const at = JSON_TOKEN.lastIndex;
    const token = JSON_TOKEN.exec(text);
    if (token === null) return /^[ \t\n\r]*$/.test(text.slice(at));
    const [, string, number, fraction, exponent, mark] = token;
    if (number !== undefined && (fraction !== undefined || exponent !== undefined)) return false;
    if (string !== undefined && expectKey) {
      const keys = open[open.length - 1];
      const key = JSON.parse(string); // Escapes decoded: "a\u0062" repeats "ab".
      if (keys.has(key)) return false;
      keys.add(key);
      expectKey = false;
    } else if (mark === '{') {
      open.push(new Set());
      expectKey = true;
    } else if (mark === '[') {
      open.push(null);
    } else if (mark === '}' || mark === ']') {
      open.pop();
      expectKey = false;
    } else if (mark === ',') {
      expectKey = open.length > 0 && open[open.length - 1] !== null;
    }
  }
  return true;
}

/** The JSON object `text` holds if it has exactly `fields`, else null. */
function objectWithFields(text, fields) {
  if (new TextEncoder().encode(text).length > PROOF_FILE_BYTES_MAX) return null;
  if (!hasNoRepeatsOrFractions(text)) return null;
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return null;
  const keys = Object.keys(json);
  return keys.length === fields.length && fields.every((field) => field in json) ? json : null;
}

function readHash(value) {
  return typeof value === 'string' && value.length === 64 ? fromHex(value) : null;
}

/**
 * Parses the proof of leaf `index` in the tree of `size` leaves (the numbers the client asked
 * for). Errors: proof_malformed (not the shape above), proof_other_position (a proof of another
 * leaf or tree size), proof_wrong_length (more or fewer hashes than that position needs).
 * @returns {{value?: {leafHash: Uint8Array, root: Uint8Array, path: Uint8Array[]}, error?: string}}
 */
export function parseInclusionProof(text, index, size) {
  const json = objectWithFields(text, INCLUSION_FIELDS);
  if (json === null) return { error: 'proof_malformed' };
  const { leaf_index: leafIndex, tree_size: treeSize, proof } = json;
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize)) {
    return { error: 'proof_malformed' };
  }
  const leafHash = readHash(json.leaf_hash);
  const root = readHash(json.root);
  if (
    leafHash === null ||
    root === null ||
    !Array.isArray(proof) ||
    proof.length > PROOF_HASHES_MAX
  ) {
    return { error: 'proof_malformed' };
  }
  const path = proof.map(readHash);
  if (path.includes(null)) return { error: 'proof_malformed' };
  if (leafIndex !== index || treeSize !== size) return { error: 'proof_other_position' };
  if (path.length !== inclusionProofLength(index, size)) return { error: 'proof_wrong_length' };
  return { value: { leafHash, root, path } };
}


/**
 * Parses the consistency proof from the tree of `from` leaves to the tree of `to` leaves (the
 * numbers the client asked for). Its roots are the server's claims: verifyConsistency is given
 * the trusted ones. Errors: consistency_malformed (not the shape above), consistency_other_sizes
 * (a proof between other sizes).
 * @returns {{value?: {path: Uint8Array[]}, error?: string}}
 */
export function parseConsistencyProof(text, from, to) {
  const json = objectWithFields(text, CONSISTENCY_FIELDS);
  if (json === null) return { error: 'consistency_malformed' };
  const { size1, size2, proof } = json;
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2)) {
    return { error: 'consistency_malformed' };
  }
  if (
    readHash(json.root1) === null ||
    readHash(json.root2) === null ||
    !Array.isArray(proof) ||
    proof.length > PROOF_HASHES_MAX
  ) {
    return { error: 'consistency_malformed' };
  }
  const path = proof.map(readHash);
  if (path.includes(null)) return { error: 'consistency_malformed' };
  if (size1 !== from || size2 !== to) return { error: 'consistency_other_sizes' };
  return { value: { path } };
}
