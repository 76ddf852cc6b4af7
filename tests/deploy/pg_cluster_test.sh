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
echo "pg_cluster_test: ok"
