#!/usr/bin/env python3
"""Fails when a source file or a function grows too long to read (issue #9, "a layout that shows it").

Two limits:

- a `.rs` file under `crates/` or `web/src/` may have at most 800 lines;
- a function in `crates/*/src/` may have a body of at most 120 lines: the lines strictly between
  the line of its opening `{` and the line of its closing `}` (comments and blank lines count, as
  they do for a reader). Functions inside `#[cfg(test)]` modules count too.

A file or function that must stay longer is named in `ALLOWED` below with the reason a split would
hurt reading; it is still measured and printed, but does not fail the run. Keep that list short.

Usage: sizes.py [--list N]   (--list prints the N longest files and functions, for measuring)
The last line is `sizes: N passed, N failed` (one per file checked).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_FILE_LINES = 800
MAX_FN_BODY_LINES = 120

# path (relative to the repository) or `path::fn_name` -> why a split would hurt reading.
# "not split yet" marks what was over a limit when this check arrived (56 entries then): no new
# entry without a reason a reviewer accepts, and each entry goes when its file or function is
# split (the run notes an entry that is within the limits again).
ALLOWED: dict[str, str] = {
    "crates/policy/src/condition/tests.rs::operator_table": "a test table, one row per condition operator case: one list reads best",
    "crates/sim/src/pipeline/tests.rs::table": "a test table, one row per operation and its planned actions: one list reads best",
}

CHAR = re.compile(r"'(?:\\u\{[0-9a-fA-F]+\}|\\x[0-9a-fA-F]{2}|\\.|[^\\'\n])'")
RAW_OPEN = re.compile(r'b?r(#*)"')
FN = re.compile(r"\bfn\s+([A-Za-z_][A-Za-z0-9_]*)")


def code_only(text: str) -> str:
    """The text with comments, strings and char literals blanked (line breaks kept), read in one
    pass as rustc's lexer would, so a `"` inside a char literal or a `'` of a lifetime is no
    surprise."""
    out: list[str] = []
    i, n = 0, len(text)

    def skip(j: int) -> None:
        out.append("".join(c if c == "\n" else " " for c in text[i:j]))

    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
        elif (m := RAW_OPEN.match(text, i)) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            close = '"' + m.group(1)
            j = text.find(close, m.end())
            j = n if j < 0 else j + len(close)
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            j += 1
        elif c == "'" and (m := CHAR.match(text, i)):
            j = m.end()
        else:
            out.append(c)
            i += 1
            continue
        skip(j)
        i = j
    return "".join(out)


def functions(text: str):
    """(name, first line, body lines) of every function with a body."""
    code = code_only(text)
    for m in FN.finditer(code):
        # The body opens at the first `{` after the signature, unless a `;` comes first
        # (a trait method without a body). Generic bounds and where-clauses hold no `{`.
        i, depth_paren = m.end(), 0
        while i < len(code):
            c = code[i]
            if c in "([<":
                depth_paren += 1
            elif c in ")]>":
                depth_paren = max(0, depth_paren - 1)
            elif c == ";" and depth_paren == 0:
                break
            elif c == "{" and depth_paren == 0:
                break
            i += 1
        if i >= len(code) or code[i] != "{":
            continue
        open_at, depth = i, 0
        while i < len(code):
            if code[i] == "{":
                depth += 1
            elif code[i] == "}":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        first = code.count("\n", 0, m.start()) + 1
        open_line = code.count("\n", 0, open_at) + 1
        close_line = code.count("\n", 0, i) + 1
        yield m.group(1), first, max(0, close_line - open_line - 1)


def main(argv: list[str]) -> int:
    listing = int(argv[argv.index("--list") + 1]) if "--list" in argv else 0
    files = sorted(
        [p for p in (ROOT / "crates").rglob("*.rs") if "/target/" not in str(p)]
        + list((ROOT / "web" / "src").rglob("*.rs"))
    )
    passed = failed = 0
    all_files, all_fns = [], []
    seen: set[str] = set()
    for path in files:
        rel = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
        all_files.append((lines, rel))
        problems = []
        if lines > MAX_FILE_LINES:
            problems.append((rel, f"{rel}: {lines} lines (at most {MAX_FILE_LINES})"))
        if rel.startswith("crates/") and "/src/" in rel:
            for name, line, body in functions(text):
                all_fns.append((body, f"{rel}:{line} fn {name}"))
                if body > MAX_FN_BODY_LINES:
                    problems.append(
                        (f"{rel}::{name}",
                         f"{rel}:{line}: fn `{name}` has a {body}-line body (at most {MAX_FN_BODY_LINES})")
                    )
        failing = False
        for key, message in problems:
            if key in ALLOWED:
                seen.add(key)
                print(f"KNOWN {message} — {ALLOWED[key]}")
            else:
                print(f"FAIL {message}")
                failing = True
        if failing:
            failed += 1
        else:
            passed += 1
    if listing:
        print(f"-- the {listing} longest files")
        for n, rel in sorted(all_files, reverse=True)[:listing]:
            print(f"{n:6} {rel}")
        print(f"-- the {listing} longest function bodies in crates/*/src")
        for n, where in sorted(all_fns, reverse=True)[:listing]:
            print(f"{n:6} {where}")
    # An entry whose file or function is now within the limits (or gone) should leave the list;
    # it is reported, not failed, so a split merged by someone else never breaks the run.
    for key in sorted(set(ALLOWED) - seen):
        print(f"note allow-list entry `{key}` is within the limits now: remove it from ALLOWED")
    print(f"sizes: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
