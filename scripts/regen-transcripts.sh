#!/usr/bin/env bash
# Rewrites every transcript's expected.txt from the current build of dsim. Review the diff by hand
# against upstream behaviour before committing: these files are the tests' expectations.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --locked --release -q -p dsim
for dir in tests/transcripts/*/; do
  (cd "$dir" && ../../../target/release/dsim run -f cluster.yaml case.dsim > expected.txt || true)
done
(cd examples/seed-walkthrough && ../../target/release/dsim run -f cluster.yaml walkthrough.dsim > expected.txt || true)
git diff --stat -- tests/transcripts examples
