-- 002: council members' names, outside the ledger.
--
-- Entries name members only by their pseudonymous id (DESIGN.md section 4, privacy). The name
-- that goes with an id lives here, in a table the runtime role may change and delete, so that a
-- member's name can be erased (AVG/GDPR) without touching one byte the Merkle tree covers.

CREATE TABLE member_names (
    council  text NOT NULL CHECK (council ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(council) <= 64),
    member   text NOT NULL CHECK (member ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(member) <= 64),
    name     text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    PRIMARY KEY (council, member)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON member_names TO :runtime_role;
