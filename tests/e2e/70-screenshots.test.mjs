// Full-page screenshots of the municipality, council, entry and round pages in both languages,
// after the charts are drawn and the badge has its verdict, into tests/e2e/screenshots/ (ignored
// by git): {page}-{language}.png. Not compared with anything: they are for people to look at.

import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  E2E_DIR,
  LANGUAGES,
  checkpointSize,
  disposeApi,
  launchBrowser,
  newContext,
  roundPaths,
  settle,
} from './support.mjs';

const DIRECTORY = process.env.WB_E2E_SCREENSHOTS || path.join(E2E_DIR, 'screenshots');
const VIEWPORT = { width: 1280, height: 800 };

let browser;
let context;
let page;

before(async () => {
  browser = await launchBrowser();
  context = await newContext(browser, { viewport: VIEWPORT });
  page = await context.newPage();
  await mkdir(DIRECTORY, { recursive: true });
});

after(async () => {
  await context?.close();
  await browser?.close();
  await disposeApi();
});

/** Width and height from a PNG's IHDR chunk. */
function pngSize(buffer) {
  assert.equal(buffer.subarray(1, 4).toString('latin1'), 'PNG');
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) };
}

test('screenshots of the municipality, council, entry and round pages, in Dutch and English', async (t) => {
  // Entry 1, a grant: its page shows postings with amounts too.
  const entryIndex = Math.min(1, (await checkpointSize()) - 1);
  const rounds = await roundPaths();
  const shots = [
    { name: 'municipality', path: '/' },
    { name: 'council', path: '/councils/scheepmakersdijk' },
    { name: 'entry', path: `/ledger/${entryIndex}` },
    // A closed round's outcome (chart, table, explanations) and an open round's ballot form.
    { name: 'round-outcome', path: rounds.closed },
    { name: 'round-voting', path: rounds.voting },
  ];
  for (const language of LANGUAGES) {
    for (const shot of shots) {
      await t.test(`${shot.name}-${language}`, async () => {
        await page.goto(`${shot.path}?lang=${language}`);
        await settle(page);
        const buffer = await page.screenshot({ fullPage: true, animations: 'disabled' });
        const file = path.join(DIRECTORY, `${shot.name}-${language}.png`);
        await writeFile(file, buffer);
        const size = pngSize(buffer);
        assert.equal(size.width, VIEWPORT.width, `${file}: ${JSON.stringify(size)}`);
        assert.ok(
          size.height > VIEWPORT.height,
          `full page, taller than the window: ${size.height}`,
        );
      });
    }
  }
});
