#!/usr/bin/env bash
# Installs what the end-to-end tests need, from Debian's packages and the npm registry only:
#   - Debian: chromium (the browser playwright-core drives), fonts, ripgrep, and the toolchain that code-server's
#     native modules are compiled with
#   - code-server (a real VS Code: server + web workbench + Node extension host) into <repo>/.cache/
# Idempotent: when everything is present it only checks and returns (about a second). Prints the time of each step.
set -euo pipefail

# 4.100.3 (VS Code 1.100.3) is the newest code-server whose package declares Node 20 (the machine's Node).
CODE_SERVER_VERSION="4.100.3"
# code-server 4.100.3's lib/vscode depends on @vscode/ripgrep 1.15.11, whose postinstall downloads this asset.
RIPGREP_PKG_VERSION="1.15.11"
RIPGREP_ASSET="ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
# Debian packages:
#   chromium, fonts-*  - the browser and fonts for readable screenshots (chromium only recommends them)
#   ripgrep            - seeds @vscode/ripgrep's download cache (its postinstall would download rg and fail)
#   libkrb5-dev        - gssapi headers for the `kerberos` native module
#   g++ make python3   - node-gyp compiles the native modules (node-pty, spdlog, kerberos, argon2, ...)
#   curl               - handy to poll the server by hand
DEBIAN_PACKAGES=(chromium fonts-liberation fonts-dejavu-core ripgrep libkrb5-dev g++ make python3 curl)

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SERVER_DIR="$REPO/.cache/code-server-$CODE_SERVER_VERSION"
CODE_SERVER_BIN="$SERVER_DIR/node_modules/.bin/code-server"
LOG="$SERVER_DIR.install.log"
MARKER="$SERVER_DIR/.installed" # written only after the install was verified

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
fail() {
  echo "e2e install: $*" >&2
  exit 1
}
T0=$(now)

# 1. Debian packages. dpkg-query over all names at once is fast; a package counts only when fully installed.
missing_packages() {
  local p status
  for p in "${DEBIAN_PACKAGES[@]}"; do
    status="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)"
    [ "$status" = "install ok installed" ] || echo "$p"
  done
}
mapfile -t need < <(missing_packages)
if ((${#need[@]})); then
  if [ "$(id -u)" != 0 ]; then
    fail "missing Debian packages: ${need[*]}
  install them as root:  apt-get update && apt-get install -y --no-install-recommends ${need[*]}"
  fi
  T=$(now)
  echo "== apt-get install ${need[*]}"
  # Another apt run may hold the dpkg lock (e.g. a background install): wait for it instead of failing.
  apt-get -o DPkg::Lock::Timeout=900 update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=900 "${need[@]}"
  mapfile -t need < <(missing_packages)
  ((${#need[@]} == 0)) || fail "still missing after apt-get install: ${need[*]}"
  echo "== apt step: $(since "$T") s"
fi

# Files that a broken code-server install leaves out (native modules and ripgrep), relative to lib/vscode/node_modules.
VS_MODULES="$SERVER_DIR/node_modules/code-server/lib/vscode/node_modules"
MUST_EXIST=(@vscode/ripgrep/bin/rg node-pty/build/Release/pty.node @vscode/spdlog/build/Release/spdlog.node
  kerberos/build/Release/kerberos.node native-watchdog/build/Release/watchdog.node)
verify_server() {
  local f
  [ -x "$CODE_SERVER_BIN" ] || {
    echo "missing $CODE_SERVER_BIN"
    return 1
  }
  for f in "${MUST_EXIST[@]}"; do
    [ -e "$VS_MODULES/$f" ] || {
      echo "missing $VS_MODULES/$f"
      return 1
    }
  done
}

# 2. code-server from npm, unless the marker says this exact version was installed and verified.
if [ "$(cat "$MARKER" 2>/dev/null || true)" != "$CODE_SERVER_VERSION" ] || ! verify_server >/dev/null; then
  T=$(now)
  # Seed @vscode/ripgrep's download cache with Debian's rg, so that its postinstall "uses the cached download"
  # instead of calling GitHub (unreachable here, and its failure fails the whole code-server install).
  RG_CACHE="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
  if [ ! -s "$RG_CACHE/$RIPGREP_ASSET" ]; then
    mkdir -p "$RG_CACHE"
    d="$(mktemp -d)"
    cp "$(command -v rg)" "$d/rg"
    tar czf "$RG_CACHE/$RIPGREP_ASSET" -C "$d" rg
    rm -rf "$d"
  fi

  echo "== npm install code-server@$CODE_SERVER_VERSION into ${SERVER_DIR#"$REPO"/} (minutes: native modules are compiled)"
  rm -rf "$SERVER_DIR"
  mkdir -p "$SERVER_DIR"
  # allowScripts: code-server's postinstall (npm install inside lib/vscode) and argon2's build must run.
  cat >"$SERVER_DIR/package.json" <<EOF
{
  "name": "embedding-lens-e2e-code-server",
  "private": true,
  "version": "0.0.0",
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" },
  "allowScripts": { "code-server": true, "argon2": true }
}
EOF
  # node-gyp must find Node's headers locally (it would download them otherwise): Debian's Node 20 has them in /usr.
  if [ -z "${npm_config_nodedir:-}" ] && [ "$(npm config get nodedir 2>/dev/null)" = "undefined" ]; then
    [ -f /usr/include/node/node.h ] || fail "Node headers not found in /usr/include/node (node-gyp needs them); set npm_config_nodedir"
    export npm_config_nodedir=/usr
  fi
  # npm_config_unsafe_perm: code-server's postinstall refuses to run as root without it.
  # npm_config_yes: node-pty's postinstall runs `npx node-gyp`, which a `yes=false` npmrc cancels.
  if ! (cd "$SERVER_DIR" && npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --foreground-scripts --no-audit --no-fund) >"$LOG" 2>&1; then
    echo "code-server install failed; last lines of $LOG:" >&2
    tail -40 "$LOG" >&2
    exit 1
  fi
  why="$(verify_server)" || {
    tail -40 "$LOG" >&2
    fail "code-server installed but incomplete: $why (log: $LOG)"
  }
  echo "$CODE_SERVER_VERSION" >"$MARKER"
  echo "== code-server step: $(since "$T") s (log: $LOG, size: $(du -sh "$SERVER_DIR" | cut -f1))"
fi

# 3. playwright-core must be able to launch this chromium (the repo's devDependency; checked cheaply by path).
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing although the chromium package is installed"
[ -f "$REPO/node_modules/playwright-core/package.json" ] || fail "playwright-core is not installed: run npm ci in $REPO"

echo "== e2e install ok in $(since "$T0") s (code-server $CODE_SERVER_VERSION, $(/usr/bin/chromium --version 2>/dev/null | head -1))"
