import assert from 'node:assert/strict';
import { test } from 'node:test';
import { euroFormatter, localeOf, parseCents } from '../src/money.js';

test('the page language picks the locale, Dutch by default', () => {
  assert.equal(localeOf('en'), 'en-GB');
  assert.equal(localeOf('nl'), 'nl-NL');
  assert.equal(localeOf(''), 'nl-NL');
});

test('euros are written the Dutch and the British way', () => {
  // Intl separates the sign with a no-break space in Dutch.
  assert.equal(euroFormatter('nl-NL')(1234.56).replace(/\s/g, ' '), '€ 1.234,56');
  assert.equal(euroFormatter('en-GB')(1234.56), '€1,234.56');
});

test('data-cents must be an integer', () => {
  assert.equal(parseCents('123456'), 123456);
  assert.equal(parseCents('0'), 0);
  assert.equal(parseCents('-5'), -5);
  for (const text of ['12.5', '1e3', '', ' 1', '01', '9007199254740993', null, undefined]) {
    assert.equal(parseCents(text), null, String(text));
  }
});
