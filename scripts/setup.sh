#!/usr/bin/env bash
# Idempotent set-up shared by `scripts/serve` and `scripts/test`: installs exactly what the build
# and the tests need, skipping whatever is already present at the right version. Safe to run again.
#
# What it installs, and why (the toolchain facts for this machine kind):
#   - rustup target wasm32-unknown-unknown     the core and the app compile to WebAssembly
#   - Debian chromium + chromium-driver        WASM tests and end-to-end tests run in headless Chromium
#   - trunk 0.21.14 (cargo install)            bundles web/ (0.22 needs a newer rustc)
#   - wasm-bindgen-cli = Cargo.lock's version  Trunk and wasm-bindgen-test-runner need the exact match
#   - npm binaryen@132, playwright-core        wasm-opt that reads modern wasm; a driver for Chromium
#   - binaryen's wasm-split 116 (built from      splits the app's module so a first visit loads only
#     crates.io's wasm-opt-sys source, g++)      the code a first decision runs (scripts/split-wasm.mjs)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"

say() { printf '\033[1;32m==>\033[0m %s\n' "$*" >&2; }

export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

ensure_wasm_target() {
    if ! rustup target list --installed | grep -qx 'wasm32-unknown-unknown'; then
        say "adding the wasm32-unknown-unknown target"
        rustup target add wasm32-unknown-unknown
    fi
}

ensure_chromium() {
    if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then return; fi
    say "installing Debian's chromium and chromium-driver"
    local sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
}

# Reads the wasm-bindgen version pinned in Cargo.lock.
wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_trunk() {
    if trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION\$"; then return; fi
    say "installing trunk $TRUNK_VERSION (a few minutes, once)"
    cargo install --locked trunk --version "$TRUNK_VERSION"
}

ensure_wasm_bindgen() {
    local want
    want="$(wasm_bindgen_version)"
    if [[ -z "$want" ]]; then echo "error: no wasm-bindgen in Cargo.lock" >&2; exit 1; fi
    if wasm-bindgen --version 2>/dev/null | grep -q " $want\$" &&
        wasm-bindgen-test-runner --version 2>/dev/null | grep -q " $want\$"; then
        return
    fi
    say "installing wasm-bindgen-cli $want (to match Cargo.lock)"
    # `--locked` fails when the registry mirror lags one of its dependencies: retry without it.
    cargo install --locked wasm-bindgen-cli --version "$want" ||
        cargo install --force wasm-bindgen-cli --version "$want"
}

ensure_npm_tools() {
    # node_modules/.package-lock.json is npm's own record of the last install: reinstall when the
    # committed lock file is newer or the tools are missing.
    if [[ -x "$ROOT/node_modules/.bin/wasm-opt" && -f "$ROOT/node_modules/.package-lock.json" &&
        ! "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]]; then
        return
    fi
    say "installing npm tools (binaryen, playwright-core) from package-lock.json"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
}

ensure_wasm_split() {
    if wasm-split --version 2>/dev/null | grep -q "version 116 (wasm-opt-sys 0.116.0)\$"; then return; fi
    if ! command -v g++ >/dev/null; then
        local sudo=""
        [[ $(id -u) -eq 0 ]] || sudo="sudo"
        say "installing Debian's g++ (to build wasm-split)"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq g++ >/dev/null
    fi
    say "building binaryen's wasm-split (about 15 minutes on two cores, once)"
    node "$ROOT/scripts/wasm-split/build.mjs"
}

setup_all() {
    ensure_wasm_target
    ensure_chromium
    ensure_npm_tools
    ensure_trunk
    ensure_wasm_bindgen
    ensure_wasm_split
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    setup_all
fi
