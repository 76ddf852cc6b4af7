// C2SP signed notes (c2sp.org/signed-note) and checkpoints (c2sp.org/tlog-checkpoint), read as
// ledger/note.cpp, ledger/note_key.cpp and ledger/checkpoint.cpp read them, and Ed25519 through
// WebCrypto. Each function returns { value } on success or { error: CODE } with a code that
// texts.js explains; nothing here throws for bad input.

import { concatBytes, equalBytes, fromBase64 } from './bytes.js';
import { sha256 } from './sha256.js';

//! The signature type byte of an Ed25519 note key (c2sp.org/signed-note, "Signature types").
export const ED25519_KEY_TYPE = 0x01;
const ED25519_PUBLIC_KEY_BYTES = 32;
const ED25519_SIGNATURE_BYTES = 64;
const KEY_ID_BYTES = 4;
//! The ledger's limits (ledger/note_key.hpp, ledger/note.hpp, ledger/checkpoint.hpp).
const KEY_NAME_BYTES_MAX = 256;
export const NOTE_BYTES_MAX = 64 * 1024;
const NOTE_SIGNATURES_MAX = 100;
const CHECKPOINT_EXTENSION_LINES_MAX = 16;
//! U+2014 EM DASH and a space: how every signature line starts.
const SIGNATURE_LINE_PREFIX = '\u2014 ';

const encoder = new TextEncoder();

/**
 * A key name as the spec allows: not empty, no '+', no white space, no control character.
 * ('+' cannot occur anyway: the key text is split at the first '+'.)
 */
function isKeyNameOfTheSpec(name) {
  return name.length > 0 && !/[\s+\u0000-\u001f\u007f-\u009f]/u.test(name);
}

/** A name for a key this page is given: of the spec, and at most KEY_NAME_BYTES_MAX bytes. */
function isValidKeyName(name) {
  return isKeyNameOfTheSpec(name) && encoder.encode(name).length <= KEY_NAME_BYTES_MAX;
}

/** The key id of a key: the first four bytes of SHA-256(name || 0x0A || type || public key). */
export async function computeKeyId(name, type, publicKey) {
  const digest = await sha256(
    concatBytes(encoder.encode(name), Uint8Array.of(0x0a, type), publicKey),
  );
  return digest.slice(0, KEY_ID_BYTES);
}

/**
 * Parses a verifier key "name+hex key id+base64(0x01 || 32-byte Ed25519 public key)".
 * Errors: key_malformed (shape), key_algorithm (type byte other than 0x01: a witness key or an
 * unknown type cannot sign checkpoints), key_id_mismatch (the id is not the one of name and key).
 * @returns {Promise<{value?: {name: string, keyId: Uint8Array, publicKey: Uint8Array}, error?: string}>}
 */
export async function parseVerifierKey(text) {
  if (typeof text !== 'string') return { error: 'key_malformed' };
  const first = text.indexOf('+');
  const second = text.indexOf('+', first + 1);
  // The base64 part may hold '+' itself, so only the first two separate fields.
  if (first < 0 || second < 0) return { error: 'key_malformed' };
  const name = text.slice(0, first);
  const keyIdHex = text.slice(first + 1, second);
  const blob = fromBase64(text.slice(second + 1));
  if (!isValidKeyName(name) || !/^[0-9a-f]{8}$/.test(keyIdHex) || blob === null) {
    return { error: 'key_malformed' };
  }
  if (blob.length !== 1 + ED25519_PUBLIC_KEY_BYTES) return { error: 'key_malformed' };
  if (blob[0] !== ED25519_KEY_TYPE) return { error: 'key_algorithm' };
  const publicKey = blob.slice(1);
  const keyId = Uint8Array.from(keyIdHex.match(/../g), (pair) => parseInt(pair, 16));
  const expected = await computeKeyId(name, ED25519_KEY_TYPE, publicKey);
  if (!equalBytes(keyId, expected)) return { error: 'key_id_mismatch' };
  return { value: { name, keyId, publicKey } };
}

/** One line "— name base64(key id || signature)", without its newline; null if malformed. */
function parseSignatureLine(line) {
  if (!line.startsWith(SIGNATURE_LINE_PREFIX)) return null;
  const rest = line.slice(SIGNATURE_LINE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) return null;
  const name = rest.slice(0, space);
  const blob = fromBase64(rest.slice(space + 1));
  // Any name the spec allows, however long, as ledger/note.cpp reads it: a line signed by a key
  // this page does not know (a witness's) is skipped, not a reason to refuse the note.
  if (!isKeyNameOfTheSpec(name) || blob === null || blob.length < KEY_ID_BYTES + 1) return null;
  return { name, keyId: blob.slice(0, KEY_ID_BYTES), signature: blob.slice(KEY_ID_BYTES) };
}

/**
 * Splits a signed note into its body (up to and including its last newline) and signature
 * lines. Nothing is verified yet. Error: note_malformed.
 */
export function splitNote(note) {
  if (typeof note !== 'string' || encoder.encode(note).length > NOTE_BYTES_MAX) {
    return { error: 'note_malformed' };
  }
  // Control characters other than newline are refused, as IsValidNoteUtf8 does.
  if (/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/u.test(note)) return { error: 'note_malformed' };
  // The body may hold blank lines itself; the last blank line starts the signatures.
  const blank = note.lastIndexOf('\n\n');
  if (blank < 0) return { error: 'note_malformed' };
  const body = note.slice(0, blank + 1);
  const rest = note.slice(blank + 2);
  if (rest.length === 0 || !rest.endsWith('\n')) return { error: 'note_malformed' };
  const lines = rest.slice(0, -1).split('\n');
  if (lines.length > NOTE_SIGNATURES_MAX) return { error: 'note_malformed' };
  const signatures = [];
  for (const line of lines) {
    const signature = parseSignatureLine(line);
    if (signature === null) return { error: 'note_malformed' };
    signatures.push(signature);
  }
  return { value: { body, signatures } };
}

/** Ed25519 verification with WebCrypto; false when the signature does not verify. */
export async function verifyEd25519(publicKey, message, signature) {
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
  return subtle.verify('Ed25519', key, signature, message);
}

/**
 * Verifies a signed note against one verifier key and returns its body. Lines by other keys are
 * ignored, as the spec requires. Errors: note_malformed, key_unknown (no line by this key's name
 * and id), signature_invalid (a line by this key that does not verify), crypto_unsupported (the
 * browser's WebCrypto lacks Ed25519).
 */
export async function openNote(note, key) {
  const split = splitNote(note);
  if (split.error) return split;
  const mine = split.value.signatures.filter(
    (line) => line.name === key.name && equalBytes(line.keyId, key.keyId),
  );
  if (mine.length === 0) return { error: 'key_unknown' };
  const message = encoder.encode(split.value.body);
  for (const line of mine) {
    if (line.signature.length !== ED25519_SIGNATURE_BYTES) return { error: 'signature_invalid' };
    let valid = false;
    try {
      valid = await verifyEd25519(key.publicKey, message, line.signature);
    } catch (error) {
      // Browsers before Ed25519 landed in WebCrypto throw NotSupportedError: say so, rather
      // than calling a signature invalid that could not be checked.
      return {
        error: error?.name === 'NotSupportedError' ? 'crypto_unsupported' : 'signature_invalid',
      };
    }
    if (!valid) return { error: 'signature_invalid' };
  }
  return { value: split.value.body };
}

/**
 * Parses a checkpoint body "origin\nsize\nbase64 root\n[extension lines]". The size must be a
 * safe integer: JSON numbers in the proof and the DOM's index lose precision above 2^53, and
 * no ledger gets near that many entries. Error: checkpoint_malformed.
 * @returns {{value?: {origin: string, size: number, root: Uint8Array}, error?: string}}
 */
export function parseCheckpoint(body) {
  if (!body.endsWith('\n')) return { error: 'checkpoint_malformed' };
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3 || lines.length > 3 + CHECKPOINT_EXTENSION_LINES_MAX) {
    return { error: 'checkpoint_malformed' };
  }
  if (lines.some((line) => line.length === 0)) return { error: 'checkpoint_malformed' };
  const [origin, sizeText, rootText] = lines;
  const size = Number(sizeText);
  if (!/^(?:0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(size)) {
    return { error: 'checkpoint_malformed' };
  }
  const root = fromBase64(rootText);
  if (root === null || root.length !== 32) return { error: 'checkpoint_malformed' };
  return { value: { origin, size, root } };
}

/**
 * Opens a checkpoint note: signed by `key`, well-formed, and with the key's name as origin (our
 * log's origin is its key's name; the C++ OpenCheckpoint demands the same).
 * Errors: those of openNote and parseCheckpoint, and origin_mismatch.
 */
export async function openCheckpoint(note, key) {
  const opened = await openNote(note, key);
  if (opened.error) return opened;
  const checkpoint = parseCheckpoint(opened.value);
  if (checkpoint.error) return checkpoint;
  if (checkpoint.value.origin !== key.name) return { error: 'origin_mismatch' };
  return checkpoint;
}
