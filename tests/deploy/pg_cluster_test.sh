#!/usr/bin/env bash
# tests/deploy/pg_cluster_test.sh: deploy/pg_cluster.sh says whether a start started the server,
# so that a second quick start on the same var/ leaves the first one's database running when it
# ends (deploy/quickstart.sh stops only what it started); and the cluster is PostgreSQL 15, on
# loopback only, with fsync and synchronous_commit on. Makes a cluster in a temporary folder.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=deploy/pg_cluster.sh
source "$ROOT/deploy/pg_cluster.sh"

dir=$(mktemp -d)
chmod 0711 "$dir"
trap 'PgClusterStop "$dir/pg" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT

Fail() { echo "FAIL: $*" >&2; exit 1; }

PgClusterStart "$dir/pg" 2>/dev/null
[[ $PG_CLUSTER_STARTED == 1 ]] || Fail "a new cluster: PG_CLUSTER_STARTED=$PG_CLUSTER_STARTED, want 1"
first_port=$PG_CLUSTER_PORT
# What the cluster is: PostgreSQL 15, reachable over TCP from this machine only, and durable.
Show() { psql -X -A -t -q -d "$PG_CLUSTER_SUPERUSER_DSN" -c "SHOW $1"; }
[[ $(Show server_version_num) == 15* ]] || Fail "server_version_num $(Show server_version_num), want 15xxxx"
[[ $(Show listen_addresses) == 127.0.0.1 ]] || Fail "listen_addresses '$(Show listen_addresses)', want 127.0.0.1"
[[ $(Show fsync) == on && $(Show synchronous_commit) == on ]] ||
    Fail "fsync $(Show fsync), synchronous_commit $(Show synchronous_commit); want both on"

PgClusterStart "$dir/pg" 2>/dev/null
[[ $PG_CLUSTER_STARTED == 0 ]] || Fail "a running cluster: PG_CLUSTER_STARTED=$PG_CLUSTER_STARTED, want 0"
[[ $PG_CLUSTER_PORT == "$first_port" ]] || Fail "the port changed: $first_port, then $PG_CLUSTER_PORT"

PgClusterStop "$dir/pg" >/dev/null 2>&1
PgClusterStart "$dir/pg" 2>/dev/null
[[ $PG_CLUSTER_STARTED == 1 ]] || Fail "a stopped cluster: PG_CLUSTER_STARTED=$PG_CLUSTER_STARTED, want 1"

# A stopped cluster whose port another program took meanwhile (the quick start's var/pg between
# two runs) starts on a free port, its data and every role's login intact: the only other way
# out would be deleting the cluster, and the ledger in it.
psql -X -q -v ON_ERROR_STOP=1 -d "$PG_CLUSTER_OWNER_DSN" -c 'CREATE TABLE kept (n integer)' \
    -c 'INSERT INTO kept VALUES (42)'
PgClusterStop "$dir/pg" >/dev/null 2>&1
taken_port=$PG_CLUSTER_PORT
# As a move cut short after the passfile was written leaves it: naming another port than DIR/port.
sed -i "s/^127\.0\.0\.1:$taken_port:/127.0.0.1:9:/" "$dir/pg/secrets/pgpass"
openssl s_server -quiet -accept "127.0.0.1:$taken_port" -cert "$ROOT/tests/support/tls/cert.pem" \
    -key "$ROOT/tests/support/tls/key.pem" </dev/null >/dev/null 2>&1 &
holder=$!
trap 'kill "$holder" 2>/dev/null; PgClusterStop "$dir/pg" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
for _ in $(seq 100); do
    PortInUse "$taken_port" && break
    sleep 0.1
done
PortInUse "$taken_port" || Fail "could not hold port $taken_port for the test"
PgClusterStart "$dir/pg" 2>"$dir/start.err" || { cat "$dir/start.err" >&2; Fail "no start with the port taken"; }
[[ $PG_CLUSTER_STARTED == 1 ]] || Fail "a moved cluster: PG_CLUSTER_STARTED=$PG_CLUSTER_STARTED, want 1"
[[ $PG_CLUSTER_PORT != "$taken_port" && $PG_CLUSTER_PORT == "$(<"$dir/pg/port")" ]] ||
    Fail "the cluster stayed on port $taken_port (recorded $(<"$dir/pg/port"))"
grep -q "port $taken_port is taken by another process" "$dir/start.err" ||
    Fail "the move was not said: $(cat "$dir/start.err")"
[[ $(psql -X -A -t -q -d "$PG_CLUSTER_OWNER_DSN" -c 'SELECT n FROM kept') == 42 ]] ||
    Fail "the data did not move with the cluster"
[[ $(psql -X -A -t -q -d "$PG_CLUSTER_RUNTIME_DSN" -c 'SELECT current_user') == wijkbudget_app ]] ||
    Fail "the runtime role cannot log in on the new port"
[[ $(Show port) == "$PG_CLUSTER_PORT" ]] || Fail "the server listens on $(Show port), not $PG_CLUSTER_PORT"

# A move cut short after DIR/port was written, its old port free again by the next start: the
# passfile follows the port file on every start.
PgClusterStop "$dir/pg" >/dev/null 2>&1
sed -i "s/^127\.0\.0\.1:[0-9]*:/127.0.0.1:9:/" "$dir/pg/secrets/pgpass"
PgClusterStart "$dir/pg" 2>"$dir/start.err" || { cat "$dir/start.err" >&2; Fail "no start with the passfile behind"; }
[[ $(psql -X -A -t -q -d "$PG_CLUSTER_OWNER_DSN" -c 'SELECT n FROM kept') == 42 ]] ||
    Fail "no login once the passfile named another port"

# Two starts of one stopped cluster at once, its port taken (two quick starts on one var/): they
# take turns, so one moves and starts it, and the other finds it running on that port.
PgClusterStop "$dir/pg" >/dev/null 2>&1
kill "$holder"
wait "$holder" 2>/dev/null || true
taken_port=$(<"$dir/pg/port")
openssl s_server -quiet -accept "127.0.0.1:$taken_port" -cert "$ROOT/tests/support/tls/cert.pem" \
    -key "$ROOT/tests/support/tls/key.pem" </dev/null >/dev/null 2>&1 &
holder=$!
for _ in $(seq 100); do
    PortInUse "$taken_port" && break
    sleep 0.1
done
PortInUse "$taken_port" || Fail "could not hold port $taken_port for the test"
bash "$ROOT/deploy/pg_cluster.sh" start "$dir/pg" >"$dir/first.out" 2>"$dir/first.err" &
first=$!
bash "$ROOT/deploy/pg_cluster.sh" start "$dir/pg" >"$dir/second.out" 2>"$dir/second.err" &
second=$!
wait "$first" || Fail "the first of two starts failed: $(cat "$dir/first.err")"
wait "$second" || Fail "the second of two starts failed: $(cat "$dir/second.err")"
ports=$(grep -h '^PG_CLUSTER_PORT=' "$dir/first.out" "$dir/second.out" | sort -u)
[[ $ports == "PG_CLUSTER_PORT=$(<"$dir/pg/port")" ]] ||
    Fail "two starts at once reported ports '$ports', the cluster's is $(<"$dir/pg/port")"
[[ $(grep -h '^PG_CLUSTER_STARTED=' "$dir/first.out" "$dir/second.out" | sort | tr '\n' ' ') == \
    "PG_CLUSTER_STARTED=0 PG_CLUSTER_STARTED=1 " ]] ||
    Fail "two starts at once: $(grep -h '^PG_CLUSTER_STARTED=' "$dir/first.out" "$dir/second.out" | tr '\n' ' ')"
eval "$(cat "$dir/first.out")"
[[ $(psql -X -A -t -q -d "$PG_CLUSTER_OWNER_DSN" -c 'SELECT n FROM kept') == 42 ]] ||
    Fail "no login after two starts at once"
echo "pg_cluster_test: ok"
