#!/usr/bin/env bash
# Runs the same scenarios natively and as wasm under Node, and compares the JSON.
# `./run.sh bench` also times the M/M/4 benchmark in wasm.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-../../target/sim-wasm-check}"
cargo build --quiet --release
cargo build --quiet --release --lib --target wasm32-unknown-unknown
native=$(mktemp) wasm=$(mktemp)
"$CARGO_TARGET_DIR/release/sim-wasm-check" > "$native"
node run.mjs "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/sim_wasm_check.wasm" > "$wasm"
if cmp -s "$native" "$wasm"; then
  echo "native and wasm reports are identical ($(wc -c < "$native") bytes of JSON)"
else
  diff "$native" "$wasm" | head -40
  echo "native and wasm reports differ" >&2
  exit 1
fi
if [ "${1:-}" = bench ]; then
  node bench.mjs "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/sim_wasm_check.wasm"
fi
