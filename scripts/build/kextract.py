#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Extract kernel definitions by name from the tree's real headers.

Some headers cannot be included in userspace as a whole (include/linux/mm.h
pulls in half the kernel), yet the code under test needs their inline
functions, macros, enums and structs.  This tool takes exactly those, by
name, from the headers' own text in the kernel tree, at build time:

  * The name list (--names) says which header each name comes from.  Each
    name brings along, transitively, what its definition uses that the same
    header defines.
  * Names the environment already defines (the stub headers of include/, the
    real headers the build includes whole, tools/include) are never taken:
    the compiler tells which, by preprocessing the environment
    (--cc ... --env HEADER) with -dD.
  * Conditional compilation is kept as it is in the header, and decided by
    the same compiler with the same flags: a definition is followed (its
    dependencies taken) only where the configuration compiles it, and every
    alternative of a name is written, inside its #if, so that -D still
    selects.
  * Every item is preceded by a #line directive naming its header and line:
    compiler messages and WARN()s in extracted code point into the tree.

With --compare DIR, the tool also reports the extracted definitions whose
copy in DIR/include/*.h (upstream's tools/testing/vma, where it exists)
differs from the real header, leaving out upstream's stubs (functions that
do nothing or return a constant): a note, never an input.

With --source, the sections of the name list are kernel .c files that
cannot be compiled whole (mm/rmap.c: folio walks), and the output is a .c
file to compile in their place: each function named, with what it uses
that the same file defines (static helpers and their prototypes, static
and global variables, macros, types), transitively, inside the file's
#ifs and with #line into the tree.  Functions with external linkage that a
taken function calls are not followed: the environment, another compiled
file or the name list provides them (the notes list them).  A name the
file lacks is an error (a name ending in "?" may be missing: another
kernel version), and so is a name the environment already defines: a
stand-in that shadows the tree's function.  A word in <> in a section
(<ksrc/mm/vma.h>) is a header of the tree that the file includes and that
the build can include whole: it is written as an #include at the top.
"""

import argparse
import os
import re
import subprocess
import sys

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
KEYWORDS = {
    "static", "inline", "extern", "const", "volatile", "unsigned", "signed",
    "int", "long", "short", "char", "void", "bool", "struct", "union",
    "enum", "typedef", "__always_inline", "__must_check", "noinline",
    "__init", "__read_mostly", "if", "else", "while", "for", "do", "return",
    "sizeof", "switch", "case", "default", "break", "continue", "goto",
    "float", "double", "restrict", "typeof", "__typeof__", "defined",
    "__attribute__", "__VA_ARGS__", "__force", "__maybe_unused",
    "__ro_after_init",
}
COND = re.compile(r"\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b")
MARK = "__vh_live_"
# What is taken is kernel code, compiled as the kernel compiles it: the
# headers' #ifdef __KERNEL__ parts (uapi headers, notifier.h) included.
KERNEL_ON = "#ifndef __KERNEL__\n#define __KERNEL__ 1\n#define __VH_KERNEL_ON 1\n#endif"
KERNEL_OFF = "#ifdef __VH_KERNEL_ON\n#undef __KERNEL__\n#undef __VH_KERNEL_ON\n#endif"


def die(msg):
    sys.exit("kextract: " + msg)


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
            i = n if j < 0 else j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def split_items(text):
    """Yield (kind, text, line) for each top-level item of a header.

    kind is "cpp" for a preprocessor directive (continuation lines joined)
    and "decl" for anything else: a declaration, a definition, a function.
    line is the 1-based line where the item starts.
    """
    lines = strip_comments(text).split("\n")
    i = 0
    buf = []
    start = 0
    depth = paren = 0
    while i < len(lines):
        line = lines[i]
        if buf and depth == 0 and paren == 0 and \
                line.lstrip().startswith("#"):
            # A macro invocation without ";" (HPAGEFLAG(x, y) and the like)
            # ends at the next top-level directive.
            yield "decl", "\n".join(buf), start + 1
            buf = []
        if not buf and line.lstrip().startswith("#"):
            first = i
            full = line
            while full.endswith("\\") and i + 1 < len(lines):
                i += 1
                full += "\n" + lines[i]
            yield "cpp", full, first + 1
            i += 1
            continue
        if not buf and not line.strip():
            i += 1
            continue
        if not buf:
            start = i
        buf.append(line)
        done = body = False
        if not line.lstrip().startswith("#"):
            for ch in re.sub(r"\"(\\.|[^\"\\])*\"|'(\\.|[^'\\])*'", "", line):
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
        # A generator call without ";" (INTERVAL_TREE_DEFINE(...)) ends
        # with its closing parenthesis.
        if not done and depth == 0 and paren == 0 and \
                re.match(r"\s*[A-Z][A-Z0-9_]*\s*\(.*\)\s*$", item, re.S):
            done = True
        if done:
            yield "decl", item, start + 1
            buf = []
            depth = paren = 0
        i += 1
    if buf:
        yield "decl", "\n".join(buf), start + 1


def head_of(item):
    """The part of an item before its first brace."""
    brace = item.find("{")
    return item if brace < 0 else item[:brace]


def is_function(item):
    head = head_of(item).rstrip()
    return "{" in item and head.endswith(")") and "=" not in head


def names_of(kind, item):
    """The names an item declares or defines."""
    return {n for n in _names_of(kind, item) if n not in KEYWORDS}


def _names_of(kind, item):
    if kind == "cpp":
        m = re.match(r"\s*#\s*(define|undef)\s+([A-Za-z_]\w*)", item)
        return {m.group(2)} if m else set()
    head = head_of(item)
    names = set()
    # DEFINE_FREE(name, type, free) defines __free_name(), which
    # __free(name) names (include/linux/cleanup.h).
    m = re.match(r"\s*DEFINE_FREE\s*\(\s*([A-Za-z_]\w*)", item)
    if m:
        return {"__free_" + m.group(1)}
    # SYSCALL_DEFINEn(name, ...) defines sys_name().
    m = re.match(r"\s*SYSCALL_DEFINE\d\s*\(\s*([A-Za-z_]\w*)", item)
    if m:
        return {"sys_" + m.group(1)}
    m = re.match(r"\s*(?:typedef\s+)?(struct|union|enum)\s+([A-Za-z_]\w*)"
                 r"(\s+__\w+)*\s*$", head)
    if m and "{" in item:
        names.add(m.group(1) + " " + m.group(2))
    if re.match(r"\s*(typedef\s+)?enum\b", head) and "{" in item:
        inner = item[item.find("{") + 1:item.rfind("}")]
        inner = re.sub(r"(?m)^\s*#.*$", "", inner)
        depth = 0
        part = []
        parts = []
        for ch in inner:
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            if ch == "," and depth == 0:
                parts.append("".join(part))
                part = []
            else:
                part.append(ch)
        parts.append("".join(part))
        for p in parts:
            e = IDENT.search(p)
            if not e:
                continue
            m2 = re.match(r"\s*(\w+)\s*\((.*)\)\s*$", p, re.S)
            if m2:
                # DECLARE_VMA_BIT(READ, 0): the enumerator's name comes
                # from the macro (Header resolves it).
                names.add("%s(%s)" % (m2.group(1), m2.group(2)))
            else:
                names.add(e.group(0))
    if re.match(r"\s*typedef\b", item):
        tail = item[item.rfind("}") + 1:] if "}" in item else item
        m = re.search(r"\(\s*\*\s*([A-Za-z_]\w*)\s*\)", tail)
        ids = [x for x in IDENT.findall(re.sub(r"__attribute__\s*\(\(.*?\)\)",
                                               "", tail))
               if x not in KEYWORDS and not x.startswith("__")]
        if m:
            names.add(m.group(1))
        elif ids:
            names.add(ids[-1])
        return names
    if "(" in head and not re.match(r"\s*(struct|union|enum)\s+\w+[^(]*\{",
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
    else:
        # A variable with an initialiser, or "struct x {...} name;".
        tail = re.sub(r"__attribute__\s*\(\(.*?\)\)", "",
                      item[item.rfind("}") + 1:], flags=re.S)
        ids = [x for x in IDENT.findall(tail.split("=")[0])
               if x not in KEYWORDS and not x.startswith("__")]
        if ids and "=" not in head:
            names.add(ids[-1])
        elif "=" in head:
            ids = [x for x in IDENT.findall(head.split("=")[0])
                   if x not in KEYWORDS]
            if ids:
                names.add(ids[-1])
    return names


def is_definition(kind, item):
    """Whether an item defines its names (a prototype or extern does not)."""
    if kind == "cpp":
        return True
    return "{" in item or bool(re.match(r"\s*typedef\b", item)) or \
        ("=" in head_of(item) and not re.match(r"\s*extern\b", item))


def uses_of(kind, item, own):
    """Identifiers and struct/union/enum tags an item refers to."""
    text = re.sub(r"\"(\\.|[^\"\\])*\"|'(\\.|[^'\\])*'", " ", item)
    params = set()
    if kind == "cpp":
        m = re.match(r"\s*#\s*define\s+\w+\(([^)]*)\)", text)
        if m:
            params = set(IDENT.findall(m.group(1)))
        text = re.sub(r"^\s*#\s*\w+\s+\w+(\([^)]*\))?", " ", text)
    idents = {"__free_" + n for n in
              re.findall(r"\b__free\s*\(\s*([A-Za-z_]\w*)\s*\)", text)}
    tags = set()
    for m in re.finditer(r"(->|\.)?\s*\b(struct|union|enum)?\s*\b"
                         r"([A-Za-z_]\w*)", text):
        arrow, tag, name = m.groups()
        if tag:
            tags.add(tag + " " + name)
        elif not arrow and name not in KEYWORDS and name not in params:
            idents.add(name)
    return idents - own, tags


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError as e:
        die(str(e))


class Header:
    """One source header: its items and conditionals, in order."""

    def __init__(self, hid, rel, path):
        self.hid = hid
        self.rel = rel
        self.path = path
        self.items = []         # [kind, text, line, names, cond]
        self.defs = {}          # name -> [item index]
        self.lines = read(path).split("\n")
        self.macros = {}        # function-like macro -> (params, body)
        self.prefixes = set()   # what generator macro calls name
        raw = list(split_items(read(path)))
        guard = self._guard(raw)
        for n, (kind, text, line) in enumerate(raw):
            if n in guard:
                continue
            cond = None
            if kind == "cpp":
                m = COND.match(text)
                if m:
                    cond = m.group(1)
                elif re.match(r"\s*#\s*(include|pragma|error|warning|"
                              r"line)\b|\s*#\s*$", text):
                    continue
            names = set() if cond else names_of(kind, text)
            m = re.match(r"\s*#\s*define\s+(\w+)\(([^)]*)\)(.*)", text,
                         re.S)
            if m:
                self.macros[m.group(1)] = (
                    [a.strip() for a in m.group(2).split(",")],
                    m.group(3).replace("\\\n", " "))
            names = {self._expand(n) for n in names}
            prefix = self._generator_prefix(kind, text)
            if prefix:
                names = {prefix}
                self.prefixes.add(prefix)
            idx = len(self.items)
            self.items.append([kind, text, line, names, cond])
            for name in names:
                self.defs.setdefault(name, []).append(idx)

    def _expand(self, name):
        """M(a, b) to the enumerator it names, by M's definition above."""
        m = re.match(r"(\w+)\((.*)\)$", name, re.S)
        if not m or m.group(1) not in self.macros:
            return name
        params, body = self.macros[m.group(1)]
        args = [a.strip() for a in m.group(2).split(",")]
        subst = dict(zip(params, args))
        body = IDENT.sub(lambda x: subst.get(x.group(0), x.group(0)), body)
        body = re.sub(r"\s*##\s*", "", body)
        ident = IDENT.search(body)
        return ident.group(0) if ident else name

    @staticmethod
    def _generator_prefix(kind, text):
        """The prefix a top-level generator call defines its names with.

        INTERVAL_TREE_DEFINE(..., static, __anon_rmap_tree) defines
        __anon_rmap_tree_insert() and its siblings: its last argument, an
        identifier, names the item, and a use of PREFIX_anything takes it.
        """
        if kind != "decl" or "{" in text or \
                re.match(r"\s*SYSCALL_DEFINE\d", text):
            return None
        m = re.match(r"\s*[A-Z][A-Z0-9_]*\s*\((.*)\)\s*;?\s*$", text, re.S)
        if not m:
            return None
        last = m.group(1).split(",")[-1].strip()
        return last if re.match(r"[A-Za-z_]\w*$", last) else None

    def provider(self, name):
        """The generator prefix a name was made with, if any."""
        for p in self.prefixes:
            if name.startswith(p + "_"):
                return p
        return None

    @staticmethod
    def _guard(raw):
        """Indices of the include guard's #ifndef, #define and #endif."""
        cpp = [(n, t) for n, (k, t, _) in enumerate(raw) if k == "cpp"]
        if len(cpp) < 3:
            return set()
        m = re.match(r"\s*#\s*ifndef\s+(\w+)", cpp[0][1])
        m2 = re.match(r"\s*#\s*define\s+(\w+)\s*$", cpp[1][1])
        if not (m and m2 and m.group(1) == m2.group(1)):
            return set()
        if any(k != "cpp" for k, _, _ in raw[:cpp[1][0]]):
            return set()
        if not re.match(r"\s*#\s*endif\b", cpp[-1][1]) or \
                any(k != "cpp" for k, _, _ in raw[cpp[-1][0]:]):
            return set()
        return {cpp[0][0], cpp[1][0], cpp[-1][0]}

    def marker_text(self):
        """The header with each item replaced by a marker line."""
        out = ["#line 1 \"%s\"" % self.path]
        for idx, (kind, text, line, names, cond) in enumerate(self.items):
            if kind == "decl" or not cond:
                out.append("%s%d_%d" % (MARK, self.hid, idx))
            if kind == "cpp":
                out.append(text)
        return "\n".join(out) + "\n"


def env_names(pre):
    """Names the preprocessed environment (cc -E -dD output) declares.

    Returns (all names, names it defines: macros and definitions).
    """
    macros = set()
    defined = set()
    declared = set()
    body = []
    for line in pre.split("\n"):
        m = re.match(r"\s*#\s*(define|undef)\s+(\w+)", line)
        if m:
            if m.group(1) == "define":
                macros.add(m.group(2))
            else:
                macros.discard(m.group(2))
        elif not line.startswith("#"):
            body.append(line)
    for kind, text, _ in split_items("\n".join(body)):
        for name in names_of(kind, text):
            declared.add(name)
            if is_definition(kind, text):
                defined.add(name)
    return macros | declared, macros | defined


def parse_names(path):
    """The name list: [(header, [names])], in order.

    A name ending in "?" is optional (--source: it may be missing); a
    word in <> is a header to include whole before what is taken
    (--source).
    """
    out = []
    for n, line in enumerate(read(path).splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.match(r"\[(\S+)\]$", line)
        if m:
            out.append((m.group(1), []))
        elif not out:
            die("%s:%d: a name before any [header] line" % (path, n))
        else:
            words = line.split()
            while words:
                w = words.pop(0)
                if w in ("struct", "union", "enum") and words:
                    w += " " + words.pop(0)
                out[-1][1].append(w)
    return out


def run_cpp(cc, env, headers, probe, includes=()):
    """Preprocess the environment followed by the marker headers.

    Returns (names the environment declares, names it defines, set of live
    (hid, idx)).
    """
    with open(probe, "w") as f:
        f.write("#include \"%s\"\n" % env)
        f.write("".join("#include %s\n" % i for i in includes))
        f.write("__vh_env_end\n")
        f.write(KERNEL_ON + "\n")
        for h in headers:
            f.write(h.marker_text())
    cmd = cc + ["-E", "-dD", "-DVH_ENV_PROBE", "-w", probe]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    if r.returncode:
        err = [l for l in r.stderr.splitlines() if "error" in l]
        die("preprocessing the environment failed: %s" %
            (err[0] if err else r.stderr.strip()[-300:]))
    pre, _, post = r.stdout.partition("__vh_env_end")
    live = {(int(a), int(b)) for a, b in
            re.findall(MARK + r"(\d+)_(\d+)", post)}
    return env_names(pre) + (live,)


def is_external_function(kind, text):
    """A function (definition or prototype) that has external linkage."""
    return kind == "decl" and "(" in head_of(text) and \
        not re.match(r"\s*(static|typedef)\b", text) and \
        (is_function(text) or re.search(r"\)\s*;\s*$", text) is not None)


def check_source_names(headers, wanted, env_defs, source):
    """--source: every name is in its file, and the environment does not
    define it already."""
    errors = []
    for h, names in zip(headers, wanted):
        for name in names:
            if name not in h.defs:
                errors.append("%s: no function or definition named %s "
                              "(listed in %s)" % (h.path, name, source))
            elif name in env_defs:
                errors.append("%s is defined by the environment too: the "
                              "stand-in that shadows %s's must go" %
                              (name, h.rel))
    if errors:
        die("\nkextract: ".join(errors))


def closure(headers, wanted, provided, live, notes, source=False,
            defined=None):
    """Mark the items to keep; return the struct tags they use.

    With source, external functions of the same file are not followed
    (named in the notes), only what the file keeps to itself and its
    macros, types and variables.  With defined (the names the environment
    defines, not only declares), a name the list asks for is taken unless
    it is among them: a function a header only declares is defined here.
    """
    keep = set()
    tags = set()
    for h, names in zip(headers, wanted):
        work = list(names)
        seen = set()
        while work:
            name = work.pop()
            if name in seen:
                continue
            seen.add(name)
            asked = defined is not None and name in names and \
                name not in defined
            if name in provided and not asked:
                continue
            idxs = h.defs.get(name, [])
            if not idxs and name in names:
                notes.append("%s: no %s (not in this version)" %
                             (h.rel, name))
            for idx in idxs:
                kind, text, _, own, _ = h.items[idx]
                clash = {n for n in own if n in provided and
                         not (asked and n == name)}
                if clash:
                    notes.append("%s:%d: %s not taken: %s already defined "
                                 "by the environment" %
                                 (h.rel, h.items[idx][2], name,
                                  ", ".join(sorted(clash))))
                    continue
                if source and name not in names and \
                        is_external_function(kind, text):
                    notes.append("%s:%d: %s not followed: a function with "
                                 "external linkage (list it, or the "
                                 "environment provides it)" %
                                 (h.rel, h.items[idx][2], name))
                    continue
                keep.add((h.hid, idx))
                if (h.hid, idx) not in live:
                    continue
                idents, used_tags = uses_of(kind, text, own)
                tags |= used_tags
                # Struct and union tags are not followed (a pointer needs
                # no definition; a forward declaration is written instead):
                # list a struct whose fields are used.
                for dep in idents:
                    if dep not in h.defs:
                        dep = h.provider(dep) or dep
                    if dep in h.defs and dep not in provided:
                        work.append(dep)
    return keep, tags


def emit(headers, keep):
    """The kept items with their enclosing conditionals, empty ones pruned.

    Items are written as the header has them, comments included, each
    preceded by a #line directive unless it follows on from the previous one.
    """
    out = []
    for h in headers:
        chunks = _render(h, _tree(h), keep)
        if not chunks:
            continue
        out.append("/* From %s */" % h.rel)
        at = None
        for line, text in chunks:
            if at is not None and 0 <= line - at <= 2:
                out.extend([""] * (line - at))
            else:
                out.append("#line %d \"%s\"" % (line, h.path))
            out.append(text)
            at = line + text.count("\n") + 1
    return out


def _tree(h):
    """The header's items as nested conditional groups.

    A node list holds item indices and groups; a group is a list of
    branches (directive index, node list) followed by its #endif index.
    """
    root = []
    stack = [root]
    groups = []
    for idx, item in enumerate(h.items):
        cond = item[4]
        if cond in ("if", "ifdef", "ifndef"):
            group = {"branches": [(idx, [])], "endif": None}
            stack[-1].append(group)
            groups.append(group)
            stack.append(group["branches"][0][1])
        elif cond in ("elif", "else"):
            if not groups:
                die("%s:%d: #%s without #if" % (h.rel, item[2], cond))
            stack.pop()
            groups[-1]["branches"].append((idx, []))
            stack.append(groups[-1]["branches"][-1][1])
        elif cond == "endif":
            if not groups:
                die("%s:%d: #endif without #if" % (h.rel, item[2]))
            stack.pop()
            groups.pop()["endif"] = idx
        else:
            stack[-1].append(idx)
    if groups:
        die("%s: unbalanced conditionals" % h.rel)
    return root


def _render(h, nodes, keep):
    lines = []
    for node in nodes:
        if isinstance(node, int):
            if (h.hid, node) in keep:
                lines += _item_lines(h, node)
            continue
        branches = [(d, _render(h, body, keep))
                    for d, body in node["branches"]]
        if not any(body for _, body in branches):
            continue
        for d, body in branches:
            lines += _item_lines(h, d) + body
        lines += _item_lines(h, node["endif"])
    return lines


def _item_lines(h, idx):
    """[(line, text)] of an item: its original text where that holds no
    comment cut in half, else the text with comments blanked."""
    kind, text, line = h.items[idx][:3]
    orig = "\n".join(h.lines[line - 1:line - 1 + text.count("\n") + 1])
    # A comment still open at the end (a #define whose comment goes on
    # to the next line) would swallow what follows: "*/" survives only
    # after a text that closes its comments.
    if normalise(strip_comments(orig)) == normalise(text) and \
            strip_comments(orig + "*/").endswith("*/"):
        text = orig
    return [(line, text.rstrip())]


def is_stub(text):
    """A function that does nothing or returns a constant: a stub, not a
    copy."""
    if not is_function(text):
        return False
    body = normalise(text[text.find("{"):])
    return bool(re.match(r"\{(return[\w\-]*;)?\}$", body))


def normalise(text):
    return re.sub(r"\s+", "", text)


def compare(headers, keep, test_dir):
    """Extracted definitions whose copy in test_dir/include/*.h differs."""
    copies = {}
    inc = os.path.join(test_dir, "include")
    for f in sorted(os.listdir(inc)) if os.path.isdir(inc) else []:
        if not f.endswith(".h"):
            continue
        for kind, text, _ in split_items(read(os.path.join(inc, f))):
            if is_definition(kind, text) and not is_stub(text):
                for name in names_of(kind, text):
                    copies.setdefault(name, []).append(normalise(text))
    differ = []
    for h in headers:
        real = {}
        for hid, idx in keep:
            if hid != h.hid:
                continue
            kind, text, _, names, _ = h.items[idx]
            if is_definition(kind, text):
                for name in names:
                    real.setdefault(name, []).append(normalise(text))
        for name in sorted(real):
            if "(" in name or name.startswith("fwd "):
                continue
            if name in copies and not set(copies[name]) & set(real[name]):
                differ.append(name)
    return differ


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", action="store_true",
                    help="the sections are .c files; write a .c file of "
                    "the functions named")
    ap.add_argument("--names", required=True, help="the name list")
    ap.add_argument("--kdir", required=True, help="the kernel tree")
    ap.add_argument("--env", required=True,
                    help="header that includes the environment")
    ap.add_argument("--cc", required=True,
                    help="compiler command with the build's flags")
    ap.add_argument("--compare", help="directory of upstream's test copies")
    ap.add_argument("--notes", help="write what was not taken to this file")
    ap.add_argument("--clash", nargs=2, metavar=("SOURCE", "OUT"),
                    help="write to OUT a rename (#define X upstream_X) for "
                    "each function SOURCE defines that the environment "
                    "defines too")
    ap.add_argument("--guard", help="include guard macro (headers)")
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()

    if not args.source and not args.guard:
        die("--guard is needed for a header")
    headers = []
    wanted = []
    optional = set()
    includes = []
    for rel, names in parse_names(args.names):
        includes += [n for n in names if n.startswith("<")]
        names = [n for n in names if not n.startswith("<")]
        path = os.path.join(args.kdir, rel)
        if not os.path.exists(path):
            die("%s: no such %s in the tree (listed in %s)" %
                (path, "file" if args.source else "header", args.names))
        headers.append(Header(len(headers), rel, path))
        optional |= {n[:-1] for n in names if n.endswith("?")}
        wanted.append([n.rstrip("?") for n in names])

    # The probe is named after the output: make -j runs the extractions
    # of one directory (gen/kx/, gen/extract/) side by side, and a probe
    # file they shared was rewritten under another's preprocessor.
    probe = os.path.abspath(args.output) + ".probe.c"
    provided, env_defs, live = run_cpp(args.cc.split(), args.env, headers,
                                       probe, includes)
    notes = []
    if args.source:
        for h, names in zip(headers, wanted):
            for name in [n for n in names if n in optional and
                         n not in h.defs]:
                notes.append("%s: no %s (not in this version)" %
                             (h.rel, name))
                names.remove(name)
        # A name the command line renames (-DNAME=other) is the tree's
        # function compiled under another name, not a stand-in.
        renamed = set(re.findall(r"-D(\w+)=", args.cc))
        check_source_names(headers, wanted, env_defs - renamed, args.names)
        keep, tags = closure(headers, wanted, env_defs - renamed, live,
                             notes, True)
    else:
        keep, tags = closure(headers, wanted, provided, live, notes,
                             defined=env_defs)

    defined_tags = set()
    for h in headers:
        for hid, idx in keep:
            if hid == h.hid:
                defined_tags |= {n for n in h.items[idx][3]
                                 if n.split(" ")[0] in ("struct", "union")}
    fwd = sorted(t for t in tags
                 if t.split(" ")[0] in ("struct", "union") and
                 t not in provided and "fwd " + t not in provided and
                 t not in defined_tags)

    out = ["/* Generated by scripts/build/kextract.py from %s: do not edit. */"
           % args.kdir]
    if args.guard:
        out += ["#ifndef " + args.guard, "#define " + args.guard]
    out += [""] + ["#include %s" % i for i in includes]
    out += [""] + ["%s;" % t for t in fwd] + ["", KERNEL_ON]
    out += emit(headers, keep)
    out += [KERNEL_OFF]
    if args.guard:
        out += ["", "#endif /* " + args.guard + " */"]
    out += [""]
    out = [re.sub(r"[ \t]+$", "", line, flags=re.M) for line in out]
    with open(args.output + ".tmp", "w") as f:
        f.write("\n".join(out))
    os.replace(args.output + ".tmp", args.output)

    if args.clash:
        source, out_path = args.clash
        ours = set(env_defs)
        for h in headers:
            for hid, idx in keep:
                kind, text = h.items[idx][:2] if hid == h.hid else (0, 0)
                if kind and is_definition(kind, text):
                    ours |= h.items[idx][3]
        renames = []
        if os.path.exists(source):
            for kind, text, _ in split_items(read(source)):
                if kind == "decl" and is_function(text):
                    renames += sorted(n for n in names_of(kind, text)
                                      if n in ours)
        with open(out_path, "w") as f:
            f.write("/* Generated by scripts/build/kextract.py. */\n")
            f.write("".join("#define %s upstream_%s\n" % (n, n)
                            for n in renames))

    if args.notes:
        with open(args.notes, "w") as f:
            f.write("".join(n + "\n" for n in notes))
    if args.compare and os.path.isdir(args.compare):
        differ = compare(headers, keep, args.compare)
        drift = args.output + ".drift"
        with open(drift, "w") as f:
            f.write("".join(n + "\n" for n in differ))
        if differ:
            print("vma: note: %d helper(s) copied in %s differ from the "
                  "tree's headers (%s ...; all in %s)" %
                  (len(differ), args.compare, ", ".join(differ[:4]), drift),
                  file=sys.stderr)


if __name__ == "__main__":
    main()
