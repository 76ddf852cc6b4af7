#!/usr/bin/env bash
# tests/deploy/quickstart_test.sh BUILD_DIR: deploy/quickstart.sh does what issue 3 promises of it.
#
# Runs the quick start itself, twice, on a temporary var/ (WB_QUICKSTART_VAR), a free port below
# 32768 (WIJKBUDGET_SERVER_PORT) and the binaries already in BUILD_DIR (WB_QUICKSTART_BUILD): it
# builds nothing, and the site's files must be in build-web/assets/ already (deploy/test.sh's ci
# phase builds both before its integration phase runs this). The first run must serve the URL it
# prints; the municipality token it prints must be accepted for a grant; the verifier key it
# prints must be the one the server publishes; var/tls/ must hold a self-signed EC P-256
# certificate for localhost; the demo must hold 29 councils in 5 districts, each with its 2027
# grants; var/keys/ledger.key must have mode 0600. A SIGTERM to the script must drain the server,
# stop the cluster and end the script with status 0. The second run on the same var/ must keep
# the verifier key, the certificate and the ledger (only the test's grant added, the demo nothing
# twice), and stop as cleanly; so must a third run on SIGHUP (a closed terminal). As root, a
# var/ in a folder others may not enter is refused before anything is made. Whatever happens, the script's processes, the cluster and the
# temporary folder are gone at the end; any failed check fails the test with its reason.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=$(realpath -m -- "${1:?usage: $0 BUILD_DIR}")
# shellcheck source=deploy/pg_cluster.sh
source "$ROOT/deploy/pg_cluster.sh"

# The first run makes the cluster and loads the demo (about 5 s); a run that reuses var/ is
# ready in about 2 s. The server drains in well under a second when idle.
READY_SECONDS_MAX=45
STOP_SECONDS_MAX=30
REQUEST_SECONDS_MAX=10
# The server's port: below the ephemeral range (32768 and up, where the other integration tests'
# servers bind port 0) and below deploy/pg_cluster.sh's range (16000 to 32767), so that no cluster
# started meanwhile, this one's or a concurrent test's, takes it.
PORT_FIRST=10000
PORT_LAST=15999
PORT_TRIES_MAX=200
COUNCILS=29
DISTRICTS=5
LOG_TAIL_LINES=40

TEMP=
LOG=
PORT=
URL=
QUICKSTART_PID=
# The process groups of every run (each its own session): the clean-up ends what is left of them.
QUICKSTART_GROUPS=()
# What the first run left, for the second to compare: the verifier key, the certificate's
# fingerprint and the ledger's size.
VKEY=
FINGERPRINT=
SIZE=

Say() { echo "quickstart_test: $*"; }

# Fail REASON: the log of the running (or last) quick start, then the reason; exits non-zero.
Fail()
{
    if [[ -n $LOG && -f $LOG ]]; then
        echo "--- last lines of the quick start's output ($LOG):" >&2
        tail -n "$LOG_TAIL_LINES" "$LOG" >&2
    fi
    echo "quickstart_test: FAIL: $*" >&2
    exit 1
}

# StartQuickstart LOG: the quick start in the background, in a session (and process group) of its
# own, so that the clean-up can end whatever it left behind.
StartQuickstart()
{
    LOG=$1
    # As from a terminal: a command started with & here would ignore SIGINT (bash does that to
    # background commands without job control), and a script cannot trap what it began ignoring.
    WB_QUICKSTART_VAR="$TEMP/var" WB_QUICKSTART_BUILD="$BUILD" WIJKBUDGET_SERVER_PORT="$PORT" \
        setsid env --default-signal=INT bash "$ROOT/deploy/quickstart.sh" >"$LOG" 2>&1 &
    QUICKSTART_PID=$!
    QUICKSTART_GROUPS+=("$QUICKSTART_PID")
}

# WaitReady: until /readyz answers 200 (certificate not checked), the script ends, or time runs out.
WaitReady()
{
    local deadline=$((SECONDS + READY_SECONDS_MAX)) code
    while ((SECONDS < deadline)); do
        code=$(curl -sk --max-time 2 -o /dev/null -w '%{http_code}' \
            "https://localhost:$PORT/readyz" 2>/dev/null) || true
        [[ $code == 200 ]] && return 0
        kill -0 "$QUICKSTART_PID" 2>/dev/null || Fail "quickstart.sh ended before it served"
        sleep 0.2
    done
    Fail "https://localhost:$PORT/readyz did not answer 200 within $READY_SECONDS_MAX s"
}

# StopQuickstart [ctrl-c]: SIGTERM to the script alone, as `kill PID` sends it, or with ctrl-c
# SIGINT to its whole process group, as a terminal sends Ctrl-C; it must end with status 0
# within STOP_SECONDS_MAX, its server and the cluster with it.
StopQuickstart()
{
    local deadline=$((SECONDS + STOP_SECONDS_MAX)) pid=$QUICKSTART_PID status=0
    if [[ ${1:-} == ctrl-c ]]; then
        kill -INT -- "-$pid" # The script leads its own process group (StartQuickstart).
    elif [[ ${1:-} == hangup ]]; then
        kill -HUP "$pid" # Its terminal closed (an SSH session lost): the script alone.
    else
        kill -TERM "$pid"
    fi
    while kill -0 "$pid" 2>/dev/null; do
        ((SECONDS < deadline)) || Fail "quickstart.sh still runs $STOP_SECONDS_MAX s after the signal"
        sleep 0.1
    done
    wait "$pid" || status=$?
    QUICKSTART_PID=
    ((status == 0)) || Fail "quickstart.sh ended with status $status after the signal, want 0"
    grep -q '"event":"stopped"' "$LOG" || Fail "the server did not report a drained stop"
    ! pgrep -g "$pid" >/dev/null || Fail "processes of quickstart.sh still run after it ended:" \
        "$(pgrep -a -g "$pid" | tr '\n' ';')"
    # Empty now: the clean-up must not signal the group id again, which the kernel may reuse.
    local group kept=()
    for group in "${QUICKSTART_GROUPS[@]}"; do [[ $group == "$pid" ]] || kept+=("$group"); done
    QUICKSTART_GROUPS=("${kept[@]}")
    [[ ! -e $TEMP/var/pg/data/postmaster.pid ]] ||
        Fail "the cluster still runs after quickstart.sh ended (var/pg/data/postmaster.pid)"
    ! pgrep -f -- "$TEMP/var/pg/data" >/dev/null ||
        Fail "a postgres still runs on var/pg/data after quickstart.sh ended"
}

CleanUp()
{
    local status=$? deadline=$((SECONDS + STOP_SECONDS_MAX)) group
    if [[ -n $QUICKSTART_PID ]]; then
        kill -TERM "$QUICKSTART_PID" 2>/dev/null || true
        while kill -0 "$QUICKSTART_PID" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
    fi
    # Whatever is left of a run's session (a server its script did not stop) ends now.
    for group in "${QUICKSTART_GROUPS[@]}"; do kill -KILL -- "-$group" 2>/dev/null || true; done
    [[ -z $QUICKSTART_PID ]] || wait "$QUICKSTART_PID" 2>/dev/null || true
    if [[ -n $TEMP ]]; then
        # The server runs in a session of its own (quickstart.sh's Serve): by its settings file.
        pkill -KILL -f -- "$TEMP/var/wijkbudget.toml" 2>/dev/null || true
        PgClusterStop "$TEMP/var/pg" >/dev/null 2>&1 || true
        rm -rf "$TEMP"
    fi
    exit "$status"
}

# Printed LABEL: the value the quick start printed after "  LABEL:" (first such line).
Printed() { sed -n "s/^  $1: *//p" "$LOG" | head -n 1; }

# Get PATH [curl args...]: the body of GET URL/PATH, checking the certificate against the one
# the first run made (a copy), which must be valid for localhost.
Get()
{
    local path=$1
    shift
    curl -fsS --max-time "$REQUEST_SECONDS_MAX" --cacert "$TEMP/first.crt" "$@" "$URL$path"
}

# PostGrant [curl args...]: POST a grant to burgwal; prints the HTTP status.
PostGrant()
{
    curl -sS --max-time "$REQUEST_SECONDS_MAX" --cacert "$TEMP/first.crt" -o "$TEMP/grant.json" \
        -w '%{http_code}' -X POST "$URL/api/v1/councils/burgwal/grants" \
        -H "Idempotency-Key: $(</proc/sys/kernel/random/uuid)" -H 'Content-Type: application/json' \
        -d '{"year": 2027, "category": "social", "amount_cents": 250000}' "$@"
}

LedgerSize() { Get /api/v1/ledger/checkpoint | sed -n 2p; }

Fingerprint() { openssl x509 -in "$TEMP/var/tls/server.crt" -noout -fingerprint -sha256; }

# CountDemo: "COUNCILS DISTRICTS WITH_GRANTS" of GET /api/v1/councils (standard input): the
# councils, their distinct districts, and the councils with a 2027 budget line granted money.
CountDemo()
{
    node -e '
        const councils = JSON.parse(require("fs").readFileSync(0, "utf8")).councils;
        const districts = new Set(councils.map((council) => council.district));
        const granted = councils.filter((council) => council.budget_lines.some(
            (line) => line.year === 2027 && line.granted_cents > 0));
        console.log(councils.length, districts.size, granted.length);'
}

CheckCertificate()
{
    local text
    text=$(openssl x509 -in "$TEMP/var/tls/server.crt" -noout -text) ||
        Fail "var/tls/server.crt is not a certificate openssl can read"
    grep -q 'Public Key Algorithm: id-ecPublicKey' <<<"$text" || Fail "var/tls/server.crt: not EC"
    grep -q 'ASN1 OID: prime256v1' <<<"$text" || Fail "var/tls/server.crt: not P-256 (prime256v1)"
    grep -q 'DNS:localhost' <<<"$text" || Fail "var/tls/server.crt: no subjectAltName localhost"
    local subject issuer
    subject=$(openssl x509 -in "$TEMP/var/tls/server.crt" -noout -subject | sed 's/^subject=//')
    issuer=$(openssl x509 -in "$TEMP/var/tls/server.crt" -noout -issuer | sed 's/^issuer=//')
    [[ $subject == "$issuer" ]] ||
        Fail "var/tls/server.crt is not self-signed: issuer '$issuer', subject '$subject'"
}

# FirstRun: everything the promise says of a fresh var/; leaves the ledger size in SIZE.
FirstRun()
{
    Say "first run: var/ in $TEMP/var, port $PORT, binaries from $BUILD"
    local start=$SECONDS
    StartQuickstart "$TEMP/first.log"
    WaitReady
    Say "serving after $((SECONDS - start)) s"
    # The test must not install or build anything: CI's packages and build-ci/ are complete.
    grep -q '^all [0-9]* packages are installed$' "$LOG" ||
        Fail "the quick start installed packages (deploy/test.sh should have installed them)"
    grep -q 'building nothing$' "$LOG" || Fail "the quick start did not skip its build step"
    URL=$(sed -n 's/.*serves the Haarlem demo on \(https:[^ ]*\).*/\1/p' "$LOG" | head -n 1)
    [[ $URL == "https://localhost:$PORT" ]] ||
        Fail "printed URL '$URL', want https://localhost:$PORT"
    CheckCertificate
    cp "$TEMP/var/tls/server.crt" "$TEMP/first.crt"
    FINGERPRINT=$(Fingerprint)
    local mode
    mode=$(stat -c %a "$TEMP/var/keys/ledger.key") || Fail "no var/keys/ledger.key"
    [[ $mode == 600 ]] || Fail "var/keys/ledger.key has mode $mode, want 600"

    VKEY=$(Printed "the ledger's verifier key")
    [[ -n $VKEY ]] || Fail "no verifier key printed"
    local served
    served=$(Get /api/v1/ledger/vkey) || Fail "GET $URL/api/v1/ledger/vkey failed"
    [[ $served == "$VKEY" ]] || Fail "printed verifier key '$VKEY', served '$served'"

    local counts
    counts=$(Get /api/v1/councils | CountDemo) || Fail "GET $URL/api/v1/councils failed"
    [[ $counts == "$COUNCILS $DISTRICTS $COUNCILS" ]] ||
        Fail "the demo: councils, districts, councils with 2027 grants: $counts;" \
            "want $COUNCILS $DISTRICTS $COUNCILS"

    local token code before
    token=$(Printed "municipality token (7 days)")
    [[ -n $token ]] || Fail "no municipality token printed"
    before=$(LedgerSize) || Fail "GET $URL/api/v1/ledger/checkpoint failed"
    code=$(PostGrant) || Fail "POST a grant without a token: curl failed"
    [[ $code == 401 ]] || Fail "a grant without a token answered $code, want 401"
    code=$(PostGrant -H "Authorization: Bearer $token") || Fail "POST a grant: curl failed"
    [[ $code == 201 ]] || Fail "a grant with the printed token answered $code, want 201:" \
        "$(cat "$TEMP/grant.json")"
    SIZE=$(LedgerSize) || Fail "GET $URL/api/v1/ledger/checkpoint failed"
    ((SIZE == before + 1)) ||
        Fail "the ledger went from $before to $SIZE entries, want $((before + 1))"
    Say "first run: $URL; $COUNCILS councils in $DISTRICTS districts, each with 2027 grants;" \
        "the ledger $SIZE entries with the test's grant; all checks passed"

    # The commands printed under "verify the ledger offline", run as a reader would paste them.
    local commands
    commands=$(sed -n '/verify the ledger offline:/,/wijkbudget-verify export/p' "$LOG" | tail -n +2)
    (($(wc -l <<<"$commands") == 4)) || Fail "the verify commands printed: $commands"
    mkdir "$TEMP/reader"
    (cd "$TEMP/reader" && bash -euo pipefail -c "$commands") >"$TEMP/reader.log" 2>&1 ||
        Fail "the printed verify commands failed: $(cat "$TEMP/reader.log")"
    grep -q '^valid' "$TEMP/reader.log" || Fail "wijkbudget-verify said: $(cat "$TEMP/reader.log")"
    Say "first run: the printed verify commands accept the ledger"

    # A second quick start on the same port is refused at once, before it installs, builds or
    # touches var/, and the first serves on.
    local output status=0
    output=$(WB_QUICKSTART_VAR=$TEMP/var WB_QUICKSTART_BUILD=$BUILD WIJKBUDGET_SERVER_PORT=$PORT \
        timeout "$STOP_SECONDS_MAX" "$ROOT/deploy/quickstart.sh" 2>&1) || status=$?
    ((status == 1)) || Fail "a quick start on a taken port: status $status, want 1: $output"
    grep -q "port $PORT on this machine is taken" <<<"$output" ||
        Fail "a quick start on a taken port does not say so: $output"
    ((SIZE == $(LedgerSize))) || Fail "the first run no longer serves its ledger"
    Say "first run: a second quick start on its port was refused, naming the port"
    StopQuickstart
    Say "first run: SIGTERM ended it with status 0, the cluster stopped"
}

# SecondRun: the same var/ again: same key, certificate and ledger.
SecondRun()
{
    local start=$SECONDS
    StartQuickstart "$TEMP/second.log"
    WaitReady
    Say "second run: serving after $((SECONDS - start)) s"
    [[ $(Fingerprint) == "$FINGERPRINT" ]] || Fail "var/tls/server.crt changed on the second run"
    local printed served size
    printed=$(Printed "the ledger's verifier key")
    [[ $printed == "$VKEY" ]] || Fail "second run printed verifier key '$printed', first '$VKEY'"
    # Checked against the first run's certificate: the server presents the same one.
    served=$(Get /api/v1/ledger/vkey) ||
        Fail "GET $URL/api/v1/ledger/vkey with the first run's certificate failed"
    [[ $served == "$VKEY" ]] || Fail "second run serves verifier key '$served', first '$VKEY'"
    size=$(LedgerSize) || Fail "GET $URL/api/v1/ledger/checkpoint failed"
    ((size == SIZE)) || Fail "second run: the ledger holds $size entries, $SIZE before (the demo" \
        "appended again?)"
    Say "second run: same verifier key, certificate and ledger ($size entries)"
    StopQuickstart ctrl-c
    Say "second run: Ctrl-C (SIGINT to its process group) ended it with status 0, drained," \
        "the cluster stopped"
}

# ThirdRun: a closed terminal (SIGHUP) drains the server and stops the cluster too, rather than
# leaving them running on the port with nobody to stop them.
ThirdRun()
{
    StartQuickstart "$TEMP/third.log"
    WaitReady
    StopQuickstart hangup
    Say "third run: SIGHUP ended it with status 0, drained, the cluster stopped"
}

# SharedVarRun: two quick starts on one var/, on two ports: the first to end leaves the cluster to
# the other, which still serves; the last one out stops it.
SharedVarRun()
{
    local first_port=$PORT second_port first_pid second_pid status=0
    second_port=$(FreePortBetween "$PORT_FIRST" "$PORT_LAST" "$PORT_TRIES_MAX") ||
        Fail "no free port from $PORT_FIRST to $PORT_LAST"
    [[ $second_port != "$first_port" ]] || Fail "the same free port twice: $second_port"
    StartQuickstart "$TEMP/shared-first.log"
    WaitReady
    first_pid=$QUICKSTART_PID
    PORT=$second_port
    StartQuickstart "$TEMP/shared-second.log"
    WaitReady
    second_pid=$QUICKSTART_PID
    kill -TERM "$second_pid"
    wait "$second_pid" || status=$?
    ((status == 0)) || Fail "the second of two quick starts ended with status $status"
    ! pgrep -g "$second_pid" >/dev/null || Fail "processes of the second quick start still run"
    local group kept=()
    for group in "${QUICKSTART_GROUPS[@]}"; do [[ $group == "$second_pid" ]] || kept+=("$group"); done
    QUICKSTART_GROUPS=("${kept[@]}")
    grep -q "another quick start still uses var/" "$LOG" ||
        Fail "the second of two quick starts did not leave the cluster to the first"
    PORT=$first_port
    QUICKSTART_PID=$first_pid
    LOG=$TEMP/shared-first.log
    [[ -e $TEMP/var/pg/data/postmaster.pid ]] || Fail "the cluster stopped under the first run"
    ((SIZE == $(LedgerSize))) || Fail "the first of two quick starts no longer serves its ledger"
    StopQuickstart
    Say "two quick starts on one var/: the first out left the cluster, the last stopped it"
}

# As root the cluster runs as its own user: a var/ below a folder others may not enter (a clone
# under /root, mode 0700) is refused at once, naming the folder, before any build; nothing made.
ClosedFolderRun()
{
    [[ $(id -u) -eq 0 ]] || return 0
    local closed=$TEMP/closed output status=0
    install -d -m 0700 "$closed"
    output=$(WB_QUICKSTART_VAR=$closed/var WB_QUICKSTART_BUILD=$BUILD WIJKBUDGET_SERVER_PORT=$PORT \
        timeout "$STOP_SECONDS_MAX" "$ROOT/deploy/quickstart.sh" 2>&1) || status=$?
    ((status == 1)) || Fail "a var/ in a closed folder: status $status, want 1; output: $output"
    grep -q "$closed is closed to other users" <<<"$output" ||
        Fail "a var/ in a closed folder: the folder is not named; output: $output"
    [[ ! -e $closed/var ]] || Fail "a var/ in a closed folder: $closed/var was made"
    Say "a var/ in a closed folder: refused before the build, naming the folder"
}

main()
{
    local start=$SECONDS tool
    [[ -x $BUILD/api/wijkbudget ]] || Fail "$BUILD/api/wijkbudget is missing: build $BUILD first"
    [[ -f $ROOT/build-web/assets/manifest.json ]] ||
        Fail "$ROOT/build-web/assets/ is missing: run deploy/build_web.sh first" \
            "(deploy/test.sh's ci phase does)"
    for tool in curl openssl node setsid pgrep; do
        command -v "$tool" >/dev/null || Fail "$tool is missing"
    done
    trap CleanUp EXIT
    trap 'exit 130' INT TERM
    TEMP=$(mktemp -d /tmp/wijkbudget-quickstart.XXXXXX)
    # As root the cluster runs as wijkbudget-pg, which must enter the folder to reach var/.
    chmod 0711 "$TEMP"
    PORT=$(FreePortBetween "$PORT_FIRST" "$PORT_LAST" "$PORT_TRIES_MAX") ||
        Fail "no free port from $PORT_FIRST to $PORT_LAST"
    ClosedFolderRun
    FirstRun
    SecondRun
    ThirdRun
    SharedVarRun
    Say "ok in $((SECONDS - start)) s"
}

main "$@"
