// The DOM side of the verification on an entry's page: reads the section's data attributes and
// the entry's bytes, runs verify.js, lists each step and sets the badge. The contract with the
// server's HTML is in web/README.md.

import { fromBase64 } from './bytes.js';
import { fetchSameOrigin } from './fetch.js';
import { keepCheckpoint, keptCheckpoint, pinVkey, pinnedVkey } from './kept.js';
import { describeResult, describeStep, textsFor } from './texts.js';
import { verifyEntry } from './verify.js';

/** Appends parts to an element: strings as text, { code } as <code> (hashes, key ids). */
function appendParts(element, parts) {
  for (const part of parts) {
    if (typeof part === 'string') {
      element.append(part);
    } else {
      const code = document.createElement('code');
      code.textContent = part.code;
      element.append(code);
    }
  }
}

function stepItem(texts, step) {
  const item = document.createElement('li');
  item.dataset.step = step.step;
  item.dataset.outcome = step.outcome;
  // The outcome in words first, so that it never depends on colour or an icon.
  const outcome = document.createElement('span');
  outcome.className = 'step-outcome';
  outcome.textContent = texts.outcome[step.outcome];
  const title = document.createElement('strong');
  title.textContent = texts.steps[step.step];
  item.append(outcome, ' ', title, ': ');
  appendParts(item, describeStep(texts, step));
  return item;
}

/** How long the run took, from the marks; also in the Performance panel as "wb-verify". */
function measureMs() {
  performance.mark('wb-verify-end');
  const measure = performance.measure('wb-verify', 'wb-verify-start', 'wb-verify-end');
  // Old Safari returns undefined from measure(); the entry is in the timeline all the same.
  const entry = measure ?? performance.getEntriesByName('wb-verify', 'measure').pop();
  return entry ? entry.duration : 0;
}

/** The page's localStorage, or null where reading it throws (storage disabled). */
function browserStorage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** The leaf hash a link from a receipt carries in the fragment ("#leaf=HEX"), else null. */
function receiptLeafHash() {
  const match = /^#leaf=(.*)$/.exec(window.location.hash);
  return match ? match[1] : null;
}

/** The entry number in the page's address (/ledger/7), as text, else null. */
function addressIndex() {
  const match = /^\/ledger\/([^/]+)$/.exec(window.location.pathname);
  return match ? match[1] : null;
}

/** The language switch keeps a receipt's fragment, which the server never sees: without it the
 *  page in the other language would check the index only, not the receipt's entry. */
function keepReceiptOnLanguageSwitch() {
  const link = document.getElementById('language-switch');
  if (link instanceof HTMLAnchorElement && receiptLeafHash() !== null)
    link.hash = window.location.hash;
}

/** Verifies the entry of this page, if it is an entry page with a verification section. */
export async function initVerification() {
  const section = document.getElementById('verification');
  const badge = document.getElementById('verification-badge');
  const list = document.getElementById('verification-steps');
  const bytesElement = document.getElementById('entry-bytes');
  if (!section || !badge || !list || !bytesElement) return;
  keepReceiptOnLanguageSwitch();
  const texts = textsFor(document.documentElement.lang);
  performance.mark('wb-verify-start');
  badge.dataset.state = 'pending';
  badge.textContent = texts.pending;
  list.replaceChildren();
  section.setAttribute('aria-busy', 'true');
  const storage = browserStorage();
  const previous = keptCheckpoint(storage, section.dataset.vkey);
  const result = await verifyEntry(
    {
      index: section.dataset.index,
      addressIndex: addressIndex(),
      vkey: section.dataset.vkey,
      // The stored bytes, exactly: the <pre> shows them to the reader, but HTML parsing changes
      // text (a line feed after <pre>, CR LF, NUL, bad UTF-8), so what is hashed is the page's
      // base64 copy, decoded strictly (null if it does not decode).
      entryBytes: fromBase64(bytesElement.dataset.bytes ?? ''),
      // What the reader sees must be those bytes (the line feed HTML drops after <pre> aside).
      shownText: bytesElement.textContent ?? '',
      checkpointUrl: section.dataset.checkpointUrl,
      proofUrl: section.dataset.proofUrl,
      expectedLeafHash: receiptLeafHash(),
      consistencyUrl: section.dataset.consistencyUrl,
      previous,
      pinnedVkey: pinnedVkey(storage),
    },
    { fetchBytes: fetchSameOrigin, onStep: (step) => list.append(stepItem(texts, step)) },
  );
  // Kept only once it extends what was kept: a failed history step keeps the old one, so that
  // every later visit fails as well. (An equal size needs no write: its root was checked.)
  if (result.checkpoint) {
    keepCheckpoint(storage, section.dataset.vkey, result.checkpoint);
    // A key that signed a checkpoint verified here: the one later pages must name.
    pinVkey(storage, section.dataset.vkey);
  }
  // Not busy before the result is written: assistive technology may let changes inside a busy
  // region pass unannounced, and the result is what the status region is for.
  section.removeAttribute('aria-busy');
  badge.replaceChildren();
  appendParts(badge, describeResult(texts, result));
  badge.dataset.state = result.state;
  section.dataset.verifyMs = measureMs().toFixed(1);
}
