#!/usr/bin/env bash
# deploy/build_web.sh: builds the public site's front-end files (web/) into build-web/assets/ and
# prints that directory, the one the server's web assets setting names (api/web/assets.hpp).
#
# Idempotent: `npm ci` runs only when web/package-lock.json differs from the copy that the last
# successful install saved in web/node_modules/ (as LintOpenApi in deploy/test.sh does), so a
# second run only rebuilds, in about a second. Install scripts stay off: esbuild's binary comes
# as the optional dependency @esbuild/linux-x64, which needs none. The build's own report (file
# names and sizes) goes to stderr, so that `dir=$(deploy/build_web.sh)` gets the directory only.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=deploy/debian_packages.sh
source "$ROOT/deploy/debian_packages.sh"
# shellcheck source=deploy/node_runtime.sh
source "$ROOT/deploy/node_runtime.sh"

WEB_DIR="$ROOT/web"
OUT_DIR="$ROOT/build-web/assets"

# NodeSource's nodejs bundles npm and conflicts with Debian's npm package, so each is asked for
# only when its command is missing (as in deploy/test.sh).
PACKAGES=()
command -v node >/dev/null || PACKAGES+=(nodejs)
command -v npm >/dev/null || PACKAGES+=(npm)
if ((${#PACKAGES[@]} > 0)); then
    InstallDebianPackages "${PACKAGES[@]}" >&2
fi
# Debian 12's own nodejs is 18; the front-end asks for 20 (deploy/node_runtime.sh).
UseNodeRuntime

if ! cmp -s "$WEB_DIR/package-lock.json" "$WEB_DIR/node_modules/.installed-package-lock.json"; then
    npm ci --prefix "$WEB_DIR" --ignore-scripts --no-audit --no-fund --loglevel=error >&2
    cp "$WEB_DIR/package-lock.json" "$WEB_DIR/node_modules/.installed-package-lock.json"
fi

node "$WEB_DIR/build.mjs" "$OUT_DIR" >&2
echo "$OUT_DIR"
