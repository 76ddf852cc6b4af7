-- 009: q_bylaws shows the bylaws' shortest voting period (bylaws.set's optional
-- voting_period_hours_min): a vote whose deadline comes sooner is refused. NULL, as in bylaws set
-- before the field existed, means no shortest period. `serve` rewrites the query tables from its
-- projections, so existing rows get their values at its next refresh.

ALTER TABLE q_bylaws ADD COLUMN voting_period_hours_min int;
