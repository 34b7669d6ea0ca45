#!/usr/bin/env bash
# Differential test: s3pg eval vs @cloud-copilot/iam-simulate on generated cases, then the same
# cases run as requests in a simulated world through World::handle (`s3pg eval --world`).
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
status=0
node compare.mjs out/cases.json | tee out/compare-eval.log || status=1
node compare.mjs out/cases.json --world | tee out/compare-world.log || status=1
# One closing line for both runs.
cat out/compare-eval.log out/compare-world.log | grep -Eo '[0-9]+ passed, [0-9]+ failed$' |
  awk '{p += $1; f += $3} END {printf "differential: %d passed, %d failed\n", p, f}'
exit $status
