// The checkpoint this browser kept from its last verification, per log key, so that the next one
// can be checked to extend it (verify.js, the history step). No DOM here: badge.js passes the
// page's localStorage, node tests a stand-in with the same getItem/setItem.

//! The storage key of a log's kept checkpoint: this prefix and the log's verifier key.
export const KEPT_PREFIX = 'wijkbudget.checkpoint.';

/**
 * The checkpoint kept for this log key, { size, root }, or null: none, unreadable, or no storage
 * (null, or one that throws: a private window, a policy), and then each visit stands alone.
 */
export function keptCheckpoint(storage, vkey) {
  try {
    const kept = JSON.parse(storage?.getItem(KEPT_PREFIX + vkey) ?? 'null');
    const wellFormed =
      kept !== null &&
      Number.isSafeInteger(kept.size) &&
      kept.size > 0 &&
      typeof kept.root === 'string' &&
      /^[0-9a-f]{64}$/.test(kept.root);
    return wellFormed ? { size: kept.size, root: kept.root } : null;
  } catch {
    return null;
  }
}

/**
 * Keeps `checkpoint` unless what is kept now (another tab may have kept one meanwhile) is as
 * large or larger: a newer checkpoint is never replaced by an older one, and of two of one size
 * that disagree the first stays, so that the disagreement shows on the next visit.
 */
export function keepCheckpoint(storage, vkey, checkpoint) {
  const kept = keptCheckpoint(storage, vkey);
  if (kept !== null && kept.size >= checkpoint.size) return;
  try {
    storage?.setItem(KEPT_PREFIX + vkey, JSON.stringify(checkpoint));
  } catch {
    // As above: nothing kept, nothing lost but the comparison next time.
  }
}

//! The storage key of the log key this browser first verified a checkpoint with on this site.
export const PINNED_KEY = 'wijkbudget.vkey';

/** The log key pinned on this site, or null: none yet, unreadable, or no storage. */
export function pinnedVkey(storage) {
  try {
    const pinned = storage?.getItem(PINNED_KEY) ?? null;
    return typeof pinned === 'string' && pinned.length > 0 ? pinned : null;
  } catch {
    return null;
  }
}

/**
 * Pins `vkey` once a checkpoint it signs was verified, unless a key is pinned already: the first
 * key stays, so that a page naming another one fails (verify.js, key_changed) until the reader
 * clears this site's data, as after a key change the municipality announced.
 */
export function pinVkey(storage, vkey) {
  if (pinnedVkey(storage) !== null) return;
  try {
    storage?.setItem(PINNED_KEY, vkey);
  } catch {
    // No storage: each visit stands alone, as for the kept checkpoint.
  }
}
