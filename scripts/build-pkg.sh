#!/usr/bin/env bash
# Builds the npm package `daemonset-playground` (crates/wasm) with wasm-pack, size-optimised, into
# the given folder (default target/pkg): JS glue, TypeScript types, the wasm, package.json, README.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(mkdir -p "${1:-target/pkg}" && cd "${1:-target/pkg}" && pwd)
wasm-pack --quiet build crates/wasm --target web --profile wasm-release --out-dir "$OUT" --out-name daemonset_playground
tools/node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-reference-types \
  --enable-sign-ext --enable-mutable-globals "$OUT/daemonset_playground_bg.wasm" -o "$OUT/daemonset_playground_bg.wasm"
rm -f "$OUT/.gitignore"
echo "built $OUT: wasm $(stat -c %s "$OUT/daemonset_playground_bg.wasm") bytes, gzip $(gzip -9c "$OUT/daemonset_playground_bg.wasm" | wc -c) bytes" >&2
