#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that the harness's include arrows run one way.

Reads the rooms' declarations (VH_ROOM(name, "uses", ...), one in each
directory of shared/, shared/env/room.h) and the quoted #include lines of
shared/*/ and tests/, resolved relative to the including file, and checks:

  * the directories of shared/ and the declared rooms are the same, each
    declared once, and the rooms' uses form no circle;
  * a file includes only its own room and the rooms its room uses; tests/
    may use every room of shared/ but modes/ (run modes are reached
    through the runner);
  * no circle of includes among files.

Prints one line per broken rule and exits 1, or prints a one-line summary
and exits 0.  Usage: scripts/check-layout.py [REPO]
"""

import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
ROOM = re.compile(r'^VH_ROOM\((\w+),\s*"([^"]*)"', re.M)


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
    uses = {}
    for f in sorted(files):
        room = room_of(repo, f)
        with open(f, encoding="utf-8", errors="replace") as fh:
            for name, used in ROOM.findall(fh.read()):
                where = os.path.relpath(f, repo)
                if name in uses:
                    bad.append(f"{where}: room '{name}' declared twice")
                elif name != room:
                    bad.append(f"{where}: declares room '{name}' but is in {room}/")
                uses[name] = set(used.split())
    dirs = {d for d in os.listdir(os.path.join(repo, "shared"))
            if os.path.isdir(os.path.join(repo, "shared", d))}
    for d in sorted(dirs - set(uses)):
        bad.append(f"shared/{d}/: no VH_ROOM() declares this room")
    for d in sorted(set(uses) - dirs):
        bad.append(f"room '{d}' is declared but shared/{d}/ does not exist")
    for name in sorted(uses):
        for u in sorted(uses[name] - set(uses)):
            bad.append(f"room '{name}' uses '{u}', which is no room")
    uses["tests"] = set(uses) - {"modes"}

    # The rooms' own arrows must not run in a circle.
    def reach(start):
        seen, todo = set(), list(uses.get(start, ()))
        while todo:
            r = todo.pop()
            if r not in seen:
                seen.add(r)
                todo += uses.get(r, ())
        return seen
    for name in sorted(uses):
        if name in reach(name):
            bad.append(f"room '{name}' uses itself through its uses (a circle of rooms)")

    for f in sorted(files):
        src = room_of(repo, f)
        if src is None or src not in uses:
            continue
        with open(f, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        for inc in INCLUDE.findall(text):
            target = os.path.normpath(os.path.join(os.path.dirname(f), inc))
            if not os.path.exists(target):
                continue        # generated, or found on the include path
            edges.setdefault(f, set()).add(target)
            dst = room_of(repo, target)
            if dst is not None and dst != src and dst not in uses[src]:
                used = " ".join(sorted(uses[src])) or "nothing"
                bad.append(f"{os.path.relpath(f, repo)} includes {os.path.relpath(target, repo)}: room {src}/ may not use {dst}/ (it uses {used})")

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
    print(f"layout: {len(uses) - 1} rooms and tests/, {len(files)} files, {sum(len(v) for v in edges.values())} include arrows, all one way")
    return 0


if __name__ == "__main__":
    sys.exit(main())
