// The figures on the pages equal the JSON API's: the municipality page's per-council and
// per-district totals, each council page's budget lines, proposals, decisions with their
// roll-calls, and spending per commitment; the proposal page's history.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  DECIDING_COUNCILS,
  allEntries,
  apiJson,
  checkpointSize,
  disposeApi,
  launchBrowser,
  ledgerSize,
  newContext,
} from './support.mjs';

// In the order of the tables' columns: granted + carried in = committed + spent + closed out +
// available.
const COLUMNS = ['granted', 'carried_in', 'committed', 'spent', 'closed_out', 'available'];

let browser;
let context;
let page; // One tab for the whole file: a new one costs about half a second.
let councils; // /api/v1/councils
let linesByCouncil; // id -> /api/v1/councils/{id}/budget-lines .lines

before(async () => {
  browser = await launchBrowser();
  context = await newContext(browser);
  councils = (await apiJson('/api/v1/councils')).councils;
  assert.ok(councils.length >= 29, `the demo has 29 councils, the API lists ${councils.length}`);
  linesByCouncil = new Map();
  for (const council of councils) {
    const body = await apiJson(`/api/v1/councils/${council.id}/budget-lines`);
    linesByCouncil.set(council.id, body.lines);
  }
  page = await context.newPage();
});

after(async () => {
  await context?.close();
  await browser?.close();
  await disposeApi();
});

/** Reads the amounts of a row: { granted: cents, ... } by data-column. */
function moneyOfRows(locator) {
  return locator.evaluateAll((rows) =>
    rows.map((row) => {
      const money = {};
      for (const cell of row.querySelectorAll('td[data-column]'))
        money[cell.dataset.column] = Number(cell.dataset.cents);
      return { data: { ...row.dataset }, money };
    }),
  );
}

function zero() {
  return Object.fromEntries(COLUMNS.map((c) => [c, 0]));
}

function add(sum, money) {
  for (const c of COLUMNS) sum[c] += money[c];
  return sum;
}

/** A council's API totals for one year: granted, spent, available from /councils; committed
 *  (what decisions hold), carried in and closed out from /budget-lines. */
function apiTotals(council, year) {
  const totals = zero();
  for (const line of council.budget_lines.filter((l) => l.year === year)) {
    totals.granted += line.granted_cents;
    totals.spent += line.spent_cents;
    totals.available += line.available_cents;
  }
  for (const line of linesByCouncil.get(council.id).filter((l) => l.year === year)) {
    totals.carried_in += line.carried_in_cents;
    totals.committed += line.committed_cents;
    totals.closed_out += line.closed_out_cents;
  }
  return totals;
}

test('municipality page: every council row equals the API sums of its lines', async () => {
  await page.goto('/');
  const rows = await moneyOfRows(page.locator('table[id^="councils-"] tr[data-council]'));
  const years = [...new Set(councils.flatMap((c) => c.budget_lines.map((l) => l.year)))];
  const expectedKeys = councils
    .flatMap((c) =>
      years.filter((y) => c.budget_lines.some((l) => l.year === y)).map((y) => `${c.id}/${y}`),
    )
    .sort();
  assert.deepEqual(
    rows.map((r) => `${r.data.council}/${r.data.year}`).sort(),
    expectedKeys,
    'one row per council and year with lines',
  );
  const wrong = [];
  for (const row of rows) {
    const council = councils.find((c) => c.id === row.data.council);
    const expected = apiTotals(council, Number(row.data.year));
    if (JSON.stringify(row.money) !== JSON.stringify(expected))
      wrong.push({
        council: row.data.council,
        year: row.data.year,
        page: row.money,
        api: expected,
      });
  }
  assert.deepEqual(wrong, [], 'council rows that differ from the API');
  // The table of a year is the one its rows say.
  for (const year of years) {
    const inTable = await page
      .locator(`#councils-${year} tr[data-council][data-year="${year}"]`)
      .count();
    assert.equal(inTable, rows.filter((r) => r.data.year === String(year)).length);
  }
  // Not vacuous: the deciding councils have committed and spent money on the page.
  for (const id of DECIDING_COUNCILS) {
    const row = rows.find((r) => r.data.council === id);
    assert.ok(
      row.money.spent > 0 && row.money.committed > 0,
      `${id}: ${JSON.stringify(row.money)}`,
    );
  }
});

test('municipality page: district rows are the sums of their councils, the total of all', async () => {
  await page.goto('/');
  const years = [...new Set(councils.flatMap((c) => c.budget_lines.map((l) => l.year)))];
  for (const year of years) {
    const districtRows = await moneyOfRows(page.locator(`#districts-${year} tr[data-district]`));
    const expected = new Map();
    const city = zero();
    for (const council of councils.filter((c) => c.budget_lines.some((l) => l.year === year))) {
      const totals = apiTotals(council, year);
      add(
        expected.get(council.district) ??
          expected.set(council.district, zero()).get(council.district),
        totals,
      );
      add(city, totals);
    }
    const byDistrict = Object.fromEntries(districtRows.map((r) => [r.data.district, r.money]));
    assert.deepEqual(
      byDistrict,
      { ...Object.fromEntries(expected), total: city },
      `districts ${year}`,
    );
    assert.equal(expected.size, 5, 'the demo has five districts');
  }
});

test('municipality page: ledger size and checkpoint size equal the API', async () => {
  await page.goto('/');
  const size = await page.locator('dd[data-ledger-size]').getAttribute('data-ledger-size');
  const covered = await page
    .locator('dd[data-checkpoint-size]')
    .getAttribute('data-checkpoint-size');
  assert.equal(Number(size), await ledgerSize());
  assert.equal(Number(covered), await checkpointSize());
});

for (const id of [...DECIDING_COUNCILS, 'amsterdamse-buurt']) {
  test(`council page ${id}: budget lines equal /budget-lines and /councils/${id}`, async () => {
    await page.goto(`/councils/${id}`);
    const rows = await moneyOfRows(
      page.locator('#budget-lines tbody tr[data-year][data-category]'),
    );
    const lines = linesByCouncil.get(id);
    assert.ok(lines, `${id} is a council of the demo`);
    assert.equal(rows.length, lines.length, 'one row per budget line');
    const summary = councils.find((c) => c.id === id).budget_lines;
    for (const line of lines) {
      const key = `${line.year}/${line.category}`;
      const row = rows.find((r) => `${r.data.year}/${r.data.category}` === key);
      assert.ok(row, `a row for ${key}`);
      assert.deepEqual(
        row.money,
        {
          granted: line.granted_cents,
          carried_in: line.carried_in_cents,
          committed: line.committed_cents,
          spent: line.spent_cents,
          closed_out: line.closed_out_cents,
          available: line.available_cents,
        },
        `${id} ${key}`,
      );
      // The two APIs agree with each other as well.
      const brief = summary.find((l) => l.year === line.year && l.category === line.category);
      assert.deepEqual(
        [brief.granted_cents, brief.spent_cents, brief.available_cents],
        [line.granted_cents, line.spent_cents, line.available_cents],
        `${id} ${key}: /councils/${id} and /budget-lines`,
      );
    }
  });
}

for (const id of DECIDING_COUNCILS) {
  test(`council page ${id}: proposals equal /proposals`, async () => {
    const { proposals } = await apiJson(`/api/v1/councils/${id}/proposals`);
    await page.goto(`/councils/${id}`);
    const rows = await page.locator('#proposals-table tr[data-proposal]').evaluateAll((trs) =>
      trs.map((tr) => ({
        id: tr.dataset.proposal,
        status: tr.dataset.status,
        cents: Number(tr.querySelector('td[data-cents]')?.dataset.cents),
        href: tr.querySelector('a')?.getAttribute('href'),
      })),
    );
    assert.ok(proposals.length >= 2);
    assert.deepEqual(
      rows.sort((a, b) => a.id.localeCompare(b.id)),
      proposals
        .map((p) => ({
          id: p.id,
          status: p.status,
          cents: p.amount_cents,
          href: `/councils/${id}/proposals/${p.id}`,
        }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  test(`council page ${id}: votes and roll-calls equal /votes`, async () => {
    const { votes } = await apiJson(`/api/v1/councils/${id}/votes`);
    assert.ok(votes.length >= 2, `${id} has votes in the demo`);
    await page.goto(`/councils/${id}`);
    const articles = await page.locator('article.decision[data-vote]').evaluateAll((list) =>
      list.map((article) => ({
        vote: article.dataset.vote,
        result: article.querySelector('dd[data-result]')?.dataset.result,
        for: Number(article.querySelector('span[data-count=for]')?.textContent),
        against: Number(article.querySelector('span[data-count=against]')?.textContent),
        abstain: Number(article.querySelector('span[data-count=abstain]')?.textContent),
        present: Number(article.querySelector('dd[data-present]')?.dataset.present),
        entitled: Number(article.querySelector('dd[data-entitled]')?.dataset.entitled),
        bylaws: article.querySelector('a[data-bylaws-version]')?.dataset.bylawsVersion,
        rollCall: Object.fromEntries(
          [...article.querySelectorAll('tr[data-member]')].map((tr) => [
            tr.dataset.member,
            tr.dataset.choice,
          ]),
        ),
      })),
    );
    assert.deepEqual(
      articles.map((a) => a.vote).sort(),
      votes.map((v) => v.id).sort(),
      'one article per vote',
    );
    for (const vote of votes) {
      const shown = articles.find((a) => a.vote === vote.id);
      const decision = vote.decision;
      const expectedRollCall = Object.fromEntries(
        vote.electorate.map((member) => {
          if (vote.recused.includes(member)) return [member, 'recused'];
          const ballot = vote.ballots.find((b) => b.member === member);
          return [member, ballot ? ballot.choice : 'none'];
        }),
      );
      assert.deepEqual(
        shown,
        {
          vote: vote.id,
          result: decision ? decision.result : 'open',
          for: decision
            ? decision.votes_for
            : vote.ballots.filter((b) => b.choice === 'for').length,
          against: decision
            ? decision.votes_against
            : vote.ballots.filter((b) => b.choice === 'against').length,
          abstain: decision
            ? decision.abstentions
            : vote.ballots.filter((b) => b.choice === 'abstain').length,
          present: decision ? decision.present : vote.ballots.length,
          entitled: decision ? decision.eligible : vote.electorate.length - vote.recused.length,
          bylaws: String(vote.bylaws_version),
          rollCall: expectedRollCall,
        },
        `vote ${vote.id}`,
      );
    }
  });

  test(`council page ${id}: spending per commitment equals /commitments and /spendings`, async () => {
    const { commitments } = await apiJson(`/api/v1/councils/${id}/commitments`);
    const { spendings } = await apiJson(`/api/v1/councils/${id}/spendings`);
    assert.ok(commitments.length >= 1 && spendings.length >= 1);
    await page.goto(`/councils/${id}`);
    const shown = await page.locator('article.commitment[data-commitment]').evaluateAll((list) =>
      list.map((article) => ({
        id: article.dataset.commitment,
        totals: Object.fromEntries(
          [...article.querySelectorAll('table.commitment-totals td[data-column]')].map((td) => [
            td.dataset.column,
            Number(td.dataset.cents),
          ]),
        ),
        spendings: [...article.querySelectorAll('tr[data-spending]')].map((tr) => ({
          index: Number(tr.dataset.spending),
          cents: Number(tr.querySelector('td[data-cents]')?.dataset.cents),
          reversed: tr.dataset.reversed === 'true' && tr.classList.contains('reversed'),
        })),
      })),
    );
    const expected = commitments.map((c) => ({
      id: c.id,
      totals: {
        amount: c.amount_cents,
        spent: c.spent_cents,
        released: c.released_cents,
        // A round's hold also shows what its close passed on to the chosen projects.
        ...(c.round_hold ? { allocated: c.allocated_cents } : {}),
        left: c.left_cents,
      },
      spendings: spendings
        .filter((s) => s.commitment === c.id)
        .map((s) => ({ index: s.index, cents: s.amount_cents, reversed: s.reversed })),
    }));
    const byId = (a, b) => a.id.localeCompare(b.id);
    for (const c of shown) c.spendings.sort((a, b) => a.index - b.index);
    for (const c of expected) c.spendings.sort((a, b) => a.index - b.index);
    assert.deepEqual(shown.sort(byId), expected.sort(byId));
  });
}

test('proposal pages: the history lists every entry of the proposal, with its kind', async () => {
  const entries = await allEntries();
  const kindOf = new Map(entries.map((e) => [e.index, JSON.parse(e.entry).kind]));
  for (const id of DECIDING_COUNCILS) {
    const [{ proposals }, { votes }, { spendings }] = await Promise.all([
      apiJson(`/api/v1/councils/${id}/proposals`),
      apiJson(`/api/v1/councils/${id}/votes`),
      apiJson(`/api/v1/councils/${id}/spendings`),
    ]);
    for (const proposal of proposals) {
      await page.goto(`/councils/${id}/proposals/${proposal.id}`);
      const rows = await page
        .locator('#proposal-life tr[data-index][data-kind]')
        .evaluateAll((trs) =>
          trs.map((tr) => ({ index: Number(tr.dataset.index), kind: tr.dataset.kind })),
        );
      const life = proposal.life;
      const expected = new Set([life.submitted_index, ...(life.amended_indices ?? [])]);
      for (const name of [
        'withdrawn_index',
        'vote_opened_index',
        'vote_closed_index',
        'cosigned_index',
        'released_index',
      ])
        if (life[name] !== undefined) expected.add(life[name]);
      const vote = votes.find((v) => v.id === proposal.vote);
      for (const ballot of vote?.ballots ?? []) expected.add(ballot.index);
      for (const spending of spendings.filter((s) => s.commitment === proposal.commitment)) {
        expected.add(spending.index);
        if (spending.confirms_index !== undefined) expected.add(spending.confirms_index);
        if (spending.reversed_index !== undefined) expected.add(spending.reversed_index);
      }
      const sorted = [...expected].sort((a, b) => a - b);
      assert.deepEqual(
        rows.map((r) => r.index),
        sorted,
        `${id}/${proposal.id}: entries in order`,
      );
      for (const row of rows)
        assert.equal(row.kind, kindOf.get(row.index), `${id}/${proposal.id} #${row.index}`);
      assert.equal(
        await page.locator('dd[data-status]').getAttribute('data-status'),
        proposal.status,
      );
    }
  }
});
