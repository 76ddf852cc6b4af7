#!/usr/bin/env bash
# tests/deploy/fsync_off_test.sh BUILD_DIR: `wijkbudget serve` refuses a cluster that runs with
# fsync off, saying so, and serves once it is on again (issue 3). fsync is the whole cluster's
# setting, not a session's, so this test has a cluster of its own in a temporary folder.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${1:?usage: fsync_off_test.sh BUILD_DIR}
WIJKBUDGET=$BUILD/api/wijkbudget
# A refusal is a check at start-up: a serve still running after this has not refused.
REFUSAL_SECONDS_MAX=20
# shellcheck source=deploy/pg_cluster.sh
source "$ROOT/deploy/pg_cluster.sh"
# shellcheck source=tests/deploy/serve_settings.sh
source "$ROOT/tests/deploy/serve_settings.sh"

Fail() { echo "FAIL: $*" >&2; exit 1; }
[[ -x $WIJKBUDGET ]] || Fail "$WIJKBUDGET is missing: build it first"

dir=$(mktemp -d)
chmod 0711 "$dir"
trap 'PgClusterStop "$dir/pg" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
PgClusterStart "$dir/pg" 2>/dev/null
Psql() { psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$PG_CLUSTER_SUPERUSER_DSN" -c "$1"; }

# A port nobody listens on, below pg_cluster.sh's range (16000-32767) and quickstart_test.sh's
# (10000-15999), which may run at the same time.
port=$(FreePortBetween 8000 9999 200) || Fail "no free port from 8000 to 9999"
WriteServeSettings "$dir" "$port" fsync.invalid/wijkbudget >/dev/null ||
    Fail "the keys, settings or migration for serve failed"

Psql "ALTER SYSTEM SET fsync = off" && Psql "SELECT pg_reload_conf()" >/dev/null
for _ in $(seq 50); do [[ $(Psql "SHOW fsync") == off ]] && break; sleep 0.1; done
[[ $(Psql "SHOW fsync") == off ]] || Fail "the cluster did not take fsync = off"
status=0
output=$(timeout "$REFUSAL_SECONDS_MAX" "$WIJKBUDGET" serve --config "$dir/wijkbudget.toml" 2>&1) ||
    status=$?
((status != 0 && status != 124)) || Fail "serve did not refuse by itself (status $status): $output"
[[ $output == *"refusing to serve: the database does not make commits durable"*"fsync = off"* ]] ||
    Fail "serve's refusal does not name fsync: $output"

# The same settings serve once fsync is on: the refusal was the setting's doing.
Psql "ALTER SYSTEM RESET fsync" && Psql "SELECT pg_reload_conf()" >/dev/null
for _ in $(seq 50); do [[ $(Psql "SHOW fsync") == on ]] && break; sleep 0.1; done
"$WIJKBUDGET" serve --config "$dir/wijkbudget.toml" >"$dir/serve.log" 2>&1 &
server=$!
served=0
for _ in $(seq 100); do
    if curl -skf -o /dev/null "https://127.0.0.1:$port/readyz"; then
        served=1
        break
    fi
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
done
kill -TERM "$server" 2>/dev/null || true
wait "$server" || true
((served)) || Fail "serve did not serve with fsync on: $(cat "$dir/serve.log")"
echo "fsync_off_test: ok"
