# SPDX-License-Identifier: GPL-2.0
"""Line and branch coverage of the kernel files a build compiles.

merge() reads lcov tracefiles (`lcov --capture` of a gcov build) and
merges them by kernel file: a header's lines appear once per translation
unit that includes it, and a line (or branch) counts as covered if any
unit covered it.  Every file of the tree that has line records is
reported: the .c files the Makefile compiles whole and whatever else
reaches the tree through #line (headers, functions extracted from other
.c files), so that a file the build starts compiling shows up here
without a list to keep.
"""

import re
from dataclasses import dataclass, field

# Where the build names the tree: gen/ksrc is the tree, gen/kinc a
# directory of links to include/ (Makefile).
_IN_TREE = re.compile(r'(?:^|/)gen/(ksrc|kinc)/(.*)$')


def kernel_path(sf):
    """The tree-relative path of the source file SF, or None.

    None for what is not kernel code under test: the harness's own files
    and the tree's userspace shims (tools/).
    """
    m = _IN_TREE.search(sf)
    if not m:
        return None
    parts = []
    for p in m.group(2).split('/'):
        if p == '..':
            if parts:
                parts.pop()
        elif p not in ('', '.'):
            parts.append(p)
    path = '/'.join(parts)
    if m.group(1) == 'kinc':
        path = 'include/' + path
    if path.startswith('tools/'):
        return None
    return path


@dataclass
class FileCov:
    """One kernel file: lines seen and hit, branches seen and hit, its
    functions ({name: [first line, calls]}) and where its text is read.
    """
    lines: set = field(default_factory=set)
    lines_hit: set = field(default_factory=set)
    branches: set = field(default_factory=set)
    branches_hit: set = field(default_factory=set)
    functions: dict = field(default_factory=dict)
    source: str = ''


def merge(lines_info, branches_info):
    """Merge lcov tracefiles: lines from the files LINES_INFO, branches
    from the files BRANCHES_INFO.

    Returns {tree-relative path: FileCov}.
    """
    files = {}
    todo = [(p, 'DA:') for p in lines_info] + \
        [(p, 'BRDA:') for p in branches_info]
    for path, want in todo:
        cur = None
        with open(path, errors='replace') as f:
            for line in f:
                line = line.rstrip('\n')
                if line.startswith('SF:'):
                    k = kernel_path(line[3:])
                    cur = files.setdefault(k, FileCov()) if k else None
                    if cur is not None and not cur.source:
                        cur.source = line[3:]
                elif cur is not None and want == 'DA:' and \
                        line.startswith(('FN:', 'FNDA:')):
                    a, name = line.split(':', 1)[1].split(',', 1)
                    fn = cur.functions.setdefault(name, [0, 0])
                    if line.startswith('FN:'):
                        fn[0] = int(a)
                    else:
                        fn[1] += int(a)
                elif cur is None or not line.startswith(want):
                    continue
                elif want == 'DA:':
                    n, hits = line[3:].split(',')[:2]
                    cur.lines.add(int(n))
                    if int(hits) > 0:
                        cur.lines_hit.add(int(n))
                else:
                    n, block, br, taken = line[5:].split(',')[:4]
                    key = (int(n), block, br)
                    cur.branches.add(key)
                    if taken != '-' and int(taken) > 0:
                        cur.branches_hit.add(key)
    return {k: v for k, v in files.items() if v.lines}


def _pct(a, b):
    return 100.0 * a / b if b else 100.0


def table(files):
    """The coverage table, one line per file: .c files first, then headers."""
    out = ['%-36s %16s %18s' % ('file', 'lines', 'branches')]
    for k in sorted(files, key=lambda k: (not k.endswith('.c'), k)):
        c = files[k]
        out.append('%-34s %5d/%-5d %5.1f%% %6d/%-6d %5.1f%%' % (
            k, len(c.lines_hit), len(c.lines),
            _pct(len(c.lines_hit), len(c.lines)),
            len(c.branches_hit), len(c.branches),
            _pct(len(c.branches_hit), len(c.branches))))
    return out


def uncovered(c):
    """The uncovered lines of C, and its lines with a branch not taken.

    Lines with several branches not taken are given as "N (count)".
    """
    lines = sorted(c.lines - c.lines_hit)
    count = {}
    for k in c.branches - c.branches_hit:
        count[k[0]] = count.get(k[0], 0) + 1
    br = ['%d%s' % (n, ' (%d)' % count[n] if count[n] > 1 else '')
          for n in sorted(count)]
    return lines, br


def details(files):
    """Every uncovered line (U) and branch (B) of FILES, for coverage.txt."""
    out = []
    for k in sorted(files):
        c = files[k]
        out += ['U %s %d' % (k, n) for n in sorted(c.lines - c.lines_hit)]
        out += ['B %s %d %s %s' % (k, *b)
                for b in sorted(c.branches - c.branches_hit)]
    return out


# What takes, drops or checks a VMA lock, mmap_lock or RCU.
_LOCKING = re.compile(
    r'\b(lock_vma_under_rcu|lock_next_vma|vma_start_read\w*|vma_end_read|'
    r'vma_start_write\w*|vma_assert_\w+|mmap_assert_\w+|'
    r'mmap_(?:read|write)_(?:try)?(?:un)?lock\w*|rcu_read_(?:un)?lock)\s*\(')


def locking_functions(c):
    """The functions of C that lock: those whose text calls a lock
    primitive (_LOCKING), and those that call one of them, found again
    until none is added.  Returns [(name, calls, lines hit, lines)] in
    the file's order.

    A function's lines are its file's line records from its first line
    to the next function's; its text is the tree's, read through the
    file's source path, without its comments.
    """
    fns = sorted((v[0], k) for k, v in c.functions.items() if v[0])
    try:
        with open(c.source, errors='replace') as f:
            text = f.read().splitlines()
    except OSError:
        return []
    spans = {}
    for i, (start, name) in enumerate(fns):
        nxt = fns[i + 1][0] if i + 1 < len(fns) else float('inf')
        mine = [n for n in c.lines if start <= n < nxt]
        end = max(mine, default=start)
        body = '\n'.join(text[start - 1:end])
        # Comments name functions too ("not to mmap_read_lock(mm)").
        body = re.sub(r'/\*.*?\*/|//[^\n]*', ' ', body, flags=re.S)
        spans[name] = (mine, body)
    names = set()
    todo = True
    while todo:
        todo = False
        for name, (_, body) in spans.items():
            if name in names:
                continue
            if _LOCKING.search(body) or any(
                    re.search(r'\b%s\s*\(' % re.escape(n), body)
                    for n in names):
                names.add(name)
                todo = True
    return [(name, c.functions[name][1], len(c.lines_hit & set(mine)),
             len(mine))
            for _, name in fns if name in names
            for mine in [spans[name][0]]]
