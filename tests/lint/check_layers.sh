#!/usr/bin/env bash
# tests/lint/check_layers.sh ROOT
#
# Fails on an #include that breaks the dependency direction of STYLE.md section 2 (and DESIGN.md
# section 3), in the spirit of Bitcoin's test/lint/lint-circular-dependencies.py. CMake's link graph
# catches a forbidden call; this catches the include before anyone writes the call. Each violation
# is printed as "file:line: rule: why", and the exit status is 1 if there is any.
#
# Scanned: C++ files under config/ ledger/ pb/ services/ api/ of ROOT. Rows (first match wins):
#   api/main.cpp, api/main_*  the composition root (the wijkbudget executable's commands):
#                   may include everything, not checked
#   config/         leaf: std and toml++, no other project folder
#   ledger/pg/      ledger/, SOCI, libpq, and what ledger/ may use
#   ledger/         std, Boost.System, Boost.JSON, OpenSSL, ledger/ (ledger/tools/ too: it links
#                   the ledger only)
#   pb/             std, GMP (gmpxx.h, gmp.h) and pb/: the rules stand alone
#   services/pg/    services/, ledger/, its own services/pg/, SOCI
#   services/       ledger/, pb/ (the rules residents' rounds are counted by) and services/
#                   (ports, not adapters)
#   api/            services/, ledger/, Beast/Asio, OpenSSL, Boost.JSON; never SOCI, */pg/, config
#
# Rules (the name is printed):
#   asio-beast   <boost/asio...> or <boost/beast...> outside api/
#   soci         SOCI or libpq outside ledger/pg/ and services/pg/
#   config       "config/..." or toml++ in ledger/, services/ or api/ (only api/main.cpp reads config)
#   upward       "services/ or "api/ in ledger/; "ledger/pg/ in the ledger core; "api/ in services/
#   pg           a */pg/ include in services/ or api/, or another layer's pg/ in services/pg/
#   config-leaf  any project include in config/ other than config/
#   ledger-deps  anything else in ledger/ that is not std, Boost.System/JSON, OpenSSL or ledger/
#                (ledger/pg/ may also use SOCI and libpq)
#   pb-deps      anything in pb/ that is not std, GMP or pb/
set -euo pipefail

if [[ $# -ne 1 || ! -d $1 ]]; then
    echo "usage: $0 REPO_ROOT" >&2
    exit 2
fi
cd "$1"

# The C++ standard library headers (C++20 and C++23). Anything else in <...> is not std.
STD_HEADERS=" algorithm any array atomic barrier bit bitset cassert ccomplex cctype cerrno cfenv
cfloat charconv chrono cinttypes ciso646 climits clocale cmath codecvt compare complex concepts
condition_variable coroutine csetjmp csignal cstdalign cstdarg cstdbool cstddef cstdint cstdio
cstdlib cstring ctgmath ctime cuchar cwchar cwctype deque exception execution expected filesystem
flat_map flat_set format forward_list fstream functional future generator initializer_list iomanip
ios iosfwd iostream istream iterator latch limits list locale map mdspan memory memory_resource
mutex new numbers numeric optional ostream print queue random ranges ratio regex scoped_allocator
semaphore set shared_mutex source_location span spanstream sstream stack stacktrace stdexcept
stdfloat stop_token streambuf string string_view strstream syncstream system_error thread tuple
type_traits typeindex typeinfo unordered_map unordered_set utility valarray variant vector version "
STD_HEADERS=${STD_HEADERS//$'\n'/ }

INCLUDE_RE='^[[:space:]]*#[[:space:]]*include[[:space:]]*([<"])([^>"]+)[>"]'

IsStd() { [[ $STD_HEADERS == *" $1 "* ]]; }
IsBoostAllowedInLedger() { [[ $1 =~ ^boost/(system|json)(/|\.hpp$) ]]; }
IsSoci() { [[ $1 =~ ^(soci/|soci\.h$|libpq-fe\.h$|postgresql/) ]]; }
IsToml() { [[ $1 =~ (^|/)toml ]]; }

# Prints the layer (row) of a repo-relative file, or nothing for the composition root.
Layer()
{
    case $1 in
    api/main.cpp | api/main_*) ;;
    config/*) echo config ;;
    ledger/pg/*) echo ledger_pg ;;
    ledger/*) echo ledger ;;
    pb/*) echo pb ;;
    services/pg/*) echo services_pg ;;
    services/*) echo services ;;
    api/*) echo api ;;
    esac
}

# Check LAYER PATH QUOTE: prints "rule: why" for the first rule the include breaks, else nothing.
Check()
{
    local layer=$1 path=$2 quote=$3
    if [[ $path =~ ^boost/(asio|beast)([/.]|$) && $layer != api ]]; then
        echo "asio-beast: Boost.Asio and Beast belong to api/ only"
    elif IsSoci "$path" && [[ $layer != ledger_pg && $layer != services_pg ]]; then
        echo "soci: SOCI and libpq belong to ledger/pg/ and services/pg/ only"
    elif [[ $layer != config ]] && { [[ $path == config/* ]] || IsToml "$path"; }; then
        echo "config: only api/main.cpp reads config; layers take plain structs"
    elif [[ $layer == ledger* && $path =~ ^(services|api)/ ]]; then
        echo "upward: ledger/ must not include services/ or api/"
    elif [[ $layer == ledger && $path == ledger/pg/* ]]; then
        echo "upward: the ledger core must not include its PostgreSQL adapter ledger/pg/"
    elif [[ $layer == services* && $path == api/* ]]; then
        echo "upward: services/ must not include api/"
    elif [[ ($layer == services || $layer == api) && $path =~ (^|/)pg/ ]]; then
        echo "pg: $layer/ uses ports; only api/main.cpp wires the */pg/ adapters"
    elif [[ $layer == services_pg && $path =~ (^|/)pg/ && $path != services/pg/* ]]; then
        echo "pg: services/pg/ may include only its own layer's pg/"
    elif [[ $layer == config ]] &&
        { [[ $quote == '"' && $path != config/* ]] || [[ $path =~ ^(ledger|services|api|tests)/ ]]; }; then
        echo "config-leaf: config/ may include only config/, std and toml++"
    elif [[ $layer == pb ]]; then
        if IsStd "$path" || [[ $path == gmpxx.h || $path == gmp.h || $path == pb/* ]]; then
            return 0
        fi
        echo "pb-deps: pb/ may include only std, GMP (gmpxx.h, gmp.h) and pb/"
    elif [[ $layer == ledger* ]]; then
        if IsStd "$path" || IsBoostAllowedInLedger "$path" || [[ $path == openssl/* ]] ||
            [[ $path == ledger/* ]]; then
            return 0
        fi
        if [[ $layer == ledger_pg ]]; then
            IsSoci "$path" && return 0
            echo "ledger-deps: ledger/pg/ may include only ledger/, SOCI, libpq, std, Boost.System/JSON, OpenSSL"
        else
            echo "ledger-deps: ledger/ may include only std, Boost.System, Boost.JSON, OpenSSL and ledger/"
        fi
    fi
}

files=0
includes=0
violations=0
while IFS= read -r -d '' file; do
    file=${file#./}
    files=$((files + 1))
    layer=$(Layer "$file")
    [[ -z $layer ]] && continue
    line_number=0
    while IFS= read -r line || [[ -n $line ]]; do
        line_number=$((line_number + 1))
        [[ $line =~ $INCLUDE_RE ]] || continue
        includes=$((includes + 1))
        verdict=$(Check "$layer" "${BASH_REMATCH[2]}" "${BASH_REMATCH[1]}")
        if [[ -n $verdict ]]; then
            echo "$file:$line_number: $verdict (#include ${BASH_REMATCH[1]}${BASH_REMATCH[2]})"
            violations=$((violations + 1))
        fi
    done <"$file"
done < <(find config ledger pb services api \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' \
    -o -name '*.cc' -o -name '*.ipp' \) -type f -print0 2>/dev/null | sort -z)

if ((violations > 0)); then
    echo "check_layers: $violations forbidden include(s) (STYLE.md section 2); $files files checked"
    exit 1
fi
echo "check_layers: OK, $includes includes in $files files follow STYLE.md section 2"
