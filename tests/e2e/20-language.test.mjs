// Language: Dutch by default; the switch goes to English and the choice is remembered (cookie
// wb_lang) on pages loaded without ?lang; amounts are written the language's way and say what
// their data-cents say.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  DECIDING_COUNCILS,
  disposeApi,
  launchBrowser,
  newContext,
  pageTypes,
  parseAmount,
} from './support.mjs';

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await disposeApi();
});

async function htmlLang(page) {
  return page.locator('html').getAttribute('lang');
}

test('Dutch by default; the switch chooses English, and the choice is remembered', async () => {
  // An English-speaking browser: the site is Dutch first whatever Accept-Language says.
  const context = await newContext(browser, { locale: 'en-GB' });
  const page = await context.newPage();
  try {
    await page.goto('/');
    assert.equal(await htmlLang(page), 'nl');
    const switchLink = page.locator('#language-switch');
    assert.equal(await switchLink.getAttribute('hreflang'), 'en');
    assert.equal(await switchLink.getAttribute('lang'), 'en');
    const dutchTitle = await page.locator('h1').textContent();

    await switchLink.click();
    await page.waitForURL(/[?&]lang=en\b/);
    assert.equal(await htmlLang(page), 'en');
    assert.notEqual(await page.locator('h1').textContent(), dutchTitle, 'the text changed too');
    const cookies = await context.cookies();
    const cookie = cookies.find((c) => c.name === 'wb_lang');
    assert.equal(cookie?.value, 'en', `cookies: ${JSON.stringify(cookies)}`);

    // Remembered without ?lang, on another page type too.
    for (const path of ['/', `/councils/${DECIDING_COUNCILS[0]}`, '/ledger', '/verify']) {
      const response = await page.goto(path);
      assert.equal(await htmlLang(page), 'en', `${path} after choosing English`);
      assert.equal(response.headers()['content-language'], 'en', `${path}: Content-Language`);
      assert.equal(await page.locator('#language-switch').getAttribute('hreflang'), 'nl');
    }

    // And back: the switch on an English page goes to Dutch, which is remembered in turn.
    await page.locator('#language-switch').click();
    await page.waitForURL(/[?&]lang=nl\b/);
    assert.equal(await htmlLang(page), 'nl');
    await page.goto('/ledger');
    assert.equal(await htmlLang(page), 'nl', '/ledger after choosing Dutch again');
  } finally {
    await context.close();
  }
});

test('a fresh visitor without the cookie gets Dutch on every page type', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    for (const { path } of await pageTypes()) {
      await page.goto(path);
      assert.equal(await htmlLang(page), 'nl', path);
      assert.equal((await context.cookies()).length, 0, `${path} sets no cookie by itself`);
    }
  } finally {
    await context.close();
  }
});

test('an unknown language is a 400 page in Dutch, and sets no cookie', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    const response = await page.goto('/?lang=de');
    assert.equal(response.status(), 400);
    assert.equal(await htmlLang(page), 'nl');
    assert.deepEqual(await context.cookies(), []);
  } finally {
    await context.close();
  }
});

test('the switch keeps the page and its other parameters', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await page.goto('/ledger?after=99');
    await page.locator('#language-switch').click();
    await page.waitForURL(/lang=en/);
    const url = new URL(page.url());
    assert.equal(url.pathname, '/ledger');
    assert.equal(url.searchParams.get('after'), '99');
    assert.equal(
      await page.locator('#ledger-entries tr[data-index]').first().getAttribute('data-index'),
      '100',
    );
  } finally {
    await context.close();
  }
});

test('amounts are written the language way and equal data-cents', async (t) => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    const paths = (await pageTypes())
      .filter((p) => ['municipality', 'council', 'proposal', 'entry'].includes(p.name))
      .map((p) => p.path)
      .concat(`/councils/${DECIDING_COUNCILS[1]}`);
    for (const language of ['nl', 'en']) {
      await t.test(language, async () => {
        let checked = 0;
        let grouped = 0;
        const wrong = [];
        for (const path of paths) {
          await page.goto(`${path}${path.includes('?') ? '&' : '?'}lang=${language}`);
          assert.equal(await htmlLang(page), language);
          const cells = await page
            .locator('[data-cents]')
            .evaluateAll((elements) =>
              elements.map((e) => ({ cents: e.dataset.cents, text: e.textContent.trim() })),
            );
          for (const { cents, text } of cells) {
            checked += 1;
            if (Number(cents) >= 100000) grouped += 1;
            const parsed = parseAmount(text, language);
            if (parsed === null || parsed !== Number(cents))
              wrong.push({ path, text, cents, parsed });
          }
        }
        assert.deepEqual(wrong, [], `amounts that do not read as their data-cents (${language})`);
        // Not vacuous: many amounts, some with thousands separators.
        assert.ok(checked >= 100, `only ${checked} amounts checked`);
        assert.ok(grouped >= 10, `only ${grouped} amounts of 1000 euros or more`);
      });
    }
  } finally {
    await context.close();
  }
});

test('the amount parser rejects the other language and sloppy forms (self-test)', () => {
  assert.equal(parseAmount('€ 1.234,56', 'nl'), 123456);
  assert.equal(parseAmount('€1,234.56', 'en'), 123456);
  assert.equal(parseAmount('€1,234.56', 'nl'), null);
  assert.equal(parseAmount('€ 1.234,56', 'en'), null);
  assert.equal(parseAmount('€ 1234,56', 'nl'), null);
  assert.equal(parseAmount('€ 0,05', 'nl'), 5);
  assert.equal(parseAmount('€1,234.5', 'en'), null);
});
