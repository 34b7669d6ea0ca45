#!/usr/bin/env python3
"""Fails when modules inside one crate import each other in a circle.

Each `.rs` file under a crate's `src/` is a module (`src/ops/bucket.rs` is `ops::bucket`,
`src/ops/mod.rs` is `ops`). An edge A -> B is any path in A's code (outside its
`#[cfg(test)]` module) that names B: `crate::b::…`, `super::…`, `self::…`, or a child module
named in a `use`. A path names the deepest module it reaches (`crate::ops::bucket::put` names
`ops::bucket`). Every strongly connected component with more than one module is a circle and is
printed with one cycle through it.

Usage: import-cycles.py [--allow CRATE]... [CRATE_DIR]...
With no directories, checks every crate under crates/ and web/ and tests/. A crate given with
`--allow` (its directory name, e.g. `sim`) is still checked and reported, but does not fail the
run: a known exception while its circles are being removed.

The last line is `import-cycles: N passed, N failed` (one per crate).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

COMMENT_LINE = re.compile(r"//[^\n]*")
COMMENT_BLOCK = re.compile(r"/\*.*?\*/", re.S)
STRING = re.compile(r'"(?:\\.|[^"\\])*"')
RAW_STRING = re.compile(r'r(#+)".*?"\1', re.S)
USE = re.compile(r"\b(pub(?:\([^)]*\))?\s+)?use\s+([^;]+);")
INLINE = re.compile(r"\b(crate|super|self)((?:\s*::\s*[A-Za-z_][A-Za-z0-9_]*)+)")
TEST_MOD = re.compile(r"#\[cfg\(test\)\]\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+\w+\s*\{")


def strip(text: str) -> str:
    """Removes comments, strings and the `#[cfg(test)] mod … { … }` blocks."""
    text = RAW_STRING.sub('""', text)
    text = COMMENT_BLOCK.sub("", text)
    text = STRING.sub('""', text)
    text = COMMENT_LINE.sub("", text)
    while True:
        m = TEST_MOD.search(text)
        if not m:
            return text
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        text = text[: m.start()] + text[i:]


def expand(tree: str) -> list[str]:
    """`a::{b, c::{d, e}}` -> [`a::b`, `a::c::d`, `a::c::e`] (aliases and globs dropped)."""
    tree = re.sub(r"\s+", "", tree)
    out: list[str] = []

    def walk(prefix: str, s: str) -> None:
        # split s at top-level commas
        parts, depth, cur = [], 0, ""
        for ch in s:
            if ch == "," and depth == 0:
                parts.append(cur)
                cur = ""
                continue
            depth += {"{": 1, "}": -1}.get(ch, 0)
            cur += ch
        parts.append(cur)
        for part in filter(None, parts):
            brace = part.find("{")
            if brace >= 0 and part.endswith("}"):
                walk(prefix + part[:brace], part[brace + 1 : -1])
            else:
                out.append(re.sub(r"as\w+$", "", prefix + part))

    walk("", tree)
    return out


def module_of(src: Path, file: Path) -> tuple[str, ...]:
    rel = file.relative_to(src).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts.pop()
    return tuple(parts)


def resolve(path: list[str], here: tuple[str, ...], modules: set, is_dir: bool):
    """The deepest module `path` (segments) names, seen from module `here`."""
    if not path:
        return None
    head, rest = path[0], path[1:]
    # Paths in a non-mod.rs file are relative to the file's module; `super` is its parent.
    if head == "crate":
        base: tuple[str, ...] = ()
    elif head == "self":
        base = here
    elif head == "super":
        base = here[:-1]
        while rest and rest[0] == "super":
            base, rest = base[:-1], rest[1:]
    elif here + (head,) in modules:
        base, rest = here + (head,), rest
    else:
        return None
    target = base
    for seg in rest:
        if target + (seg,) in modules:
            target = target + (seg,)
        else:
            break
    return target


def edges_of(src: Path) -> dict[tuple[str, ...], set[tuple[str, ...]]]:
    files = sorted(src.rglob("*.rs"))
    modules = {module_of(src, f) for f in files}
    graph: dict[tuple[str, ...], set[tuple[str, ...]]] = {m: set() for m in modules}
    for f in files:
        here = module_of(src, f)
        code = strip(f.read_text(encoding="utf-8"))
        paths: list[list[str]] = []
        for m in USE.finditer(code):
            reexport = m.group(1) is not None
            for p in expand(m.group(2)):
                paths.append(([s for s in p.split("::") if s and s != "*"], reexport))
        for m in INLINE.finditer(USE.sub(";", code)):
            segs = [m.group(1)] + [s.strip() for s in m.group(2).split("::") if s.strip()]
            paths.append((segs, False))
        for p, reexport in paths:
            target = resolve(p, here, modules, f.name == "mod.rs")
            if target is None or target == here:
                continue
            # A facade re-exporting its own submodule's items (`pub use app::App;`) does not
            # depend on it; a submodule using its parent's items does.
            if reexport and target[: len(here)] == here:
                continue
            # A module naming its own ancestor (`super::Type`, `crate::Type` from lib.rs's
            # children) is how Rust reaches shared items; the crate root is not a module of
            # its own here.
            if target == ():
                continue
            graph[here].add(target)
    return graph


def circles(graph):
    """Tarjan's strongly connected components with more than one node."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def one_cycle(graph, comp):
    """A shortest cycle through the component's first module (breadth-first)."""
    members = set(comp)
    start = comp[0]
    prev = {start: None}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph[v]):
            if w == start:
                path = [v]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return [start] + list(reversed(path[:-1])) + [start] if len(path) > 1 else [start, v, start]
            if w in members and w not in prev:
                prev[w] = v
                queue.append(w)
    return comp


def name(m):
    return "::".join(m) or "crate"


def main(argv):
    allowed, dirs = set(), []
    it = iter(argv)
    for a in it:
        if a == "--allow":
            allowed.add(next(it))
        else:
            dirs.append(Path(a))
    if not dirs:
        dirs = sorted(p.parent for p in ROOT.glob("crates/*/Cargo.toml"))
        dirs += [ROOT / "web", ROOT / "tests"]
    passed = failed = 0
    for crate in dirs:
        src = crate / "src"
        if not src.is_dir():
            continue
        graph = edges_of(src)
        found = circles(graph)
        label = crate.name
        if not found:
            print(f"ok   {label}: {len(graph)} modules, no import circle")
            passed += 1
            continue
        known = label in allowed
        print(f"{'KNOWN' if known else 'FAIL'} {label}: {len(found)} import circle(s)")
        for comp in found:
            print(f"     modules in a circle: {', '.join(name(m) for m in comp)}")
            print(f"     e.g. {' -> '.join(name(m) for m in one_cycle(graph, comp))}")
        if known:
            passed += 1
        else:
            failed += 1
    print(f"import-cycles: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
