// Helpers shared by the browser tests (not a test file itself: `node --test` runs only
// *.test.mjs here). run.sh starts the server with the demo and sets the environment:
//   WB_BASE_URL           https://127.0.0.1:PORT, the server under test (required)
//   WB_CHROMIUM           the browser (default /usr/bin/chromium)
//   WB_BROWSER_WS         a running browser-server.mjs to connect to (else each file launches)
//   WB_PG_SUPERUSER_DSN   libpq DSN of the database superuser (the tamper test only)
//   WB_PSQL               psql (default: psql on the PATH)
//   WB_E2E_MEASURES_FILE  where the measures go (default build-logs/e2e-measures.json)
//   WB_E2E_SCREENSHOTS    where screenshots go (default tests/e2e/screenshots)
//   WB_E2E_ROUND          the round open for voting that run.sh opened (open-round.mjs)
//   WB_E2E_CODES_FILE     its voting codes, one a line (`wijkbudget codes issue`)

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium, request } from 'playwright-core';

export const E2E_DIR = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(E2E_DIR, '..', '..');

export const BASE_URL = (() => {
  const value = process.env.WB_BASE_URL;
  if (!value) throw new Error('WB_BASE_URL is not set: run tests/e2e/run.sh (see README.md)');
  return value.replace(/\/$/, '');
})();
export const ORIGIN = new URL(BASE_URL).origin;

//! The demo's two councils with decisions and spending (api/main_demo_decisions.cpp).
export const DECIDING_COUNCILS = ['scheepmakersdijk', 'leidsebuurt'];
export const LANGUAGES = ['nl', 'en'];

//! How long the front-end may take to draw charts or to finish a verification.
export const SCRIPT_TIMEOUT_MS = 15000;

/**
 * The browser for one test file: a connection to run.sh's shared Chromium (browser-server.mjs)
 * when WB_BROWSER_WS names it, else a Chromium of its own. close() ends either.
 */
export async function launchBrowser() {
  if (process.env.WB_BROWSER_WS) return chromium.connect(process.env.WB_BROWSER_WS);
  return chromium.launch({
    executablePath: process.env.WB_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // CI runs as root, where Chromium's sandbox cannot start.
    args: ['--no-sandbox'],
  });
}

/** A browser context for the self-signed test certificate; `options` go to newContext. */
export async function newContext(browser, options = {}) {
  return browser.newContext({ ignoreHTTPSErrors: true, baseURL: BASE_URL, ...options });
}

// ---- The JSON API, for comparison --------------------------------------------------------

let apiContext = null;

async function api() {
  apiContext ??= await request.newContext({ baseURL: BASE_URL, ignoreHTTPSErrors: true });
  return apiContext;
}

export async function disposeApi() {
  await apiContext?.dispose();
  apiContext = null;
}

export async function apiJson(urlPath) {
  const response = await (await api()).get(urlPath);
  assert.equal(response.status(), 200, `GET ${urlPath}: ${await response.text()}`);
  return response.json();
}

export async function apiText(urlPath) {
  const response = await (await api()).get(urlPath);
  assert.equal(response.status(), 200, `GET ${urlPath}`);
  return response.text();
}

/** The latest signed checkpoint's tree size (line 2 of the C2SP note). */
export async function checkpointSize() {
  const note = await apiText('/api/v1/ledger/checkpoint');
  const size = Number(note.split('\n')[1]);
  assert.ok(Number.isSafeInteger(size) && size > 0, `checkpoint note: ${note}`);
  return size;
}

/** The ledger's size (entries appended), as the entries API reports it. */
export async function ledgerSize() {
  const page = await apiJson('/api/v1/ledger/entries?limit=1');
  assert.ok(Number.isSafeInteger(page.size) && page.size > 0, JSON.stringify(page));
  return page.size;
}

//! Entries per API page when reading the whole ledger; the demo has about 200.
const ENTRIES_PAGE_LIMIT = 100;
const ENTRIES_PAGES_MAX = 100;

/** Every ledger entry as the API lists it: [{ index, leaf_hash, entry }], by cursor. */
export async function allEntries() {
  const entries = [];
  let query = `limit=${ENTRIES_PAGE_LIMIT}`;
  for (let pages = 0; pages < ENTRIES_PAGES_MAX; pages++) {
    const page = await apiJson(`/api/v1/ledger/entries?${query}`);
    entries.push(...page.entries);
    if (page.next === null || page.next === undefined) return entries;
    query = `after=${page.next}&limit=${ENTRIES_PAGE_LIMIT}`;
  }
  throw new Error(`more than ${ENTRIES_PAGES_MAX} pages of entries`);
}

// ---- What a page did -----------------------------------------------------------------------

/**
 * Records, for every page of `context`, the console errors, uncaught exceptions, CSP violations
 * (the document's securitypolicyviolation events, reported through a binding, which CSP does
 * not govern), every request, failed requests and sub-resource responses >= 400.
 */
export async function watchContext(context) {
  const log = {
    consoleErrors: [],
    pageErrors: [],
    cspViolations: [],
    requests: [],
    failedRequests: [],
    badResponses: [],
  };
  await context.exposeBinding('wbReportCspViolation', (source, violation) => {
    log.cspViolations.push({ page: source.page?.url(), ...violation });
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      window.wbReportCspViolation({
        directive: event.violatedDirective,
        blocked: event.blockedURI,
        source: `${event.sourceFile}:${event.lineNumber}`,
        sample: event.sample,
      });
    });
  });
  context.on('page', (page) => watchPage(page, log));
  for (const page of context.pages()) watchPage(page, log);
  context.on('request', (req) => log.requests.push({ url: req.url(), page: frameUrl(req) }));
  context.on('requestfailed', (req) => {
    log.failedRequests.push({ url: req.url(), error: req.failure()?.errorText });
  });
  context.on('response', (res) => {
    if (res.status() >= 400) log.badResponses.push({ url: res.url(), status: res.status() });
  });
  return log;
}

function frameUrl(req) {
  try {
    return req.frame().url();
  } catch {
    return '(service worker or detached)';
  }
}

function watchPage(page, log) {
  page.on('console', (message) => {
    if (message.type() === 'error')
      log.consoleErrors.push({ page: page.url(), text: message.text(), at: message.location() });
  });
  page.on('pageerror', (error) => log.pageErrors.push({ page: page.url(), error: String(error) }));
}

/** Fails with everything the log recorded that a clean page must not do. */
export function assertCleanLog(log, what) {
  const foreign = log.requests.filter((r) => originOf(r.url) !== ORIGIN);
  // Every console error counts: the pages link their icon (/favicon.svg), so Chromium does not
  // ask for /favicon.ico, whose 404 it would log.
  const problems = {
    consoleErrors: log.consoleErrors,
    pageErrors: log.pageErrors,
    cspViolations: log.cspViolations,
    foreignRequests: foreign,
    // Chromium cancels the icon request still in flight when a form or a link moves the page on
    // (net::ERR_ABORTED): the browser's own doing, not a failure of the server.
    failedRequests: log.failedRequests.filter(
      (r) => !(r.error === 'net::ERR_ABORTED' && new URL(r.url).pathname === '/favicon.svg'),
    ),
    badResponses: log.badResponses,
  };
  const found = Object.entries(problems).filter(([, list]) => list.length > 0);
  assert.deepEqual(
    Object.fromEntries(found),
    {},
    `${what}:\n${JSON.stringify(Object.fromEntries(found), null, 2)}`,
  );
}

function originOf(url) {
  try {
    return new URL(url).origin;
  } catch {
    return `(unparsable) ${url}`;
  }
}

/** Clears a log between pages, so that a failure names the page that caused it. */
export function clearLog(log) {
  for (const list of Object.values(log)) list.length = 0;
}

// ---- Waiting for the front-end -------------------------------------------------------------

/** Waits until every chart figure has its canvas (the script ran), if the page has figures. */
export async function waitForCharts(page) {
  const figures = await page.locator('figure.chart').count();
  if (figures === 0) return 0;
  await page.waitForFunction(
    (count) => document.querySelectorAll('figure.chart .chart-area canvas').length >= count,
    figures,
    { timeout: SCRIPT_TIMEOUT_MS },
  );
  return figures;
}

/** Waits until the verification badge, if any, leaves "pending"; returns its final state. */
export async function waitForBadge(page) {
  if ((await page.locator('#verification-badge').count()) === 0) return null;
  await page.waitForFunction(
    () => {
      const badge = document.getElementById('verification-badge');
      const section = document.getElementById('verification');
      return badge.dataset.state !== 'pending' && section.dataset.verifyMs !== undefined;
    },
    null,
    { timeout: SCRIPT_TIMEOUT_MS },
  );
  return page.locator('#verification-badge').getAttribute('data-state');
}

/** Waits for what the page's script does: charts drawn, verification finished. */
export async function settle(page) {
  await waitForCharts(page);
  await waitForBadge(page);
}

// ---- Amounts -------------------------------------------------------------------------------

const AMOUNT_PATTERN = {
  // "€ 1.234,56": euro sign, a space, dots between thousands, a decimal comma.
  nl: /^(-?)€ (\d{1,3}(?:\.\d{3})*),(\d{2})$/,
  // "€1,234.56": no space, commas between thousands, a decimal point.
  en: /^(-?)€(\d{1,3}(?:,\d{3})*)\.(\d{2})$/,
};

/** The cents an amount text says in `language`, or null when it is not written that way. */
export function parseAmount(text, language) {
  const match = AMOUNT_PATTERN[language].exec(text);
  if (!match) return null;
  const euros = match[2].replace(/[.,]/g, '');
  const cents = Number(euros) * 100 + Number(match[3]);
  return match[1] ? -cents : cents;
}

// ---- Residents' rounds ---------------------------------------------------------------------

//! The round run.sh opened for voting, with its codes in WB_E2E_CODES_FILE.
export const VOTING_ROUND = process.env.WB_E2E_ROUND || 'e2e-burgwal-2027';

/** The voting codes of VOTING_ROUND, as `wijkbudget codes issue` wrote them. Each test that
 *  casts a ballot takes codes of its own (by position), since a code votes once. */
export async function votingCodes() {
  const file = process.env.WB_E2E_CODES_FILE;
  assert.ok(file, 'WB_E2E_CODES_FILE is not set: run tests/e2e/run.sh (see README.md)');
  const codes = (await readFile(file, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  assert.ok(codes.length >= 8, `${file}: ${codes.length} codes`);
  return codes;
}

/** The paths of a round open for voting (run.sh's) and of a closed one (the demo's). */
export async function roundPaths() {
  const { rounds } = await apiJson('/api/v1/rounds');
  const voting = rounds.find((r) => r.id === VOTING_ROUND);
  assert.equal(voting?.state, 'voting', `round ${VOTING_ROUND}: ${JSON.stringify(voting)}`);
  const closed = rounds.find((r) => r.state === 'closed');
  assert.ok(closed, `a closed round (the demo's): ${JSON.stringify(rounds)}`);
  return { voting: `/rounds/${voting.id}`, closed: `/rounds/${closed.id}` };
}

// ---- Pages the tests visit -----------------------------------------------------------------

/** One URL of every page type, with the demo's ids taken from the API. */
export async function pageTypes() {
  const [proposals, size] = await Promise.all([
    apiJson('/api/v1/councils/scheepmakersdijk/proposals'),
    checkpointSize(),
  ]);
  const proposal = proposals.proposals.find((p) => p.commitment) ?? proposals.proposals[0];
  assert.ok(proposal, 'the demo council scheepmakersdijk has proposals');
  const councils = (await apiJson('/api/v1/councils')).councils;
  const quiet = councils.find((c) => !DECIDING_COUNCILS.includes(c.id));
  const rounds = await roundPaths();
  return [
    { name: 'municipality', path: '/' },
    { name: 'council', path: '/councils/scheepmakersdijk' },
    { name: 'council-without-decisions', path: `/councils/${quiet.id}` },
    { name: 'proposal', path: `/councils/scheepmakersdijk/proposals/${proposal.id}` },
    { name: 'ledger', path: '/ledger' },
    { name: 'ledger-page-2', path: '/ledger?after=99' },
    { name: 'entry', path: `/ledger/${Math.floor(size / 2)}` },
    { name: 'verify', path: '/verify' },
    { name: 'rounds', path: '/rounds' },
    { name: 'round-voting', path: rounds.voting },
    { name: 'round-outcome', path: rounds.closed },
  ];
}
