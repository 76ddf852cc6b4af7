#!/usr/bin/env bash
# tests/deploy/node_runtime_test.sh: deploy/node_runtime.sh's UseNodeRuntime, without a network.
#
# Against a fake `node` 18 on the PATH (Debian 12's version), UseNodeRuntime must fetch the
# package, check its SHA-512, keep its node in the folder and put it first on the PATH; a package
# whose hash is not the pinned one must be refused with nothing kept and the PATH unchanged; a
# second call must use the kept node without fetching; and a node that is new enough already
# must be kept as it is, nothing fetched. The package is a tarball made here, served as a file://
# address (WB_NODE_TARBALL_URL, WB_NODE_TARBALL_SHA512 and WB_NODE_DIR are the script's test
# settings); its node is a script that prints a version.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TEMP=$(mktemp -d)
trap 'rm -rf -- "$TEMP"' EXIT

Fail()
{
    echo "node_runtime_test: FAIL: $*" >&2
    exit 1
}

# FakeNode DIR VERSION: DIR/node, a script that answers --version with vVERSION.
FakeNode()
{
    mkdir -p "$1"
    printf '#!/bin/sh\necho v%s\n' "$2" >"$1/node"
    chmod +x "$1/node"
}

FakeNode "$TEMP/debian" 18.20.4
FakeNode "$TEMP/newer" 22.1.0
FakeNode "$TEMP/package/package/bin" 20.20.2
tar -czf "$TEMP/node.tgz" -C "$TEMP/package" package
SHA512="sha512-$(openssl dgst -sha512 -binary "$TEMP/node.tgz" | base64 -w 0)"
BASE_PATH=/usr/local/bin:/usr/bin:/bin

# Run PATH_FIRST HASH: UseNodeRuntime in a shell whose PATH starts with PATH_FIRST, with the
# package of this test and HASH as its pinned hash; prints the status, then `command -v node`.
Run()
{
    PATH="$1:$BASE_PATH" WB_NODE_TARBALL_URL="file://$TEMP/node.tgz" WB_NODE_TARBALL_SHA512="$2" \
        WB_NODE_DIR="$TEMP/tools/node" bash -c '
            source "$1/deploy/node_runtime.sh"
            status=0
            UseNodeRuntime 2>>"$2/stderr" || status=$?
            echo "$status $(command -v node)"' run "$ROOT" "$TEMP"
}

# A package whose hash is not the pinned one: refused, nothing kept, the old node still first.
wrong="sha512-$(printf 'other' | openssl dgst -sha512 -binary | base64 -w 0)"
[[ $(Run "$TEMP/debian" "$wrong") == "1 $TEMP/debian/node" ]] ||
    Fail "a package with another hash was not refused: $(Run "$TEMP/debian" "$wrong")"
grep -q "not the pinned $wrong: refused" "$TEMP/stderr" || Fail "the refusal does not say why"
[[ ! -e $TEMP/tools/node ]] || Fail "a refused package was kept in $TEMP/tools/node"

# Node 18 on the PATH: the package's node, fetched, kept and put first.
[[ $(Run "$TEMP/debian" "$SHA512") == "0 $TEMP/tools/node/bin/node" ]] ||
    Fail "node 18 on the PATH was not replaced: $(Run "$TEMP/debian" "$SHA512")"
[[ $("$TEMP/tools/node/bin/node" --version) == v20.20.2 ]] || Fail "the kept node is not the package's"

# Again: the kept node, nothing fetched (the package is gone now).
rm "$TEMP/node.tgz"
[[ $(Run "$TEMP/debian" "$SHA512") == "0 $TEMP/tools/node/bin/node" ]] ||
    Fail "the kept node was not used again: $(Run "$TEMP/debian" "$SHA512")"

# A node new enough on the PATH stays first; nothing is fetched.
rm -rf "$TEMP/tools"
[[ $(Run "$TEMP/newer" "$SHA512") == "0 $TEMP/newer/node" ]] ||
    Fail "a node 22 on the PATH was not kept: $(Run "$TEMP/newer" "$SHA512")"
[[ ! -e $TEMP/tools ]] || Fail "something was fetched although node 22 was on the PATH"

echo "node_runtime_test: ok"
