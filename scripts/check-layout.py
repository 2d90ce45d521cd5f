#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that the harness's include arrows run one way.

Reads the quoted #include lines of shared/*/ and tests/, resolves them
relative to the including file, and checks two rules:

  * no circle of includes among files;
  * rooms only include rooms below them: tests -> modes, explore, vma ->
    kunit -> env (a room may include itself).

Prints one line per broken rule and exits 1, or prints a one-line summary
and exits 0.  Usage: scripts/check-layout.py [REPO]
"""

import os
import re
import sys

# A room may include the rooms of a lower rank (or its own).
RANK = {"env": 0, "kunit": 1, "vma": 2, "explore": 2, "modes": 3,
        "tests": 4}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def room_of(repo, path):
    rel = os.path.relpath(path, repo).split(os.sep)
    if rel[0] == "tests":
        return "tests"
    if rel[0] == "shared" and len(rel) > 2:
        return rel[1]
    return None


def main():
    repo = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                           os.path.join(os.path.dirname(__file__), ".."))
    files = []
    for top in ("shared", "tests"):
        for dirpath, _, names in os.walk(os.path.join(repo, top)):
            files += [os.path.join(dirpath, n) for n in names
                      if n.endswith((".c", ".h"))]
    edges = {}
    bad = []
    for f in sorted(files):
        src = room_of(repo, f)
        if src is None:
            continue
        if src not in RANK:
            bad.append(f"{os.path.relpath(f, repo)}: room '{src}' has no rank in scripts/check-layout.py")
            continue
        with open(f, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        for inc in INCLUDE.findall(text):
            target = os.path.normpath(os.path.join(os.path.dirname(f), inc))
            if not os.path.exists(target):
                continue        # generated, or found on the include path
            edges.setdefault(f, set()).add(target)
            dst = room_of(repo, target)
            if dst in RANK and RANK[dst] > RANK[src]:
                bad.append(f"{os.path.relpath(f, repo)} includes {os.path.relpath(target, repo)}: {src}/ may not use {dst}/ (arrows run tests -> modes, explore, vma -> kunit -> env)")
            elif dst in RANK and RANK[dst] == RANK[src] and dst != src:
                bad.append(f"{os.path.relpath(f, repo)} includes {os.path.relpath(target, repo)}: {src}/ and {dst}/ are side by side and may not use each other")

    # Circles: depth-first search with colours.
    colour = {}
    stack = []

    def visit(n):
        colour[n] = 1
        stack.append(n)
        for m in sorted(edges.get(n, ())):
            if colour.get(m) == 1:
                circle = stack[stack.index(m):] + [m]
                bad.append("circle of includes: " + " -> ".join(
                    os.path.relpath(x, repo) for x in circle))
            elif m not in colour:
                visit(m)
        stack.pop()
        colour[n] = 2

    for n in sorted(edges):
        if n not in colour:
            visit(n)
    for line in bad:
        print(f"layout: {line}")
    if bad:
        return 1
    print(f"layout: {len(files)} files, {sum(len(v) for v in edges.values())} include arrows, all one way")
    return 0


if __name__ == "__main__":
    sys.exit(main())
