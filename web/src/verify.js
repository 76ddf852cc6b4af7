// The verification of one ledger entry against the latest signed checkpoint, as a sequence of
// steps, each reported when it ends. No DOM here: the network comes in as a function, so that
// node tests run the same code as the browser (badge.js supplies fetch and draws the outcome).
//
// Steps, in order; the first failure ends the run:
//   key         parse the verifier key the page names (note.js); it must be the key this browser
//               saw on its first verification here, if it kept one (badge.js): a server that
//               swapped the key could show a history of its own making
// (before any request, the bytes must be an entry naming the page's index, and the text the page
// shows; else the leaf step fails)
//   checkpoint  fetch the checkpoint, check the key's Ed25519 signature and the origin
//   history     against the checkpoint this browser kept from an earlier visit (badge.js): the
//               new one must extend it, shown by a consistency proof; a smaller size, another
//               root at the same size, or no checkpoint at all is a log that rewrote history
//   coverage    the entry's index must be below the checkpoint's size, else "uncovered"
//   proof       fetch and parse the inclusion proof for (index, size) (proof.js)
//   leaf        SHA-256(0x00 || entry bytes); if the reader came from a receipt, it must be the
//               receipt's leaf hash (another entry at this index fails here)
//   root        the root the proof leads to from that leaf must be the signed root

import { equalBytes, fromHex, toHex } from './bytes.js';
import { rootFromInclusionProof, leafHash, verifyConsistency } from './merkle.js';
import { NOTE_BYTES_MAX, openCheckpoint, parseVerifierKey } from './note.js';
import { PROOF_FILE_BYTES_MAX, parseConsistencyProof, parseInclusionProof } from './proof.js';

export { parseVerifierKey, openCheckpoint, splitNote, parseCheckpoint } from './note.js';
export { parseConsistencyProof, parseInclusionProof, PROOF_FILE_BYTES_MAX } from './proof.js';
export {
  leafHash,
  nodeHash,
  rootFromInclusionProof,
  inclusionProofLength,
  verifyConsistency,
} from './merkle.js';

export const STEPS = ['key', 'checkpoint', 'history', 'coverage', 'proof', 'leaf', 'root'];

//! Reads the network's bytes as the note they must be; a BOM or bad UTF-8 would change them.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(bytes) {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/** The failure of a fetch as a step error: a network error, or the HTTP status the server sent. */
function fetchFailure(response) {
  if (response.error === 'too_large') return { error: 'response_too_large' };
  return response.status ? { error: 'http_status', status: response.status } : { error: 'network' };
}

/**
 * A 404 whose RFC 9457 body says checkpoint_missing: the server has signed nothing yet
 * (api/handlers/ledger_routes.cpp), so no entry is covered; that is not a failure.
 */
function isCheckpointMissing(response) {
  if (response.status !== 404 || !response.body) return false;
  try {
    return JSON.parse(decodeUtf8(response.body) ?? '').code === 'checkpoint_missing';
  } catch {
    return false;
  }
}

function proofUrlFor(base, index, size) {
  return `${base}${base.includes('?') ? '&' : '?'}index=${index}&size=${size}`;
}

async function checkpointStep(input, key, fetchBytes) {
  const response = await fetchBytes(input.checkpointUrl, NOTE_BYTES_MAX);
  if (response.error) {
    if (isCheckpointMissing(response)) return { value: { origin: key.name, size: 0, root: null } };
    return fetchFailure(response);
  }
  const note = decodeUtf8(response.bytes);
  if (note === null) return { error: 'note_malformed' };
  return openCheckpoint(note, key);
}

/**
 * The history step: the signed checkpoint against the one kept from before, if any.
 * @returns {{value?: object, error?: string}}
 */
async function historyStep(input, size, signedRoot, fetchBytes) {
  const previous = input.previous ?? null;
  if (previous === null) return { value: { first: true } };
  const previousRoot = fromHex(previous.root);
  const seen = { previousSize: previous.size, size };
  if (previous.size > size) return { error: 'checkpoint_rollback', ...seen };
  if (previous.size === size) {
    return equalBytes(previousRoot, signedRoot)
      ? { value: { same: true, ...seen } }
      : { error: 'checkpoint_fork', ...seen };
  }
  const url = `${input.consistencyUrl}?from=${previous.size}&to=${size}`;
  const response = await fetchBytes(url, PROOF_FILE_BYTES_MAX);
  if (response.error) return fetchFailure(response);
  const text = decodeUtf8(response.bytes);
  if (text === null) return { error: 'consistency_malformed' };
  const proof = parseConsistencyProof(text, previous.size, size);
  if (proof.error) return proof;
  const extends_ = await verifyConsistency(
    previous.size,
    size,
    previousRoot,
    signedRoot,
    proof.value.path,
  );
  return extends_ ? { value: { extended: true, ...seen } } : { error: 'consistency_failed', ...seen };
}

async function proofStep(input, index, size, fetchBytes) {
  const response = await fetchBytes(proofUrlFor(input.proofUrl, index, size), PROOF_FILE_BYTES_MAX);
  if (response.error) return fetchFailure(response);
  const text = decodeUtf8(response.bytes);
  if (text === null) return { error: 'proof_malformed' };
  return parseInclusionProof(text, index, size);
}

/**
 * Runs the steps. Each step's outcome is passed to onStep as
 * { step, outcome: 'ok' | 'failed' | 'uncovered', error?, ...details } and the whole result is
 * returned as { state: 'ok' | 'failed' | 'uncovered', steps, failure? }.
 * @param {{index: string, addressIndex?: string | null, vkey: string,
 *          entryBytes: Uint8Array | null, checkpointUrl: string, proofUrl: string,
 *          expectedLeafHash?: string | null}} input  what the page names;
 *          index as the page's text; addressIndex the number in the page's address as text
 *          (null: not an entry's address), which must be the same; the bytes, which must name
 *          that index, null when the page's copy of them does not
 *          decode; the leaf hash a receipt names, as the link from it carries it (hex);
 *          consistencyUrl and previous, the checkpoint { size, root (hex) } this browser kept
 *          from an earlier visit (null: none); shownText, the entry as the page shows it (null:
 *          not compared); pinnedVkey, the key this browser verified with first here (null: none). A result whose history step passed carries
 *          checkpoint: { size, root }, the one to keep from now on.
 * @param {{fetchBytes: (url: string, bytesMax: number) => Promise<object>,
 *          onStep?: (step: object) => void}} io
 *   fetchBytes resolves to { bytes } or { error: 'network' | 'http' | 'too_large', status, body }
 */
export async function verifyEntry(input, { fetchBytes, onStep = () => {} }) {
  const steps = [];
  const report = (step) => {
    steps.push(step);
    onStep(step);
    return step;
  };
  const fail = (step, result) => {
    const failure = report({ step, outcome: 'failed', ...result });
    return { state: 'failed', steps, failure };
  };
  try {
    return await runSteps(input, fetchBytes, report, fail, steps);
  } catch (error) {
    // A browser without WebCrypto (an insecure context) or a bug: say so rather than hang.
    const code = globalThis.crypto?.subtle ? 'internal' : 'crypto_unsupported';
    return fail(steps.length < STEPS.length ? STEPS[steps.length] : 'root', {
      error: code,
      message: String(error?.message ?? error),
    });
  }
}

/** The index an entry's bytes name (their "index" member), or null for bytes that are no JSON
 *  object naming one. The leaf hash binds the bytes; which entry they are, they say themselves. */
function indexNamedBy(bytes) {
  try {
    const entry = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    const named = entry?.index;
    return Number.isSafeInteger(named) && named >= 0 ? named : null;
  } catch {
    return null;
  }
}

async function runSteps(input, fetchBytes, report, fail, steps) {
  const key = await parseVerifierKey(input.vkey);
  if (key.error) return fail('key', key);
  const pinned = input.pinnedVkey ?? null;
  if (pinned !== null && pinned !== input.vkey) {
    const earlier = await parseVerifierKey(pinned);
    return fail('key', {
      error: 'key_changed',
      keyId: toHex(key.value.keyId),
      pinnedKeyId: earlier.error ? '' : toHex(earlier.value.keyId),
    });
  }
  report({ step: 'key', outcome: 'ok', name: key.value.name, keyId: toHex(key.value.keyId) });

  // Checked before any request: a page with a broken index has nothing to ask the server.
  const index = /^(?:0|[1-9][0-9]*)$/.test(input.index ?? '') ? Number(input.index) : NaN;
  if (!Number.isSafeInteger(index)) return fail('coverage', { error: 'index_malformed' });
  // The number in the address the reader followed (/ledger/7) is the entry they asked for: a
  // page proving another index would pass entry 3 off as entry 7.
  const address = input.addressIndex ?? null;
  if (address !== null && address !== input.index)
    return fail('coverage', { error: 'index_not_address', address, index });
  // The stored bytes exactly (badge.js decodes them strictly): none, and nothing is verified.
  if (!(input.entryBytes instanceof Uint8Array)) return fail('leaf', { error: 'bytes_malformed' });
  // An entry names its own index: proven at another position, a reader would take it for the
  // entry at the index it names (wijkbudget-verify refuses it too).
  const named = indexNamedBy(input.entryBytes);
  if (named === null) return fail('leaf', { error: 'entry_malformed' });
  if (named !== index) return fail('leaf', { error: 'entry_other_index', named, index });
  // What the reader sees is what is hashed: a page showing other text than the bytes it proves
  // would have the badge vouch for words the ledger does not hold. Canonical entries have no raw
  // control characters, so HTML parsing leaves the shown text as the bytes' UTF-8.
  const shown = input.shownText ?? null;
  if (shown !== null && shown !== decodeUtf8(input.entryBytes))
    return fail('leaf', { error: 'shown_not_hashed' });
  const expected = input.expectedLeafHash ?? null;
  if (expected !== null && !/^[0-9a-f]{64}$/.test(expected))
    return fail('leaf', { error: 'expected_leaf_malformed' });

  const checkpoint = await checkpointStep(input, key.value, fetchBytes);
  if (checkpoint.error) return fail('checkpoint', checkpoint);
  const { size, root: signedRoot } = checkpoint.value;
  // No checkpoint at all, where this browser saw one before, is history taken back.
  if (signedRoot === null && input.previous) {
    return fail('checkpoint', { error: 'checkpoint_vanished', previousSize: input.previous.size });
  }
  if (signedRoot === null) {
    const step = report({ step: 'checkpoint', outcome: 'uncovered', index, size });
    return { state: 'uncovered', steps, failure: step };
  }
  report({
    step: 'checkpoint',
    outcome: 'ok',
    name: key.value.name,
    size,
    root: toHex(signedRoot),
  });

  const history = await historyStep(input, size, signedRoot, fetchBytes);
  if (history.error) return fail('history', history);
  report({ step: 'history', outcome: 'ok', ...history.value });
  // Whatever becomes of the entry, this checkpoint is the one to keep from now on.
  const entry = await entrySteps(input, index, size, signedRoot, expected, fetchBytes, report, fail);
  return { ...entry, steps, checkpoint: { size, root: toHex(signedRoot) } };
}

/** The steps about the entry itself, once the checkpoint and its history passed. */
async function entrySteps(input, index, size, signedRoot, expected, fetchBytes, report, fail) {
  if (index >= size) {
    const step = report({ step: 'coverage', outcome: 'uncovered', index, size });
    return { state: 'uncovered', failure: step };
  }
  report({ step: 'coverage', outcome: 'ok', index, size });

  const proof = await proofStep(input, index, size, fetchBytes);
  if (proof.error) return fail('proof', proof);
  report({ step: 'proof', outcome: 'ok', hashes: proof.value.path.length });

  const leaf = await leafHash(input.entryBytes);
  // A receipt names its entry by index and leaf hash: the index alone would let any entry
  // stored there pass for the reader's own.
  if (expected !== null && toHex(leaf) !== expected)
    return fail('leaf', { error: 'leaf_not_expected', leafHash: toHex(leaf), expected });
  report({ step: 'leaf', outcome: 'ok', leafHash: toHex(leaf), receipt: expected !== null });

  const computed = await rootFromInclusionProof(index, size, leaf, proof.value.path);
  // parseInclusionProof checked the length, so a null here would be a bug; treat it as malformed.
  if (computed === null) return fail('root', { error: 'proof_wrong_length' });
  const details = { computedRoot: toHex(computed), signedRoot: toHex(signedRoot) };
  if (!equalBytes(computed, signedRoot))
    return fail('root', { error: 'root_mismatch', ...details });
  report({ step: 'root', outcome: 'ok', ...details });
  return { state: 'ok' };
}
