#!/usr/bin/env bash
# tests/deploy/serve_settings.sh, sourced by the tests of this folder that run `wijkbudget serve`
# against a cluster of their own (deploy/pg_cluster.sh's PG_CLUSTER_* variables exported).
#
# WriteServeSettings DIR PORT LOG_NAME: DIR/keys/ with the test certificate's key and a new
# signing key for LOG_NAME (both 0600), DIR/wijkbudget.toml for serve on 127.0.0.1:PORT, the
# schema migrated; prints the log's verifier key; status 1 if a step failed. Needs ROOT (the
# checkout) and WIJKBUDGET.
WriteServeSettings()
{
    local dir=$1 port=$2 log_name=$3
    # Each step's status is checked here: errexit is off inside the $(...) that callers use.
    mkdir -m 0700 "$dir/keys" || return 1
    install -m 0600 "$ROOT/tests/support/tls/key.pem" "$dir/keys/tls.key" || return 1
    "$WIJKBUDGET" keygen --name "$log_name" --out "$dir/keys/ledger.key" || return 1
    cat >"$dir/wijkbudget.toml" <<SETTINGS || return 1
[server]
address = "127.0.0.1"
port = $port
[tls]
certificate_file = "$ROOT/tests/support/tls/cert.pem"
private_key_file = "$dir/keys/tls.key"
[database]
runtime_dsn = "$PG_CLUSTER_RUNTIME_DSN"
owner_dsn = "$PG_CLUSTER_OWNER_DSN"
[ledger]
signing_key_file = "$dir/keys/ledger.key"
SETTINGS
    "$WIJKBUDGET" migrate --config "$dir/wijkbudget.toml" >/dev/null || return 1
}
