#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Extract top-level definitions from kernel headers at build time.

The harness may not copy kernel code into its repository, yet it needs some
definitions that cannot be reached by including a real header (mm.h, say,
drags in half the kernel).  This filter reads headers from the kernel tree
and writes their top-level items (macros, functions, types, declarations)
to a generated header, minus:

  * comments, #include lines and #pragma once;
  * every item whose name is defined by one of the --defined-in headers
    (the real kernel headers that the build includes, e.g. mmap_lock.h);
  * every name listed in a --deny file (what the harness environment models
    itself: locks, RCU, tasks, ...).

Conditional-compilation lines are kept as they are, so configuration still
selects between alternatives.  With --only, only the named items are kept.
"""

import argparse
import re
import sys

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
KEYWORDS = {
    "static", "inline", "extern", "const", "volatile", "unsigned", "signed",
    "int", "long", "short", "char", "void", "bool", "struct", "union",
    "enum", "typedef", "__always_inline", "__must_check", "noinline",
    "__init", "__read_mostly", "if", "while", "for", "return", "sizeof",
}


def strip_comments(text):
    """Blank out comments, keeping newlines and string literals."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def split_items(text):
    """Yield (kind, text) for each top-level item of a header."""
    lines = strip_comments(text).split("\n")
    i = 0
    buf = []
    depth = 0
    paren = 0
    while i < len(lines):
        line = lines[i]
        if not buf and line.lstrip().startswith("#"):
            full = line
            while full.endswith("\\") and i + 1 < len(lines):
                i += 1
                full += "\n" + lines[i]
            yield "cpp", full
            i += 1
            continue
        if not buf and not line.strip():
            i += 1
            continue
        buf.append(line)
        done = False
        body = False
        for ch in line:
            if ch == "(":
                paren += 1
            elif ch == ")":
                paren -= 1
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    body = True
            elif ch == ";" and depth == 0 and paren == 0:
                done = True
        item = "\n".join(buf)
        if not done and body and depth == 0 and is_function(item):
            done = True
        if done:
            yield "decl", item
            buf = []
            depth = paren = 0
        i += 1
    if buf:
        yield "decl", "\n".join(buf)


def head_of(item):
    """The part of an item before its first top-level brace."""
    brace = item.find("{")
    return item if brace < 0 else item[:brace]


def is_function(item):
    head = head_of(item).rstrip()
    return "{" in item and head.endswith(")") and "=" not in head


def names_of(kind, item):
    """The names an item defines."""
    return {n for n in _names_of(kind, item) if n not in KEYWORDS}


def _names_of(kind, item):
    if kind == "cpp":
        m = re.match(r"\s*#\s*(define|undef)\s+([A-Za-z_]\w*)", item)
        return {m.group(2)} if m else set()
    head = head_of(item)
    names = set()
    m = re.match(r"\s*(?:typedef\s+)?(struct|union|enum)\s+([A-Za-z_]\w*)\s*$",
                 head)
    if m and "{" in item:
        names.add(m.group(1) + " " + m.group(2))
    if re.match(r"\s*(typedef\s+)?enum\b", head) and "{" in item:
        inner = item[item.find("{") + 1:item.rfind("}")]
        inner = re.sub(r"(?m)^\s*#.*$", "", inner)
        inner = re.sub(r"\([^()]*\)", lambda m: m.group(0).replace(",", " "),
                       inner)
        for part in inner.split(","):
            e = IDENT.search(part)
            if e:
                names.add(e.group(0))
    if re.match(r"\s*typedef\b", item):
        tail = item[item.rfind("}") + 1:] if "}" in item else item
        ids = [x for x in IDENT.findall(tail) if x not in KEYWORDS]
        m = re.search(r"\(\s*\*\s*([A-Za-z_]\w*)\s*\)", tail)
        if m:
            names.add(m.group(1))
        elif ids:
            names.add(ids[-1])
        return names
    if "(" in head and not re.match(r"\s*(struct|union|enum)\s+\w+\s*\{",
                                    item):
        pre = head[:head.find("(")]
        ids = IDENT.findall(pre)
        if ids:
            names.add(ids[-1])
        return names
    if "{" not in item:
        m = re.match(r"\s*(struct|union|enum)\s+([A-Za-z_]\w*)\s*;", item)
        if m:
            return {"fwd " + m.group(1) + " " + m.group(2)}
        pre = re.split(r"[\[=;]", item)[0]
        ids = [x for x in IDENT.findall(pre) if x not in KEYWORDS]
        if ids:
            names.add(ids[-1])
    return names


def is_definition(kind, item):
    """Whether an item defines its names (a prototype or extern does not)."""
    if kind == "cpp":
        return True
    return "{" in item or bool(re.match(r"\s*typedef\b", item))


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError as e:
        sys.exit("kextract: %s" % e)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--from", dest="sources", action="append", default=[],
                    help="header to extract from (repeatable, in order)")
    ap.add_argument("--defined-in", action="append", default=[],
                    help="header whose definitions win (repeatable)")
    ap.add_argument("--deny", action="append", default=[],
                    help="file listing names never to extract")
    ap.add_argument("--only", action="append", default=[],
                    help="file listing the only names to extract")
    ap.add_argument("--guard", required=True, help="include guard macro")
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()

    def listed(files):
        names = set()
        for f in files:
            for line in read(f).splitlines():
                line = line.split("#", 1)[0].strip()
                if line:
                    names.add(line)
        return names

    skip = listed(args.deny)
    only = listed(args.only) if args.only else None
    for path in args.defined_in:
        for kind, item in split_items(read(path)):
            if is_definition(kind, item):
                skip |= names_of(kind, item)

    out = ["/* Generated by scripts/kextract.py: do not edit. */",
           "#ifndef " + args.guard, "#define " + args.guard, ""]
    for path in args.sources:
        out.append("/* From %s */" % path)
        for kind, item in split_items(read(path)):
            if kind == "cpp" and re.match(r"\s*#\s*(include|pragma\s+once)",
                                          item):
                continue
            names = names_of(kind, item)
            plain = {n[4:] if n.startswith("fwd ") else n for n in names}
            if plain & skip:
                continue
            if only is not None and kind == "decl" and not plain & only:
                continue
            if only is not None and kind == "cpp" and names and \
                    not plain & only:
                continue
            out.append(item)
    out += ["", "#endif /* " + args.guard + " */", ""]
    # Comments were blanked out: drop the trailing blanks they leave.
    out = [re.sub(r"[ \t]+$", "", line, flags=re.M) for line in out]
    with open(args.output, "w") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    main()
