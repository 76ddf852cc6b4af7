-- 008: the runtime role may read schema_migrations, so every command that connects as it can
-- tell the operator that the database lacks a migration this binary needs (run `wijkbudget
-- migrate`), instead of failing later on a missing table or column as "storage unavailable".
-- The table holds only version numbers, file names and times.

GRANT SELECT ON schema_migrations TO :runtime_role;
