#!/usr/bin/env bash
# The browser benchmarks: the simulator core compiled to wasm, timed in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export WASM_BINDGEN_TEST_WEBDRIVER_JSON=$PWD/webdriver.json
export CHROMEDRIVER=/usr/bin/chromedriver
export WASM_BINDGEN_TEST_TIMEOUT=600
cargo test --locked --release --target wasm32-unknown-unknown -p daemonset-playground --test bench -- --include-ignored --nocapture 2>&1 \
  | grep -E '^(wasm:|test result|error)'
