-- 003: query tables, the projections of the ledger for reading with SQL.
--
-- Reports and audits read these with plain SQL (DESIGN.md section 4: "query tables are
-- projections of the ledger"). They hold nothing the ledger does not: `wijkbudget serve` rewrites
-- them from its in-memory projections (services/governance.hpp, services/council_registry.hpp)
-- shortly after each change, and `wijkbudget rebuild-projections` rebuilds them by replaying the
-- ledger from index 0. Unlike the ledger tables they are replaced, so the runtime role may delete.
-- Amounts are cents (bigint), dates are ISO dates, indices are ledger leaf indices.

CREATE TABLE q_state (
    singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    ledger_size  bigint  NOT NULL CHECK (ledger_size >= 0)  -- the tables reflect entries 0..size-1
);

CREATE TABLE q_councils (
    council           text   PRIMARY KEY,
    name              text   NOT NULL,
    district          text   NOT NULL,
    registered_index  bigint NOT NULL
);

CREATE TABLE q_budget_lines (
    council           text   NOT NULL,
    year              int    NOT NULL,
    category          text   NOT NULL,
    at_year_end       text   NOT NULL,
    granted_cents     bigint NOT NULL,
    carried_in_cents  bigint NOT NULL,
    committed_cents   bigint NOT NULL,
    spent_cents       bigint NOT NULL,
    closed_out_cents  bigint NOT NULL,
    available_cents   bigint NOT NULL CHECK (available_cents >= 0),
    PRIMARY KEY (council, year, category)
);

CREATE TABLE q_mandates (
    council        text   NOT NULL,
    member         text   NOT NULL,
    seat           text   NOT NULL,
    from_date      date   NOT NULL,
    until_date     date   NOT NULL,
    ended_on       date,
    end_reason     text,
    started_index  bigint NOT NULL,
    ended_index    bigint,
    PRIMARY KEY (council, started_index)
);

CREATE TABLE q_bylaws (
    council                       text   NOT NULL,
    version                       bigint NOT NULL,
    quorum_percent                int    NOT NULL,
    majority                      text   NOT NULL,
    tie_rule                      text   NOT NULL,
    cosign_above_cents            bigint NOT NULL,
    confirm_spending_above_cents  bigint NOT NULL,
    consult_residents_above_cents bigint,
    voting_period_days_max        int    NOT NULL,
    set_index                     bigint NOT NULL,
    PRIMARY KEY (council, version)
);

CREATE TABLE q_proposals (
    council             text   NOT NULL,
    proposal            text   NOT NULL,
    submitter           text   NOT NULL,
    title               text   NOT NULL,
    amount_cents        bigint NOT NULL,
    year                int    NOT NULL,
    category            text   NOT NULL,
    status              text   NOT NULL,
    vote                text,
    commitment          text,
    commitment_refused  text,
    submitted_index     bigint NOT NULL,
    PRIMARY KEY (council, proposal)
);

CREATE TABLE q_votes (
    council          text    NOT NULL,
    vote             text    NOT NULL,
    proposal         text    NOT NULL,
    opener           text    NOT NULL,
    bylaws_version   bigint  NOT NULL,
    closes_at        timestamptz NOT NULL,
    electorate       int     NOT NULL,
    recused          int     NOT NULL,
    opened_index     bigint  NOT NULL,
    closed_index     bigint,
    votes_for        int,
    votes_against    int,
    abstentions      int,
    quorum_met       boolean,
    result           text,
    PRIMARY KEY (council, vote)
);

CREATE TABLE q_ballots (
    council       text   NOT NULL,
    vote          text   NOT NULL,
    member        text   NOT NULL,
    choice        text   NOT NULL,
    ledger_index  bigint PRIMARY KEY
);

CREATE TABLE q_commitments (
    council         text    NOT NULL,
    commitment      text    NOT NULL,
    proposal        text    NOT NULL,
    year            int     NOT NULL,
    category        text    NOT NULL,
    amount_cents    bigint  NOT NULL,
    spent_cents     bigint  NOT NULL,
    released_cents  bigint  NOT NULL,
    resolved        boolean NOT NULL,
    created_index   bigint  NOT NULL,
    PRIMARY KEY (council, commitment)
);

CREATE TABLE q_spendings (
    ledger_index    bigint PRIMARY KEY,
    council         text   NOT NULL,
    commitment      text   NOT NULL,
    amount_cents    bigint NOT NULL,
    paid_on         date   NOT NULL,
    payee           text   NOT NULL,
    confirms_index  bigint,
    reversed_index  bigint
);

GRANT SELECT, INSERT, UPDATE, DELETE ON q_state, q_councils, q_budget_lines, q_mandates, q_bylaws,
    q_proposals, q_votes, q_ballots, q_commitments, q_spendings TO :runtime_role;
