#!/usr/bin/env bash
# tests/deploy/node_runtime_test.sh: deploy/node_runtime.sh's UseNodeRuntime, without a network.
#
# Against a fake `node` 18 on the PATH (Debian 12's version), UseNodeRuntime must fetch the two
# packages (node, npm), check their SHA-512, keep them in the folder and put its node, npm and
# npx first on the PATH, npm running on that node; a package whose hash is not the pinned one
# must be refused with nothing kept and the PATH unchanged; a second call must use what was kept
# without fetching; and a node that is new enough already must be kept as it is, nothing
# fetched. The packages are tarballs made here, served as file:// addresses (the WB_NODE_* and
# WB_NPM_* settings are the script's, for tests); their node is a script that prints a version
# and the npm script it was given.
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
mkdir -p "$TEMP/package/package/bin" "$TEMP/npm/package/bin"
printf '#!/bin/sh\necho v20.20.2 "$@"\n' >"$TEMP/package/package/bin/node"
chmod +x "$TEMP/package/package/bin/node"
tar -czf "$TEMP/node.tgz" -C "$TEMP/package" package
touch "$TEMP/npm/package/bin/npm-cli.js" "$TEMP/npm/package/bin/npx-cli.js"
tar -czf "$TEMP/npm.tgz" -C "$TEMP/npm" package
Sha512() { echo "sha512-$(openssl dgst -sha512 -binary "$1" | base64 -w 0)"; }
SHA512=$(Sha512 "$TEMP/node.tgz")
NPM_SHA512=$(Sha512 "$TEMP/npm.tgz")
BASE_PATH=/usr/local/bin:/usr/bin:/bin

# Run PATH_FIRST HASH: UseNodeRuntime in a shell whose PATH starts with PATH_FIRST, with the
# packages of this test and HASH as node's pinned hash; prints the status, then `command -v node`.
Run()
{
    PATH="$1:$BASE_PATH" WB_NODE_TARBALL_URL="file://$TEMP/node.tgz" WB_NODE_TARBALL_SHA512="$2" \
        WB_NPM_TARBALL_URL="file://$TEMP/npm.tgz" WB_NPM_TARBALL_SHA512="$NPM_SHA512" \
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
[[ ! -e $TEMP/tools/node && ! -e $TEMP/tools/node.partial ]] ||
    Fail "a refused package was kept in $TEMP/tools/"

# Node 18 on the PATH: the package's node, fetched, kept and put first.
[[ $(Run "$TEMP/debian" "$SHA512") == "0 $TEMP/tools/node/bin/node" ]] ||
    Fail "node 18 on the PATH was not replaced: $(Run "$TEMP/debian" "$SHA512")"
[[ $("$TEMP/tools/node/bin/node" --version) == "v20.20.2 --version" ]] ||
    Fail "the kept node is not the package's"
# npm and npx: the package's scripts, run by the package's node.
for tool in npm npx; do
    [[ $("$TEMP/tools/node/bin/$tool" --version) == "v20.20.2 $TEMP/tools/node/lib/npm/bin/$tool-cli.js --version" ]] ||
        Fail "$tool does not run the npm package on the kept node: $("$TEMP/tools/node/bin/$tool" --version)"
done

# Again: the kept node, nothing fetched (the package is gone now).
rm "$TEMP/node.tgz" "$TEMP/npm.tgz"
[[ $(Run "$TEMP/debian" "$SHA512") == "0 $TEMP/tools/node/bin/node" ]] ||
    Fail "the kept node was not used again: $(Run "$TEMP/debian" "$SHA512")"

# A node new enough on the PATH stays first; nothing is fetched.
rm -rf "$TEMP/tools"
[[ $(Run "$TEMP/newer" "$SHA512") == "0 $TEMP/newer/node" ]] ||
    Fail "a node 22 on the PATH was not kept: $(Run "$TEMP/newer" "$SHA512")"
[[ ! -e $TEMP/tools ]] || Fail "something was fetched although node 22 was on the PATH"

echo "node_runtime_test: ok"
