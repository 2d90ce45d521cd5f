#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""run_tests.sh - the pre-submission matrix: build and run the suite in
each configuration (ASan+UBSan, and production, nolockdep, strict, up and
i386 of configs/) on the kernel tree and on the series fixture tree made
from it, the bad-input tests and both in-tree layouts (tests/cli.sh,
tests/intree.sh), then print one table.  Valgrind memcheck, the KCSAN
race detector in its default mode and a short torture run under it are
optional (--with valgrind, kcsan, torture), as are the rows of other
architectures (--arch i386 under qemu-i386 where the kernel cannot run
it, arm64, armhf).  The rows are data: scripts/matrix/rows.py.

  ./run_tests.sh [--kdir PATH] [--patch FILE]... [--quick] [--jobs N]
                 [--rows N] [--row-timeout S] [--keep] [--times]
                 [--repeat N] [--cc CC]
                 [-t PATTERN] [--with ROW]... [--arch ARCH]...
                 [--coverage | --timings | --fuzz S]

--kdir PATH   use this tree (never modified) instead of the default one
--patch FILE  apply FILE (diff, git format-patch output or an mbox of a
              series) to a scratch copy of the tree, in the order given,
              and test that copy instead; stops before any build if a
              patch does not apply.  On the default tree's cache, what it
              does not unpack (arch/*/Kconfig, rust/, ...) is left out,
              with one line naming it
--quick       ASan+UBSan on the given tree only
--jobs N      parallel make jobs (default: number of CPUs)
--rows N      configurations built and run at the same time (default:
              number of CPUs)
--row-timeout S  a row whose run gives no result within S seconds
              (default 900) is killed and reported as such
--timings     instead of the matrix: scripts/timings.sh (build and run
              times next to the tree's own tools/testing/vma)
--fuzz S      instead of the matrix: scripts/fuzz.sh, the fuzz target
              (make FUZZ=1) for S seconds: executions per second, coverage
              and any finding
--keep        keep scratch trees and print where they are
--repeat N     run each configuration N times after its build (the
              scripts once); its line says how many runs passed, and
              stops at the first that did not
--times       after the table, each row's build and run: wall and CPU
              (user+sys) seconds (always written to build/matrix-times.txt)
--cc CC       compiler (default: $CC or cc)
--coverage    instead of the matrix: gcov builds on the given tree (-O0
              for lines, -O1 for branches), then
              the vma_start_write() call sites of mm/vma.c with the tests
              that reached each, and line and branch coverage of every
              kernel file the build compiles, with the lines of the lock
              code that no test reaches
--with ROW    also run the optional row ROW (rows.py)
--arch ARCH   also run the rows for architecture ARCH (rows.py)
-t PATTERN    run only the tests matching PATTERN (as ./vma -t)

Every KTAP result is read with the tree's tools/testing/kunit/kunit_parser.py.
The rows build in build/ (VMA_BUILD_DIR: elsewhere); a normal run records
each configuration's sizeof(struct vm_area_struct) there (vma-sizes), and a
--patch run prints its own next to them: "(was N)" where a patch changed it.
Exit status: 0 if every row passed, 1 if one did not (or the run was
interrupted), 2 for bad usage or input.
"""

import fcntl
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import coverage
import ktap
import proc
from rows import ROWS

REPO = os.path.realpath(os.path.join(os.path.dirname(__file__), '..', '..'))
# Where the rows build (tests/cli.sh runs a --patch matrix of its own
# beside the one running it).
BUILD = os.path.abspath(os.environ.get('VMA_BUILD_DIR') or
                        os.path.join(REPO, 'build'))
NUMBER = re.compile(r'^[1-9][0-9]*$')
# The lines of a failed row's KTAP worth showing on stderr.
SHOW = re.compile(r'ASSERTION|WARN at|BUG at|KCSAN at|DEADLOCK|reproduce:')
# The lock code, whose uncovered lines --coverage lists.
LOCK_CODE = ('mm/mmap_lock.c', 'include/linux/mmap_lock.h')
# The lock's callers that the series edits, taken by name (units): their
# locking functions are listed one by one.
SERIES_CALLERS = ('fs/proc/task_mmu.c', 'mm/userfaultfd.c',
                  'kernel/bpf/task_iter.c', 'drivers/android/binder_alloc.c',
                  'net/ipv4/tcp.c')


class Usage(Exception):
    """Bad usage or input: one line, exit 2."""


def say(msg):
    """One "vma: ..." line on stderr."""
    print(f'vma: {msg}', file=sys.stderr, flush=True)


def nproc():
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0))


class Options:
    """The command line."""

    def __init__(self, argv):
        self.kdir = os.environ.get('KDIR', '')
        self.patches = []
        self.quick = False
        self.coverage = False
        self.jobs = nproc()
        self.rows = self.jobs
        self.row_timeout = 900
        self.timings = False
        self.fuzz = None
        self.keep = False
        self.times = False
        self.repeat = 1
        self.cc = os.environ.get('CC') or 'cc'
        # Named by the user: every row's make gets CC=; otherwise each
        # build takes its own default (a cross row its cross compiler).
        self.cc_named = bool(os.environ.get('CC'))
        self.tests = []
        self.extra = []
        self.arches = []
        self._parse(list(argv))

    def _parse(self, args):
        def value(what, number=False):
            if not args or (number and not NUMBER.match(args[0])):
                raise Usage(f'{opt} needs {what}')
            return args.pop(0)

        while args:
            opt = args.pop(0)
            if opt == '--kdir':
                self.kdir = value('a path')
            elif opt.startswith('--kdir='):
                self.kdir = opt.split('=', 1)[1]
            elif opt == '--patch':
                self.patches.append(value('a file'))
            elif opt.startswith('--patch='):
                self.patches.append(opt.split('=', 1)[1])
            elif opt == '--quick':
                self.quick = True
            elif opt == '--coverage':
                self.coverage = self.quick = True
            elif opt == '--jobs':
                self.jobs = int(value('a number', True))
            elif opt == '--rows':
                self.rows = int(value('a number', True))
            elif opt == '--row-timeout':
                self.row_timeout = int(value('a number', True))
            elif opt == '--timings':
                self.timings = True
            elif opt == '--fuzz':
                self.fuzz = value('seconds', True)
            elif opt == '--repeat':
                self.repeat = int(value('a number', True))
            elif opt == '--times':
                self.times = True
            elif opt == '--keep':
                self.keep = True
            elif opt == '--cc':
                self.cc = value('a compiler')
                self.cc_named = True
            elif opt == '-t':
                self.tests += ['-t', value('a pattern')]
            elif opt == '--with':
                name = value('a row')
                if name not in [r.name for r in ROWS]:
                    raise Usage(f"no row named '{name}' "
                                '(scripts/matrix/rows.py)')
                self.extra.append(name)
            elif opt == '--arch':
                arch = value('an architecture')
                if arch not in [r.arch for r in ROWS] + \
                        [r.emulated for r in ROWS]:
                    raise Usage(f"no row for --arch {arch} "
                                '(scripts/matrix/rows.py)')
                self.arches.append(arch)
            elif opt in ('-h', '--help'):
                print(__doc__.rstrip())
                sys.exit(0)
            else:
                raise Usage(f"unknown option '{opt}' (try --help)")

    def selection(self):
        """Which rows' 'when' this run selects."""
        if self.coverage:
            return 'coverage'
        return 'quick' if self.quick else 'full'

    def selected_rows(self):
        """The rows this run takes, in table order."""
        return [r for r in ROWS
                if r.selected(self.selection(), self.extra, self.arches,
                              bool(self.patches))]


def vma_sizes(rows, trees, patched):
    """Lines under the table: sizeof(struct vm_area_struct) in each built
    configuration (./vma --config), per tree.  A normal run records the
    first tree's in build/vma-sizes; a --patch run prints those next to
    its own, so a patch that grows the VMA somewhere shows.
    """
    record = os.path.join(BUILD, 'vma-sizes')
    before = {}
    if patched and os.path.exists(record):
        with open(record, encoding='utf-8') as f:
            before = dict(x.split() for x in f if len(x.split()) == 2)
    lines, seen = [], {}
    for i, label in enumerate(trees):
        got = []
        for r in rows:
            prog = os.path.join(BUILD, f'{r.build_dir()}-{i}', 'vma')
            if not r.builds or r.gcov or r.build_dir() in seen.get(i, ()) \
                    or not os.path.exists(prog):
                continue
            seen.setdefault(i, set()).add(r.build_dir())
            cfg = r.name if os.path.isfile(
                os.path.join(REPO, 'configs', r.name)) else None
            cmd = (['scripts/config-run.sh', cfg, prog, '--config'] if cfg
                   else [prog, '--config'])
            try:
                out = subprocess.run(cmd, cwd=REPO, text=True, timeout=60,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL).stdout
            except subprocess.TimeoutExpired:
                continue
            m = re.search(r'^sizeof\(struct vm_area_struct\): (\d+)$',
                          out, re.M)
            if not m:
                continue
            size = m.group(1)
            name = r.build_dir()
            was = before.get(name)
            got.append((name, size, was))
        if not got:
            continue
        if i == 0 and not patched:
            with open(record, 'w', encoding='utf-8') as f:
                f.writelines(f'{n} {s}\n' for n, s, _ in got)
        lines.append(f'sizeof(struct vm_area_struct) on {label}: ' +
                     ', '.join(f'{n} {s}' + (f' (was {w})' if w and w != s
                                             else '')
                               for n, s, w in got))
    return lines


def sh(cmd, **kw):
    """Run CMD (in the repository), stdout captured; CalledProcessError."""
    return subprocess.run(cmd, cwd=REPO, check=True, text=True,
                          stdout=subprocess.PIPE, **kw).stdout


def need(pkgs, cc, quiet=False):
    """scripts/need.sh PKGS: whether they are there (installed if need be)."""
    env = dict(os.environ, CC=cc)
    err = subprocess.DEVNULL if quiet else None
    return subprocess.run(['scripts/need.sh', *pkgs], cwd=REPO, env=env,
                          stderr=err).returncode == 0


class Scratch:
    """The run's scratch directory (patched tree, fixture), made on demand."""

    def __init__(self, keep):
        self.keep = keep
        self.path = None

    def get(self):
        """The directory, made in VMA_SCRATCH_DIR (where tests/cli.sh
        looks) or build/.
        """
        if not self.path:
            d = os.environ.get('VMA_SCRATCH_DIR') or BUILD
            os.makedirs(d, exist_ok=True)
            self.path = tempfile.mkdtemp(prefix='scratch.', dir=d)
        return self.path

    def cleanup(self):
        """Remove it, or say where it is kept."""
        if self.path and os.path.isdir(self.path):
            if self.keep:
                say(f'scratch trees kept in {self.path}')
            else:
                shutil.rmtree(self.path, ignore_errors=True)


def check_patches(patches):
    """Each patch exists, is a readable file, not empty, and has a diff."""
    for p in patches:
        if not os.path.lexists(p):
            raise Usage(f'patch {p} does not exist')
        if not os.path.isfile(p) or not os.access(p, os.R_OK):
            raise Usage(f'patch {p} is not a readable file')
        if os.path.getsize(p) == 0:
            raise Usage(f'patch {p} is empty')
        with open(p, errors='replace') as f:
            if not any(re.match(r'(\+\+\+|---) ', line) for line in f):
                raise Usage(f'patch {p} contains no diff')


def tree_parts(tree):
    """The parts TREE was unpacked with, if it is scripts/kdir.sh's cache
    (its PKG.stamp next to it says), else None: a whole tree.
    """
    try:
        with open(tree.rstrip('/') + '.stamp') as f:
            for line in f:
                if line.startswith('parts: '):
                    return line.split()[1:]
    except OSError:
        pass
    return None


def filter_patch(text, keep):
    """TEXT (a diff, format-patch output or an mbox) without the file
    sections whose path KEEP refuses; returns the text and the paths left
    out.  Hunks are followed by their line counts, so that a removed line
    that starts with "-- " is never taken for a file's header.
    """
    lines = text.splitlines(keepends=True)
    out, left = [], []
    i, n = 0, len(lines)
    drop = False

    def path_of(line):
        p = line.split(None, 1)[1].split('\t')[0].strip()
        return None if p == '/dev/null' else p.split('/', 1)[-1]

    while i < n:
        line = lines[i]
        start = None
        if line.startswith('diff --git '):
            words = line.split()
            a = words[2].split('/', 1)[-1] if len(words) > 2 else ''
            start = a
        elif (line.startswith('--- ') and i + 1 < n and
              lines[i + 1].startswith('+++ ') and
              not (i and lines[i - 1].startswith(('index ', 'diff --git ',
                                                   'new file', 'deleted',
                                                   'old mode', 'new mode',
                                                   'similarity', 'rename',
                                                   'copy ')))):
            start = path_of(line) or path_of(lines[i + 1])
        if start is not None:
            drop = not keep(start)
            if drop and start not in left:
                left.append(start)
        m = re.match(r'@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@', line)
        if m:
            old = int(m.group(1) if m.group(1) is not None else 1)
            new = int(m.group(2) if m.group(2) is not None else 1)
            if not drop:
                out.append(line)
            i += 1
            while i < n and (old > 0 or new > 0):
                h = lines[i]
                if h.startswith(' ') or h in ('\n', '\r\n'):
                    old, new = old - 1, new - 1
                elif h.startswith('-'):
                    old -= 1
                elif h.startswith('+'):
                    new -= 1
                elif not h.startswith('\\'):
                    break
                if not drop:
                    out.append(h)
                i += 1
            # "\ No newline at end of file" after the last line.
            while i < n and lines[i].startswith('\\'):
                if not drop:
                    out.append(lines[i])
                i += 1
            continue
        # Outside a file's headers and hunks: the text between patches.
        if drop and start is None and not line.startswith(
                ('--- ', '+++ ', 'index ', 'new file', 'deleted', 'old mode',
                 'new mode', 'similarity', 'rename', 'copy ', 'Binary')):
            drop = False
        if not drop:
            out.append(line)
        i += 1
    return ''.join(out), left


def apply_patches(tree, patches, scratch, cc):
    """A scratch copy of TREE with PATCHES applied; Usage if one fails.
    On scripts/kdir.sh's cache, the sections of files outside the parts it
    unpacks (arch/*/Kconfig, rust/, ...) are left out, with one line
    saying which.
    """
    if not need(['patch'], cc):
        raise SystemExit(2)
    dst = os.path.join(scratch.get(), 'patched')
    say(f'applying {len(patches)} patch(es) to a scratch copy of the tree')
    parts = tree_parts(tree)
    if parts:
        def keep(path):
            return any(path == p or path.startswith(p + '/')
                       for p in parts)
        left = []
        filtered = []
        for k, p in enumerate(patches):
            with open(p, errors='surrogateescape') as f:
                text, out = filter_patch(f.read(), keep)
            left += [x for x in out if x not in left]
            q = os.path.join(scratch.get(), 'patch.%d' % k)
            with open(q, 'w', errors='surrogateescape') as f:
                f.write(text)
            filtered.append(q)
        if left:
            say('left out of the patch(es), not in the tree cache '
                '(scripts/kdir.sh PARTS): ' + ', '.join(left))
        names = dict(zip(filtered, patches))
        patches = filtered
    else:
        names = {p: p for p in patches}
    # Hard links where it can (nothing of a big tree copied), and every
    # file a patch touches with its own inode first.
    try:
        sh(['scripts/linkcopy.sh', tree, dst])
        touched = sh(['scripts/linkcopy.sh', '--patched', *patches]).split()
        subprocess.run([os.path.join(REPO, 'scripts/linkcopy.sh'), '--own',
                        *touched], cwd=dst, check=True)
    except subprocess.CalledProcessError:
        raise SystemExit(2)
    for p in patches:
        r = subprocess.run(['patch', '-p1', '-N', '--batch', '-d', dst, '-i',
                            os.path.realpath(p)], text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if r.returncode == 0:
            continue
        out = r.stdout.splitlines()
        hunk = next((x for x in out if re.search(
            r'FAILED|malformed|Only garbage|can.t find file', x)), None)
        # The file is the "patching file" line just before the first
        # FAILED line, if it is one.
        where = ''
        for k, x in enumerate(out):
            if 'FAILED' in x:
                if k and out[k - 1].startswith('patching file'):
                    where = out[k - 1][len('patching file '):] + ' '
                break
        last = out[-1] if out else ''
        raise Usage(f'patch {names[p]} does not apply: {where}{hunk or last}')
    return dst


def fixture_key(tree):
    """What the cached fixture of TREE depends on: the tree's newest file
    under mm, include/linux and tools/testing/vma (as `find -printf
    '%T@ %p'` would sort them), and the fixture tooling.
    """
    newest = ''
    for top in ('mm', 'include/linux', 'tools/testing/vma'):
        for d, dirs, files in os.walk(os.path.join(tree, top)):
            if d == os.path.join(tree, 'tools/testing/vma'):
                dirs[:] = [x for x in dirs if x != 'build']
            for f in files:
                p = os.path.join(d, f)
                try:
                    ns = os.lstat(p).st_mtime_ns
                except OSError:
                    continue
                line = '%d.%09d0 %s' % (ns // 10**9, ns % 10**9,
                                        os.path.relpath(p, tree))
                newest = max(newest, line)
    h = hashlib.sha1(f'{tree}\n{newest}\n'.encode())
    fx = os.path.join(REPO, 'scripts', 'fixtures')
    for p in ['scripts/mkfixture.sh'] + sorted(
            os.path.join('scripts/fixtures', x) for x in os.listdir(fx)):
        with open(os.path.join(REPO, p), 'rb') as f:
            h.update(f.read())
    return h.hexdigest()[:12]


def fixture(tree, patched, scratch):
    """The series fixture tree made from TREE (reused while it is current)."""
    if patched:
        path = os.path.join(scratch.get(), 'fixture')
    else:
        path = os.path.join(BUILD, 'fixture-' + fixture_key(tree))
    if not os.path.isdir(path):
        for d in os.listdir(BUILD) if os.path.isdir(BUILD) else ():
            if d.startswith('fixture-'):
                shutil.rmtree(os.path.join(BUILD, d), ignore_errors=True)
        subprocess.run(['scripts/mkfixture.sh', tree, path], cwd=REPO,
                       check=True, stdout=subprocess.DEVNULL)
    return path


class Outcome:
    """A row's line of the table: counts (None: no result) and a note."""

    def __init__(self, counts, secs, note):
        self.counts = counts
        self.secs = secs
        self.note = note

    def failed(self):
        """Whether the row counts as failed (no result is one failure)."""
        return self.counts is None or self.counts[1] > 0

    def totals(self):
        """(passed, failed, skipped) the row adds to the closing line."""
        return self.counts if self.counts else (0, 1, 0)

    def line(self, name, label):
        """The row as the table prints it."""
        if self.counts is None:
            return '%-10s %-14s %7s %7s %7s %8s  %s' % (
                name, label, '-', '-', '-', self.secs, self.note)
        return '%-10s %-14s %7d %7d %7d %8s  %s' % (
            name, label, *self.counts, self.secs, self.note)


class Matrix:
    """One run of the matrix: trees, the rows selected, their outcomes."""

    def __init__(self, opt, trees, labels):
        self.opt = opt
        self.trees = trees
        self.labels = labels
        self.procs = proc.Procs()
        self.interrupted = False
        self.lock = threading.Lock()
        self.outcomes = {}
        self.threads = []
        self.waiting = {}
        self.times = {}
        self.rows = opt.selected_rows()

    # What a row is, where its files are.

    def tree_indices(self, row):
        """The trees ROW runs on."""
        return range(len(self.trees)) if row.trees == 'all' else [0]

    def tag(self, row, i):
        """The stem of ROW's files on tree I."""
        if not row.builds and row.trees == 'first':
            return row.name
        return f'{row.name}-{i}'

    def expand(self, row, i, args):
        """ROW's command or environment with its placeholders filled in."""
        out_dir = os.path.join(BUILD, f'{row.build_dir()}-{i}')
        vals = dict(prog=os.path.join(out_dir, 'vma'), tree=self.trees[i],
                    jobs=self.opt.jobs, repo=REPO, i=i)
        out = []
        for a in args:
            if a == '{tests}':
                out += self.opt.tests
            else:
                out.append(a.format(**vals))
        return out

    # Running a row.

    def record(self, row, i, outcome):
        """Keep ROW's outcome on tree I; start the scripts waiting for it."""
        with self.lock:
            self.outcomes[(row.name, i)] = outcome
            later = self.waiting.pop((row.name, i), [])
        for r in later:
            self.start(self.run_script, r, 0)

    def start(self, fn, *args):
        """Run FN(*ARGS) in a thread of its own (unless interrupted)."""
        with self.lock:
            if self.interrupted:
                return None
            t = threading.Thread(target=fn, args=args, daemon=True)
            self.threads.append(t)
            t.start()
        return t

    def build(self, row, i, out_dir, log):
        """make ROW's build on tree I; whether it built (None: stopped)."""
        os.makedirs(out_dir, exist_ok=True)
        cmd = ['make', '-s', f'-j{self.opt.jobs}', f'KDIR={self.trees[i]}',
               f'O={out_dir}', f'PROG={out_dir}/vma', *row.make]
        if self.opt.cc_named:
            cmd.append(f'CC={self.opt.cc}')
        # Rows that share a build directory (and other runs of the
        # matrix) take turns.
        with open(os.path.join(out_dir, '.lock'), 'w') as lk, \
                open(log, 'w') as lf:
            fcntl.flock(lk, fcntl.LOCK_EX)
            t0 = time.monotonic()
            rc, _ = self.procs.run(cmd, cwd=REPO, stdout=lf,
                                   stderr=subprocess.STDOUT)
            self.note_time(row, i, 'build', t0)
        return None if rc is None else rc == 0

    def note_time(self, row, i, what, t0):
        """Keep the wall and CPU seconds of ROW's WHAT ('build', 'run')
        on tree I, which the calling thread's last command took.
        """
        with self.lock:
            t = self.times.setdefault((row.name, i), {})
            wall, cpu = t.get(what, (0.0, 0.0))
            t[what] = (wall + time.monotonic() - t0,
                       cpu + self.procs.last_cpu())

    def times_lines(self):
        """Where each row's time went: wall and CPU (user+sys, with
        everything the row started) seconds of its build and its run.
        """
        out = ['%-10s %-14s %8s %8s %8s %8s' % (
            'row', 'tree', 'build', 'cpu', 'run', 'cpu')]
        tot = [0.0, 0.0]
        for r in self.rows:
            for i in self.tree_indices(r):
                t = self.times.get((r.name, i))
                if not t:
                    continue
                b = t.get('build', (0.0, 0.0))
                x = t.get('run', (0.0, 0.0))
                tot[0] += b[1]
                tot[1] += x[1]
                out.append('%-10s %-14s %8.1f %8.1f %8.1f %8.1f' % (
                    r.name, self.labels[i], *b, *x))
        out.append(f'CPU seconds (user+sys): {tot[0]:.1f} building, '
                   f'{tot[1]:.1f} running, {sum(tot):.1f} in all')
        return out

    def run_config(self, row, i):
        """Build and run the configuration ROW on tree I; record its line."""
        t0 = time.monotonic()
        tag = self.tag(row, i)
        out_dir = os.path.join(BUILD, f'{row.build_dir()}-{i}')
        log = os.path.join(BUILD, f'{tag}.log')
        kt = os.path.join(BUILD, f'{tag}.ktap')
        if row.gcov:
            for d, _, files in os.walk(out_dir):
                for f in files:
                    if f.endswith('.gcda'):
                        os.unlink(os.path.join(d, f))
        say(f'{row.name} on {self.labels[i]}: building')
        ok = self.build(row, i, out_dir, log)
        if ok is None or self.interrupted:
            return
        if not ok:
            self.record(row, i, Outcome(None, self.secs(t0),
                                        f'build failed: {log}'))
            return
        say(f'{row.name} on {self.labels[i]}: running')
        env = dict(os.environ, **dict(self.expand_env(row, i)))
        if row.emulated:
            # scripts/config-run.sh: whether VH_EMULATE may be used.
            env['VH_EMULATE_SWITCH'] = f'--arch {row.emulated}'
            if row.emulated in self.opt.arches:
                env['VH_EMULATE_OK'] = '1'
        runs = self.opt.repeat
        for k in range(1, runs + 1):
            got = self.run_once(row, i, env, kt, log)
            if got is None:
                return
            counts, note, res = got
            if counts is None or counts[1]:
                if runs > 1:
                    note = f'run {k} of {runs} failed: {note}'
                break
        else:
            if runs > 1:
                note = f'{runs} of {runs} runs passed'
        self.record(row, i, Outcome(counts, self.secs(t0), note))
        if counts is None or counts[1]:
            self.show(res, tag)

    def run_once(self, row, i, env, kt, log):
        """Run the built configuration ROW on tree I once: (counts or None
        for no result, note, KTAP result), or None if it was stopped.
        """
        t1 = time.monotonic()
        with open(kt, 'w') as kf, open(log, 'a') as lf:
            rc, late = self.procs.run(self.expand(row, i, row.run),
                                      timeout=self.opt.row_timeout,
                                      cwd=REPO, env=env, stdout=kf,
                                      stderr=lf)
        self.note_time(row, i, 'run', t1)
        if rc is None or (self.interrupted and not late):
            return None
        rc = proc.status(rc)
        res = ktap.read(kt)
        p, f, s = res.passed, res.failed, res.skipped
        note = ''
        if res.closing is None:
            if late:
                note = (f'killed: no result within '
                        f'{self.opt.row_timeout}s, see {kt}')
            elif rc > 128:
                note = f'crashed (signal {rc - 128}), see {kt} and {log}'
            else:
                note = f'crashed (exit {rc}), see {kt} and {log}'
            return None, note, res
        if not res.agrees():
            note = self.disagreement(res, kt)
            f += 1
        elif rc == 99:
            note = f'{row.name} reports, see {kt} and {log}'
            f += 1
        elif rc != 0 and f == 0:
            note = f'exit {rc}, see {kt} and {log}'
            f = 1
        elif f:
            note = f'see {kt}'
        return (p, f, s), note, res

    def run_script(self, row, i):
        """Run the script ROW of tests/ on tree I; record its line."""
        t0 = time.monotonic()
        tag = self.tag(row, i)
        kt = os.path.join(BUILD, f'{tag}.ktap')
        say(f'{row.name} on {self.labels[i]}: running')
        env = dict(os.environ, **dict(self.expand_env(row, i)))
        with open(kt, 'w') as kf:
            rc, late = self.procs.run(self.expand(row, i, row.run),
                                      timeout=self.opt.row_timeout,
                                      cwd=REPO, env=env, stdout=kf,
                                      stderr=subprocess.STDOUT)
        self.note_time(row, i, 'run', t0)
        if rc is None or (self.interrupted and not late):
            return
        res = ktap.read(kt)
        if res.closing is None:
            counts = (0, 1, 0)
            note = f'killed: no result within {self.opt.row_timeout}s, ' \
                f'see {kt}' if late else f'see {kt}'
        elif not res.agrees():
            counts = (res.passed, res.failed + 1, res.skipped)
            note = self.disagreement(res, kt)
        else:
            counts = (res.passed, res.failed, res.skipped)
            note = f'see {kt}' if counts[1] else ''
        self.record(row, i, Outcome(counts, self.secs(t0), note))
        if counts[1]:
            self.show(res, tag, last=1)

    def expand_env(self, row, i):
        """ROW's (NAME, VALUE) environment on tree I."""
        return [(k, self.expand(row, i, [v])[0]) for k, v in row.env]

    def run_chain(self, chain, slots):
        """Run the configurations of CHAIN ((row, tree) pairs) in turn."""
        try:
            for row, i in chain:
                if self.interrupted:
                    break
                self.run_config(row, i)
        finally:
            slots.release()

    @staticmethod
    def secs(t0):
        """Seconds since T0, as the table prints them."""
        return '%.1f' % (time.monotonic() - t0)

    @staticmethod
    def disagreement(res, kt):
        """The note of a KTAP file whose parse and closing line differ."""
        return ('KTAP does not add up (kunit_parser: %d/%d/%d, %d error(s);'
                ' closing line: %d/%d/%d), see %s' % (
                    res.passed, res.failed, res.skipped, res.errors,
                    *res.closing, kt))

    @staticmethod
    def show(res, tag, last=None):
        """The failed cases of RES on stderr, with their telling lines
        (LAST: the last lines of each case's diagnostics instead).
        """
        out = []
        for c in res.failures:
            keep = c.log[-last:] if last else \
                [x for x in c.log if SHOW.search(x)]
            out += [x.strip() for x in keep] + [f'not ok {c.name}']
        for x in out[:20]:
            print(f'    {tag}: {x}', file=sys.stderr)
        sys.stderr.flush()

    # The whole run.

    def plan(self):
        """Chains of configurations sharing a build, and scripts, in the
        order they start: each tree's configurations, the first tree's
        (the longest builds) first, its scripts after them.
        """
        units = []
        for i in range(len(self.trees)):
            chains = {}
            for r in self.rows:
                if r.builds and i in self.tree_indices(r):
                    chains.setdefault(r.build_dir(), []).append((r, i))
            units += [('chain', c) for c in chains.values()]
            if i == 0:
                for r in self.rows:
                    if not r.builds and not r.after:
                        units.append(('script', r))
        return units

    def interrupt(self, *_):
        """Signal handler: stop starting rows, end those running."""
        self.interrupted = True
        say('interrupted')
        self.procs.stop()

    def run(self):
        """Run every row, --rows at a time; an interrupt stops the run."""
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(sig) != signal.SIG_IGN:
                signal.signal(sig, self.interrupt)
        for r in self.rows:
            if not r.builds and r.after:
                if any(x.name == r.after for x in self.rows):
                    self.waiting.setdefault((r.after, 0), []).append(r)
        slots = threading.BoundedSemaphore(self.opt.rows)
        for kind, unit in self.plan():
            while not slots.acquire(timeout=0.2):
                if self.interrupted:
                    break
            if self.interrupted:
                break
            if kind == 'chain':
                t = self.start(self.run_chain, unit, slots)
            else:
                t = self.start(self.script_unit, unit, slots)
            if t is None:
                slots.release()
                break
        while True:
            with self.lock:
                alive = [t for t in self.threads if t.is_alive()]
            if not alive:
                break
            proc.wait_all(alive)

    def script_unit(self, row, slots):
        """A script that takes a slot."""
        try:
            self.run_script(row, 0)
        finally:
            slots.release()

    def table(self):
        """The table's lines and the run's totals, in the order of ROWS
        (each tree's configurations, then the scripts).
        """
        keys = [(r, i) for i in range(len(self.trees)) for r in self.rows
                if r.builds and i in self.tree_indices(r)]
        keys += [(r, i) for r in self.rows if not r.builds
                 for i in self.tree_indices(r)]
        lines, tot, bad = [], [0, 0, 0], False
        for r, i in keys:
            o = self.outcomes.get((r.name, i))
            if o is None:
                if self.interrupted:
                    note = 'not finished: interrupted'
                elif r.builds:
                    note = ('no result: its run died, see '
                            f'build/{self.tag(r, i)}.log')
                else:
                    note = f'no result, see build/{self.tag(r, i)}.ktap'
                o = Outcome(None, '-', note)
            lines.append(o.line(r.name, self.labels[i]))
            bad |= o.failed()
            tot = [a + b for a, b in zip(tot, o.totals())]
        return lines, tot, bad


def report_coverage():
    """Coverage of the code under test, merged over every unit (lcov).

    Each build is captured twice: its counts, and with --initial the
    zero counts of everything it compiled, so that a file no test reached
    is reported too.  Every kernel file in the data is reported; a file
    the Makefile compiles whole (make print-kernel-files) and that has no
    data is named.
    """
    info = {}
    with open(os.path.join(BUILD, 'lcov.log'), 'w') as lg:
        for c in ('coverage', 'branches'):
            info[c] = []
            for initial in ([], ['--initial']):
                out = os.path.join(
                    BUILD, f'{c}{"-initial" if initial else ""}.info')
                r = subprocess.run(
                    ['lcov', '-q', '--capture', *initial, '--directory',
                     os.path.join(BUILD, f'{c}-0'), '--rc',
                     'lcov_branch_coverage=1', '-o', out],
                    stdout=lg, stderr=subprocess.STDOUT)
                if r.returncode:
                    raise Usage(f'lcov failed, see {BUILD}/lcov.log')
                info[c].append(out)
    files = coverage.merge(info['coverage'], info['branches'])
    whole = subprocess.run(['make', '-s', 'print-kernel-files'], cwd=REPO,
                           text=True, stdout=subprocess.PIPE).stdout.split()
    print()
    print('\n'.join(coverage.table(files)))
    for k in whole:
        if k not in files:
            print(f'{k}: no coverage data (not built with --coverage?)')
    for k in LOCK_CODE:
        if k not in files:
            continue
        lines, br = coverage.uncovered(files[k])
        print(f'uncovered lines of {k}: ' +
              (' '.join(map(str, lines)) or 'none'))
        print(f'lines of {k} with a branch not taken: ' +
              (' '.join(br) or 'none'))
    for k in SERIES_CALLERS:
        if k not in files:
            print(f'{k}: no coverage data (not in this tree?)')
            continue
        fns = coverage.locking_functions(files[k])
        print(f'locking functions of {k} (calls, lines hit/lines): ' +
              (', '.join('%s %d %d/%d' % f for f in fns) or 'none'))
        cold = [f[0] for f in fns if f[2] < f[3]]
        if cold:
            lines, _ = coverage.uncovered(files[k])
            print(f'uncovered lines of {k}: ' + ' '.join(map(str, lines)))
    with open(os.path.join(BUILD, 'coverage.txt'), 'w') as f:
        f.write('\n'.join(coverage.details(files)) + '\n')
    print('(build/coverage.txt: every uncovered line (U) and branch (B) '
          'of these files)')
    # Which tests reached each vma_start_write() site (./vma --sites).
    print()
    on = False
    ktap_path = os.path.join(BUILD, 'coverage-0.ktap')
    if not os.path.exists(ktap_path):
        print('no vma_start_write() call sites: the coverage row gave no '
              'KTAP (see its row above)')
        return
    with open(ktap_path, errors='replace') as f:
        for line in f:
            on = on or line.startswith('# vma_start_write() call sites')
            if on:
                print(re.sub(r'^# ?', '', line.rstrip('\n')))
                if re.match(r'^# [0-9]* site\(s\)', line):
                    break


def main(argv):
    """The matrix; returns the exit status."""
    opt = Options(argv)
    if opt.fuzz is not None:
        os.execv(os.path.join(REPO, 'scripts/fuzz.sh'),
                 ['fuzz.sh', opt.fuzz])
    if opt.timings:
        os.execv(os.path.join(REPO, 'scripts/timings.sh'),
                 ['timings.sh', '--jobs', str(opt.jobs)])
    os.chdir(REPO)
    if not shutil.which(opt.cc):
        raise Usage(f"compiler '{opt.cc}' not found")
    rows = opt.selected_rows()
    pkgs = ['liburcu-dev', 'python3']
    if 'clang' in opt.cc:
        pkgs.append('clang')
    if not opt.quick:
        pkgs.append('unifdef')
    for r in rows:
        pkgs += [p for p in r.needs if p not in pkgs]
    if not need(pkgs, opt.cc):
        return 2
    # ccache, where it is or can be installed: the Makefile names every
    # file relative to the build directory, so the configurations of the
    # two trees and the in-tree layouts share what they compile alike.
    if not shutil.which('ccache') and not need(['ccache'], opt.cc, True):
        say('no ccache: every configuration compiles everything')
    os.environ['CCACHE_NOHASHDIR'] = '1'

    check_patches(opt.patches)
    env = dict(os.environ, KDIR=opt.kdir)
    try:
        tree = sh(['scripts/kdir.sh', '--quiet'], env=env).strip()
        ver = sh(['scripts/kdir.sh', '--version'],
                 env=dict(os.environ, KDIR=tree)).strip()
    except subprocess.CalledProcessError:
        return 2
    say(f'kernel tree {tree} (Linux {ver})')
    try:
        ktap.load(tree)
    except ktap.NoParser as e:
        raise Usage(str(e))

    scratch = Scratch(opt.keep)
    t_start = time.monotonic()
    try:
        label = ver
        if opt.patches:
            tree = apply_patches(tree, opt.patches, scratch, opt.cc)
            label = 'patched'
        trees, labels = [tree], [label]
        if not opt.quick:
            trees.append(fixture(tree, bool(opt.patches), scratch))
            labels.append(label + '+series')
        os.makedirs(BUILD, exist_ok=True)
        m = Matrix(opt, trees, labels)
        m.run()
        lines, tot, bad = m.table()
        if opt.coverage and not m.interrupted:
            report_coverage()
        print()
        print('%-10s %-14s %7s %7s %7s %8s' % (
            'configuration', 'tree', 'passed', 'failed', 'skipped',
            'seconds'))
        print('\n'.join(lines))
        if not m.interrupted and not opt.coverage:
            for line in vma_sizes(opt.selected_rows(), labels,
                                  bool(opt.patches)):
                print(line)
        wall = time.monotonic() - t_start
        times = m.times_lines()
        times.append(f'whole run: {wall:.1f} s wall, {m.procs.cpu:.1f} '
                     'CPU seconds (user+sys)')
        with open(os.path.join(BUILD, 'matrix-times.txt'), 'w') as f:
            f.write('\n'.join(times) + '\n')
        if opt.times:
            print()
            print('\n'.join(times))
        print()
        print('vma: %d passed, %d failed, %d skipped' % tuple(tot))
        sys.stdout.flush()
        return 1 if bad else 0
    except KeyboardInterrupt:
        say('interrupted')
        return 130
    finally:
        scratch.cleanup()


def run():
    """main(), with Usage errors as one line and exit 2."""
    # Output into a closed pipe ends the run quietly, as a shell tool.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    # SIGTERM and SIGHUP, before the rows start, end the run as an
    # interrupt does (the scratch tree is removed).
    for sig in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) != signal.SIG_IGN:
            signal.signal(sig, signal.default_int_handler)
    try:
        sys.exit(main(sys.argv[1:]))
    except Usage as e:
        say(str(e))
        sys.exit(2)
    except KeyboardInterrupt:
        say('interrupted')
        sys.exit(130)


if __name__ == '__main__':
    run()
