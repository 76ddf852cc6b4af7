// SHA-256 through WebCrypto: the browser's own implementation, and Node's in the tests.

/** The SHA-256 digest of a byte array, as a byte array. */
export async function sha256(bytes) {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
}
