"""Byte-for-byte comparison of `s3pg presign` with botocore's presigned URLs.

Generates deterministic cases (keys with spaces, `+`, `%`, unicode, slashes, tildes and empty
keys; many Regions; every addressing style; session tokens; GET and PUT; many lifetimes and
times), asks botocore for each URL with its clock frozen at the case's time, runs
`s3pg presign` with the same inputs, and compares the two strings.

botocore is driven the way `aws s3 presign` drives it: a client for the Region, then
`generate_presigned_url('get_object' | 'put_object', ...)`, which signs with S3SigV4QueryAuth.
"""

import argparse
import datetime
import json
import random
import subprocess
import sys

import botocore
import botocore.auth
import botocore.session
from botocore.config import Config

SEED = 20240229

REGIONS = [
    "us-east-1", "us-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1",
    "eu-west-3", "eu-central-1", "eu-north-1", "ap-northeast-1", "ap-southeast-2", "ap-south-1",
    "sa-east-1", "ca-central-1", "me-south-1", "af-south-1", "il-central-1", "cn-north-1",
    "cn-northwest-1", "us-gov-west-1", "us-gov-east-1",
]
BUCKETS = [
    "examplebucket", "my-bucket-123", "abc", "bu--cket", "xn--bucket", "0bucket9",
    "my.dotted.bucket", "LegacyBucket", "legacy_bucket", "a" * 63, "b-", "192.168.1.1",
]
STYLES = [None, None, "auto", "path", "virtual"]
EXPIRIES = [0, 1, 60, 300, 900, 3600, 3600, 43200, 86400, 604800]
FIXED_KEYS = [
    "test.txt", "a b", "a+b", "100%", "50%25", "café/menü.pdf", "ሴ", "日本語/ファイル.txt", "😀 emoji",
    "dir/sub/file.txt", "/leading", "trailing/", "double//slash", "./dot/../segments", "~tilde~",
    "key=value&x=y", "what?#frag", "spaces  and\ttab", "*!'()", "a:b@c,d;e$f", "-._~", "",
    "reports/2024/Q1 report (final).xlsx", "%E1%88%B4", "+++", "[brackets]{}|^`\\",
]
ALPHABET = list("abcXYZ019 -_.~+%/=&?#!*'()@:,;$") + ["é", "ß", "ሴ", "日", "😀", "ä"]


def make_key(rng):
    if rng.random() < 0.35:
        return rng.choice(FIXED_KEYS)
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 24)))


def make_secret(rng):
    chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    return "".join(rng.choice(chars) for _ in range(40))


def make_cases(count):
    rng = random.Random(SEED)
    cases = []
    for i in range(count):
        if i == 0:
            when = datetime.datetime(2013, 5, 24, 0, 0, 0, tzinfo=datetime.timezone.utc)
        elif i == 1:
            when = datetime.datetime(2024, 2, 29, 23, 59, 59, tzinfo=datetime.timezone.utc)
        else:
            when = datetime.datetime.fromtimestamp(rng.randint(946684800, 2082758399), tz=datetime.timezone.utc)
        token = None
        if rng.random() < 0.3:
            token = "".join(rng.choice("ABCDEFabcdef0123456789+/=") for _ in range(rng.randint(16, 120)))
        cases.append({
            "access_key": "AKIA" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16)),
            "secret_key": make_secret(rng),
            "token": token,
            "region": rng.choice(REGIONS),
            "style": rng.choice(STYLES),
            "bucket": rng.choice(BUCKETS),
            "key": make_key(rng),
            "method": rng.choice(["GET", "GET", "PUT"]),
            "expires": rng.choice(EXPIRIES) if rng.random() < 0.8 else rng.randint(1, 604800),
            "when": when,
            # Sometimes leave defaults to the CLI to prove they match botocore's.
            "omit_defaults": rng.random() < 0.3,
        })
    cases[0].update(access_key="AKIAIOSFODNN7EXAMPLE", secret_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                    token=None, region="us-east-1", style=None, bucket="examplebucket", key="test.txt",
                    method="GET", expires=86400, omit_defaults=False)
    return cases


_SESSION = botocore.session.get_session()


def botocore_url(case):
    botocore.auth.get_current_datetime = lambda *a, **k: case["when"]
    s3 = {"addressing_style": case["style"]} if case["style"] else {}
    config = Config(signature_version="s3v4", s3=s3, parameter_validation=case["key"] != "")
    client = _SESSION.create_client(
        "s3", region_name=case["region"], aws_access_key_id=case["access_key"],
        aws_secret_access_key=case["secret_key"], aws_session_token=case["token"], config=config,
    )
    operation = "get_object" if case["method"] == "GET" else "put_object"
    return client.generate_presigned_url(
        operation, Params={"Bucket": case["bucket"], "Key": case["key"]}, ExpiresIn=case["expires"],
    )


def s3pg_args(case):
    args = ["presign", "s3://%s/%s" % (case["bucket"], case["key"]),
            "--access-key", case["access_key"], "--secret-key", case["secret_key"],
            "--now", case["when"].strftime("%Y%m%dT%H%M%SZ")]
    omit = case["omit_defaults"]
    if not (omit and case["method"] == "GET"):
        args += ["--method", case["method"]]
    if not (omit and case["expires"] == 3600):
        args += ["--expires-in", str(case["expires"])]
    if not (omit and case["region"] == "us-east-1"):
        args += ["--region", case["region"]]
    if case["token"] is not None:
        args += ["--session-token", case["token"]]
    if case["style"]:
        args += ["--addressing-style=" + case["style"]]
    return args


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True, help="the s3pg binary")
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--emit-fixture", metavar="PATH",
                        help="write the first --count cases and botocore's URLs as JSON, then stop")
    opts = parser.parse_args()

    if opts.emit_fixture:
        fixture = []
        for case in make_cases(opts.count):
            fixture.append({
                "access_key": case["access_key"], "secret_key": case["secret_key"], "token": case["token"],
                "region": case["region"], "style": case["style"] or "auto", "bucket": case["bucket"],
                "key": case["key"], "method": case["method"], "expires": case["expires"],
                "time": case["when"].strftime("%Y%m%dT%H%M%SZ"), "url": botocore_url(case),
            })
        with open(opts.emit_fixture, "w", encoding="utf-8") as out:
            json.dump({"botocore": botocore.__version__, "cases": fixture}, out, ensure_ascii=False, indent=1)
            out.write("\n")
        return 0

    passed = failed = 0
    for index, case in enumerate(make_cases(opts.count)):
        expected = botocore_url(case)
        args = s3pg_args(case)
        run = subprocess.run([opts.bin] + args, capture_output=True)
        actual = run.stdout.decode("utf-8", "replace").rstrip("\n")
        if run.returncode == 0 and actual == expected:
            passed += 1
            if opts.verbose:
                print("ok   %3d %s" % (index, expected))
        else:
            failed += 1
            print("FAIL %3d s3pg %s" % (index, " ".join(repr(a) for a in args)))
            print("     botocore: %s" % expected)
            print("     s3pg:     %s" % actual)
            if run.stderr:
                print("     stderr:   %s" % run.stderr.decode("utf-8", "replace").strip())
    print("presign-botocore: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
