// Same-origin fetches for the verifier, with a time limit and a size limit.
//
// mode 'same-origin' makes the browser refuse any other origin, so a page that named a foreign
// URL in data-checkpoint-url would fail here, not leak the reader's visit; the site's CSP
// (connect-src 'self') says the same a second time.

//! A verification should take well under a second; after this long the server is not answering.
const FETCH_TIMEOUT_MS = 15000;

/**
 * GETs `url` and resolves to { bytes } for a 2xx answer of at most bytesMax bytes, else to
 * { error: 'network' } (no answer), { error: 'http', status, body } or { error: 'too_large' }.
 */
export async function fetchSameOrigin(url, bytesMax) {
  let response;
  try {
    response = await fetch(url, {
      mode: 'same-origin',
      credentials: 'same-origin',
      signal: AbortSignal.timeout?.(FETCH_TIMEOUT_MS),
    });
  } catch {
    return { error: 'network', status: 0 };
  }
  const declared = Number(response.headers.get('Content-Length') ?? 0);
  if (declared > bytesMax) return { error: 'too_large' };
  let bytes;
  try {
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch {
    return { error: 'network', status: 0 };
  }
  if (!response.ok)
    return { error: 'http', status: response.status, body: bytes.slice(0, bytesMax) };
  if (bytes.length > bytesMax) return { error: 'too_large' };
  return { bytes };
}
