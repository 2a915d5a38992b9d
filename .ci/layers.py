#!/usr/bin/env python3
"""Fails on an import that breaks the crate's layers (docs/architecture.md).

Reads the `crate::`, `super::` and `self::` paths of every file of src/ (and, in a folder's
mod.rs, its children's names) without compiling anything, then checks two things:

- between top-level modules, each imports only modules of the layers below its own (LAYERS,
  lowest first), and nothing imports the crate root (lib.rs), which only declares modules and
  re-exports the public surface;
- among the files of one folder (mod.rs included), no cycle: a file that needs something of
  its folder's mod.rs while mod.rs needs it is a cycle, so what the files of a folder share
  lives in a file of its own.

Test modules (`#[cfg(test)] mod tests`) are left out: they may use any part of the crate.
Usage: layers.py [SRC_DIR] (default: src/ beside this script's folder).
"""

import re
import sys
from pathlib import Path

# Lowest first. A module imports only modules of earlier lines; the first line imports
# nothing of the crate at all.
LAYERS = [
    ["text", "links", "diagnostics", "memo", "git"],
    ["yaml"],
    ["config"],
    ["content"],
    ["event"],
    ["render"],
    ["output", "history"],
    ["pipeline"],
    ["serve", "init"],
]

PATH = re.compile(r"\b(crate|super|self)((?:::\s*[A-Za-z_][A-Za-z0-9_]*)+)")
USE = re.compile(r"\buse\s+([^;]+);", re.S)
CHILD_PATH = re.compile(r"(?<![:\w])([a-z_][a-z0-9_]*)\s*::")


def without_comments_and_tests(text):
    """The code of a file, without comments, string literals, or its test module."""
    cut = re.search(r"#\[cfg\(test\)\]\s*(pub(\(\w+\))?\s+)?mod\s+\w+\s*\{", text)
    if cut:
        text = text[: cut.start()]
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r'r#*"(?:.|\n)*?"#*', '""', text)
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    return text


def use_paths(tree, prefix=""):
    """Every path of a `use` tree: `a::{b, c::{d, e}}` gives a::b, a::c::d, a::c::e."""
    tree = tree.strip()
    depth, start = 0, None
    for i, c in enumerate(tree):
        if c == "{" and depth == 0:
            start = i
        depth += c == "{"
        depth -= c == "}"
    if start is None:
        return [prefix + tree.split(" as ")[0].strip()]
    head = tree[:start].rstrip(":").strip()
    body = tree[start + 1 : tree.rindex("}")]
    parts, depth, current = [], 0, ""
    for c in body:
        if c == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += c == "{"
        depth -= c == "}"
        current += c
    parts.append(current)
    base = prefix + head + "::" if head else prefix
    out = []
    for part in parts:
        if part.strip():
            out.extend(use_paths(part, base))
    return out


def module_of(src, file):
    """A file's module path: src/render/pages.rs is [render, pages]; mod.rs is its folder."""
    parts = list(file.relative_to(src).with_suffix("").parts)
    if parts[-1] in ("mod", "lib"):
        parts.pop()
    return parts


def resolve(module, is_folder, path):
    """The absolute module path a `crate::`/`super::`/`self::` path names, as a list."""
    root, *rest = [p.strip() for p in path.split("::")]
    if root == "crate":
        return rest
    # A folder's mod.rs is its module itself; any other file is a child of its folder.
    here = list(module)
    if root == "self":
        return here + rest
    return (here[:-1] if here else []) + rest


def main():
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent.parent / "src"
    files = sorted(p for p in src.rglob("*.rs") if p.name != "main.rs")
    modules = {tuple(module_of(src, f)): f for f in files}
    layer_of = {name: i for i, names in enumerate(LAYERS) for name in names}
    problems = []
    # Folder name (a tuple) -> file module -> the files of the folder it needs.
    folders = {}
    for file in files:
        module = module_of(src, file)
        is_folder = file.name in ("mod.rs", "lib.rs")
        code = without_comments_and_tests(file.read_text(encoding="utf-8"))
        paths = [m.group(1) + m.group(2) for m in PATH.finditer(code)]
        for use in USE.finditer(code):
            paths.extend(p for p in use_paths(use.group(1)) if re.match(r"(crate|super|self)\b", p))
        targets = [resolve(module, is_folder, p) for p in paths]
        if is_folder:
            # A folder's mod.rs names its children directly: `files::load(...)`.
            for m in CHILD_PATH.finditer(code):
                if tuple(module + [m.group(1)]) in modules:
                    targets.append(module + [m.group(1)])
        for target in targets:
            if not target:
                continue
            # The longest module the path names: crate::render::pages::Page is render::pages.
            known = max(
                (target[:n] for n in range(len(target) + 1) if tuple(target[:n]) in modules),
                key=len,
            )
            if not known:
                if module:
                    problems.append(
                        f"{file}: imports `{'::'.join(target)}` from the crate root (lib.rs); "
                        "import it from the module that defines it"
                    )
                continue
            # Between top-level modules: the layers.
            if module and known[0] != module[0]:
                mine, theirs = layer_of.get(module[0]), layer_of.get(known[0])
                if mine is None or theirs is None:
                    unknown = module[0] if mine is None else known[0]
                    problems.append(f"{file}: `{unknown}` is in no layer of {__file__}")
                elif theirs >= mine:
                    problems.append(
                        f"{file}: `{module[0]}` (layer {mine}) imports `{'::'.join(known)}` "
                        f"(layer {theirs}): a module imports only the layers below its own"
                    )
            # Within one folder: the file of the folder the path leads to.
            if len(module) >= 1 and known[: len(module) - (0 if is_folder else 1)] == (
                module if is_folder else module[:-1]
            ):
                folder = tuple(module if is_folder else module[:-1])
                depth = len(folder)
                node = tuple(known[: depth + 1])
                me = tuple(module)
                if node != me:
                    folders.setdefault(folder, {}).setdefault(me, set()).add(node)
    for folder, graph in sorted(folders.items()):
        cycle = find_cycle(graph)
        if cycle:
            names = " -> ".join(str(modules[n].relative_to(src)) for n in cycle)
            problems.append(f"a cycle among the files of src/{'/'.join(folder)}/: {names}")
    problems = list(dict.fromkeys(problems))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} layering problem(s); see docs/architecture.md", file=sys.stderr)
        return 1
    print(f"layers: {len(files)} files of {src}, no cycle, every import goes down")
    return 0


def find_cycle(graph):
    """One cycle of a directed graph, as a list of nodes that ends where it starts."""
    state = {}

    def visit(node, stack):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state:
                found = visit(nxt, stack)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node, [])
            if found:
                return found
    return None


if __name__ == "__main__":
    sys.exit(main())
