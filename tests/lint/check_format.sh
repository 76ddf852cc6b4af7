#!/usr/bin/env bash
# tests/lint/check_format.sh ROOT
#
# Fails if a *.cpp or *.hpp under config/ ledger/ services/ api/ tests/ of ROOT differs from what
# clang-format makes of it with the repo's .clang-format (STYLE.md section 9). It changes nothing:
# to fix a file, run `clang-format -i FILE` (clang-format 14, as on Debian 12; other versions break
# lines differently). CLANG_FORMAT overrides the binary.
set -euo pipefail

if [[ $# -ne 1 || ! -d $1 ]]; then
    echo "usage: $0 REPO_ROOT" >&2
    exit 2
fi
cd "$1"

CLANG_FORMAT=${CLANG_FORMAT:-clang-format}
DIAGNOSTIC_LINES_MAX=20

if ! command -v "$CLANG_FORMAT" >/dev/null; then
    echo "check_format: $CLANG_FORMAT not found (Debian package clang-format)" >&2
    exit 1
fi
if [[ ! -f .clang-format ]]; then
    echo "check_format: no .clang-format at the repo root" >&2
    exit 1
fi
if ! "$CLANG_FORMAT" --version | grep -q 'version 14\.'; then
    echo "check_format: warning: $("$CLANG_FORMAT" --version) is not clang-format 14" >&2
fi

folders=()
for folder in config ledger services api tests; do
    [[ -d $folder ]] && folders+=("$folder")
done

files=()
if ((${#folders[@]} > 0)); then
    # Build trees are skipped wherever they are (the usual ones live in /build*/ at the root).
    mapfile -d '' files < <(find "${folders[@]}" -type d -name 'build*' -prune -o -type f \
        \( -name '*.cpp' -o -name '*.hpp' \) -print0 | sort -z)
fi

unformatted=0
for file in "${files[@]}"; do
    if ! diagnostics=$("$CLANG_FORMAT" --style=file --dry-run --Werror "$file" 2>&1); then
        unformatted=$((unformatted + 1))
        echo "$file: not clang-formatted (clang-format -i $file)"
        echo "$diagnostics" | head -n "$DIAGNOSTIC_LINES_MAX" | sed 's/^/    /'
    fi
done

if ((unformatted > 0)); then
    echo "check_format: $unformatted of ${#files[@]} files need clang-format"
    exit 1
fi
echo "check_format: OK, ${#files[@]} files match .clang-format"
