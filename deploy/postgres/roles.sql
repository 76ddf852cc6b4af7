-- deploy/postgres/roles.sql: the database and the two login roles of wijkbudget.
--
-- Run as a superuser with psql, connected to any database of the cluster (deploy/pg_cluster.sh
-- runs it against "postgres" once, when it creates a cluster):
--   psql -X -v ON_ERROR_STOP=1 -v owner_password=... -v app_password=... -f roles.sql
-- pg_cluster.sh sets the two variables with \set on standard input instead of -v, so that the
-- passwords never appear on a command line (where ps shows them to every local user).
--
-- Idempotent: an existing role gets its attributes and password reset, an existing database
-- keeps its data. The passwords are sent in plain text inside the statement and stored as
-- SCRAM-SHA-256 (PostgreSQL 15's default password_encryption); connect over 127.0.0.1 only.
--
-- wijkbudget_owner owns the database, and through PostgreSQL 15's pg_database_owner also its
-- "public" schema: `wijkbudget migrate` connects as this role to create the tables and to grant
-- the runtime role what it needs.
-- wijkbudget_app is the runtime role of the service. It gets LOGIN and nothing else here; the
-- migration grants it SELECT and INSERT on the ledger tables (never UPDATE, DELETE or TRUNCATE),
-- so the append-only rule holds in the database as well as in the code (STYLE.md section 7).

\set ON_ERROR_STOP on

SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'wijkbudget_owner') AS create_owner,
       NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'wijkbudget_app') AS create_app,
       NOT EXISTS (SELECT FROM pg_database WHERE datname = 'wijkbudget') AS create_database
\gset

\if :create_owner
CREATE ROLE wijkbudget_owner;
\endif
ALTER ROLE wijkbudget_owner WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION
    NOBYPASSRLS PASSWORD :'owner_password';

\if :create_app
CREATE ROLE wijkbudget_app;
\endif
ALTER ROLE wijkbudget_app WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION
    NOBYPASSRLS PASSWORD :'app_password';

-- CREATE DATABASE cannot run inside a transaction block or a DO block, hence \if.
\if :create_database
CREATE DATABASE wijkbudget OWNER wijkbudget_owner ENCODING 'UTF8' TEMPLATE template0;
\else
ALTER DATABASE wijkbudget OWNER TO wijkbudget_owner;
\endif
