#!/usr/bin/env bash
# deploy/test.sh: everything CI checks, in one script (run by .ci/run; fine to run by hand).
#
# On a fresh Debian 12 machine, as root, it installs what is missing, then runs these phases:
#   ci     g++ build with -DWB_WERROR=ON in build-ci/; ctest -L 'unit|lint'
#   asan   g++ Debug build with ASan+UBSan (-DWB_SANITIZE=ON -DWB_BENCH=OFF) in build-asan/;
#          ctest -L unit
#   fuzz   clang-14 libFuzzer build (-DWB_FUZZ=ON) in build-fuzz/; each target for WB_FUZZ_SECONDS
# A failing phase does not stop the next one (they are independent); a summary with the time of
# each phase comes last, and the exit status is non-zero if any phase failed. Build directories
# are reused, so a second run only rebuilds what changed.
#
# Environment:
#   WB_FUZZ_SECONDS  seconds each fuzz target runs (default 60, what CI uses; 10 for a quick run)
#   WB_JOBS          build and test parallelism (default: nproc)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

WB_FUZZ_SECONDS=${WB_FUZZ_SECONDS:-60}
JOBS=${WB_JOBS:-$(nproc)}
LOG_DIR="$ROOT/build-logs"

# Debian 12 packages. The Boost 1.81 family replaces the default 1.74 (libboost-dev), which
# conflicts with it. clang-14 and libclang-rt-14-dev bring libFuzzer and the sanitizer runtimes.
PACKAGES=(
    cmake ninja-build g++
    libboost1.81-dev libboost-json1.81-dev libboost-system1.81-dev libssl-dev
    libgtest-dev libgmock-dev libbenchmark-dev
    clang-14 libclang-rt-14-dev clang-format
)

Log() { printf '\n=== %s ===\n' "$*"; }

InstallPackages()
{
    local missing=() package
    for package in "${PACKAGES[@]}"; do
        if [[ $(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null) != installed ]]; then
            missing+=("$package")
        fi
    done
    if ((${#missing[@]} == 0)); then
        echo "all ${#PACKAGES[@]} packages are installed"
        return 0
    fi
    if [[ $(id -u) -ne 0 ]]; then
        echo "missing packages: ${missing[*]}" >&2
        echo "install them as root: apt-get install ${missing[*]}" >&2
        return 1
    fi
    echo "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# Configure BUILD_DIR [cmake args...]: (re)configures with Ninja. A directory left by another
# generator is started afresh rather than failing on the generator mismatch.
Configure()
{
    local build_dir=$1
    shift
    if [[ -f $build_dir/CMakeCache.txt ]] &&
        ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$build_dir/CMakeCache.txt"; then
        echo "$build_dir was configured with another generator; starting it afresh"
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

PhaseCi()
{
    Configure "$ROOT/build-ci" -DWB_WERROR=ON
    cmake --build "$ROOT/build-ci" --parallel "$JOBS"
    RunCtest ci "$ROOT/build-ci" -L 'unit|lint' --parallel "$JOBS"
}

PhaseAsan()
{
    # The options apply to gtest discovery at build time as well as to the test run.
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    # Debug (-O0): with the sanitizers, g++ compiles about twice as fast as at -O2, the unit tests
    # stay quick, and Boost's own assertions are on as well.
    Configure "$ROOT/build-asan" -DWB_SANITIZE=ON -DWB_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug
    cmake --build "$ROOT/build-asan" --parallel "$JOBS"
    RunCtest asan "$ROOT/build-asan" -L unit --parallel "$JOBS"
}

PhaseFuzz()
{
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    # Naming the compiler on every configure also keeps a build-fuzz/ made with g++ from lingering.
    CC=clang-14 CXX=clang++-14 Configure "$ROOT/build-fuzz" -DWB_FUZZ=ON \
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

# Planned (later issues), not done yet:
# - a private PostgreSQL 15 cluster for the integration tests: initdb into build-pg/ as an
#   unprivileged user, start it on a Unix socket only, create the roles of deploy/postgres/, export
#   WB_TEST_PG_DSN and WB_REQUIRE_PG=1 (STYLE.md section 8), and stop it on exit (trap).
# - an integration phase: ctest -L integration in build-ci/ against that cluster.
# - an e2e phase: the quick start driven over HTTPS and in headless Chromium (tests/e2e/).

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
    return 0
}

# Counts "N tests failed out of M" from ctest's closing line in a phase's log.
TestCounts()
{
    local log="$LOG_DIR/$1.log"
    [[ -f $log ]] || return 0
    sed -nE 's/.*tests passed, ([0-9]+) tests? failed out of ([0-9]+).*/\1 \2/p' "$log" | tail -n 1
}

PrintSummary()
{
    local index failed=0 tests_failed=0 tests_total=0 counts phase_failed phase_total
    Log "summary"
    printf '%-10s %-22s %8s  %s\n' phase result seconds tests
    for index in "${!PHASE_NAMES[@]}"; do
        counts=$(TestCounts "${PHASE_NAMES[$index]}")
        local tests=-
        if [[ -n $counts ]]; then
            read -r phase_failed phase_total <<<"$counts"
            tests="$((phase_total - phase_failed))/$phase_total passed"
            tests_failed=$((tests_failed + phase_failed))
            tests_total=$((tests_total + phase_total))
        fi
        printf '%-10s %-22s %8s  %s\n' "${PHASE_NAMES[$index]}" "${PHASE_RESULTS[$index]}" \
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
    RunPhase asan PhaseAsan
    RunPhase fuzz PhaseFuzz
    # Planned: the PostgreSQL cluster, integration and e2e phases go here (see above).
    PrintSummary
}

main "$@"
