#!/usr/bin/env bash
# Page benchmarks in headless Chromium: time to interactive, taint toggle at 1,000 nodes, a
# 5,000-node rollout playing. Builds the site first; prints the figures (also in tests/e2e/out).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
scripts/build-web.sh dist
cd tests/e2e && SITE_DIR="$PWD/../../dist" node bench.mjs
