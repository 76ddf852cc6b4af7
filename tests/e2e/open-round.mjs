// Opens the residents' round the ballot tests vote in (75-ballot.test.mjs), through the JSON API
// as the municipality, the way an operator would; run.sh then issues its voting codes with
// `wijkbudget codes issue` and waits for the opening. Not a test file (node --test runs only
// *.test.mjs here).
//   node tests/e2e/open-round.mjs BASE_URL TOKEN ROUND_ID OPENS_IN_SECONDS
// Prints the opening time in milliseconds since 1970 (the moment run.sh waits for).
//
// The round: a district round of Centrum on council Burgwal, from its 2027 initiatives line
// (the demo grants each council 5,000 euros there), an approval ballot of one or two of four
// projects, counted by equal shares, open for a day.

import { request } from 'playwright-core';

const [baseUrl, token, id, opensInText] = process.argv.slice(2);
const opensIn = Number(opensInText);
if (!baseUrl || !token || !id || !Number.isInteger(opensIn) || opensIn < 1) {
  console.error('usage: node open-round.mjs BASE_URL TOKEN ROUND_ID OPENS_IN_SECONDS');
  process.exit(2);
}

const DAY_MS = 24 * 60 * 60 * 1000;
const opensAt = Date.now() + opensIn * 1000;

const body = {
  id,
  title: 'Groen en spelen in de Burgwal',
  district: 'centrum',
  year: 2027,
  category: 'initiatives',
  budget_cents: 300000,
  // The API writes instants with milliseconds and Z, as toISOString does.
  opens_at: new Date(opensAt).toISOString(),
  closes_at: new Date(opensAt + DAY_MS).toISOString(),
  ballot_type: 'approval',
  min_projects: 1,
  max_projects: 2,
  rule: 'equal_shares',
  min_turnout_percent: 10,
  projects: [
    { id: 'speeltuin', title: 'Speeltuin Burgwal', cost_cents: 150000, category: 'spelen' },
    { id: 'geveltuinen', title: 'Geveltuinen', cost_cents: 60000, category: 'groen' },
    { id: 'bankjes', title: 'Bankjes aan het water', cost_cents: 45000, category: 'groen' },
    { id: 'buurtfeest', title: 'Buurtfeest', cost_cents: 90000, category: 'ontmoeting' },
  ],
};

const api = await request.newContext({ baseURL: baseUrl, ignoreHTTPSErrors: true });
try {
  const response = await api.post('/api/v1/councils/burgwal/rounds', {
    headers: {
      Authorization: `Bearer ${token}`,
      'Idempotency-Key': `e2e-open-${id}`,
      'Content-Type': 'application/json',
    },
    data: JSON.stringify(body),
  });
  if (response.status() !== 201) {
    const text = await response.text();
    console.error(`POST /api/v1/councils/burgwal/rounds: ${response.status()} ${text}`);
    process.exit(1);
  }
  console.log(String(opensAt));
} finally {
  await api.dispose();
}
