#!/usr/bin/env bash
# Compares `s3pg presign` with botocore's presigned URLs, byte for byte, on generated cases.
#
# Creates (once) a virtualenv under .tools/venv-presign with the pinned botocore, then runs
# compare.py. The s3pg binary is $S3PG_BIN when set, else the one `cargo build -p s3pg-cli`
# produces (what `cargo run -q -p s3pg-cli --` would run). Ends with
# `presign-botocore: N passed, N failed`; exits non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/.tools/venv-presign"
want="$(grep -E '^botocore==' "$here/requirements.txt" | head -n1)"

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import sys, botocore; sys.exit(0 if 'botocore==' + botocore.__version__ == '$want' else 1)" 2>/dev/null; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
fi

if [ -z "${S3PG_BIN:-}" ]; then
    S3PG_BIN="$(cd "$root" && cargo build -q -p s3pg-cli --bin s3pg --message-format=json \
        | "$venv/bin/python" -c 'import json, sys
paths = [m["executable"] for m in map(json.loads, sys.stdin) if m.get("reason") == "compiler-artifact" and m.get("executable")]
print(paths[-1] if paths else "")')"
    if [ -z "$S3PG_BIN" ]; then
        echo "presign-botocore: could not build the s3pg binary" >&2
        echo "presign-botocore: 0 passed, 1 failed"
        exit 1
    fi
fi

exec "$venv/bin/python" "$here/compare.py" --bin "$S3PG_BIN" "$@"
