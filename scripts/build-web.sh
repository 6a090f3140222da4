#!/usr/bin/env bash
# Builds the static site into dist/: the Yew app (wasm, size-optimised), its JS glue, the page and
# its assets, the docs pages (docs.html: embeds; jsapi.html: the JavaScript API) and the npm package
# they use (pkg/). The output works from any folder of any static host (relative URLs only).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-dist}
WBV=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WBV" ]; then
  echo "wasm-bindgen $WBV is needed (run scripts/setup.sh)" >&2
  exit 1
fi
cargo build --locked -q -p web --bin playground --target wasm32-unknown-unknown --profile wasm-release
rm -rf "$OUT" && mkdir -p "$OUT"
wasm-bindgen --target web --no-typescript --out-dir "$OUT" target/wasm32-unknown-unknown/wasm-release/playground.wasm
tools/node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-reference-types \
  --enable-sign-ext --enable-mutable-globals "$OUT/playground_bg.wasm" -o "$OUT/playground_bg.wasm"
cp web/static/* "$OUT/"
# The npm package too, for the JavaScript API example page (jsapi.html).
scripts/build-pkg.sh "$OUT/pkg"
echo "built $OUT/: $(du -sh "$OUT" | cut -f1); wasm $(stat -c %s "$OUT/playground_bg.wasm") bytes, gzip $(gzip -9c "$OUT/playground_bg.wasm" | wc -c) bytes" >&2
