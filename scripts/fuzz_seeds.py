#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The fuzzer's seed corpus, generated from the tables.

Every row of tests/*.c that draws an address space (.before, a picture
of shared/vma/vma.h: a letter per page, upper case read-write, lower case
read-only, 'S' a stack, '-' free) becomes one input of the fuzz target
(fuzz/fuzz.h's format, four bytes per operation): the operations that set
the picture up as shared/vma/under_reader.c sets it up (each VMA mapped
read-write as its .kind says: brk(), a faulted-in stack, the file private
or shared; the lower-case ones then made read-only; the VMAs of .anon
faulted in, digit by digit), then the row's own operation on its .range
where the fuzzer has that operation (mmap, munmap, mprotect, brk, stack
growth, a fault, mremap, fork, mm_take_all_locks(), userfaultfd's
UFFDIO_REGISTER; the rest of the vma_modify_*() family as a madvise flag
change), after a fail operation where the row makes it fail
(tests/enomem.c's .fail_nth, .max_map_count); a stack growth row also
under an RLIMIT_STACK the grown stack just fits.  The rows of
tests/fuzz_regress.c are their operations.
Pages past the fuzzer's window (fuzz/fuzz.h's FZ_PAGES) are left out.

The op codes are read from fuzz/fuzz.h's enum, the files written to
fuzz/corpus/TABLE.DESC (identical inputs once, under the first name), and
the seeds' distinct operations to fuzz/ops.dict, a libFuzzer dictionary
(-dict) whose entries are whole operations.

Usage: scripts/fuzz_seeds.py [--check] [REPO]
  --check   write nothing: exit 1, naming the files, if fuzz/corpus is not
            what the tables give (a table changed, the corpus did not)
"""

import os
import re
import sys

ROW = re.compile(r'\{\s*\.desc\s*=\s*"([A-Za-z0-9_]+)"(.*?)\}\s*,\s*(?=\{\s*\.desc|\};)',
                 re.S)
DEFINE = re.compile(r'^#define\s+([A-Z0-9_]+)\s+("[^"\n]*")\s*$', re.M)


def fuzz_h(repo):
    """The op codes, FZ_NR_OPS and FZ_PAGES of fuzz/fuzz.h."""
    src = open(os.path.join(repo, 'fuzz', 'fuzz.h')).read()
    body = re.search(r'enum fz_opcode \{(.*?)\};', src, re.S).group(1)
    body = re.sub(r'/\*.*?\*/', '', body, flags=re.S)
    ops = {}
    for n, name in enumerate(x.strip() for x in body.split(',')):
        if name.startswith('FZ_NR_OPS'):
            break
        ops[name[len('FZ_OP_'):].lower()] = n
    pages = int(re.search(r'#define FZ_PAGES\s+(\d+)', src).group(1))
    fk = re.search(r'enum fz_fail_kind \{(.*?)\};', src, re.S)
    fk = re.sub(r'/\*.*?\*/', '', fk.group(1), flags=re.S) if fk else ''
    mr = re.search(r'enum fz_mremap_form \{(.*?)\};', src, re.S).group(1)
    mr = re.sub(r'/\*.*?\*/', '', mr, flags=re.S)
    forms = {x.strip(): i for i, x in
             enumerate(y for y in mr.split(',') if y.strip())}
    forms.update((x.strip(), i) for i, x in
                 enumerate(y for y in fk.split(',') if y.strip()))
    forms.update((k, int(v, 0)) for k, v in
                 re.findall(r'#define (FZ_MR_[A-Z]+)\s+(0x[0-9a-f]+)', src))
    return ops, len(ops), pages, forms


class Seed:
    """The operations of one input."""

    def __init__(self, ops, nr_ops, pages, forms):
        self.code, self.nr, self.pages, self.forms = ops, nr_ops, pages, forms
        self.out = bytearray()
        self.maymove = None	# where its MREMAP_MAYMOVE op is
        self.grow = None	# where its stack growth is, and the size
        self.alts = []		# (offset, length byte, arg, suffix): variants

    def op(self, name, page, length=1, arg=0, aux=0):
        """One operation; a range longer than 8 pages in pieces."""
        if page < 0 or page >= self.pages or length < 1:
            return
        length = min(length, self.pages - page)
        while length > 0:
            n = min(length, 8)
            # fz_encode(): the length byte's upper bits are .aux.
            if aux >= self.pages:
                return
            self.out += bytes([self.code[name], page, n - 1 + 8 * aux,
                               arg & 0xff])
            page += n
            length -= n
            if name == 'file' and (arg >> 3) + n < 32:
                arg += n << 3	# the next piece continues the file

    def alt(self, suffix, aux=None, arg=None):
        """A variant seed: the last operation with another aux or arg."""
        if len(self.out) < 4:
            return
        # fz_encode(): .aux is the length byte's upper five bits.
        b2 = (self.out[-2] & 7) | (aux << 3) if aux is not None \
            else self.out[-2]
        if b2 <= 255:
            self.alts.append((len(self.out) - 4, b2,
                              self.out[-1] if arg is None else arg, suffix))

    def mremap(self, page, length, form, newlen=None, to=0, extra=()):
        if length > 8 or (newlen or length) > 8:
            return
        arg = self.forms[form] | (((newlen or length) - 1) << 2)
        for e in extra:
            arg |= self.forms[e]
        if 'FZ_MR_MAYMOVE' in extra:
            self.maymove = len(self.out)
        self.op('mremap', page, length, arg, to)


def runs(pic, pages):
    """The VMAs of a picture: (letter, first page, end page)."""
    out, i = [], 0
    pic = pic[:pages]
    while i < len(pic):
        c = pic[i]
        j = i
        while j < len(pic) and pic[j] == c:
            j += 1
        if c.isalpha():
            out.append((c, i, j))
        i = j
    return out


def star(pic, ch='*'):
    """The first run of @ch in a picture: (first page, end page) or None."""
    if not pic:
        return None
    i = pic.find(ch)
    if i < 0:
        return None
    j = i
    while j < len(pic) and pic[j] == ch:
        j += 1
    return i, j


def field(body, name, defines):
    """A row's string field (a literal or a #define of one), or None."""
    m = re.search(r'\.%s\s*=\s*("(?:[^"\\]|\\.)*"|[A-Z][A-Z0-9_]*)' % name, body)
    if not m:
        return None
    v = m.group(1)
    if not v.startswith('"'):
        v = defines.get(v)
        if v is None:
            return None
    return v[1:-1]


def num(body, name):
    m = re.search(r'\.%s\s*=\s*(-?\d+)' % name, body)
    return int(m.group(1)) if m else None


def ident(body, name):
    m = re.search(r'\.%s\s*=\s*&?([A-Za-z_][A-Za-z0-9_]*)' % name, body)
    return m.group(1) if m else None


def setup(s, before, kind, anon):
    """The picture, as shared/vma/under_reader.c's vh_ur_setup() makes it."""
    vmas = runs(before, s.pages)
    kindat = lambda p: kind[p] if kind and p < len(kind) else ' '
    # brk areas first: brk() grows into free pages with nothing above.
    for c, a, b in sorted(vmas, key=lambda v: kindat(v[1]) != 'b'):
        k = kindat(a)
        if k == 'b':
            s.op('brk', a, b - a)
        elif k in 'ps':
            s.op('file', a, b - a, (2 if k == 's' else 0) | (a << 3))
        elif k == 'g' or c == 'S':
            s.op('map', a, b - a, 2)
            s.op('fault', a, 1, 1)
        else:
            s.op('map', a, b - a, 0)
    for c, a, b in vmas:
        if c.islower():
            s.op('prot', a, b - a, 1)
    for d in '123456789':
        for c, a, b in vmas:
            if anon and a < len(anon) and anon[a] == d:
                s.op('fault', a, 1, 1)


def row_op(s, table, body, before):
    """The row's own operation, where the fuzzer has it."""
    op = (ident(body, 'op') or ident(body, 'writer') or '').lower()
    rng = star(field(body, 'range', {}) or '')
    ro = re.search(r'\.(flags|prot)\s*=\s*VH_(PROT_)?RO\b', body) is not None
    to = num(body, 'to')
    read_at = star(field(body, 'read_at', {}) or '', '^')
    if table == 'mremap' and num(body, 'old_len'):
        addr, old, new = num(body, 'addr') or 0, num(body, 'old_len'), \
            num(body, 'new_len') or num(body, 'old_len')
        flags = re.search(r'\.flags\s*=\s*([A-Z_ |]+)', body)
        flags = flags.group(1) if flags else ''
        dest = num(body, 'new_addr') or 0
        if 'DONTUNMAP' in flags:
            s.mremap(addr, old, 'FZ_MR_DONTUNMAP', to=dest)
        elif 'FIXED' in flags:
            s.mremap(addr, old, 'FZ_MR_FIXED', new, dest)
        else:
            s.mremap(addr, old, 'FZ_MR_INPLACE', new, extra=[
                'FZ_MR_MAYMOVE'] if 'MAYMOVE' in flags else [])
        return
    if table == 'stack_guard':
        t = star(field(body, 'to', {}) or '', '^')
        if t:
            above = [r for r in runs(before, s.pages) if r[1] > t[0]]
            if above:
                s.grow = (len(s.out), above[0][2] - t[0])
            s.op('grow', t[0])
        return
    if table == 'lock_mm_and_find_vma':
        t = star(field(body, 'fault_at', {}) or '', '^')
        if t:
            s.op('grow', t[0])
            s.op('fault', t[0])
        return
    if 'fork' in op:
        s.op('fork', 0)
        return
    if 'take_all' in op:
        s.op('lockall', 0)
        return
    if not rng and 'fault' in op and read_at:
        s.op('fault', read_at[0])
        return
    if not rng:
        return
    a, b = rng
    if 'unmap' in op:
        s.op('unmap', a, b - a, 1 if 'vm_munmap' in op else 0)
    elif 'protect' in op:
        s.op('prot', a, b - a, 1 if ro else 0)
    elif 'replace' in op:
        s.op('unmap', a, b - a)
        s.op('map', a, b - a, 1 if ro else 0)
    elif op.startswith('fm_') and 'map' in op:
        delta = num(body, 'pgoff_delta') or 0
        shared = re.search(r'\.shared\s*=\s*true', body) is not None
        arg = (2 if shared else 0) | ((a + delta) & 31) << 3
        s.op('file', a, b - a, arg)
        # The row's hook, on a file of that kind (enum fz_file_kind):
        # a legacy ->mmap() (file 2; file 1's fails), ->mmap_prepare()
        # that fails, that sets VM_DONTEXPAND or VM_DONTDUMP; MAP_LOCKED.
        hook = ident(body, 'hook') or ''
        if 'MMAP_FAILS' in hook:
            s.alt('_legacy_fails', aux=1, arg=arg)
        elif 'HOOK_MMAP' in hook:
            s.alt('_legacy', aux=1, arg=arg | 4)
        else:
            s.alt('_prepare_fails', aux=3, arg=arg | 4)
            s.alt('_dontexpand', aux=2, arg=arg)
        s.alt('_dontdump_locked', aux=2 | 4, arg=arg | 4)
    elif 'special' in op:
        s.op('special', a, b - a, 0)
        s.alt('_hooks_vvar', arg=6)
    elif 'insert' in op:
        s.op('special', a, b - a, 1)
        s.alt('_vdso', arg=0)
    elif 'relocate' in op and to is not None:
        s.op('relocate', a, a - to)
    elif 'map' in op:
        s.op('map', a, b - a, 1 if ro else 0)
        s.alt('_locked', aux=1)
    elif 'brk' in op:
        s.op('brk', a, b - a)
    elif 'grow' in op:
        s.op('grow', a)
    elif 'fault' in op:
        s.op('fault', a)
    elif 'copy' in op and to is not None:
        s.mremap(a, b - a, 'FZ_MR_MOVE', to=to)
    elif 'extend' in op:
        v = [r for r in runs(before, s.pages) if r[2] == a]
        if v:
            s.mremap(v[0][1], a - v[0][1], 'FZ_MR_INPLACE', b - v[0][1])
    elif 'shrink' in op:
        v = [r for r in runs(before, s.pages) if r[1] == a]
        if v:
            s.mremap(a, v[0][2] - a, 'FZ_MR_INPLACE', b - a)
    elif 'uffd' in op:
        # vma_modify_flags_uffd(): UFFDIO_REGISTER (MODE_MISSING), then
        # UFFDIO_UNREGISTER.
        s.op('uffd', a, b - a, 0)
        s.op('uffd', a, b - a, 8)
    elif any(k in op for k in ('name', 'policy')):
        # vma_modify_name()/_policy(): as a flag change.
        s.op('madv', a, b - a, 3)


def fail_arg(s, body, before):
    """A tests/enomem.c row's failure as FZ_OP_FAIL's argument, or None:
    its .fail_nth (the nth VMA allocation), its .max_map_count (relative
    to the VMAs of .before)."""
    if 'FZ_FAIL_SLAB' not in s.forms or 'fail' not in s.code:
        return None
    nth, mmc = num(body, 'fail_nth'), num(body, 'max_map_count')
    if mmc:
        n = max(0, min(3, mmc - len(runs(before, s.pages)) + 1))
        return s.forms['FZ_FAIL_MAP_COUNT'] | n << 2
    if nth:
        return s.forms['FZ_FAIL_SLAB'] | ((nth - 1) & 3) << 2
    return None


def regress_row(s, body):
    """A tests/fuzz_regress.c row: its FZ_OPS() list."""
    for m in re.finditer(r'\{\s*FZ_OP_([A-Z]+),([^}]*)\}', body):
        f = dict((k, int(v, 0)) for k, v in
                 re.findall(r'\.(\w+)\s*=\s*(0x[0-9a-fA-F]+|\d+)', m.group(2)))
        s.op(m.group(1).lower(), f.get('page', 0), f.get('len', 1),
             f.get('arg', 0), f.get('aux', 0))


def seeds(repo):
    ops, nr, pages, forms = fuzz_h(repo)
    out = {}
    tests = os.path.join(repo, 'tests')
    for fn in sorted(os.listdir(tests)):
        if not fn.endswith('.c') or fn == 'upstream.c':
            continue
        table = fn[:-2]
        src = open(os.path.join(tests, fn)).read()
        src = re.sub(r'/\*.*?\*/', '', src, flags=re.S)
        # Rows inside #ifdef VH_HAVE_*: seeds all the same (an input is
        # valid on any tree), and the conditionals must not split rows.
        src = re.sub(r'^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif)\b.*\n',
                     '', src, flags=re.M)
        defines = dict(DEFINE.findall(src))
        for desc, body in ROW.findall(src):
            s = Seed(ops, nr, pages, forms)
            if table == 'fuzz_regress':
                regress_row(s, body)
            else:
                before = field(body, 'before', defines)
                if not before:
                    continue
                setup(s, before, field(body, 'kind', defines),
                      field(body, 'anon', defines))
                at = len(s.out)
                row_op(s, table, body, before)
                # The row's failure, armed for its operation.
                fail = fail_arg(s, body, before)
                if fail is not None and len(s.out) > at:
                    op = bytes(s.out[at:])
                    del s.out[at:]
                    s.op('fail', 0, 1, fail)
                    s.out += op
            if s.out:
                out.setdefault(bytes(s.out), '%s.%s' % (table, desc))
            for at, b2, arg, suffix in s.alts:
                v = bytearray(s.out)
                v[at + 2], v[at + 3] = b2, arg
                out.setdefault(bytes(v), '%s.%s%s' % (table, desc, suffix))
            # A move where get_unmapped_area() says: bottom-up as the row
            # has it, and top-down too.
            if s.maymove is not None:
                td = bytearray(s.out)
                td[s.maymove + 3] |= s.forms['FZ_MR_TOPDOWN']
                out.setdefault(bytes(td), '%s.%s_topdown' % (table, desc))
            # A stack's growth under an RLIMIT_STACK it just fits
            # (getrlimit(2): the limit is the largest size allowed).
            if s.grow is not None and 'FZ_FAIL_STACK' in s.forms and \
                    s.grow[1] < 64:
                at, size = s.grow
                v = Seed(ops, nr, pages, forms)
                v.op('fail', 0, 1, s.forms['FZ_FAIL_STACK'] | size << 2)
                v.out = s.out[:at] + v.out + s.out[at:]
                out.setdefault(bytes(v.out), '%s.%s_rlimit' % (table, desc))
    return {name: data for data, name in out.items()}


def dictionary(want):
    """libFuzzer's -dict: every operation of the seeds, four bytes each,
    so that mutations insert and replace whole operations."""
    ops = sorted({d[i:i + 4] for d in want.values()
                  for i in range(0, len(d) - 3, 4)})
    return ('# Generated by scripts/fuzz_seeds.py from the seeds: one '
            'operation a line.\n' +
            ''.join('"%s"\n' % ''.join('\\x%02x' % b for b in op)
                    for op in ops))


def main():
    args = sys.argv[1:]
    check = '--check' in args
    args = [a for a in args if a != '--check']
    repo = os.path.abspath(args[0] if args else
                           os.path.join(os.path.dirname(__file__), '..'))
    corpus = os.path.join(repo, 'fuzz', 'corpus')
    want = seeds(repo)
    # Ours are the files named TABLE.DESC; other inputs (a finding kept
    # as it was found) stay.
    have = {f for f in os.listdir(corpus) if '.' in f}
    stale = sorted((have - set(want)) |
                   {n for n, d in want.items() if n not in have or
                    open(os.path.join(corpus, n), 'rb').read() != d})
    dict_path = os.path.join(repo, 'fuzz', 'ops.dict')
    if not os.path.exists(dict_path) or \
            open(dict_path).read() != dictionary(want):
        stale.append('../ops.dict')
    if check:
        if stale:
            print('fuzz_seeds.py: fuzz/corpus is not what the tables give '
                  '(scripts/fuzz_seeds.py writes it): %s' % ' '.join(stale))
            return 1
        print('fuzz_seeds.py: fuzz/corpus: %d seeds from the tables, current'
              % len(want))
        return 0
    for f in have - set(want):
        os.unlink(os.path.join(corpus, f))
    for n, d in want.items():
        with open(os.path.join(corpus, n), 'wb') as f:
            f.write(d)
    with open(os.path.join(repo, 'fuzz', 'ops.dict'), 'w') as f:
        f.write(dictionary(want))
    total = sum(len(d) for d in want.values())
    print('fuzz_seeds.py: %d seeds from the tables (%d bytes) in fuzz/corpus'
          % (len(want), total))
    return 0


if __name__ == '__main__':
    sys.exit(main())
