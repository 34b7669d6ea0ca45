#!/usr/bin/env bash
# Differential test: s3pg eval vs @cloud-copilot/iam-simulate on generated cases.
# Env: S3PG_BIN (path to the s3pg binary; built with cargo when unset), CASES (default 2000).
# Ends with `differential: N passed, N failed`; exits non-zero on an undocumented disagreement.
set -euo pipefail
cd "$(dirname "$0")"
root="$(cd ../.. && pwd)"

# Install exactly the locked packages, once.
if [ ! -d node_modules/@cloud-copilot/iam-simulate ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --silent
fi

if [ -z "${S3PG_BIN:-}" ]; then
  target="${CARGO_TARGET_DIR:-$root/target}"
  (cd "$root" && cargo build -q -p s3pg-cli)
  S3PG_BIN="$target/debug/s3pg"
fi
export S3PG_BIN

mkdir -p out
node generate.mjs "${CASES:-2000}" "${SEED:-20261127}" > out/cases.json
node compare.mjs out/cases.json
