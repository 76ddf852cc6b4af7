#!/usr/bin/env bash
# tests/deploy/database_outage_test.sh BUILD_DIR: `wijkbudget serve` through a database outage
# (issue 3: /readyz says whether the database can be reached; acknowledged means durable). While
# the cluster is down, /readyz answers 503 naming the database, /healthz 200, a write 503 with
# nothing stored, and the council's committed state is still served; once the cluster is back,
# /readyz answers 200 again without a restart of `serve`, the write retried under its
# Idempotency-Key appends once, and the export verifies against the last checkpoint. Stopping the
# cluster is the whole cluster's business, so this test has one of its own.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${1:?usage: database_outage_test.sh BUILD_DIR}
WIJKBUDGET=$BUILD/api/wijkbudget
VERIFY=$BUILD/ledger/wijkbudget-verify
# Polls of a state the server must reach (ready, not ready), 0.1 s apart.
POLLS_MAX=200
# Every request gets this long: a server that hangs fails the test instead of holding it.
REQUEST_SECONDS_MAX=20
# shellcheck source=deploy/pg_cluster.sh
source "$ROOT/deploy/pg_cluster.sh"
# shellcheck source=tests/deploy/serve_settings.sh
source "$ROOT/tests/deploy/serve_settings.sh"

Fail() { echo "FAIL: $*" >&2; exit 1; }
[[ -x $WIJKBUDGET && -x $VERIFY ]] || Fail "$WIJKBUDGET or $VERIFY is missing: build them first"

dir=$(mktemp -d)
chmod 0711 "$dir"
server=
Cleanup()
{
    if [[ -n $server ]]; then
        kill -KILL "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    PgClusterStop "$dir/pg" >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap Cleanup EXIT
# The cluster's port is picked here, below pg_cluster.sh's own range (16000-32767), so that no
# cluster another test starts while this one is down can take it before the restart.
pg_port=$(FreePortBetween 5500 5999 200) || Fail "no free port from 5500 to 5999"
PgClusterStart "$dir/pg" "$pg_port" 2>"$dir/pg-start.log" ||
    Fail "the cluster did not start: $(cat "$dir/pg-start.log")"
Psql() { psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$PG_CLUSTER_SUPERUSER_DSN" -c "$1"; }

# A port nobody listens on, below pg_cluster.sh's range (16000-32767), quickstart_test.sh's
# (10000-15999) and fsync_off_test.sh's (8000-9999), which may run at the same time.
port=$(FreePortBetween 6000 7999 200) || Fail "no free port from 6000 to 7999"
vkey=$(WriteServeSettings "$dir" "$port" outage.invalid/wijkbudget) ||
    Fail "the keys, settings or migration for serve failed"
Psql "INSERT INTO districts (slug, name) VALUES ('centrum', 'Centrum')" >/dev/null
token=$("$WIJKBUDGET" token create --role municipality --name gemeente-outage \
    --config "$dir/wijkbudget.toml" 2>/dev/null | head -n 1)

URL="https://127.0.0.1:$port"
# Request METHOD PATH [KEY BODY]: prints the status, then the body, into $dir/answer.
Request()
{
    local method=$1 path=$2 key=${3:-} body=${4:-}
    local -a arguments=(-sk -m "$REQUEST_SECONDS_MAX" -o "$dir/answer" -w '%{http_code}'
        -X "$method")
    if [[ -n $key ]]; then
        arguments+=(-H "Authorization: Bearer $token" -H "Idempotency-Key: $key"
            -H 'Content-Type: application/json' --data-binary "$body")
    fi
    # On a transport failure curl's status is 000, and its exit status not ours to stop on.
    curl "${arguments[@]}" "$URL$path" || true
}
Answer() { cat "$dir/answer"; }
# WaitForStatus PATH STATUS: polls GET PATH until it answers STATUS.
WaitForStatus()
{
    local status
    for _ in $(seq "$POLLS_MAX"); do
        status=$(Request GET "$1")
        [[ $status == "$2" ]] && return 0
        kill -0 "$server" 2>/dev/null || Fail "serve exited: $(cat "$dir/serve.log")"
        sleep 0.1
    done
    Fail "GET $1 never answered $2 (last $status: $(Answer))"
}

"$WIJKBUDGET" serve --config "$dir/wijkbudget.toml" >"$dir/serve.log" 2>&1 &
server=$!
WaitForStatus /readyz 200
status=$(Request POST /api/v1/councils council-1 \
    '{"id": "burgwal", "name": "Wijkraad Burgwal", "district": "centrum"}')
[[ $status == 201 ]] || Fail "registering the council: $status $(Answer)"
grant='{"year": 2027, "category": "public_space", "amount_cents": 150000}'
status=$(Request POST /api/v1/councils/burgwal/grants grant-1 "$grant")
[[ $status == 201 ]] || Fail "the first grant: $status $(Answer)"
status=$(Request GET /api/v1/councils/burgwal)
[[ $status == 200 ]] || Fail "the council before the outage: $status $(Answer)"
council_before=$(Answer)

# The outage: the cluster stops (fast: its sessions are cut).
PgClusterStop "$dir/pg" >"$dir/pg-stop.log" 2>&1 ||
    Fail "the cluster did not stop: $(cat "$dir/pg-stop.log")"
WaitForStatus /readyz 503
grep -q 'database' "$dir/answer" || Fail "/readyz does not name the database: $(Answer)"
status=$(Request GET /healthz)
[[ $status == 200 ]] || Fail "/healthz during the outage: $status $(Answer)"
status=$(Request POST /api/v1/councils/burgwal/grants grant-2 "$grant")
[[ $status == 503 ]] || Fail "a grant during the outage: $status $(Answer)"
grep -q '"code":"storage_unavailable"' "$dir/answer" || Fail "the grant's problem: $(Answer)"
# What was committed before is still shown: the projections hold it, and nothing failed in them.
status=$(Request GET /api/v1/councils/burgwal)
[[ $status == 200 ]] || Fail "the council during the outage: $status $(Answer)"
[[ $(Answer) == "$council_before" ]] || Fail "the council changed during the outage: $(Answer)"

# The cluster back on its port: serve reconnects by itself.
PgClusterStart "$dir/pg" 2>"$dir/pg-start.log" ||
    Fail "the cluster did not start again: $(cat "$dir/pg-start.log")"
WaitForStatus /readyz 200
status=$(Request POST /api/v1/councils/burgwal/grants grant-2 "$grant")
[[ $status == 201 ]] || Fail "the grant retried after the outage: $status $(Answer)"
grep -q '"index":2' "$dir/answer" || Fail "the retried grant is not entry 2: $(Answer)"
status=$(Request POST /api/v1/councils/burgwal/grants grant-2 "$grant")
[[ $status == 201 ]] || Fail "the grant's replay: $status $(Answer)"
grep -q '"index":2' "$dir/answer" || Fail "the replay is not entry 2's answer: $(Answer)"
[[ $(Psql "SELECT count(*) FROM entries") == 3 ]] || Fail "the ledger does not hold 3 entries"
[[ $(Psql "SELECT count(*) FROM idempotency_records WHERE key = 'grant-2'") == 1 ]] ||
    Fail "the retried key is not stored once"

status=$(Request GET /api/v1/councils/burgwal)
[[ $status == 200 ]] || Fail "the council after the outage: $status $(Answer)"
council_granted=$(Answer)

# An outage in the middle of a batch. The grant is sealed into serve's projections and its
# inserts wait for a session that holds the postings; a second session queues for the entries
# behind the batch; the batch's backend is ended, so it is surely not stored (a cluster stopped
# under it could still commit it once the lock holder is gone). The rebuild serve then starts
# waits for the entries, and the cluster stops under it. The grant must never be shown: the
# council's reads answer 503 until the projections are rebuilt, which needs the cluster back.
HoldLock() # HoldLock TABLE MODE: a psql session in the background holding the lock.
{
    psql -X -q -d "$PG_CLUSTER_SUPERUSER_DSN" \
        -c "BEGIN; LOCK TABLE $1 IN $2 MODE; SELECT pg_sleep(60); COMMIT" >/dev/null 2>&1 &
}
# LockPid TABLE MODE granted|waiting: the pid of a session that holds (or waits for) MODE on
# TABLE, once there is one.
LockPid()
{
    local table=$1 mode=$2 not= pid=
    [[ $3 == waiting ]] && not="NOT "
    for _ in $(seq "$POLLS_MAX"); do
        pid=$(Psql "SELECT pid FROM pg_locks WHERE relation = '$table'::regclass \
            AND mode = '$mode' AND ${not}granted LIMIT 1")
        if [[ -n $pid ]]; then
            echo "$pid"
            return 0
        fi
        sleep 0.1
    done
    Fail "no session $3 for $mode on $table"
}
HoldLock postings EXCLUSIVE
postings_holder=$!
LockPid postings ExclusiveLock granted >/dev/null
(Request POST /api/v1/councils/burgwal/grants grant-3 "$grant" >"$dir/grant-3.status"
    cp "$dir/answer" "$dir/grant-3.answer") &
granting=$!
batch=$(LockPid postings RowExclusiveLock waiting)
HoldLock entries 'ACCESS EXCLUSIVE'
entries_holder=$!
LockPid entries AccessExclusiveLock waiting >/dev/null
[[ $(Psql "SELECT pg_terminate_backend($batch)") == t ]] || Fail "the batch's backend lived on"
wait "$granting" || true
[[ $(cat "$dir/grant-3.status") == 503 ]] ||
    Fail "the grant whose batch was ended:" \
        "$(cat "$dir/grant-3.status") $(cat "$dir/grant-3.answer")"
LockPid entries AccessShareLock waiting >/dev/null # The rebuild, behind the entries' holder.
PgClusterStop "$dir/pg" >"$dir/pg-stop.log" 2>&1 ||
    Fail "the cluster did not stop: $(cat "$dir/pg-stop.log")"
wait "$postings_holder" "$entries_holder" || true
for path in /api/v1/councils/burgwal /api/v1/councils /councils/burgwal; do
    status=$(Request GET "$path")
    [[ $status == 503 ]] ||
        Fail "GET $path with the failed batch's grant unstored: $status $(Answer)"
done
status=$(Request GET /api/v1/councils/burgwal)
grep -q '"code":"storage_unavailable"' "$dir/answer" || Fail "the council's problem: $(Answer)"
PgClusterStart "$dir/pg" 2>"$dir/pg-start.log" ||
    Fail "the cluster did not start again: $(cat "$dir/pg-start.log")"
# Only /readyz is asked, as a load balancer would: its probe runs the rebuild the failed batch
# left, now that the cluster is back, and then answers 200.
WaitForStatus /readyz 200
status=$(Request GET /api/v1/councils/burgwal)
[[ $status == 200 ]] || Fail "the council after the rebuild: $status $(Answer)"
[[ $(Answer) == "$council_granted" ]] || Fail "the council after the rebuild: $(Answer)"
# The first read of a pooled connection the restart cut (the pool lends its first free one,
# which none of the reads above took): a token looked up, for the municipality sees members'
# names. It meets the dead connection and is run again on a new one rather than failing.
status=$(curl -sk -m "$REQUEST_SECONDS_MAX" -o "$dir/answer" -w '%{http_code}' \
    -H "Authorization: Bearer $token" "$URL/api/v1/councils/burgwal/mandates") || true
[[ $status == 200 ]] || Fail "the first read with a token after the restart: $status $(Answer)"
status=$(Request POST /api/v1/councils/burgwal/grants grant-3 "$grant")
[[ $status == 201 ]] || Fail "the grant retried after the second outage: $status $(Answer)"
grep -q '"index":3' "$dir/answer" || Fail "the retried grant is not entry 3: $(Answer)"

# A restart while serve is idle: its connections are found dropped only by their next use, which
# must not fail for it. The first write after the restart is appended at once.
PgClusterStop "$dir/pg" >"$dir/pg-stop.log" 2>&1 ||
    Fail "the cluster did not stop: $(cat "$dir/pg-stop.log")"
PgClusterStart "$dir/pg" 2>"$dir/pg-start.log" ||
    Fail "the cluster did not start again: $(cat "$dir/pg-start.log")"
status=$(Request POST /api/v1/councils/burgwal/grants grant-4 "$grant")
[[ $status == 201 ]] || Fail "the first write after an idle restart: $status $(Answer)"
grep -q '"index":4' "$dir/answer" ||
    Fail "the first write after an idle restart is not entry 4: $(Answer)"
status=$(Request GET /api/v1/ledger/entries/4)
[[ $status == 200 ]] || Fail "the first read after an idle restart: $status $(Answer)"

# The whole ledger verifies against the last checkpoint.
[[ $(Request GET /api/v1/ledger/export) == 200 ]] || Fail "the export: $(Answer)"
cp "$dir/answer" "$dir/export.ndjson"
[[ $(Request GET /api/v1/ledger/checkpoint) == 200 ]] || Fail "the checkpoint: $(Answer)"
cp "$dir/answer" "$dir/checkpoint"
"$VERIFY" export "$dir/export.ndjson" --checkpoint "$dir/checkpoint" --vkey "$vkey" >/dev/null ||
    Fail "wijkbudget-verify refused the export after the outage"

kill -TERM "$server"
wait "$server" || Fail "serve did not stop cleanly: $(cat "$dir/serve.log")"
server=
echo "database_outage_test: ok"
