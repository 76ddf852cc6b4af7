// One headless Chromium for a whole run.sh, which the test files connect to (support.mjs,
// WB_BROWSER_WS) instead of each launching its own: a launch costs about a second, a connect a
// tenth of that. Prints the WebSocket endpoint (with its random path, known only to whoever
// reads this output) on one line, then serves until SIGTERM or SIGINT.
//   node tests/e2e/browser-server.mjs > endpoint.txt &

import { chromium } from 'playwright-core';

let server = null;
let stopping = false;

async function stop() {
  if (stopping) return;
  stopping = true;
  // Before the launch finished there is nothing to close: Playwright kills the browser it was
  // starting when this process exits.
  await server?.close();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

server = await chromium.launchServer({
  executablePath: process.env.WB_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // CI runs as root, where Chromium's sandbox cannot start.
  args: ['--no-sandbox'],
  host: '127.0.0.1',
});
console.log(server.wsEndpoint());
