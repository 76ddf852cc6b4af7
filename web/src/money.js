// Money on the page: the one place that formats an amount (STYLE.md section 5). Amounts arrive
// as integer cents; only the chart's scale works in euros, because Chart.js places bars on a
// continuous axis. Nothing computed from these numbers goes back to the server.

/** The locale of the page's language: "en" is British English, anything else Dutch. */
export function localeOf(lang) {
  return lang === 'en' ? 'en-GB' : 'nl-NL';
}

/** A formatter of euro amounts, "€ 1.234,56" in Dutch and "€1,234.56" in English. */
export function euroFormatter(locale) {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' });
  return (euros) => format.format(euros);
}

/**
 * Integer cents from a data-cents attribute: an optional minus sign and digits, within the safe
 * integers. null for anything else, so that a malformed table is left alone, not half drawn.
 */
export function parseCents(text) {
  if (typeof text !== 'string' || !/^-?(?:0|[1-9][0-9]*)$/.test(text)) return null;
  const cents = Number(text);
  return Number.isSafeInteger(cents) ? cents : null;
}
