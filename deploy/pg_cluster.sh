#!/usr/bin/env bash
# deploy/pg_cluster.sh: a private PostgreSQL 15 cluster in a directory of our own, for the
# integration tests (deploy/test.sh) and the quick start. It never touches the system's clusters
# (pg_lsclusters, /var/run/postgresql).
#
# As a program:
#   deploy/pg_cluster.sh start DIR [PORT]  create the cluster in DIR if needed, start it if it is
#                                          stopped, check it, and print shell assignments:
#                                          PG_CLUSTER_STARTED (1 if this call started the
#                                          server, 0 if it was running), PG_CLUSTER_PORT,
#                                          PG_CLUSTER_SUPERUSER_DSN, PG_CLUSTER_OWNER_DSN,
#                                          PG_CLUSTER_RUNTIME_DSN
#                                          (eval "$(deploy/pg_cluster.sh start DIR)")
#   deploy/pg_cluster.sh stop DIR          stop it (pg_ctl stop -m fast); fine if already stopped
#   deploy/pg_cluster.sh dsn DIR ROLE      print the DSN of ROLE: postgres, wijkbudget_owner or
#                                          wijkbudget_app
# As a library (source it): PgClusterStart DIR [PORT] (exports the five PG_CLUSTER_* variables),
# PgClusterStop DIR, PgClusterDsn DIR ROLE, and FreePortBetween FIRST LAST TRIES. Each runs this file as a child process, so that
# `set -euo pipefail` holds inside even when the caller calls it in an `if` or `||` (where bash
# would switch errexit off), and a failure is a non-zero status, never an exit of the caller.
#
# DIR holds:
#   data/     the cluster (PGDATA), owned by the server user, mode 0700
#   socket/   the Unix socket (peer authentication only); the server listens on 127.0.0.1 too
#   log/      initdb.log and postgresql.log
#   secrets/  postgres.password (the superuser's) and pgpass (a libpq passfile with a line for
#             postgres, wijkbudget_owner and wijkbudget_app), owned by the invoking user, 0600
#   port      the TCP port, chosen when created; a start without PORT finding it taken by
#             another process moves the stopped cluster to a free one (MoveToFreePort)
#   created   written when creation finished; without it a re-run starts creation afresh
# DSNs: host=127.0.0.1 port=PORT dbname=wijkbudget user=ROLE passfile=DIR/secrets/pgpass
#
# initdb and postgres refuse to run as root. As root, this script creates the system user
# wijkbudget-pg (no home, no shell) and runs them as that user with runuser; DIR and its parents
# must then be traversable by it (chmod o+x). As any other user they run as that user.
#
# Environment: PG_CLUSTER_BIN (default /usr/lib/postgresql/15/bin).

PG_CLUSTER_SH=$(realpath "${BASH_SOURCE[0]}")

PgClusterStart()
{
    local output
    output=$(bash "$PG_CLUSTER_SH" start "$@") || return
    eval "$output"
    export PG_CLUSTER_STARTED PG_CLUSTER_PORT PG_CLUSTER_SUPERUSER_DSN PG_CLUSTER_OWNER_DSN \
        PG_CLUSTER_RUNTIME_DSN
}

PgClusterStop() { bash "$PG_CLUSTER_SH" stop "$@"; }

PgClusterDsn() { bash "$PG_CLUSTER_SH" dsn "$@"; }

# PortInUse PORT: whether something listens on 127.0.0.1:PORT.
PortInUse()
{
    local port=$1
    if command -v ss >/dev/null; then
        [[ -n $(ss -Htln "sport = :$port") ]]
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
    fi
}

# FreePortBetween FIRST LAST TRIES: prints a port in FIRST..LAST nobody listens on, starting at a
# random one; status 1 when TRIES ports in a row are taken. (Also for the tests in tests/deploy/,
# which pick below this file's range so that a cluster started meanwhile cannot take theirs.)
FreePortBetween()
{
    local first=$1 last=$2 tries=$3 port try
    port=$((first + RANDOM % (last - first + 1)))
    for ((try = 0; try < tries; try++)); do
        if ! PortInUse "$port"; then
            echo "$port"
            return 0
        fi
        port=$((port < last ? port + 1 : first))
    done
    return 1
}

# sun_path holds 108 bytes with the final NUL; the socket is DIR/socket/.s.PGSQL.PORT.
SOCKET_PATH_BYTES_MAX=107
SOCKET_SUFFIX=/socket/.s.PGSQL.65535

# PgClusterDirProblem DIR: says why DIR (absolute) cannot hold a cluster, and returns 1; returns
# 0 silently if it can. The name goes into libpq DSNs and postgresql.conf unquoted or
# single-quoted, and the socket's path into a sockaddr_un. (Also for deploy/quickstart.sh, which
# checks before it installs and builds for minutes.)
PgClusterDirProblem()
{
    local dir=$1
    if [[ ! $dir =~ ^[A-Za-z0-9_./+-]+$ ]]; then
        echo "$dir: only letters, digits and _ . / + - are allowed in the cluster directory"
        return 1
    fi
    if ((${#dir} + ${#SOCKET_SUFFIX} > SOCKET_PATH_BYTES_MAX)); then
        echo "$dir: too long for a Unix socket path" \
            "(at most $((SOCKET_PATH_BYTES_MAX - ${#SOCKET_SUFFIX})) bytes)"
        return 1
    fi
}

# Everything below runs only in the child process.
[[ ${BASH_SOURCE[0]} == "$0" ]] || return 0

# useradd is in /usr/sbin, which a root shell from plain `su` (not `su -`) lacks on its PATH.
case ":$PATH:" in
*:/usr/sbin:*) ;;
*) PATH=$PATH:/usr/sbin:/sbin ;;
esac

PG_BIN=${PG_CLUSTER_BIN:-/usr/lib/postgresql/15/bin}
PG_MAJOR=15
SERVER_USER=wijkbudget-pg
DATABASE=wijkbudget
OWNER_ROLE=wijkbudget_owner
APP_ROLE=wijkbudget_app
ROLES_SQL=$(dirname "$PG_CLUSTER_SH")/postgres/roles.sql
# Ports tried when none is given: unprivileged, below the Linux ephemeral range (32768 and up),
# so an outgoing connection never holds the port we pick.
PORT_FIRST=16000
PORT_LAST=32767
PORT_TRIES_MAX=200
# Another process may take a port between our check and the server's bind; retry that often.
START_TRIES_MAX=3
START_SECONDS_MAX=60
LOG_TAIL_LINES=30
# Starts of one DIR take turns (two quick starts at once would each create, move or start the
# cluster): DIR/start.lock, open on descriptor 9, is locked; a start waits this long for the one
# before it (a creation runs initdb, then starts the server, as often as START_TRIES_MAX).
START_LOCK_WAIT_SECONDS=$(((START_TRIES_MAX + 1) * START_SECONDS_MAX))

Fail()
{
    echo "pg_cluster: $*" >&2
    exit 1
}

Note() { echo "pg_cluster: $*" >&2; }

IsRoot() { [[ $(id -u) -eq 0 ]]; }

# AsServer COMMAND...: runs COMMAND as the server user (from /, which that user can enter).
AsServer()
{
    if IsRoot; then
        (cd / && runuser -u "$SERVER_USER" -- "$@")
    else
        "$@"
    fi
}

EnsureServerUser()
{
    IsRoot || return 0
    id -u "$SERVER_USER" >/dev/null 2>&1 && return 0
    Note "creating system user $SERVER_USER (initdb and postgres refuse to run as root)"
    # A concurrent run may have created it meanwhile; only a user that still is missing is fatal.
    useradd --system --no-create-home --shell /usr/sbin/nologin "$SERVER_USER" ||
        id -u "$SERVER_USER" >/dev/null 2>&1 ||
        Fail "cannot create system user $SERVER_USER"
}

# MakeDir PATH MODE OWNER: OWNER is "server" or "me"; as a non-root user both are the same.
MakeDir()
{
    local path=$1 mode=$2 owner=$3
    if IsRoot && [[ $owner == server ]]; then
        install -d -m "$mode" -o "$SERVER_USER" -g "$SERVER_USER" "$path"
    else
        install -d -m "$mode" "$path"
    fi
}

NewPassword() { od -An -vtx1 -N24 /dev/urandom | tr -d ' \n'; }

FreePort()
{
    FreePortBetween "$PORT_FIRST" "$PORT_LAST" "$PORT_TRIES_MAX" ||
        Fail "no free TCP port found in $PORT_TRIES_MAX tries from $PORT_FIRST to $PORT_LAST"
}

# Dsn DIR ROLE [DATABASE]
Dsn()
{
    local dir=$1 role=$2 database=${3:-$DATABASE}
    printf 'host=127.0.0.1 port=%s dbname=%s user=%s passfile=%s/secrets/pgpass' \
        "$(<"$dir/port")" "$database" "$role" "$dir"
}

IsRunning() { AsServer "$PG_BIN/pg_ctl" status -D "$1/data" >/dev/null 2>&1; }

ShowLogTail()
{
    local log=$1
    [[ -f $log ]] || return 0
    echo "--- last lines of $log:" >&2
    tail -n "$LOG_TAIL_LINES" "$log" >&2
}

# ServerStart DIR: returns non-zero (and shows the log) if the server did not come up. The port
# is DIR/port's, given on the command line, where it wins over postgresql.conf: the file every
# DSN is made from is the one the server listens by (MoveToFreePort).
ServerStart()
{
    local dir=$1
    # Without the start lock's descriptor (9): the server would hold the lock for as long as it runs.
    if AsServer "$PG_BIN/pg_ctl" start -D "$dir/data" -l "$dir/log/postgresql.log" -w \
        -t "$START_SECONDS_MAX" -o "-p $(<"$dir/port")" >/dev/null 9>&-; then
        return 0
    fi
    ShowLogTail "$dir/log/postgresql.log"
    return 1
}

# Psql DIR ROLE DATABASE [psql args...]: psql over TCP as ROLE, password from the passfile.
Psql()
{
    local dir=$1 role=$2 database=$3
    shift 3
    "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$(Dsn "$dir" "$role" "$database")" "$@"
}

CheckArguments()
{
    local dir=$1
    [[ $dir == /* ]] || Fail "internal: $dir is not absolute"
    local problem
    problem=$(PgClusterDirProblem "$dir") || Fail "$problem"
    [[ -x $PG_BIN/initdb && -x $PG_BIN/pg_ctl && -x $PG_BIN/psql ]] ||
        Fail "PostgreSQL $PG_MAJOR not found in $PG_BIN (Debian packages postgresql-$PG_MAJOR" \
            "postgresql-client-$PG_MAJOR)"
}

CheckTraversable()
{
    local dir=$1
    IsRoot || return 0
    AsServer test -x "$dir" ||
        Fail "$SERVER_USER cannot enter $dir: make it and every parent traversable" \
            "(chmod o+x), or choose a directory under one that is (e.g. mktemp -d, then chmod 0711)"
}

# RemovePartial DIR: a creation that did not finish (no DIR/created) is started afresh. Only what
# this script creates is removed; the cluster never served anyone, so nothing is lost.
RemovePartial()
{
    local dir=$1
    [[ -e $dir/data || -e $dir/secrets || -e $dir/port ]] || return 0
    Note "$dir: an earlier creation did not finish; starting it afresh"
    if [[ -f $dir/data/postmaster.pid ]]; then
        AsServer "$PG_BIN/pg_ctl" stop -D "$dir/data" -m immediate -w >/dev/null 2>&1 || true
    fi
    rm -rf "$dir/data" "$dir/socket" "$dir/log" "$dir/secrets" "$dir/port" "$dir/initdb.pwfile"
}

InitCluster()
{
    local dir=$1 superuser_password=$2 locale=C
    locale -a 2>/dev/null | grep -qix 'c\.utf-\?8' && locale=C.UTF-8
    # initdb runs as the server user, which cannot read secrets/: it gets a copy of its own, in
    # DIR, removed right after.
    local pwfile=$dir/initdb.pwfile
    rm -f "$pwfile"
    (umask 077 && printf '%s\n' "$superuser_password" >"$pwfile")
    IsRoot && chown "$SERVER_USER:" "$pwfile"
    local status=0
    AsServer "$PG_BIN/initdb" -D "$dir/data" -U postgres --pwfile="$pwfile" \
        --auth-local=peer --auth-host=scram-sha-256 --encoding=UTF8 --locale="$locale" \
        >"$dir/log/initdb.log" 2>&1 || status=$?
    rm -f "$pwfile"
    if ((status != 0)); then
        ShowLogTail "$dir/log/initdb.log"
        Fail "initdb failed (status $status); log: $dir/log/initdb.log"
    fi
    # Later lines win over initdb's defaults above them. fsync and synchronous_commit keep their
    # defaults (on); start checks them.
    cat >>"$dir/data/postgresql.conf" <<EOF

# Added by deploy/pg_cluster.sh: reachable from this machine only.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/socket'
EOF
}

# StartNew DIR [PORT]: starts a fresh cluster; without PORT, picks a free one, and picks again
# if another process took it before the server could bind it.
StartNew()
{
    local dir=$1 port=${2:-} try log_bytes
    for ((try = 1; try <= START_TRIES_MAX; try++)); do
        local chosen=$port
        [[ -n $chosen ]] || chosen=$(FreePort)
        echo "port = $chosen" >>"$dir/data/postgresql.conf"
        echo "$chosen" >"$dir/port"
        Note "starting a new cluster in $dir on 127.0.0.1:$chosen"
        log_bytes=$(stat -c %s "$dir/log/postgresql.log" 2>/dev/null || echo 0)
        ServerStart "$dir" && return 0
        [[ -z $port ]] || Fail "the server did not start on port $port; log: $dir/log/postgresql.log"
        tail -c +"$((log_bytes + 1))" "$dir/log/postgresql.log" |
            grep -q 'could not bind\|Address already in use' ||
            Fail "the server did not start; log: $dir/log/postgresql.log"
    done
    Fail "the server did not start in $START_TRIES_MAX tries (ports taken meanwhile)"
}

# PassfileFollowsPort DIR: the passfile's lines name DIR/port, whatever port they named (a move
# cut short between the two files, then the old port free again, left them apart).
PassfileFollowsPort()
{
    local dir=$1 port
    port=$(<"$dir/port")
    (
        umask 077
        sed "s/^127\.0\.0\.1:[0-9]*:/127.0.0.1:$port:/" "$dir/secrets/pgpass" >"$dir/secrets/pgpass.new"
    )
    mv "$dir/secrets/pgpass.new" "$dir/secrets/pgpass"
}

# MoveToFreePort DIR: starts a stopped cluster whose recorded port another process now holds on
# a free one instead, so that the data in it stays usable (the only other way out would be a new
# cluster). DIR/port first, which ServerStart gives the server and every DSN is made from, then
# the passfile (PassfileFollowsPort, which every start of a stopped cluster runs: a move cut
# short between the two is finished by the next start). postgresql.conf gets the port too, for
# whoever reads it. Retries as StartNew does when the port picked is taken
# before the server binds it.
MoveToFreePort()
{
    local dir=$1 old try new log_bytes
    old=$(<"$dir/port")
    for ((try = 1; try <= START_TRIES_MAX; try++)); do
        new=$(FreePort)
        Note "port $old is taken by another process; moving the cluster in $dir to 127.0.0.1:$new"
        echo "$new" >"$dir/port.new"
        mv "$dir/port.new" "$dir/port"
        PassfileFollowsPort "$dir"
        echo "port = $new" >>"$dir/data/postgresql.conf"
        old=$new
        # The log keeps every earlier start: only this one's lines say why it failed.
        log_bytes=$(stat -c %s "$dir/log/postgresql.log" 2>/dev/null || echo 0)
        ServerStart "$dir" && return 0
        tail -c +"$((log_bytes + 1))" "$dir/log/postgresql.log" |
            grep -q 'could not bind\|Address already in use' ||
            Fail "the server did not start; log: $dir/log/postgresql.log"
    done
    Fail "the server did not start in $START_TRIES_MAX tries (ports taken meanwhile)"
}

Create()
{
    local dir=$1 port=${2:-}
    RemovePartial "$dir"
    MakeDir "$dir/secrets" 0700 me
    MakeDir "$dir/data" 0700 server
    MakeDir "$dir/socket" 0700 server
    MakeDir "$dir/log" 0700 server
    local superuser_password owner_password app_password
    superuser_password=$(NewPassword)
    owner_password=$(NewPassword)
    app_password=$(NewPassword)
    (umask 077 && printf '%s\n' "$superuser_password" >"$dir/secrets/postgres.password")
    InitCluster "$dir" "$superuser_password"
    StartNew "$dir" "$port"
    port=$(<"$dir/port")
    (
        umask 077
        printf '127.0.0.1:%s:*:%s:%s\n' "$port" postgres "$superuser_password" \
            "$port" "$OWNER_ROLE" "$owner_password" "$port" "$APP_ROLE" "$app_password" \
            >"$dir/secrets/pgpass"
    )
    # The passwords reach psql on standard input, never on its command line.
    {
        printf '\\set owner_password %s\n\\set app_password %s\n' "$owner_password" "$app_password"
        cat "$ROLES_SQL"
    } | Psql "$dir" postgres postgres -f - >/dev/null ||
        Fail "creating the roles ($ROLES_SQL) failed; log: $dir/log/postgresql.log"
    date -u +%FT%TZ >"$dir/created"
}

# Check DIR: what the tests and the service rely on: each role logs in with the passfile, and
# commits are durable (acknowledged means durable, DESIGN.md section 4).
Check()
{
    local dir=$1 role value setting
    for role in postgres "$OWNER_ROLE" "$APP_ROLE"; do
        value=$(Psql "$dir" "$role" "$DATABASE" -Atc 'SELECT current_user') ||
            Fail "$role cannot log in with $dir/secrets/pgpass"
        [[ $value == "$role" ]] || Fail "logged in as $value, expected $role"
    done
    for setting in fsync synchronous_commit; do
        value=$(Psql "$dir" postgres "$DATABASE" -Atc "SHOW $setting")
        [[ $value == on ]] || Fail "$setting is $value; it must be on (no acknowledged write may be lost)"
    done
    value=$(Psql "$dir" postgres "$DATABASE" -Atc 'SHOW server_version_num')
    [[ $value == "$PG_MAJOR"* ]] || Fail "server version $value, expected PostgreSQL $PG_MAJOR"
}

CommandStart()
{
    local dir=$1 port=${2:-}
    [[ -z $port || ($port =~ ^[0-9]+$ && $port -ge 1024 && $port -le 65535) ]] ||
        Fail "port $port: expected a number from 1024 to 65535"
    CheckArguments "$dir"
    EnsureServerUser
    if [[ ! -d $dir ]]; then
        # Refuse before creating anything the server user could not reach anyway.
        local ancestor=$dir
        while [[ ! -d $ancestor ]]; do ancestor=$(dirname "$ancestor"); done
        CheckTraversable "$ancestor"
        # As root, the server user must be able to traverse DIR to reach data/ and socket/.
        if IsRoot; then install -d -m 0711 "$dir"; else install -d -m 0700 "$dir"; fi
    fi
    CheckTraversable "$dir"
    # Held until this script exits; the next start of DIR then finds the cluster running.
    exec 9>>"$dir/start.lock"
    flock -w "$START_LOCK_WAIT_SECONDS" 9 ||
        Fail "another start of $dir did not finish within $START_LOCK_WAIT_SECONDS s ($dir/start.lock)"
    local started=1
    if [[ -f $dir/created ]]; then
        local recorded
        recorded=$(<"$dir/port")
        [[ -z $port || $port == "$recorded" ]] ||
            Fail "$dir was created with port $recorded; start it without a port, or use another DIR"
        if IsRunning "$dir"; then
            Note "$dir is running on 127.0.0.1:$recorded"
            started=0
        elif [[ -z $port ]] && PortInUse "$recorded"; then
            MoveToFreePort "$dir"
        else
            Note "starting $dir on 127.0.0.1:$recorded"
            PassfileFollowsPort "$dir"
            ServerStart "$dir" || Fail "the server did not start; log: $dir/log/postgresql.log"
        fi
    else
        Create "$dir" "$port"
    fi
    Check "$dir"
    # Whether this call started the server: only then is stopping it the caller's business.
    printf "PG_CLUSTER_STARTED=%s\n" "$started"
    # Single quotes suffice: CheckArguments allows no quote or space in DIR.
    printf "PG_CLUSTER_PORT=%s\n" "$(<"$dir/port")"
    printf "PG_CLUSTER_SUPERUSER_DSN='%s'\n" "$(Dsn "$dir" postgres)"
    printf "PG_CLUSTER_OWNER_DSN='%s'\n" "$(Dsn "$dir" "$OWNER_ROLE")"
    printf "PG_CLUSTER_RUNTIME_DSN='%s'\n" "$(Dsn "$dir" "$APP_ROLE")"
}

CommandStop()
{
    local dir=$1
    if [[ ! -f $dir/data/PG_VERSION ]]; then
        Note "$dir holds no cluster; nothing to stop"
        return 0
    fi
    if ! IsRunning "$dir"; then
        Note "$dir is not running"
        return 0
    fi
    if AsServer "$PG_BIN/pg_ctl" stop -D "$dir/data" -m fast -w -t "$START_SECONDS_MAX" >/dev/null
    then
        Note "stopped $dir"
        return 0
    fi
    # A fast stop that hangs leaves a server behind a directory about to be removed: end it.
    Note "fast stop failed; stopping $dir with -m immediate"
    AsServer "$PG_BIN/pg_ctl" stop -D "$dir/data" -m immediate -w >/dev/null ||
        Fail "cannot stop the server in $dir"
}

CommandDsn()
{
    local dir=$1 role=$2
    case $role in
    postgres | "$OWNER_ROLE" | "$APP_ROLE") ;;
    *) Fail "unknown role $role: expected postgres, $OWNER_ROLE or $APP_ROLE" ;;
    esac
    [[ -f $dir/port ]] || Fail "$dir holds no cluster (no $dir/port); run: $0 start $dir"
    Dsn "$dir" "$role"
    echo
}

Usage()
{
    cat >&2 <<EOF
usage: $0 start DIR [PORT]   create (if needed) and start a private PostgreSQL $PG_MAJOR cluster
       $0 stop DIR           stop it
       $0 dsn DIR ROLE       print the DSN of ROLE (postgres, $OWNER_ROLE, $APP_ROLE)
EOF
    exit 2
}

Main()
{
    local command=${1:-}
    (($# >= 2)) || Usage
    local dir
    dir=$(realpath -m -- "$2")
    case $command:$# in
    start:2 | start:3) CommandStart "$dir" "${3:-}" ;;
    stop:2) CommandStop "$dir" ;;
    dsn:3) CommandDsn "$dir" "$3" ;;
    *) Usage ;;
    esac
}

set -euo pipefail
Main "$@"
