#!/usr/bin/env bash
# tests/e2e/run.sh [BUILD_DIR]: the public site in headless Chromium, against the Haarlem demo.
#
# BUILD_DIR (default build-ci, relative to the repository) must hold api/wijkbudget. On a fresh
# Debian 12 machine, as root, this installs what deploy/test.sh does not (Chromium, a font with
# Arial's metrics, curl), runs `npm ci` in tests/e2e/ when package-lock.json changed, builds the
# front-end (deploy/build_web.sh), and then, all in a temporary directory removed at the end:
# a private PostgreSQL cluster (deploy/pg_cluster.sh), a signing key, a self-signed certificate,
# the settings, `wijkbudget migrate`, `wijkbudget demo --data demo/haarlem`, and `wijkbudget
# serve` on a free loopback port, a residents' round open for voting with its codes
# (open-round.mjs, `wijkbudget codes issue`), and one headless Chromium (browser-server.mjs) that
# every test file connects to. When /readyz answers it runs `node --test` on tests/e2e/, one file at a time
# in name order (the tamper test, 90-*, rewrites a stored entry, so it runs last). Browser,
# server and cluster are stopped however the run ends; the exit status is non-zero on any
# failure. Measures go to build-logs/e2e-measures.json, screenshots to tests/e2e/screenshots/.
#
# Environment: WB_CHROMIUM (default /usr/bin/chromium); WB_E2E_TMPDIR, where the temporary
# directory goes (default /dev/shm if it is a tmpfs with 1 GiB free, else /tmp); WB_E2E_KEEP=1
# keeps that directory (logs, settings) for a look afterwards.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
E2E_DIR="$ROOT/tests/e2e"
BUILD=${1:-build-ci}
[[ $BUILD == /* ]] || BUILD="$ROOT/$BUILD"
WIJKBUDGET="$BUILD/api/wijkbudget"
CHROMIUM=${WB_CHROMIUM:-/usr/bin/chromium}
LOG_DIR="$ROOT/build-logs"
LOG_ORIGIN=localhost/wijkbudget
# Limits: the server is ready in about a second; the demo loads in a few.
READY_SECONDS_MAX=30
STOP_SECONDS_MAX=20
# The round the ballot tests vote in (open-round.mjs): its id, its voting codes, and how far
# ahead it opens: codes must be issued before the opening, and issuing takes about a second.
E2E_ROUND=e2e-burgwal-2027
E2E_ROUND_CODES=12
ROUND_OPENS_IN_SECONDS=10
# The cluster takes about 40 MB, plus the demo and logs; a tmpfs with less room is not used.
TMPFS_KIB_MIN=$((1024 * 1024))

# shellcheck source=deploy/debian_packages.sh
source "$ROOT/deploy/debian_packages.sh"
# shellcheck source=deploy/node_runtime.sh
source "$ROOT/deploy/node_runtime.sh"
# shellcheck source=deploy/pg_cluster.sh
source "$ROOT/deploy/pg_cluster.sh"
# shellcheck source=deploy/localhost_certificate.sh
source "$ROOT/deploy/localhost_certificate.sh"

Say() { printf '\n== e2e: %s\n' "$*"; }

Fail()
{
    echo "e2e: $*" >&2
    exit 1
}

InstallPackages()
{
    # What this phase needs; InstallDebianPackages skips those already there (deploy/test.sh
    # installs PostgreSQL, OpenSSL and Node). fonts-liberation gives the site's font stack an
    # Arial; without it screenshots fall back to DejaVu, which still works.
    local packages=(fonts-liberation curl openssl postgresql-15 postgresql-client-15)
    # Debian's Chromium, unless WB_CHROMIUM names another browser.
    [[ $CHROMIUM != /usr/bin/chromium ]] || packages+=(chromium)
    command -v node >/dev/null || packages+=(nodejs)
    # NodeSource's nodejs bundles npm and conflicts with Debian's npm (as in deploy/test.sh).
    command -v npm >/dev/null || packages+=(npm)
    InstallDebianPackages "${packages[@]}" || Fail "missing Debian packages"
    [[ -x $CHROMIUM ]] || Fail "$CHROMIUM is not there (set WB_CHROMIUM)"
    UseNodeRuntime || Fail "no Node.js $NODE_MAJOR_MIN or later (deploy/node_runtime.sh)"
}

# playwright-core (no browser download: it drives Debian's Chromium) and axe-core, pinned in
# package-lock.json. As LintOpenApi in deploy/test.sh: `npm ci` only when the lock file differs
# from the copy the last successful install left in node_modules/.
InstallNodeModules()
{
    if ! cmp -s "$E2E_DIR/package-lock.json" "$E2E_DIR/node_modules/.installed-package-lock.json"
    then
        Say "npm ci in tests/e2e/"
        npm ci --prefix "$E2E_DIR" --ignore-scripts --no-audit --no-fund --loglevel=error
        cp "$E2E_DIR/package-lock.json" "$E2E_DIR/node_modules/.installed-package-lock.json"
    fi
}

FreePort()
{
    # The kernel picks a free port; the server binds it a moment later (a race we accept: the
    # loopback of a CI machine is quiet, and a taken port fails the readiness wait clearly).
    node -e 'const s = require("net").createServer();
             s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

WriteSettings()
{
    local dir=$1 port=$2 assets=$3
    cat >"$dir/wijkbudget.toml" <<SETTINGS
# Written by tests/e2e/run.sh for one run.
[server]
address = "127.0.0.1"
port = $port

[tls]
certificate_file = "tls/server.crt"
private_key_file = "tls/server.key"

[database]
runtime_dsn = "$PG_CLUSTER_RUNTIME_DSN"
owner_dsn = "$PG_CLUSTER_OWNER_DSN"
runtime_role = "wijkbudget_app"
schema = "public"
pool_size = 4

[ledger]
signing_key_file = "keys/ledger.key"

[web]
assets_dir = "$assets"
SETTINGS
}

# WaitReady URL PID LOG: until /readyz answers 200, the server exits, or time runs out.
WaitReady()
{
    local url=$1 pid=$2 log=$3 cacert=$4 try
    for ((try = 0; try < READY_SECONDS_MAX * 5; try++)); do
        if curl -fsS --max-time 2 --cacert "$cacert" "$url/readyz" >/dev/null 2>&1; then
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 30 "$log" >&2
            Fail "the server exited before it was ready (log above)"
        fi
        sleep 0.2
    done
    tail -n 30 "$log" >&2
    Fail "the server was not ready after $READY_SECONDS_MAX s"
}

# StopProcesses PID...: SIGTERM to each (the server drains; the browser server closes Chromium),
# then SIGKILL to any that has not ended in time.
StopProcesses()
{
    local pid try
    for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
    for ((try = 0; try < STOP_SECONDS_MAX * 10; try++)); do
        local running=0
        for pid in "$@"; do kill -0 "$pid" 2>/dev/null && running=1; done
        ((running)) || break
        sleep 0.1
    done
    for pid in "$@"; do
        if kill -0 "$pid" 2>/dev/null; then
            echo "e2e: process $pid did not stop in $STOP_SECONDS_MAX s; killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    done
}

# StartBrowser FILE: the shared Chromium (browser-server.mjs); its endpoint goes to FILE.
StartBrowser()
{
    local file=$1 try browser_tmp
    # Chromium's own temporary folders (org.chromium.Chromium.*) go into the run's folder, which
    # the clean-up removes, rather than piling up in /tmp, one a run.
    browser_tmp=$(dirname -- "$file")/browser-tmp
    mkdir -p -- "$browser_tmp"
    TMPDIR=$browser_tmp WB_CHROMIUM="$CHROMIUM" node "$E2E_DIR/browser-server.mjs" >"$file" \
        2>"$file.log" &
    BROWSER_PID=$!
    for ((try = 0; try < READY_SECONDS_MAX * 10; try++)); do
        if [[ -s $file ]]; then
            WB_BROWSER_WS=$(head -n 1 "$file")
            export WB_BROWSER_WS
            return 0
        fi
        kill -0 "$BROWSER_PID" 2>/dev/null || break
        sleep 0.1
    done
    cat "$file.log" >&2
    Fail "Chromium did not start ($CHROMIUM)"
}

# TempBase: where the run's temporary directory goes. The cluster's files are many and short-
# lived: on a tmpfs, initdb takes a third of the time and removing them is instant, where a disk
# mounted with `discard` took seconds. /dev/shm when it is a tmpfs with room, else /tmp.
TempBase()
{
    if [[ -n ${WB_E2E_TMPDIR:-} ]]; then
        echo "$WB_E2E_TMPDIR"
        return
    fi
    local available_kib
    if [[ $(stat -f -c %T /dev/shm 2>/dev/null) == tmpfs && -w /dev/shm ]]; then
        available_kib=$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')
        if ((available_kib >= TMPFS_KIB_MIN)); then
            echo /dev/shm
            return
        fi
    fi
    echo /tmp
}

# OpenVotingRound URL SETTINGS: the round open for voting that 75-ballot.test.mjs needs, with its
# codes in $TEMP/codes.txt (one a line, mode 0600), as an operator makes them: the round opened
# through the API by the municipality, the codes by `wijkbudget codes issue`. Returns once voting
# has opened.
OpenVotingRound()
{
    local url=$1 settings=$2 token opens_at_ms now_ms
    token=$("$WIJKBUDGET" token create --config "$settings" --role municipality \
        --name e2e-gemeente) || Fail "token create failed"
    token=${token%%$'\n'*}
    opens_at_ms=$(node "$E2E_DIR/open-round.mjs" "$url" "$token" "$E2E_ROUND" \
        "$ROUND_OPENS_IN_SECONDS") || Fail "opening round $E2E_ROUND failed"
    "$WIJKBUDGET" codes issue --config "$settings" --round "$E2E_ROUND" \
        --count "$E2E_ROUND_CODES" --out "$TEMP/codes.txt" >"$TEMP/codes.log" 2>&1 ||
        { cat "$TEMP/codes.log" >&2; Fail "codes issue failed"; }
    now_ms=$(date +%s%3N)
    if ((opens_at_ms > now_ms)); then
        sleep "$(((opens_at_ms - now_ms) / 1000 + 1))"
    fi
}

SERVER_PID=
BROWSER_PID=
TEMP=

CleanUp()
{
    local status=$? start=$SECONDS
    # shellcheck disable=SC2086 # empty ones drop out
    StopProcesses $BROWSER_PID $SERVER_PID
    if [[ -n $TEMP ]]; then
        PgClusterStop "$TEMP/pg" >/dev/null 2>&1 || true
        if [[ ${WB_E2E_KEEP:-0} == 1 ]]; then
            echo "e2e: kept $TEMP" >&2
        else
            rm -rf "$TEMP"
        fi
    fi
    echo "e2e: stopped and cleaned up in $((SECONDS - start)) s"
    exit "$status"
}

main()
{
    local start=$SECONDS
    [[ -x $WIJKBUDGET ]] || Fail "$WIJKBUDGET not found: build it first (cmake --build $BUILD)"
    InstallPackages
    InstallNodeModules
    Say "building the front-end"
    local assets
    assets=$("$ROOT/deploy/build_web.sh")

    trap CleanUp EXIT
    trap 'exit 130' INT TERM
    TEMP=$(mktemp -d "$(TempBase)/wijkbudget-e2e.XXXXXX")
    # As root the cluster runs as wijkbudget-pg, which must enter the directory.
    chmod 0711 "$TEMP"
    Say "PostgreSQL in $TEMP/pg"
    PgClusterStart "$TEMP/pg"
    mkdir -m 0700 "$TEMP/keys"
    "$WIJKBUDGET" keygen --name "$LOG_ORIGIN" --out "$TEMP/keys/ledger.key" >/dev/null
    MakeLocalhostCertificate "$TEMP/tls" 2
    local port settings=$TEMP/wijkbudget.toml
    port=$(FreePort)
    WriteSettings "$TEMP" "$port" "$assets"
    Say "migrating and loading the demo"
    "$WIJKBUDGET" migrate --config "$settings" >"$TEMP/migrate.log" 2>&1 ||
        { cat "$TEMP/migrate.log" >&2; Fail "migrate failed"; }
    "$WIJKBUDGET" demo --config "$settings" --data "$ROOT/demo/haarlem" >"$TEMP/demo.log" 2>&1 ||
        { cat "$TEMP/demo.log" >&2; Fail "demo failed"; }
    Say "serving on https://127.0.0.1:$port (log: $TEMP/serve.log)"
    "$WIJKBUDGET" serve --config "$settings" >"$TEMP/serve.log" 2>&1 &
    SERVER_PID=$!
    # Chromium starts while the server gets ready.
    StartBrowser "$TEMP/browser-endpoint"
    WaitReady "https://127.0.0.1:$port" "$SERVER_PID" "$TEMP/serve.log" "$TEMP/tls/server.crt"
    echo "ready after $((SECONDS - start)) s"
    Say "opening round $E2E_ROUND and issuing its codes"
    OpenVotingRound "https://127.0.0.1:$port" "$settings"

    Say "browser tests"
    mkdir -p "$LOG_DIR"
    rm -f "$LOG_DIR/e2e-measures.json"
    local status=0 tests_start=$SECONDS
    # One file at a time, in name order: the files share the server, and 90-tamper breaks it.
    # Named one by one: from Node 21 on, `node --test` takes patterns, and a folder is none.
    WB_BASE_URL="https://127.0.0.1:$port" \
        WB_CHROMIUM="$CHROMIUM" \
        WB_PG_SUPERUSER_DSN="$PG_CLUSTER_SUPERUSER_DSN" \
        WB_PSQL="${PG_CLUSTER_BIN:-/usr/lib/postgresql/15/bin}/psql" \
        WB_E2E_MEASURES_FILE="$LOG_DIR/e2e-measures.json" \
        WB_E2E_ROUND="$E2E_ROUND" \
        WB_E2E_CODES_FILE="$TEMP/codes.txt" \
        node --test --test-concurrency=1 "$E2E_DIR"/*.test.mjs 2>&1 | tee "$LOG_DIR/e2e.node.log" ||
        status=$?
    # The whole file is in the test output above; the three numbers once more, for the summary.
    if [[ -f $LOG_DIR/e2e-measures.json ]]; then
        # shellcheck disable=SC2016 # ${...} below is JavaScript's, not the shell's
        node -e 'const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
            const page = m.municipality_page ?? {}, lcp = page.largest_contentful_paint ?? {};
            console.log(`e2e measures: municipality page ${page.transfer_bytes} bytes transferred` +
                `, LCP ${lcp.ms} ms; verification median ${m.verification?.median_ms} ms` +
                ` (${process.argv[1]})`);' "$LOG_DIR/e2e-measures.json" || true
    fi
    echo "e2e: tests $([[ $status == 0 ]] && echo passed || echo "FAILED (status $status)");" \
        "$((tests_start - start)) s to get ready, $((SECONDS - tests_start)) s of tests"
    return "$status"
}

main "$@"
