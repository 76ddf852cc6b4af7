#!/usr/bin/env bash
# deploy/quickstart.sh: the demo on https://localhost:8443, from a fresh Debian 12 machine.
#
# Installs what is missing (as root), builds the Release binaries in build-release/ and the
# public site's scripts and styles in build-web/assets/ (deploy/build_web.sh, from the npm
# registry with web/package-lock.json), and keeps everything it makes under var/ (ignored by git):
#   var/pg/                     a private PostgreSQL 15 cluster (deploy/pg_cluster.sh), loopback only
#   var/tls/server.{crt,key}    a self-signed EC P-256 certificate for localhost and 127.0.0.1
#   var/keys/ledger.key         the log's Ed25519 signing key (mode 0600)
#   var/wijkbudget.toml         the settings the service runs with
# Then it migrates the database, loads the Haarlem demo (demo/haarlem/: five districts, 29
# councils, each with its 2027 grants), prints the URL, a municipality token and the verifier
# key, and serves in the foreground. Ctrl-C (or SIGTERM) drains the server and stops the
# cluster; the script then exits with the server's status, 0 after a drain. Running it again
# reuses var/: the same ledger, key and certificate; the demo adds nothing twice. Remove var/ to
# start from scratch.
#
# Environment: WIJKBUDGET_SERVER_PORT (default 8443), WB_JOBS (build parallelism, default nproc).
# For tests (tests/deploy/quickstart_test.sh), both unset by default; a relative path is taken
# from the directory the script was started in:
#   WB_QUICKSTART_VAR    the folder used instead of var/ (its parent must be traversable by
#                        others, chmod o+x, when run as root: the cluster runs as wijkbudget-pg)
#   WB_QUICKSTART_BUILD  a build folder whose api/wijkbudget and ledger/wijkbudget-verify are used
#                        as they are: nothing is built, neither the binaries nor build-web/assets/
#                        (which must exist already, as deploy/test.sh's ci phase leaves it)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VAR=$ROOT/var
[[ -z ${WB_QUICKSTART_VAR:-} ]] || VAR=$(realpath -m -- "$WB_QUICKSTART_VAR")
BUILD=$ROOT/build-release
[[ -z ${WB_QUICKSTART_BUILD:-} ]] || BUILD=$(realpath -m -- "$WB_QUICKSTART_BUILD")
cd "$ROOT"
# shellcheck source=deploy/debian_packages.sh
source "$ROOT/deploy/debian_packages.sh"
# shellcheck source=deploy/localhost_certificate.sh
source "$ROOT/deploy/localhost_certificate.sh"
# PgClusterStart, PgClusterStop, PgClusterDirProblem, PortInUse.
# shellcheck source=deploy/pg_cluster.sh
source "$ROOT/deploy/pg_cluster.sh"
JOBS=${WB_JOBS:-$(nproc)}
PORT=${WIJKBUDGET_SERVER_PORT:-8443}
LOG_ORIGIN=localhost/wijkbudget

# What building and running need on Debian 12 (no test or fuzz tools: deploy/test.sh adds those),
# all named at once, so that a user without root installs them in one go. ca-certificates lets
# deploy/node_runtime.sh fetch Node.js 20 over HTTPS.
PACKAGES=(
    cmake ninja-build g++ pkg-config openssl curl procps ca-certificates
    libboost1.81-dev libboost-json1.81-dev libboost-system1.81-dev libssl-dev
    libsoci-dev libpq-dev libsodium-dev libjemalloc-dev libtomlplusplus-dev libcli11-dev libgmp-dev libgtest-dev
    postgresql-15 postgresql-client-15
)
# The site's build (deploy/build_web.sh). NodeSource's nodejs bundles npm and conflicts with
# Debian's npm, so each is asked for only when its command is missing (as in deploy/test.sh).
command -v node >/dev/null || PACKAGES+=(nodejs)
command -v npm >/dev/null || PACKAGES+=(npm)
# Held shared (descriptor 8) by every quick start on one var/ for as long as it runs; the last one
# out, the only one that can then take it exclusively, stops var/pg/.
QUICKSTART_LOCK_FD=8

Say() { printf '\n== %s\n' "$*"; }

InstallPackages() { InstallDebianPackages "${PACKAGES[@]}" || exit 1; }

# As root the cluster runs as an unprivileged user (deploy/pg_cluster.sh), which must be able to
# enter every directory above var/: a clone under /root (mode 0700 on Debian) is not. Checked
# before the build, which takes minutes, rather than after it.
CheckVarReachable()
{
    [[ $(id -u) -eq 0 ]] || return 0
    local dir mode
    dir=$(dirname -- "$VAR")
    while :; do
        # Others' search bit (o+x), whatever else the mode holds (/tmp is 1777).
        if [[ -d $dir ]] && mode=$(stat -c %a -- "$dir") && (((8#$mode & 1) == 0)); then
            echo "quickstart: $dir is closed to other users (mode $mode), and" \
                "PostgreSQL runs as its own user when started by root: clone the repository" \
                "somewhere others may enter (not under /root), or chmod o+x $dir" >&2
            exit 1
        fi
        [[ $dir == / ]] && return 0
        dir=$(dirname -- "$dir")
    done
}

# Refused before the install and the build, which take minutes: a var/ whose path PostgreSQL's
# cluster cannot live under (deploy/pg_cluster.sh), and a port something else serves on (another
# quick start, most likely).
CheckVarPathAndPort()
{
    local problem
    if ! problem=$(PgClusterDirProblem "$VAR/pg"); then
        echo "quickstart: $problem: clone the repository to a shorter path of plain characters" >&2
        exit 1
    fi
    if PortInUse "$PORT"; then
        echo "quickstart: port $PORT on this machine is taken (a quick start already serving?" \
            "stop it with Ctrl-C, or give this one another port: WIJKBUDGET_SERVER_PORT=8444)" >&2
        exit 1
    fi
}

Build()
{
    if [[ -n ${WB_QUICKSTART_BUILD:-} ]]; then
        Say "using the binaries in $BUILD as they are (WB_QUICKSTART_BUILD); building nothing"
        [[ -x $BUILD/api/wijkbudget && -d $ROOT/build-web/assets ]] && return 0
        echo "quickstart: $BUILD/api/wijkbudget or $ROOT/build-web/assets/ is missing" >&2
        exit 1
    fi
    Say "building (Release) in $BUILD"
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWB_TESTS=OFF -DWB_BENCH=OFF
    cmake --build "$BUILD" --parallel "$JOBS" --target wijkbudget wijkbudget-verify
    Say "building the site's scripts and styles (web/) in build-web/assets"
    "$ROOT/deploy/build_web.sh" >/dev/null
}

MakeCertificate()
{
    [[ -f $VAR/tls/server.crt && -f $VAR/tls/server.key ]] && return 0
    Say "making a self-signed certificate for localhost in var/tls/"
    MakeLocalhostCertificate "$VAR/tls" 825
}

WriteSettings()
{
    # Rewritten on every run: the cluster's port is var/pg's (deploy/pg_cluster.sh moves it when
    # another program took it between two runs), the rest is ours.
    cat >"$VAR/wijkbudget.toml" <<SETTINGS
# Written by deploy/quickstart.sh; see config/wijkbudget.example.toml for every setting.
[server]
address = "127.0.0.1"
port = $PORT

[tls]
certificate_file = "tls/server.crt"
private_key_file = "tls/server.key"

[database]
runtime_dsn = "$PG_CLUSTER_RUNTIME_DSN"
owner_dsn = "$PG_CLUSTER_OWNER_DSN"
runtime_role = "wijkbudget_app"
schema = "public"
pool_size = 16

[ledger]
signing_key_file = "keys/ledger.key"

[web]
assets_dir = "$ROOT/build-web/assets"
SETTINGS
}

# On the way out: stops var/pg/ unless another quick start still uses var/ (a second one on
# another WIJKBUDGET_SERVER_PORT, whichever started the cluster, serving or still loading): the
# last one out stops it. Each holds var/quickstart.lock shared from before its cluster start; only
# when no other does can this one take it exclusively. This run's own server has ended by then.
StopClusterUnlessServing()
{
    # Let go first: of two quick starts ending at once, each holding its share while asking for
    # the whole, neither would stop the cluster.
    flock -u "$QUICKSTART_LOCK_FD"
    if ! flock -x -n "$QUICKSTART_LOCK_FD"; then
        Say "another quick start still uses var/: PostgreSQL in var/pg/ keeps running"
        return 0
    fi
    PgClusterStop "$VAR/pg" >/dev/null 2>&1 || true
}

# Serve COMMAND...: runs the server until it ends and returns its status (0 after a drain).
# Not exec: the EXIT trap must stop the cluster after the server has drained. In the background,
# with INT, TERM and HUP passed on to it (as a TERM), so that a SIGTERM to this script alone
# (kill, a supervisor) or a closed terminal drains it too: otherwise bash would end at once and
# leave it serving on the port, and the cluster running, with nobody left to stop them.
# A trapped signal ends `wait` early; it is repeated until the server has ended. A second Ctrl-C
# stops the server at once (it gives its signals back when its drain begins).
Serve()
{
    local server status signalled=0
    # A session of its own: Ctrl-C at the terminal reaches this script alone, which passes on one
    # SIGTERM. Were the server in the terminal's process group too, it would get the SIGINT and
    # then the forwarded SIGTERM, and a drain takes a second signal for "stop now".
    trap 'signalled=1; kill -TERM "$server" 2>/dev/null || true' INT TERM HUP
    setsid "$@" &
    server=$!
    while :; do
        signalled=0
        status=0
        wait "$server" || status=$?
        ((signalled)) || break
    done
    trap - INT TERM HUP
    return "$status"
}

main()
{
    CheckVarReachable
    CheckVarPathAndPort
    InstallPackages
    Build
    local wijkbudget=$BUILD/api/wijkbudget settings=$VAR/wijkbudget.toml
    mkdir -p "$VAR"
    # The cluster runs as an unprivileged user when we are root: it must be able to enter var/.
    chmod 0711 "$VAR"
    Say "starting PostgreSQL in var/pg/"
    exec 8>>"$VAR/quickstart.lock"
    flock -s "$QUICKSTART_LOCK_FD"
    # Before the start: a start that fails half-way (a check after the server came up, Ctrl-C)
    # leaves no cluster running that nobody stops.
    trap StopClusterUnlessServing EXIT
    # Without the lock's descriptor: PostgreSQL would hold it for as long as it runs.
    PgClusterStart "$VAR/pg" 8>&-
    [[ $PG_CLUSTER_STARTED == 1 ]] ||
        Say "PostgreSQL in var/pg/ was running already (another quick start?); the last one out stops it"
    MakeCertificate
    if [[ ! -f $VAR/keys/ledger.key ]]; then
        Say "making the ledger's signing key in var/keys/"
        mkdir -p "$VAR/keys"
        chmod 0700 "$VAR/keys"
        "$wijkbudget" keygen --name "$LOG_ORIGIN" --out "$VAR/keys/ledger.key" >/dev/null
    fi
    WriteSettings
    Say "migrating"
    "$wijkbudget" migrate --config "$settings"
    Say "loading the Haarlem demo"
    "$wijkbudget" demo --config "$settings" --data "$ROOT/demo/haarlem"
    local token vkey
    # Its stderr stays visible: the token's id and expiry, or why it could not be made.
    token=$("$wijkbudget" token create --config "$settings" --role municipality \
        --name quickstart-officer --days 7)
    vkey=$("$wijkbudget" vkey --config "$settings")
    cat <<EOF_INFO

wijkbudget serves the Haarlem demo on https://localhost:$PORT (self-signed: curl -k, or trust
var/tls/server.crt): the public site at https://localhost:$PORT/ and the API under /api/v1/.
Stop it with Ctrl-C; data stays in var/ for the next run.

  municipality token (7 days):  $token
  the ledger's verifier key:    $vkey
  a council:                    curl -k https://localhost:$PORT/api/v1/councils/burgwal
  verify the ledger offline:
    curl -sk https://localhost:$PORT/api/v1/ledger/vkey > vkey
    curl -sk https://localhost:$PORT/api/v1/ledger/checkpoint > checkpoint
    curl -sk https://localhost:$PORT/api/v1/ledger/export > ledger.ndjson
    $BUILD/ledger/wijkbudget-verify export ledger.ndjson --checkpoint checkpoint --vkey "\$(cat vkey)"
EOF_INFO
    Say "serving (Ctrl-C to stop)"
    Serve "$wijkbudget" serve --config "$settings"
}

main "$@"
