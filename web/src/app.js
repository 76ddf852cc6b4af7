// The site's one script, loaded as a module (so deferred, and never inline: the CSP allows
// scripts from this site's files only). Pages work without it; it adds charts drawn from the
// pages' tables and the in-browser verification of a ledger entry.

import { initVerification } from './badge.js';
import { initCharts } from './charts.js';

function start() {
  // One failing part must not stop the other: a chart error leaves verification running.
  try {
    initCharts();
  } catch (error) {
    console.error('wijkbudget: charts', error);
  }
  initVerification().catch((error) => console.error('wijkbudget: verification', error));
}

// A module script runs before DOMContentLoaded, unless it was cached and the event has passed.
if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', start, { once: true });
} else {
  start();
}
