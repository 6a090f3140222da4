#!/usr/bin/env bash
# Installs what is missing, then runs every test: formatting and lints, native tests, the core,
# the JS API and the web components under wasm-bindgen-test in headless Chromium, a release build
# of the site, and the browser end-to-end tests against it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

step() { printf '\n==> %s\n' "$*"; }
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$PWD/webdriver.json"
export CHROMEDRIVER=/usr/bin/chromedriver

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (native crates, and the wasm crates for wasm32)"
cargo clippy --locked -q -p sim -p dsim --all-targets -- -D warnings
cargo clippy --locked -q -p web -p daemonset-playground --all-targets --target wasm32-unknown-unknown -- -D warnings

step "native tests (sim, dsim)"
cargo test --locked -p sim -p dsim

step "wasm tests in headless Chromium (sim core, JS API, web components)"
cargo test --locked --target wasm32-unknown-unknown -p sim --lib --test transcripts_wasm
cargo test --locked --target wasm32-unknown-unknown -p daemonset-playground -p web

step "build the static site"
scripts/build-web.sh dist

step "end-to-end tests (Playwright, Chromium)"
(cd tests/e2e && SITE_DIR="$PWD/../../dist" node --test --test-concurrency=1)
