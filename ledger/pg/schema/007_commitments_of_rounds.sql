-- 007: q_commitments says what a residents' round's hold passed on, and which round a
-- commitment belongs to.
--
-- A round's binding close moves its funded projects' money from the round's hold to their own
-- commitments. Without these columns a closed hold read as amount - spent - released > 0 though
-- nothing was left, and summing amount_cents counted those euros twice (once in the hold, once
-- in each project's commitment). Held = spent + released + allocated + what is left. `serve`
-- rewrites the query tables from its projections, so existing rows get their values at its
-- next refresh; until then the defaults say "no allocation, no round".

ALTER TABLE q_commitments
    ADD COLUMN allocated_cents bigint  NOT NULL DEFAULT 0,
    ADD COLUMN round           text,
    ADD COLUMN round_hold      boolean NOT NULL DEFAULT false;
