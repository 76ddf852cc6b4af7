// Accessibility: axe-core with the WCAG 2.1 A and AA rules on every page type, in Dutch and in
// English, after the script has drawn the charts and finished the verification; and again on a
// phone-sized screen, where WCAG 1.4.10 (Reflow) also asks that the page not scroll sideways at
// 320 CSS pixels (a data table may scroll inside its own box).

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { LANGUAGES, disposeApi, launchBrowser, newContext, pageTypes, settle } from './support.mjs';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
//! WCAG 1.4.10: content reflows at 320 CSS pixels wide (1280 px at 400% zoom).
const REFLOW_WIDTH = 320;

//! Each page type once: the second ledger page and a council without decisions are the same
//! templates as their siblings (10-pages loads them), and axe takes about a second a page.
const AXE_PAGE_TYPES = [
  'municipality',
  'council',
  'proposal',
  'ledger',
  'entry',
  'verify',
  'rounds',
  'round-voting',
  'round-outcome',
];

let browser;
let context;
let page;
let pages;

before(async () => {
  browser = await launchBrowser();
  context = await axeContext();
  page = await context.newPage();
  pages = (await pageTypes()).filter((p) => AXE_PAGE_TYPES.includes(p.name));
  assert.equal(pages.length, AXE_PAGE_TYPES.length);
});

after(async () => {
  await context?.close();
  await browser?.close();
  await disposeApi();
});

/**
 * A context whose pages have axe-core. page.addScriptTag would add an inline <script>, which
 * the site's CSP (script-src 'self') refuses, rightly. An init script comes in through the
 * DevTools protocol, which CSP does not govern, so the pages keep their real CSP (and any
 * violation of it still shows) while axe runs; bypassCSP is not needed.
 */
async function axeContext(options = {}) {
  const context = await newContext(browser, options);
  await context.addInitScript({ path: AXE_PATH });
  return context;
}

async function runAxe(page) {
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.join(' '),
        html: n.html,
        summary: n.failureSummary,
      })),
    }));
  }, WCAG_21_AA);
}

/** The violations as a reader wants them: rule, impact, help, and each element with why. */
function describe(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map(
          (n) =>
            `    - ${n.target}\n      ${n.html.slice(0, 200)}\n      ${n.summary.replace(/\n/g, '\n      ')}`,
        )
        .join('\n');
      return `  ${v.id} (${v.impact}): ${v.help}\n  ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/**
 * How wide the document is, and the outermost elements that stick out past the window's right
 * edge without a box that scrolls (or clips) them and itself fits: those make the page scroll
 * sideways. A table inside such a box is fine (WCAG 1.4.10 exempts data tables).
 */
function sidewaysOverflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const contained = (element) => {
      for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
        if (getComputedStyle(box).overflowX !== 'visible')
          return box.getBoundingClientRect().right <= width + 1;
      }
      return false;
    };
    const offenders = [...document.querySelectorAll('body *')].filter(
      (e) => e.getBoundingClientRect().right > width + 1 && !contained(e),
    );
    const name = (e) => {
      const classes = typeof e.className === 'string' && e.className ? e.className.split(' ') : [];
      return [e.tagName.toLowerCase() + (e.id ? `#${e.id}` : ''), ...classes].join('.');
    };
    const sticking = offenders
      .filter((e) => !offenders.includes(e.parentElement))
      .map((e) => {
        const overflow = getComputedStyle(e.parentElement).overflowX;
        const right = Math.round(e.getBoundingClientRect().right);
        return `${name(e)} in ${name(e.parentElement)} (overflow-x ${overflow}), right edge ${right} px`;
      });
    return { scrollWidth: document.documentElement.scrollWidth, width, sticking };
  });
}

for (const language of LANGUAGES) {
  test(`axe WCAG 2.1 A/AA: every page type in ${language}`, async (t) => {
    for (const { name, path } of pages) {
      await t.test(`${name} ${path}`, async () => {
        await page.goto(`${path}${path.includes('?') ? '&' : '?'}lang=${language}`);
        assert.equal(await page.locator('html').getAttribute('lang'), language);
        await settle(page);
        const violations = await runAxe(page);
        assert.equal(
          violations.length,
          0,
          `axe on ${path} (${language}):\n${describe(violations)}`,
        );
      });
    }
  });
}

test('the skip link is the first Tab stop and takes keyboard focus to the content', async () => {
  for (const language of LANGUAGES) {
    await page.goto(`/councils/scheepmakersdijk?lang=${language}`);
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => ({
      className: document.activeElement.className,
      href: document.activeElement.getAttribute('href'),
      visible: document.activeElement.getBoundingClientRect().height > 0,
    }));
    assert.deepEqual(first, { className: 'skip-link', href: '#main', visible: true }, language);
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'main', language);
  }
});

test('axe finds a planted violation (self-test)', async () => {
  await page.goto('/verify');
  await page.evaluate(() => document.documentElement.removeAttribute('lang'));
  const violations = await runAxe(page);
  assert.ok(
    violations.some((v) => v.id === 'html-has-lang'),
    describe(violations),
  );
});

test(`on a ${REFLOW_WIDTH} px wide screen: axe finds nothing, and no page scrolls sideways`, async (t) => {
  await page.setViewportSize({ width: REFLOW_WIDTH, height: 640 });
  try {
    for (const { name, path } of pages) {
      await t.test(`${name} ${path}`, async () => {
        await page.goto(`${path}${path.includes('?') ? '&' : '?'}lang=nl`);
        await settle(page);
        const violations = await runAxe(page);
        const layout = await sidewaysOverflow(page);
        assert.equal(
          violations.length,
          0,
          `axe on ${path} at ${REFLOW_WIDTH} px:\n${describe(violations)}`,
        );
        assert.ok(
          layout.scrollWidth <= layout.width,
          `${path} at ${REFLOW_WIDTH} px scrolls sideways: the document is ` +
            `${layout.scrollWidth} px wide; past the right edge, outside a scrolling box:\n  ` +
            layout.sticking.slice(0, 8).join('\n  '),
        );
      });
    }
  } finally {
    await page.setViewportSize({ width: 1280, height: 720 });
  }
});
