// Byte helpers for the verifier: hex, strict base64, concatenation and comparison.
//
// Written out instead of using atob(): atob follows the "forgiving" base64 of the HTML spec, which
// skips white space and ignores unused bits, so several spellings would decode to the same bytes.
// The ledger (ledger/base64.hpp) accepts exactly one spelling per byte string, and so do we.

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUES = new Map([...BASE64_ALPHABET].map((character, value) => [character, value]));

/** Lowercase hex, as the ledger writes hashes. */
export function toHex(bytes) {
  let text = '';
  for (const byte of bytes) text += byte.toString(16).padStart(2, '0');
  return text;
}

/** Bytes of lowercase hex text; null for anything else (odd length, upper case, other letters). */
export function fromHex(text) {
  if (typeof text !== 'string' || !/^(?:[0-9a-f]{2})*$/.test(text)) return null;
  const bytes = new Uint8Array(text.length / 2);
  for (let position = 0; position < bytes.length; position += 1) {
    bytes[position] = parseInt(text.slice(2 * position, 2 * position + 2), 16);
  }
  return bytes;
}

/**
 * Decodes padded standard base64 (RFC 4648 section 4), strictly: the length is a multiple of
 * four, '=' only in the last two places, and the unused bits of the last digit are zero.
 * Returns null for any other text.
 */
export function fromBase64(text) {
  if (typeof text !== 'string' || text.length % 4 !== 0) return null;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const digits = text.slice(0, text.length - padding);
  const values = [];
  for (const character of digits) {
    const value = BASE64_VALUES.get(character);
    if (value === undefined) return null; // Also catches a '=' in the middle.
    values.push(value);
  }
  const bytes = new Uint8Array((digits.length * 6) >> 3);
  let buffer = 0;
  let bits = 0;
  let next = 0;
  for (const value of values) {
    buffer = ((buffer << 6) | value) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[next] = (buffer >> bits) & 0xff;
      next += 1;
    }
  }
  // Leftover bits belong to no byte; if they are not zero, another spelling is being used.
  if ((buffer & ((1 << bits) - 1)) !== 0) return null;
  return bytes;
}

/** One array holding all the given byte arrays, in order. */
export function concatBytes(...parts) {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

/** Whether two byte arrays hold the same bytes. Hashes are public, so timing does not matter. */
export function equalBytes(left, right) {
  if (left.length !== right.length) return false;
  return left.every((byte, position) => byte === right[position]);
}
