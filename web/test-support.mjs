// Shared helpers of the web tests: fixtures, Ed25519 keys made with Node's crypto, and a fake
// fetch that serves fixture files. It lives outside test/ because `node --test test/` runs every
// .mjs file under a folder named test as a test file.

import { generateKeyPairSync, sign, createHash } from 'node:crypto';
import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Node 20 has globalThis.crypto; older Node (Debian 12 ships 18) only node:crypto's webcrypto.
if (!globalThis.crypto) globalThis.crypto = webcrypto;

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'test', 'fixtures');

export function fixturePath(...parts) {
  return path.join(FIXTURES, ...parts);
}

export function readFixture(...parts) {
  return readFileSync(fixturePath(...parts), 'utf8');
}

export function readFixtureBytes(...parts) {
  return new Uint8Array(readFileSync(fixturePath(...parts)));
}

/** The ledger fixture: 13 entries exported by make_export, its checkpoint and verifier key. */
export function ledgerFixture() {
  const entries = readFixture('ledger', 'export.ndjson')
    .split('\n')
    .filter((line) => line !== '');
  return {
    entries,
    checkpoint: readFixture('ledger', 'checkpoint.txt'),
    vkey: readFixture('ledger', 'log.vkey').trim(),
    proof: (index, size) => readFixture('ledger', `inclusion-${index}-of-${size}.json`),
  };
}

/**
 * A fresh Ed25519 note key named `name`, with `type` as its type byte (0x01 signs notes):
 * { vkey, keyId, publicKey, sign(body) -> signature line }.
 */
export function makeNoteKey(name, type = 0x01) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  // The raw 32-byte key is the last 32 bytes of the SPKI DER encoding.
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const keyId = createHash('sha256')
    .update(Buffer.concat([Buffer.from(name, 'utf8'), Buffer.from([0x0a, type]), raw]))
    .digest()
    .subarray(0, 4);
  const vkey = `${name}+${keyId.toString('hex')}+${Buffer.concat([Buffer.from([type]), raw]).toString('base64')}`;
  return {
    name,
    vkey,
    keyId,
    publicKey: raw,
    signatureLine(body, lineName = name, lineKeyId = keyId) {
      const signature = sign(null, Buffer.from(body, 'utf8'), privateKey);
      return `\u2014 ${lineName} ${Buffer.concat([lineKeyId, signature]).toString('base64')}\n`;
    },
  };
}

/** A checkpoint body as the log writes it. */
export function checkpointBody(origin, size, root) {
  return `${origin}\n${size}\n${Buffer.from(root).toString('base64')}\n`;
}

/**
 * A fetchBytes for verifyEntry that answers from a table { url: text | {status, body} }; any
 * other URL is a 404. Records the URLs asked for in `.requests`.
 */
export function fakeFetch(routes) {
  const requests = [];
  const fetchBytes = async (url, bytesMax) => {
    requests.push(url);
    const answer = routes[url];
    if (answer === undefined) return { error: 'http', status: 404, body: new Uint8Array() };
    if (answer === 'network') return { error: 'network', status: 0 };
    if (typeof answer === 'object') {
      return {
        error: 'http',
        status: answer.status,
        body: new TextEncoder().encode(answer.body ?? ''),
      };
    }
    const bytes = new TextEncoder().encode(answer);
    return bytes.length > bytesMax ? { error: 'too_large' } : { bytes };
  };
  fetchBytes.requests = requests;
  return fetchBytes;
}
