#!/usr/bin/env bash
# Installs what the end-to-end test (test/e2e) needs, outside the repository and idempotently:
#   - Debian's chromium (driven by playwright-core) and the build tools code-server's native modules need;
#   - code-server (a real VS Code workbench served over HTTP) into a cache folder.
# Prints the cache folder on its last line. The test itself installs nothing.
#
# Offline-safe: nothing here downloads from anywhere but the npm registry and Debian's archive.
# code-server 4.100.3 is the last release that runs on Node 20 (4.103+ needs Node 22).
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
CACHE="${MASS_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mass-e2e}"
PREFIX="$CACHE/code-server-$CODE_SERVER_VERSION"
BIN="$PREFIX/node_modules/code-server/out/node/entry.js"

log() { echo "[install-e2e] $*" >&2; }

# --- Debian packages
APT_PACKAGES=(chromium build-essential pkg-config python3 libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev ripgrep)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    log "missing Debian packages (run as root or install them): ${missing[*]}"
    exit 1
  fi
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Other installs may hold the dpkg lock for a while: wait for it instead of failing.
  apt-get -o DPkg::Lock::Timeout=900 update -qq
  apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- code-server
if [ -f "$PREFIX/.complete" ] && [ -f "$BIN" ]; then
  log "code-server $CODE_SERVER_VERSION already in $PREFIX"
  echo "$CACHE"
  exit 0
fi

log "installing code-server $CODE_SERVER_VERSION into $PREFIX (takes a few minutes)"
rm -rf "$PREFIX"
mkdir -p "$PREFIX/tmp"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# @vscode/ripgrep's postinstall downloads rg from GitHub unless it finds the release asset in
# $TMPDIR/vscode-ripgrep-cache-<package version>/. Put Debian's rg there under the asset's name,
# with both versions read from the packages' own files.
(cd "$work" && npm pack --silent "code-server@$CODE_SERVER_VERSION" >/dev/null && tar xzf code-server-*.tgz)
rg_pkg_version="$(node -e 'const s=require(process.argv[1]);console.log(s.packages["node_modules/@vscode/ripgrep"].version)' "$work/package/lib/vscode/npm-shrinkwrap.json")"
(cd "$work" && npm pack --silent "@vscode/ripgrep@$rg_pkg_version" >/dev/null && mkdir rgpkg && tar xzf vscode-ripgrep-*.tgz -C rgpkg)
rg_release="$(sed -n "s/^const VERSION = '\(.*\)';/\1/p" "$work/rgpkg/package/lib/postinstall.js")"
case "$(uname -m)" in
  x86_64) rg_target=x86_64-unknown-linux-musl ;;
  aarch64) rg_target=aarch64-unknown-linux-musl ;;
  *) log "unsupported architecture $(uname -m)"; exit 1 ;;
esac
rg_cache="$PREFIX/tmp/vscode-ripgrep-cache-$rg_pkg_version"
mkdir -p "$rg_cache" "$work/rgbin"
cp "$(command -v rg)" "$work/rgbin/rg"
tar czf "$rg_cache/ripgrep-$rg_release-$rg_target.tar.gz" -C "$work/rgbin" rg
log "ripgrep: package $rg_pkg_version, release $rg_release, from $(command -v rg)"

echo '{"private":true}' >"$PREFIX/package.json"
(
  cd "$PREFIX"
  export TMPDIR="$PREFIX/tmp"
  export npm_config_unsafe_perm=true   # root: let the postinstall scripts run
  export npm_config_yes=true           # node-pty's postinstall runs `npx node-gyp`
  export npm_config_nodedir=/usr       # build native modules against the installed Node headers
  export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
  npm install --no-save --no-package-lock "code-server@$CODE_SERVER_VERSION" >"$PREFIX/install.log" 2>&1 \
    || { tail -40 "$PREFIX/install.log" >&2; exit 1; }
)
test -f "$BIN"
touch "$PREFIX/.complete"
log "code-server installed"
echo "$CACHE"
