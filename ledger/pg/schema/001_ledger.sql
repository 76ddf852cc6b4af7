-- 001_ledger.sql: the ledger's tables (DESIGN.md section 4). Run by `wijkbudget migrate` as the
-- owner role, inside one transaction, with search_path set to the target schema. The placeholder
-- :runtime_role is replaced by the runtime role's quoted name before the script runs.
--
-- Append-only twice over: the runtime role gets SELECT and INSERT only, and triggers set
-- ENABLE ALWAYS (so they fire even under session_replication_role = replica) reject UPDATE,
-- DELETE and TRUNCATE for everyone but a superuser who disables them. Tamper evidence does not
-- rest on this: the Merkle tree and the signed checkpoints show any change.

CREATE TABLE entries (
    leaf_index   bigint PRIMARY KEY CHECK (leaf_index >= 0),
    leaf_hash    bytea  NOT NULL CHECK (length(leaf_hash) = 32),
    body         text   NOT NULL,  -- canonical bytes (RFC 8785 JSON, UTF-8): the leaf
    kind         text   NOT NULL,
    council      text,
    recorded_at  timestamptz NOT NULL
);
CREATE INDEX entries_council ON entries (council, leaf_index) WHERE council IS NOT NULL;

-- Go tlog layout: the hash of every complete subtree, by stored-hash index.
CREATE TABLE stored_hashes (
    hash_index  bigint PRIMARY KEY CHECK (hash_index >= 0),
    hash        bytea  NOT NULL CHECK (length(hash) = 32)
);

-- The postings of financial entries, with each account's balance and version after it, so a
-- balance at any ledger size is one query away.
CREATE TABLE postings (
    leaf_index          bigint   NOT NULL REFERENCES entries (leaf_index),
    position            smallint NOT NULL CHECK (position >= 0),
    account             text     NOT NULL,
    direction           text     NOT NULL CHECK (direction IN ('debit', 'credit')),
    amount_cents        bigint   NOT NULL CHECK (amount_cents > 0 AND amount_cents <= 10000000000000),
    balance_after_cents bigint   NOT NULL CHECK (balance_after_cents >= 0),
    version_after       bigint   NOT NULL CHECK (version_after > 0),
    PRIMARY KEY (leaf_index, position)
);
CREATE INDEX postings_account ON postings (account, leaf_index);

-- Every checkpoint the sequencer signed, one per batch.
CREATE TABLE checkpoints (
    tree_size  bigint PRIMARY KEY CHECK (tree_size > 0),
    root       bytea  NOT NULL CHECK (length(root) = 32),
    note       text   NOT NULL,
    signed_at  timestamptz NOT NULL DEFAULT now()
);

-- The answer to every mutating request, under its Idempotency-Key, for good.
CREATE TABLE idempotency_records (
    principal     text    NOT NULL,
    key           text    NOT NULL CHECK (length(key) BETWEEN 1 AND 128),
    request_hash  bytea   NOT NULL CHECK (length(request_hash) = 32),
    status        integer NOT NULL CHECK (status BETWEEN 100 AND 599),
    body          text    NOT NULL,
    leaf_index    bigint  REFERENCES entries (leaf_index),
    recorded_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (principal, key)
);

CREATE FUNCTION reject_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

DO $$
DECLARE
    ledger_table text;
BEGIN
    FOREACH ledger_table IN ARRAY ARRAY['entries', 'stored_hashes', 'postings', 'checkpoints',
                                        'idempotency_records'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW '
                       'EXECUTE FUNCTION reject_ledger_change()', ledger_table || '_no_change',
                       ledger_table);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT '
                       'EXECUTE FUNCTION reject_ledger_change()', ledger_table || '_no_truncate',
                       ledger_table);
        EXECUTE format('ALTER TABLE %I ENABLE ALWAYS TRIGGER %I', ledger_table,
                       ledger_table || '_no_change');
        EXECUTE format('ALTER TABLE %I ENABLE ALWAYS TRIGGER %I', ledger_table,
                       ledger_table || '_no_truncate');
        EXECUTE format('GRANT SELECT, INSERT ON %I TO :runtime_role', ledger_table);
    END LOOP;
END
$$;

-- Operators' tables: mutable on purpose (districts are configuration; tokens are revoked;
-- accounts hold personal data that must be erasable), so outside the ledger's rules.
CREATE TABLE districts (
    slug  text PRIMARY KEY CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 64),
    name  text NOT NULL CHECK (length(name) BETWEEN 1 AND 200)
);

CREATE TABLE tokens (
    id           text PRIMARY KEY,  -- public id, shown in logs and used as idempotency principal
    token_hash   bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),  -- SHA-256 of the secret
    role         text NOT NULL,
    name         text NOT NULL,
    council      text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz
);

CREATE TABLE accounts (
    login          text PRIMARY KEY CHECK (length(login) BETWEEN 1 AND 64),
    password_hash  text NOT NULL,  -- libsodium crypto_pwhash_str (Argon2id)
    role           text NOT NULL,
    member         text NOT NULL,  -- the pseudonymous id entries carry
    council        text,
    created_at     timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT, UPDATE ON districts TO :runtime_role;
GRANT SELECT, INSERT, UPDATE ON tokens TO :runtime_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON accounts TO :runtime_role;
