#!/usr/bin/env bash
# tests/lint/check_layers_test.sh: the self-test of check_layers.sh.
#
# Builds a tiny fake tree that follows STYLE.md section 2 and checks that it passes. Then, for each
# rule, plants one forbidden include in a fresh copy and checks that the checker fails and names
# exactly that file, line and rule, and nothing else.
set -euo pipefail

CHECKER="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/check_layers.sh"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# WriteFile PATH LINE...: writes the lines to PATH under the clean tree.
WriteFile()
{
    local path="$WORK/clean/$1"
    shift
    mkdir -p "$(dirname "$path")"
    printf '%s\n' "$@" >"$path"
}

WriteFile config/settings.hpp '#pragma once' '#include "config/limits.hpp"' \
    '#include <toml++/toml.hpp>' '#include <string>'
WriteFile config/limits.hpp '#pragma once' '#include <cstddef>'
WriteFile ledger/money.hpp '#pragma once' '#include "ledger/errc.hpp"' \
    '#include <boost/system/result.hpp>' '#include <cstdint>'
WriteFile ledger/errc.hpp '#pragma once' '#include <boost/system/error_code.hpp>'
WriteFile ledger/canonical_json.cpp '#include "ledger/money.hpp"' '#include <boost/json.hpp>' \
    '#include <boost/json/value.hpp>' '#include <openssl/evp.h>' \
    '// #include <boost/asio.hpp> is forbidden here; a comment is not an include.' \
    '#include <string_view>'
WriteFile ledger/tools/verify_main.cpp '#include "ledger/money.hpp"' '#include <cstdio>'
WriteFile ledger/pg/pg_entry_store.cpp '#include "ledger/money.hpp"' '#include <soci/soci.h>' \
    '#include <soci/postgresql/soci-postgresql.h>' '#include <vector>'
WriteFile pb/equal_shares.cpp '#include "pb/equal_shares.hpp"' '#include <gmpxx.h>' \
    '#include <vector>'
WriteFile services/budgets.hpp '#pragma once' '#include "ledger/money.hpp"' \
    '#include "services/clock.hpp"' '#include <boost/system/result.hpp>'
WriteFile services/clock.hpp '#pragma once' '#include <chrono>'
WriteFile services/pg/pg_member_directory.cpp '#include "services/budgets.hpp"' \
    '#include "services/pg/pg_member_directory.hpp"' '#include <soci/soci.h>'
WriteFile services/pg/pg_member_directory.hpp '#pragma once' '#include "services/budgets.hpp"'
WriteFile api/router.cpp '#include "services/budgets.hpp"' '#include "ledger/errc.hpp"' \
    '#include <boost/beast/http.hpp>' '#include <boost/asio/strand.hpp>' '#include <boost/json.hpp>' \
    '#include <openssl/ssl.h>'
WriteFile api/main.cpp '#include "config/settings.hpp"' '#include "ledger/pg/pg_entry_store.hpp"' \
    '#include "services/pg/pg_member_directory.hpp"' '#include "api/router.hpp"' \
    '#include <boost/asio/io_context.hpp>' '#include <soci/soci.h>' '#include <toml++/toml.hpp>'

failures=0
cases=0

Fail()
{
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# The clean tree passes.
cases=$((cases + 1))
if output=$(bash "$CHECKER" "$WORK/clean" 2>&1); then
    echo "ok: clean tree passes"
else
    Fail "clean tree was rejected:"
    echo "$output"
fi

# Plant FILE RULE INCLUDE: appends INCLUDE to FILE in a fresh copy; the checker must fail and name
# FILE:LINE: RULE on exactly one line.
Plant()
{
    local file=$1 rule=$2 include=$3
    cases=$((cases + 1))
    local tree="$WORK/case$cases"
    cp -R "$WORK/clean" "$tree"
    mkdir -p "$(dirname "$tree/$file")"
    printf '%s\n' "$include" >>"$tree/$file"
    local line
    line=$(wc -l <"$tree/$file")
    local output status=0
    output=$(bash "$CHECKER" "$tree" 2>&1) || status=$?
    local expected="$file:$line: $rule:"
    local reported
    reported=$(grep -cE '^[^ ]+:[0-9]+: ' <<<"$output" || true)
    if [[ $status -ne 1 ]]; then
        Fail "$rule in $file ($include): exit status $status, expected 1"
    elif ! grep -qF "$expected" <<<"$output"; then
        Fail "$rule in $file ($include): expected a line starting '$expected'"
    elif [[ $reported -ne 1 ]]; then
        Fail "$rule in $file ($include): expected one violation, got $reported"
    else
        echo "ok: $rule caught in $file ($include)"
        return 0
    fi
    echo "$output" | sed 's/^/    /'
}

Plant ledger/money.hpp asio-beast '#include <boost/asio.hpp>'
Plant ledger/tools/verify_main.cpp asio-beast '#include <boost/asio/io_context.hpp>'
Plant services/budgets.hpp asio-beast '#include <boost/beast/http.hpp>'
Plant config/settings.hpp asio-beast '#  include <boost/beast.hpp>'
Plant ledger/pg/pg_entry_store.cpp asio-beast '#include <boost/asio/post.hpp>'
Plant ledger/canonical_json.cpp soci '#include <soci/soci.h>'
Plant services/budgets.hpp soci '#include <soci/soci.h>'
Plant api/router.cpp soci '#include <soci/session.h>'
Plant api/router.cpp soci '#include <libpq-fe.h>'
Plant ledger/money.hpp config '#include "config/settings.hpp"'
Plant ledger/tools/verify_main.cpp config '#include "config/settings.hpp"'
Plant services/budgets.hpp config '#include <toml++/toml.hpp>'
Plant api/router.cpp config '#include "config/settings.hpp"'
Plant ledger/money.hpp upward '#include "services/budgets.hpp"'
Plant ledger/canonical_json.cpp upward '#include "api/router.hpp"'
Plant ledger/pg/pg_entry_store.cpp upward '#include "services/budgets.hpp"'
Plant ledger/money.hpp upward '#include "ledger/pg/pg_entry_store.hpp"'
Plant services/budgets.hpp upward '#include "api/router.hpp"'
Plant services/pg/pg_member_directory.cpp upward '#include "api/router.hpp"'
Plant services/budgets.hpp pg '#include "services/pg/pg_member_directory.hpp"'
Plant services/budgets.hpp pg '#include "ledger/pg/pg_entry_store.hpp"'
Plant api/router.cpp pg '#include "ledger/pg/pg_entry_store.hpp"'
Plant api/handlers/budgets.cpp pg '#include "services/pg/pg_member_directory.hpp"'
Plant services/pg/pg_member_directory.cpp pg '#include "ledger/pg/pg_entry_store.hpp"'
Plant config/settings.hpp config-leaf '#include "ledger/money.hpp"'
Plant config/limits.hpp config-leaf '#include <services/budgets.hpp>'
Plant config/settings.hpp config-leaf '#include "util.hpp"'
Plant ledger/money.hpp ledger-deps '#include <boost/filesystem.hpp>'
Plant ledger/canonical_json.cpp ledger-deps '#include <nlohmann/json.hpp>'
Plant ledger/canonical_json.cpp ledger-deps '#include "money.hpp"'
Plant ledger/tools/verify_main.cpp ledger-deps '#include <unistd.h>'
Plant ledger/money.hpp ledger-deps '#include "tests/support/fixed_clock.hpp"'
Plant ledger/pg/pg_entry_store.cpp ledger-deps '#include <fmt/format.h>'
Plant pb/equal_shares.cpp pb-deps '#include "ledger/money.hpp"'
Plant pb/equal_shares.cpp pb-deps '#include <boost/json.hpp>'
Plant pb/equal_shares.cpp soci '#include <soci/soci.h>'

# Misuse is an error of its own (status 2), not a pass.
cases=$((cases + 1))
status=0
bash "$CHECKER" "$WORK/does-not-exist" >/dev/null 2>&1 || status=$?
if [[ $status -eq 2 ]]; then
    echo "ok: a missing root is a usage error"
else
    Fail "a missing root gave exit status $status, expected 2"
fi

if ((failures > 0)); then
    echo "check_layers_test: $failures of $cases cases FAILED"
    exit 1
fi
echo "check_layers_test: all $cases cases OK"
