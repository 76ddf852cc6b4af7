-- 006: slug columns accept every slug the ledger accepts, and no other.
--
-- The ledger's rule (SlugRule, ledger/values.cpp) is lowercase letters, digits and hyphens, with
-- no hyphen first or last; hyphens may follow one another ("noord--2027"). The CHECKs of 001, 002
-- and 004 refused such a slug, so what the ledger had accepted could not be stored next to it:
-- a round opened as "noord--2027" got no voting codes (every `codes issue` failed as storage
-- unavailable), and a mandate of member "m--x" with a name failed the same way. The columns now
-- follow the ledger's rule; the lengths stay SLUG_BYTES_MAX (64 bytes, all ASCII).

ALTER TABLE districts
    DROP CONSTRAINT districts_slug_check,
    ADD CONSTRAINT districts_slug_check
        CHECK (slug ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$' AND length(slug) <= 64);

ALTER TABLE member_names
    DROP CONSTRAINT member_names_council_check,
    ADD CONSTRAINT member_names_council_check
        CHECK (council ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$' AND length(council) <= 64),
    DROP CONSTRAINT member_names_member_check,
    ADD CONSTRAINT member_names_member_check
        CHECK (member ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$' AND length(member) <= 64);

ALTER TABLE voting_codes
    DROP CONSTRAINT voting_codes_round_check,
    ADD CONSTRAINT voting_codes_round_check
        CHECK (round ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$' AND length(round) <= 64);
