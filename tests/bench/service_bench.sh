#!/usr/bin/env bash
# Measures the running service over HTTPS against baselines on the same machine, in the same run
# (the machines are shared and noisy: only the ratios mean something):
#   appends: POST /api/v1/councils/{id}/grants at 1, 16 and 64 keep-alive clients, each followed
#            by pgbench at the same concurrency (-c N -j min(2,N) -M prepared, same duration): one
#            INSERT of a row as large as our entry into a bigserial table, on the same cluster.
#   reads:   GET /api/v1/ledger/entries/{random index} and GET /api/v1/ledger/proofs/inclusion at
#            64 clients, against a private nginx serving a static file of the entry's size over
#            TLS with the same certificate.
#   floor:   the 64-client grant load against nginx answering with a canned 201 of the same size
#            (the HTTPS exchange alone), and pgbench -c 1 inserting 32 entry-sized rows a
#            transaction (PostgreSQL's cheapest row): with the CPU time per request of each run,
#            the ratio appends could reach at most if wijkbudget's own work cost nothing.
# Everything is private and removed at exit: a PostgreSQL cluster (deploy/pg_cluster.sh), the
# service (`wijkbudget serve`), nginx, and their temporary directory.
#
# usage: tests/bench/service_bench.sh [BUILD_DIR]
#   BUILD_DIR defaults to build/bench (configured as Release if missing).
# Environment: BENCH_SECONDS (measured seconds per run, default 10), BENCH_WARMUP (seconds before
# each, default 2), BENCH_CLIENTS (append concurrencies, default "1 16 64"), BENCH_READ_CLIENTS
# (default 64), BENCH_KEEP=1 keeps the temporary directory (logs) for a post-mortem.
# Targets (issue "Service performance"): at 64 clients, appends at least pgbench's rate; reads at
# least half of nginx's rate.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/bench}
seconds=${BENCH_SECONDS:-10}
warmup=${BENCH_WARMUP:-2}
read -r -a append_clients <<<"${BENCH_CLIENTS:-1 16 64}"
read_clients=${BENCH_READ_CLIENTS:-64}
# The service's pool may hold at most POOL_SESSIONS_MAX (ledger/pg/connection.hpp) sessions; one
# worker per session, so no worker waits for a connection. Its 34 backends at most (pool,
# sequencer, and readers' once a projection is read) plus pgbench's 64 stay under PostgreSQL's
# default max_connections of 100.
pool_size=32
io_threads=2
council=burgwal
year=2027
ready_seconds_max=60

wijkbudget=$build/api/wijkbudget
load=$build/tests/bench/https_load
if [[ ! -x $wijkbudget || ! -x $load ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" --target wijkbudget https_load >/dev/null

tmp=$(mktemp -d)
# As root the cluster runs as wijkbudget-pg and nginx's workers as nobody: both must enter it.
chmod 0711 "$tmp"
server_pid=""
nginx_pid=""
# shellcheck source=deploy/pg_cluster.sh
source "$root/deploy/pg_cluster.sh"

Cleanup() {
  local status=$?
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [[ -n $nginx_pid ]] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  PgClusterStop "$tmp/pg" >/dev/null 2>&1 || true
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then
    echo "kept $tmp" >&2
  else
    rm -rf "$tmp"
  fi
  exit "$status"
}
trap Cleanup EXIT
trap 'exit 130' INT TERM

# A TCP port nobody listens on, below the ephemeral range (as deploy/pg_cluster.sh picks).
FreePort() {
  local port
  for _ in $(seq 200); do
    port=$((16000 + RANDOM % 16000))
    [[ -z $(ss -Htln "sport = :$port") ]] && { echo "$port"; return 0; }
  done
  echo "no free port found" >&2
  return 1
}

# WaitFor URL SECONDS: until URL answers 2xx over TLS (certificate not checked).
WaitFor() {
  local url=$1 limit=$2
  for _ in $(seq $((limit * 10))); do
    curl -skf -o /dev/null "$url" && return 0
    sleep 0.1
  done
  echo "$url did not answer within $limit s" >&2
  return 1
}

# Field JSON NAME: a number or string field of https_load's one-line JSON.
Field() { sed -n "s/.*\"$2\":\"\{0,1\}\([^,\"}]*\).*/\1/p" <<<"$1"; }

# CPU seconds (user + system) a process and its reaped children used so far.
CpuOf() { awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15 + $16 + $17) / hz }' "/proc/$1/stat"; }

# CPU seconds of a process with its live children (PostgreSQL's backends, nginx's workers);
# the children that ended are in the parent's reaped-children times.
TreeCpu() {
  local total child
  total=$(CpuOf "$1")
  for child in $(pgrep -P "$1"); do
    total=$(echo "$total + $(CpuOf "$child" 2>/dev/null || echo 0)" | bc -l)
  done
  echo "$total"
}

# Servers' CPU seconds so far: "wijkbudget postgres nginx".
CpuSnapshot() {
  echo "$(CpuOf "$server_pid") $(TreeCpu "$(head -1 "$tmp/pg/data/postmaster.pid")")" \
    "$(if [[ -n $nginx_pid ]]; then TreeCpu "$nginx_pid"; else echo 0; fi)"
}

# CpuLine LABEL BEFORE AFTER CLIENT RPS: percent of one core each server and the client (the
# "user system" seconds /usr/bin/time wrote to $tmp/client.time) used over the run's wall time,
# and the CPU time all of them together spent per request (microseconds, at the measured rate
# over the whole run): when the cores are busy, that is what decides a rate.
CpuLine() {
  local label=$1 client=$4 rate=$5 before after
  read -r -a before <<<"$2"
  read -r -a after <<<"$3"
  awk -v label="$label" -v client="$client" -v wall="$((seconds + warmup))" -v rate="$rate" \
    -v s0="${before[0]}" -v s1="${after[0]}" -v p0="${before[1]}" -v p1="${after[1]}" \
    -v n0="${before[2]}" -v n1="${after[2]}" '
    { total = (s1 - s0) + (p1 - p0) + (n1 - n0) + $1 + $2
      printf "%-22s wijkbudget %4.0f%%  postgres %4.0f%%  nginx %4.0f%%  %-10s %4.0f%%  %6.0f us/request\n",
             label, (s1 - s0) * 100 / wall, (p1 - p0) * 100 / wall, (n1 - n0) * 100 / wall,
             client, ($1 + $2) * 100 / wall, (rate > 0 ? total * 1e6 / (rate * wall) : 0) }' \
    "$tmp/client.time"
}

# CpuMicros BEFORE AFTER RATE: microseconds of CPU per request over the run's wall time, as
# "all postgres": all processes with the client ($tmp/client.time), and PostgreSQL's part.
CpuMicros() {
  local rate=$3 before after
  read -r -a before <<<"$1"
  read -r -a after <<<"$2"
  awk -v wall="$((seconds + warmup))" -v rate="$rate" \
    -v s0="${before[0]}" -v s1="${after[0]}" -v p0="${before[1]}" -v p1="${after[1]}" \
    -v n0="${before[2]}" -v n1="${after[2]}" '
    END { total = (s1 - s0) + (p1 - p0) + (n1 - n0) + $1 + $2
          if (rate > 0) printf "%.0f %.0f\n", total * 1e6 / (rate * wall), (p1 - p0) * 1e6 / (rate * wall)
          else print 0, 0 }' \
    "$tmp/client.time"
}

# LedgerRows: rows in the tables a batch inserts into (entries, postings, stored hashes,
# idempotency records, checkpoints); exact counts, for rows per append.
LedgerRows() {
  psql -X -Atc 'SELECT (SELECT count(*) FROM entries) + (SELECT count(*) FROM postings)
                     + (SELECT count(*) FROM stored_hashes) + (SELECT count(*) FROM idempotency_records)
                     + (SELECT count(*) FROM checkpoints)'
}
LedgerSize() { psql -X -Atc 'SELECT count(*) FROM entries'; }

# Batch sizes of the sequencer so far: "bucket count" lines (cumulative), then "sum" and "count".
BatchHistogram() {
  curl -sk "https://127.0.0.1:$port/metrics" |
    awk '/^wijkbudget_sequencer_batch_entries_bucket/ {
           match($0, /le="[^"]*"/); print substr($0, RSTART + 4, RLENGTH - 5), $2 }
         /^wijkbudget_sequencer_batch_entries_sum/ { print "sum", $2 }
         /^wijkbudget_sequencer_batch_entries_count/ { print "count", $2 }'
}

echo "== private PostgreSQL cluster, wijkbudget and nginx in $tmp ($(nproc) cores)"
PgClusterStart "$tmp/pg" 2>/dev/null
pg_passfile=$tmp/pg/secrets/pgpass

mkdir -m 0700 "$tmp/keys"
# serve wants its TLS key readable by its owner alone; the checked-in test key is not.
install -m 0600 "$root/tests/support/tls/key.pem" "$tmp/keys/tls.key"
"$wijkbudget" keygen --name bench.invalid/wijkbudget --out "$tmp/keys/ledger.key" >/dev/null
port=$(FreePort)
settings=$tmp/wijkbudget.toml
cat >"$settings" <<SETTINGS
# Written by tests/bench/service_bench.sh.
[server]
address = "127.0.0.1"
port = $port
io_threads = $io_threads
worker_threads = $pool_size

[tls]
certificate_file = "$root/tests/support/tls/cert.pem"
private_key_file = "$tmp/keys/tls.key"

[database]
runtime_dsn = "$PG_CLUSTER_RUNTIME_DSN"
owner_dsn = "$PG_CLUSTER_OWNER_DSN"
runtime_role = "wijkbudget_app"
schema = "public"
pool_size = $pool_size

[ledger]
signing_key_file = "$tmp/keys/ledger.key"
SETTINGS
"$wijkbudget" migrate --config "$settings" >/dev/null
"$wijkbudget" demo --config "$settings" --data "$root/demo/haarlem" >/dev/null
token=$("$wijkbudget" token create --config "$settings" --role municipality --name bench-officer \
  --days 1)
"$wijkbudget" serve --config "$settings" >"$tmp/serve.log" 2>&1 &
server_pid=$!
WaitFor "https://127.0.0.1:$port/readyz" "$ready_seconds_max"

# pgbench's table lives beside the ledger's, in the same database, written by the superuser.
export PGHOST=127.0.0.1 PGPORT=$PG_CLUSTER_PORT PGDATABASE=wijkbudget PGUSER=postgres
export PGPASSFILE=$pg_passfile
psql -X -q -v ON_ERROR_STOP=1 \
  -c 'CREATE TABLE bench_append (id bigserial PRIMARY KEY, payload text NOT NULL)'

# RunPgbench CLIENTS BYTES: prints "rps p50_ms p99_ms" over the same window as https_load's (the
# first $warmup seconds of the per-transaction log are dropped).
RunPgbench() {
  local clients=$1 bytes=$2 threads
  threads=$((clients < 2 ? clients : 2))
  local script=$tmp/pgbench_insert.sql logs=$tmp/pgbench_log_$clients
  echo "INSERT INTO bench_append (payload) VALUES (repeat('x', $bytes));" >"$script"
  (cd "$tmp" && /usr/bin/time -q -f '%U %S' -o "$tmp/client.time" pgbench -n -c "$clients" -j "$threads" -M prepared -T $((seconds + warmup)) \
    -f "$script" -l --log-prefix="$logs" >"$logs.out" 2>&1) ||
    { cat "$logs.out" >&2; return 1; }
  # Columns: client transaction latency_us script epoch_s epoch_us (completion time).
  cat "$logs".[0-9]* | awk -v warmup="$warmup" -v seconds="$seconds" '
    { done = $5 + $6 / 1e6; t[NR] = done; lat[NR] = $3; if (NR == 1 || done < first) first = done }
    END { for (i = 1; i <= NR; i++)
            if (t[i] >= first + warmup && t[i] < first + warmup + seconds) print lat[i] }' |
    sort -n | awk -v seconds="$seconds" '
      { v[NR] = $1 }
      END { if (NR == 0) { print 0, 0, 0; exit }
            printf "%.1f %.3f %.3f\n", NR / seconds, v[int(0.50 * (NR - 1)) + 1] / 1000,
                   v[int(0.99 * (NR - 1)) + 1] / 1000 }'
}

# RunLoad ARGS...: https_load's JSON; its exit status (1 when a request failed) is reported, not
# fatal, so one bad run still shows the others.
RunLoad() {
  local json
  json=$(/usr/bin/time -q -f '%U %S' -o "$tmp/client.time" "$load" --port "${load_port:-$port}" --seconds "$seconds" --warmup "$warmup" "$@") ||
    echo "https_load $* reported errors (see above)" >&2
  echo "$json"
}

summary=()
Row() { summary+=("$(printf '%-22s %4s %10s %9s %9s   %-9s %10s %9s %9s %7s' "$@")"); }
Row "benchmark" "N" "wb req/s" "p50 ms" "p99 ms" "baseline" "req/s" "p50 ms" "p99 ms" "ratio"

entry_bytes=""
batch_report=""
cpu_report=()
for clients in "${append_clients[@]}"; do
  echo "== appends, $clients client(s): wijkbudget grants, then pgbench"
  hist_before=$(BatchHistogram)
  rows_before=$(LedgerRows)
  size_before=$(LedgerSize)
  cpu=$(CpuSnapshot)
  json=$(RunLoad --mode grant --connections "$clients" --token "$token" --council "$council" \
    --year "$year")
  cpu_after=$(CpuSnapshot)
  cpu_report+=("$(CpuLine "append (grant) $clients" "$cpu" "$cpu_after" https_load \
    "$(Field "$json" rps)")")
  echo "$json"
  # What one append cost, for the floor below (the last run's figures stay: the last of
  # BENCH_CLIENTS): CPU, and rows written.
  read -r append_cpu_us append_pg_us < <(CpuMicros "$cpu" "$cpu_after" "$(Field "$json" rps)")
  appended=$(($(LedgerSize) - size_before))
  rows_per_append=0
  if ((appended > 0)); then
    rows_per_append=$(echo "($(LedgerRows) - $rows_before) / $appended" | bc -l)
  fi
  hist_after=$(BatchHistogram)
  batches=$(echo "$(awk '$1 == "count" { print $2 }' <<<"$hist_after") - $(awk '$1 == "count" { print $2 }' <<<"$hist_before")" | bc)
  batched=$(echo "$(awk '$1 == "sum" { print $2 }' <<<"$hist_after") - $(awk '$1 == "sum" { print $2 }' <<<"$hist_before")" | bc)
  if ((batches > 0)); then
    echo "sequencer: $batches batches, $(printf '%.1f' "$(echo "$batched / $batches" | bc -l)") entries per batch on average (warm-up included)"
  fi
  if [[ $clients == "${append_clients[-1]}" ]]; then
    # Per-bucket counts of this run alone (warm-up included): after minus before, de-cumulated.
    batch_report=$(paste <(grep -v '^sum\|^count' <<<"$hist_after") <(grep -v '^sum\|^count' <<<"$hist_before") |
      awk '{ n = $2 - $4; printf "  <= %-5s %8d\n", $1, n - previous; previous = n }')
  fi
  if [[ -z $entry_bytes ]]; then
    # The size of the entries just appended: what pgbench inserts as its payload.
    entry_bytes=$(psql -X -Atc 'SELECT octet_length(body) FROM entries ORDER BY leaf_index DESC LIMIT 1')
    echo "grant entry: $entry_bytes bytes (pgbench's payload)"
  fi
  cpu=$(CpuSnapshot)
  read -r pg_rps pg_p50 pg_p99 < <(RunPgbench "$clients" "$entry_bytes")
  cpu_after=$(CpuSnapshot)
  cpu_report+=("$(CpuLine "pgbench $clients" "$cpu" "$cpu_after" pgbench "$pg_rps")")
  read -r pgbench_cpu_us _ < <(CpuMicros "$cpu" "$cpu_after" "$pg_rps")
  echo "pgbench: $pg_rps req/s, p50 $pg_p50 ms, p99 $pg_p99 ms"
  rps=$(Field "$json" rps)
  Row "append (grant)" "$clients" "$rps" "$(Field "$json" p50_ms)" "$(Field "$json" p99_ms)" \
    "pgbench" "$pg_rps" "$pg_p50" "$pg_p99" "$(printf '%.2f' "$(echo "$rps / $pg_rps" | bc -l)")"
done

# The size of a grant's answer (index, leaf hash, receipt): what nginx answers in the floor run.
grant_answer=$(curl -sk -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -H "Idempotency-Key: bench-answer-size-$$" \
  --data "{\"year\":$year,\"category\":\"public_space\",\"amount_cents\":1}" \
  "https://127.0.0.1:$port/api/v1/councils/$council/grants" | wc -c)

echo "== reads, $read_clients clients: wijkbudget entries and inclusion proofs, then nginx"
size=$(curl -sk "https://127.0.0.1:$port/api/v1/ledger/checkpoint" | sed -n 2p)
entry_response=$(curl -sk "https://127.0.0.1:$port/api/v1/ledger/entries/$((size / 2))" | wc -c)
proof_response=$(curl -sk "https://127.0.0.1:$port/api/v1/ledger/proofs/inclusion?index=$((size / 2))&size=$size" | wc -c)
echo "ledger: $size entries; an entry's response: $entry_response bytes, a proof's: $proof_response"

nginx_port=$(FreePort)
mkdir -p "$tmp/nginx/www" "$tmp/nginx/temp"
chmod 0755 "$tmp/nginx" "$tmp/nginx/www"
head -c "$entry_response" /dev/zero | tr '\0' 'x' >"$tmp/nginx/www/entry.json"
head -c "$proof_response" /dev/zero | tr '\0' 'x' >"$tmp/nginx/www/proof.json"
chmod 0644 "$tmp/nginx/www/"*.json
# As many workers as wijkbudget has I/O threads; an access log like wijkbudget's request log.
cat >"$tmp/nginx/nginx.conf" <<NGINX
daemon off;
worker_processes $io_threads;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log $tmp/nginx/access.log;
    client_body_temp_path $tmp/nginx/temp/body;
    proxy_temp_path $tmp/nginx/temp/proxy;
    fastcgi_temp_path $tmp/nginx/temp/fastcgi;
    uwsgi_temp_path $tmp/nginx/temp/uwsgi;
    scgi_temp_path $tmp/nginx/temp/scgi;
    default_type application/json;
    keepalive_requests 1000;
    server {
        listen 127.0.0.1:$nginx_port ssl;
        ssl_certificate $root/tests/support/tls/cert.pem;
        ssl_certificate_key $root/tests/support/tls/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        root $tmp/nginx/www;
        # The floor of an append: a grant's exchange, answered at once with as many bytes.
        location ~ ^/api/v1/councils/[a-z0-9-]+/grants\$ {
            return 201 '$(head -c "$grant_answer" /dev/zero | tr '\0' 'x')';
        }
    }
}
NGINX
nginx -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf" &
nginx_pid=$!
WaitFor "https://127.0.0.1:$nginx_port/entry.json" 10

for mode in entry proof; do
  cpu=$(CpuSnapshot)
  json=$(RunLoad --mode "$mode" --connections "$read_clients" --max-index "$size")
  cpu_report+=("$(CpuLine "read ($mode) $read_clients" "$cpu" "$(CpuSnapshot)" https_load \
    "$(Field "$json" rps)")")
  echo "$json"
  cpu=$(CpuSnapshot)
  nginx_json=$(load_port=$nginx_port RunLoad --mode static --connections "$read_clients" \
    --path "/$mode.json")
  cpu_report+=("$(CpuLine "nginx ($mode) $read_clients" "$cpu" "$(CpuSnapshot)" https_load \
    "$(Field "$nginx_json" rps)")")
  echo "$nginx_json"
  rps=$(Field "$json" rps)
  nginx_rps=$(Field "$nginx_json" rps)
  Row "read ($mode)" "$read_clients" "$rps" "$(Field "$json" p50_ms)" "$(Field "$json" p99_ms)" \
    "nginx" "$nginx_rps" "$(Field "$nginx_json" p50_ms)" "$(Field "$nginx_json" p99_ms)" \
    "$(printf '%.2f' "$(echo "$rps / $nginx_rps" | bc -l)")"
done

echo "== the floor of an append: the grant's HTTPS exchange alone, and PostgreSQL's cheapest rows"
cpu=$(CpuSnapshot)
floor_json=$(load_port=$nginx_port RunLoad --mode grant --connections "${append_clients[-1]}" \
  --token "$token" --council "$council" --year "$year")
cpu_after=$(CpuSnapshot)
cpu_report+=("$(CpuLine "nginx (grant) ${append_clients[-1]}" "$cpu" "$cpu_after" https_load \
  "$(Field "$floor_json" rps)")")
echo "$floor_json"
read -r exchange_cpu_us _ < <(CpuMicros "$cpu" "$cpu_after" "$(Field "$floor_json" rps)")
# One writer inserting ROW_BATCH rows a transaction, as the sequencer does: PostgreSQL's CPU per
# row at its cheapest here, for rows as large as an entry (pgbench's own CPU left out, as the
# append's figure leaves out the load generator's).
row_batch=32
echo "INSERT INTO bench_append (payload) SELECT repeat('x', $entry_bytes) FROM generate_series(1, $row_batch);" \
  >"$tmp/pgbench_rows.sql"
cpu=$(CpuSnapshot)
(cd "$tmp" && /usr/bin/time -q -f '%U %S' -o "$tmp/client.time" pgbench -n -c 1 -j 1 -M prepared \
  -T $((seconds + warmup)) -f "$tmp/pgbench_rows.sql" >"$tmp/pgbench_rows.out" 2>&1) ||
  { cat "$tmp/pgbench_rows.out" >&2; exit 1; }
cpu_after=$(CpuSnapshot)
rows_rps=$(awk -v n="$row_batch" '/^tps = / { printf "%.1f", $3 * n }' "$tmp/pgbench_rows.out")
cpu_report+=("$(CpuLine "pgbench rows (x$row_batch) 1" "$cpu" "$cpu_after" pgbench "$rows_rps")")
read -r _ row_cpu_us < <(CpuMicros "$cpu" "$cpu_after" "$rows_rps")
echo "pgbench, $row_batch rows a transaction, 1 client: $rows_rps rows/s"

echo
echo "== summary ($seconds s measured after $warmup s warm-up each; ratio = wijkbudget/baseline)"
printf '%s\n' "${summary[@]}"
echo "targets: append at ${append_clients[-1]} clients ratio >= 1.00; reads ratio >= 0.50"
echo
echo "sequencer batch sizes during the ${append_clients[-1]}-client append run (entries: batches):"
echo "$batch_report"
echo
echo "CPU during each run, warm-up included (100% = one core of $(nproc)):"
printf '%s\n' "${cpu_report[@]}"
echo
# With every core busy, a rate is the cores over the CPU time each request costs, so an append
# can reach pgbench's rate only if all it costs fits in what pgbench's transaction costs.
awk -v clients="${append_clients[-1]}" -v p="$pgbench_cpu_us" -v h="$exchange_cpu_us" \
  -v d="$append_pg_us" -v a="$append_cpu_us" -v r="$rows_per_append" -v c="$row_cpu_us" \
  -v rps="$(Field "$floor_json" rps)" -v batch="$row_batch" 'BEGIN {
  printf "the floor of an append at %d clients (CPU time per request, all processes):\n", clients
  printf "  pgbench transaction                         %5.0f us\n", p
  printf "  wijkbudget append                           %5.0f us, of which PostgreSQL %.0f us\n", a, d
  printf "  the grant exchange alone (nginx, %6.0f/s)  %5.0f us\n", rps, h
  printf "  rows an append inserts                      %5.1f, at %.1f us of PostgreSQL each at the cheapest (%d a transaction, 1 writer)\n", r, c, batch
  printf "  so appends reach at most %.2f of pgbench with today'"'"'s database work, and %.2f with the\n", p / (h + d), p / (h + r * c)
  printf "  cheapest rows, even if wijkbudget'"'"'s own work (parsing, hashing, signing, receipts) cost nothing\n" }'

