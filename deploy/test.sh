#!/usr/bin/env bash
# deploy/test.sh: everything CI checks, in one script (run by .ci/run; fine to run by hand).
#
# On a fresh Debian 12 machine, as root, it installs what is missing, then runs these phases:
#   ci     g++ build with -DWB_WERROR=ON in build-ci/ (-O1, no debug information, no unit test
#          executables: they are built and run in the asan phase); ctest -L 'unit|lint|pb_parity'
#          (pb_parity: every Pabulib file and rule, tests/pb/); Redocly CLI lints the OpenAPI document
#          (api/openapi/openapi.json; tests/openapi/); the site's front-end
#          (web/) is built by deploy/build_web.sh and its unit tests run with node --test
#   integration
#          ctest -L integration in build-ci/ against a private PostgreSQL 15 cluster that
#          deploy/pg_cluster.sh creates in a temporary directory for this run and removes after it
#   e2e    the public site in headless Chromium (tests/e2e/run.sh: playwright-core and axe-core
#          against `wijkbudget serve` from build-ci/ with the demo, on a private cluster of its own)
#   asan   clang-14 Debug build with ASan+UBSan and warnings as errors (-DWB_SANITIZE=ON
#          -DWB_WERROR=ON -DWB_BENCH=OFF) in build-asan/; ctest -L unit
#   fuzz   clang-14 libFuzzer build (-DWB_FUZZ=ON, -O1) in build-fuzz/; each target for
#          WB_FUZZ_SECONDS
# A failing phase does not stop the next one (they are independent); a summary with the time of
# each phase comes last, and the exit status is non-zero if any phase failed. Build directories
# are reused, so a second run only rebuilds what changed.
#
# Environment:
#   WB_FUZZ_SECONDS  seconds each fuzz target runs (default 10, what CI uses; 5 for a quick run)
#   WB_JOBS          build and test parallelism (default: nproc; integration tests run 2 at a time)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=deploy/debian_packages.sh
source "$ROOT/deploy/debian_packages.sh"
# UseNodeRuntime: Node.js 20 or later first on the PATH (Debian 12's own nodejs is 18).
# shellcheck source=deploy/node_runtime.sh
source "$ROOT/deploy/node_runtime.sh"

WB_FUZZ_SECONDS=${WB_FUZZ_SECONDS:-10}
JOBS=${WB_JOBS:-$(nproc)}
LOG_DIR="$ROOT/build-logs"

# Debian 12 packages. The Boost 1.81 family replaces the default 1.74 (libboost-dev), which
# conflicts with it. clang-14 and libclang-rt-14-dev bring libFuzzer and the sanitizer runtimes.
# SOCI, libpq, libsodium and toml++ are the service's libraries (found through pkg-config, except
# SOCI); libgmp-dev gives pb/ its exact rationals; postgresql-15 runs the integration tests'
# cluster; nginx-light is a benchmark baseline; chromium is the browser of the e2e phase, and
# fonts-liberation its Arial; ca-certificates lets deploy/node_runtime.sh fetch Node.js over HTTPS.
PACKAGES=(
    cmake ninja-build g++ pkg-config curl procps ca-certificates fonts-liberation
    libboost1.81-dev libboost-json1.81-dev libboost-system1.81-dev libssl-dev
    libsoci-dev libpq-dev libsodium-dev libjemalloc-dev libtomlplusplus-dev libcli11-dev libgmp-dev openssl
    postgresql-15 postgresql-client-15 nginx-light
    libgtest-dev libgmock-dev libbenchmark-dev
    clang-14 libclang-rt-14-dev clang-format
    nodejs chromium
)
# npm (and npx) run the OpenAPI lint. NodeSource's nodejs package bundles them and conflicts with
# Debian's npm, so npm is asked for only when no npm is on the PATH.
command -v npm >/dev/null || PACKAGES+=(npm)
# The integration tests run two at a time: each makes its own schemas, and CI has two cores.
INTEGRATION_JOBS=2

# PgClusterStart, PgClusterStop: the private PostgreSQL cluster of the integration phase.
# shellcheck source=deploy/pg_cluster.sh
source "$ROOT/deploy/pg_cluster.sh"

Log() { printf '\n=== %s ===\n' "$*"; }

InstallPackages() { InstallDebianPackages "${PACKAGES[@]}"; }

# Configure BUILD_DIR [cmake args...]: (re)configures with Ninja. A directory left by another
# generator, or by another compiler than a -DCMAKE_CXX_COMPILER= argument names, is started afresh
# rather than failing on the mismatch.
Configure()
{
    local build_dir=$1 argument compiler=""
    shift
    for argument in "$@"; do
        [[ $argument == -DCMAKE_CXX_COMPILER=* ]] && compiler=${argument#-DCMAKE_CXX_COMPILER=}
    done
    if [[ -f $build_dir/CMakeCache.txt ]] &&
        ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$build_dir/CMakeCache.txt"; then
        echo "$build_dir was configured with another generator; starting it afresh"
        rm -rf "$build_dir"
    fi
    if [[ -n $compiler && -f $build_dir/CMakeCache.txt ]] &&
        [[ $(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build_dir/CMakeCache.txt") != "$compiler" ]]; then
        echo "$build_dir was configured with another compiler; starting it afresh"
        rm -rf "$build_dir"
    fi
    cmake -S "$ROOT" -B "$build_dir" -G Ninja "$@"
}

# RunCtest NAME BUILD_DIR [ctest args...]: runs ctest and keeps its output in build-logs/NAME.log,
# from which the summary counts the tests.
RunCtest()
{
    local name=$1 build_dir=$2
    shift 2
    ctest --test-dir "$build_dir" --output-on-failure --no-tests=error "$@" 2>&1 |
        tee "$LOG_DIR/$name.log"
}

# LintOpenApi: Redocly CLI, pinned with its dependencies in tests/openapi/package-lock.json, checks
# the OpenAPI document; any finding fails (tests/openapi/README.md). Its output is kept in
# build-logs/openapi.log. `npm ci` (about 20 s: it rewrites 200 MB of node_modules/) runs only when
# the lock file differs from the one the last successful install copied into node_modules/.
# Install scripts are not needed; telemetry and the update check stay off, and `npx --no` never
# fetches a package that the install lacks. Called after ||, so errexit is off here: each step
# checks.
LintOpenApi()
{
    local dir="$ROOT/tests/openapi"
    Log "OpenAPI lint (Redocly CLI)"
    UseNodeRuntime || return
    if ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.installed-package-lock.json"; then
        npm ci --prefix "$dir" --ignore-scripts --no-audit --no-fund --loglevel=error || return
        cp "$dir/package-lock.json" "$dir/node_modules/.installed-package-lock.json" || return
    fi
    REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
        npx --no --prefix "$dir" redocly lint --config "$dir/redocly.yaml" \
        "$ROOT/api/openapi/openapi.json" 2>&1 |
        tee "$LOG_DIR/openapi.log"
}

PhaseCi()
{
    # Compiling is most of CI's 25 minutes, so each build compiles only what its phases run.
    # - No -g: debug information was about 40% of this build's compile time, and nothing here
    #   reads it (ASan's stack traces come from build-asan/).
    # - -O1, not -O2: each file compiles in about two thirds of the time. The integration and e2e
    #   tests still drive an optimised server (the e2e phase's measures are taken against it); the
    #   benchmarks build their own Release one (tests/bench/service_bench.sh), and so does
    #   quickstart.sh.
    # - No unit test executables (WB_UNIT_TESTS=OFF): they were over a third of this build. The
    #   asan phase builds them with clang, warnings as errors too, and runs them under ASan+UBSan.
    #   This build still compiles all the service's code with g++'s warnings as errors.
    # - No benchmarks (WB_BENCH=OFF): no phase runs them; tests/bench/ builds its own.
    Configure "$ROOT/build-ci" -DWB_WERROR=ON -DWB_UNIT_TESTS=OFF -DWB_BENCH=OFF \
        -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_CXX_FLAGS_RELEASE="-O1 -DNDEBUG"
    cmake --build "$ROOT/build-ci" --parallel "$JOBS"
    local status=0
    # pb_parity: every Pabulib file and rule against the reference outcomes (tests/pb/).
    RunCtest ci "$ROOT/build-ci" -L 'unit|lint|pb_parity' --parallel "$JOBS" || status=$?
    # Linted even when a test failed, so that one run reports both.
    LintOpenApi || status=$?
    TestWeb || status=$?
    return "$status"
}

# TestWeb: builds the site's front-end (deploy/build_web.sh) and runs its unit tests (web/test/)
# in Node; the TAP output goes to build-logs/ci.node.log, where the summary counts the tests.
TestWeb()
{
    Log "front-end build and unit tests (web/)"
    UseNodeRuntime || return
    "$ROOT/deploy/build_web.sh" || return
    # The files by name: from Node 21 on, `node --test` takes patterns, and a folder is none.
    node --test --test-reporter=tap "$ROOT"/web/test/*.test.mjs 2>&1 | tee "$LOG_DIR/ci.node.log"
}

# The public site in a browser (tests/e2e/README.md); its TAP output is build-logs/e2e.node.log.
PhaseE2e()
{
    cmake --build "$ROOT/build-ci" --parallel "$JOBS" --target wijkbudget wijkbudget-verify
    "$ROOT/tests/e2e/run.sh" "$ROOT/build-ci"
}

PhaseAsan()
{
    # The options apply to gtest discovery at build time as well as to the test run.
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    # Debug (-O0): with the sanitizers, compiling is about twice as fast as at -O2, the unit tests
    # stay quick, and Boost's own assertions are on as well. clang-14 rather than g++: at -O0
    # with the sanitizers it compiles our heaviest files in half the time (8 s against 18 s), and
    # this build was a third of the run. The ci phase's g++ build keeps g++'s warnings as errors
    # for the service's code; this build is the only one of the unit tests, so it keeps clang's.
    # Line tables only, not full debug info: ASan's and UBSan's reports still name file and line,
    # and the phase spends less of CI's 25 minutes writing type information nothing reads.
    CC=clang-14 CXX=clang++-14 Configure "$ROOT/build-asan" -DWB_SANITIZE=ON -DWB_WERROR=ON \
        -DWB_BENCH=OFF -DWB_UNIT_TESTS=ON \
        -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-gline-tables-only \
        -DCMAKE_CXX_COMPILER="$(command -v clang++-14)"
    # Only what `ctest -L unit` runs: the integration executables (and the server they start)
    # would add minutes of sanitized compiling to a phase that does not run them.
    cmake --build "$ROOT/build-asan" --parallel "$JOBS" --target wijkbudget_unit_tests \
        wijkbudget_tool_tests wijkbudget_service_unit_tests wijkbudget_pb_tests
    RunCtest asan "$ROOT/build-asan" -L unit --parallel "$JOBS"
}

PhaseFuzz()
{
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    # Naming the compiler on every configure also keeps a build-fuzz/ made with g++ from lingering.
    # -O1 with line tables: libFuzzer's documentation suggests -O1 or -O2; -O1 compiles about a
    # quarter faster than the default -O2 -g, and the reports still name file and line.
    CC=clang-14 CXX=clang++-14 Configure "$ROOT/build-fuzz" -DWB_FUZZ=ON \
        -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O1 -gline-tables-only -DNDEBUG" \
        -DCMAKE_CXX_COMPILER="$(command -v clang++-14)" -DWB_FUZZ_SECONDS="$WB_FUZZ_SECONDS"
    cmake --build "$ROOT/build-fuzz" --parallel "$JOBS"
    # Two targets at a time: each is one process, and CI has two cores. The middle of a long log
    # is cut, so that a crash report at its end survives.
    local status=0
    RunCtest fuzz "$ROOT/build-fuzz" -L fuzz --parallel 2 --test-output-truncation middle ||
        status=$?
    local artifacts
    artifacts=$(find "$ROOT/build-fuzz/tests/fuzz/artifacts" -type f 2>/dev/null || true)
    if [[ -n $artifacts ]]; then
        echo "fuzz artifacts (inputs that crashed, leaked or timed out; reproduce: <target> <file>):"
        echo "$artifacts" | sed 's/^/  /'
    fi
    return "$status"
}

# The integration tests (label integration) against a PostgreSQL 15 cluster of their own, made in a
# temporary directory for this run and stopped and removed when the phase ends, however it ends.
# WB_TEST_PG_DSN is the superuser's, because the tests create their own schemas and roles; the
# owner and runtime DSNs are the roles of deploy/postgres/roles.sql. WB_REQUIRE_PG=1 turns a test's
# skip for want of PostgreSQL into a failure (STYLE.md section 8), and a cluster that cannot start
# fails the phase. No integration test at all fails it too (ctest --no-tests=error).
PhaseIntegration()
{
    local cluster
    cluster=$(mktemp -d /tmp/wijkbudget-pg.XXXXXX)
    # mktemp makes it 0700; as root, the server runs as wijkbudget-pg, which must enter it.
    chmod 0711 "$cluster"
    # Expanded now: the trap runs when this phase's subshell exits, after $cluster is gone.
    # shellcheck disable=SC2064
    trap "PgClusterStop $(printf %q "$cluster/pg") || true; rm -rf $(printf %q "$cluster")" EXIT
    trap 'exit 130' INT TERM
    PgClusterStart "$cluster/pg"
    export WB_TEST_PG_DSN=$PG_CLUSTER_SUPERUSER_DSN
    export WB_TEST_PG_OWNER_DSN=$PG_CLUSTER_OWNER_DSN
    export WB_TEST_PG_RUNTIME_DSN=$PG_CLUSTER_RUNTIME_DSN
    export WB_REQUIRE_PG=1
    echo "PostgreSQL cluster in $cluster/pg: $WB_TEST_PG_DSN"
    # Up to date after the ci phase; rebuilding here keeps this phase right when run alone.
    cmake --build "$ROOT/build-ci" --parallel "$JOBS"
    RunCtest integration "$ROOT/build-ci" -L integration --parallel "$INTEGRATION_JOBS"
}

PHASE_NAMES=()
PHASE_RESULTS=()
PHASE_SECONDS=()

# RunPhase NAME FUNCTION: runs FUNCTION in a subshell with errexit in force (a function called in
# an if or || would run with errexit off), records its result and time, and never exits itself.
RunPhase()
{
    local name=$1 function=$2 start status
    Log "phase $name"
    start=$(date +%s)
    set +e
    (
        set -e
        "$function"
    )
    status=$?
    set -e
    PHASE_NAMES+=("$name")
    PHASE_SECONDS+=($(($(date +%s) - start)))
    if ((status == 0)); then
        PHASE_RESULTS+=(ok)
    else
        PHASE_RESULTS+=("FAILED (status $status)")
    fi
    # Ctrl-C: the phase cleaned up (its clusters, its server) and ended with 130, as the e2e run
    # and the integration phase's trap do. The next phases would build for minutes: stop here.
    if ((status == 130)); then
        PrintSummary || true
        echo "deploy/test.sh: interrupted"
        exit 130
    fi
    return 0
}

# Prints "FAILED TOTAL" for a phase: ctest's closing line "N tests failed out of M" in NAME.log,
# plus node's TAP totals ("# fail F", "# tests T") in NAME.node.log; nothing if neither exists.
TestCounts()
{
    local ctest_log="$LOG_DIR/$1.log" node_log="$LOG_DIR/$1.node.log" counts failed=0 total=0
    local found=0 node_failed node_total
    if [[ -f $ctest_log ]]; then
        counts=$(sed -nE 's/.*tests passed, ([0-9]+) tests? failed out of ([0-9]+).*/\1 \2/p' \
            "$ctest_log" | tail -n 1)
        if [[ -n $counts ]]; then
            read -r failed total <<<"$counts"
            found=1
        fi
    fi
    if [[ -f $node_log ]]; then
        node_total=$(sed -nE 's/^# tests ([0-9]+)$/\1/p' "$node_log" | tail -n 1)
        node_failed=$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$node_log" | tail -n 1)
        if [[ -n $node_total && -n $node_failed ]]; then
            failed=$((failed + node_failed))
            total=$((total + node_total))
            found=1
        fi
    fi
    ((found)) && echo "$failed $total"
    return 0
}

PrintSummary()
{
    local index failed=0 tests_failed=0 tests_total=0 counts phase_failed phase_total
    Log "summary"
    printf '%-12s %-22s %8s  %s\n' phase result seconds tests
    for index in "${!PHASE_NAMES[@]}"; do
        counts=$(TestCounts "${PHASE_NAMES[$index]}")
        local tests=-
        if [[ -n $counts ]]; then
            read -r phase_failed phase_total <<<"$counts"
            tests="$((phase_total - phase_failed))/$phase_total passed"
            tests_failed=$((tests_failed + phase_failed))
            tests_total=$((tests_total + phase_total))
        fi
        printf '%-12s %-22s %8s  %s\n' "${PHASE_NAMES[$index]}" "${PHASE_RESULTS[$index]}" \
            "${PHASE_SECONDS[$index]}" "$tests"
        [[ ${PHASE_RESULTS[$index]} == ok ]] || failed=$((failed + 1))
    done
    printf 'total: %s s; fuzz targets ran %s s each; logs in %s\n' "$SECONDS" "$WB_FUZZ_SECONDS" \
        "$LOG_DIR"
    if ((failed > 0)); then
        echo "deploy/test.sh: $failed phase(s) FAILED"
    else
        echo "deploy/test.sh: all phases passed"
    fi
    # Last, as the plain closing line CI reads: the tests of all phases together.
    echo "tests: $((tests_total - tests_failed)) passed, $tests_failed failed"
    ((failed == 0))
}

main()
{
    mkdir -p "$LOG_DIR"
    rm -f "$LOG_DIR"/*.log
    RunPhase packages InstallPackages
    if [[ ${PHASE_RESULTS[0]} != ok ]]; then
        PrintSummary
        exit 1
    fi
    RunPhase ci PhaseCi
    RunPhase integration PhaseIntegration
    RunPhase e2e PhaseE2e
    RunPhase asan PhaseAsan
    RunPhase fuzz PhaseFuzz
    PrintSummary
}

main "$@"
