#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""mutants.sh - check that the suite catches bugs planted in the lock code,
each for the right reason.

Usage: scripts/mutants.sh [-k] [-m MODE | --matrix] [--seeds N] [--list]
                          [NAME...]

Makes one scratch copy of the kernel tree (hard links) and of the harness
(so that it may be edited meanwhile) and builds the harness against the
tree once per mode it needs.  First a baseline: the unmodified tree must
build and pass (./vma --seed 1) in each mode used, else nothing below
means anything.  Then, for each mutant of scripts/mutants.list (all of
them, or those named), plants the bug in a fresh copy of the one file it
edits (its perl substitution), and runs `make && ./vma` in the mutant's
mode as a developer would after editing that file, timed; then puts the
file back and rebuilds.  A mutant is "caught" when the test named in its
stanza fails and that test's output contains the message named there (the
rule it breaks); a run that fails otherwise is "caught for another
reason", and counts as not caught.  A mutant that does not build is
"invalid" (the list is wrong, not the suite right), a substitution that no
longer matches the tree "stale".  The tree itself (KDIR or the default) is
never written.  Every run's KTAP is read with the tree's
tools/testing/kunit/kunit_parser.py.

Modes: asan (the default build: ASan+UBSan, invariants, WARNs, the
explorer) and kcsan (make KCSAN=1: the same suite under the race
detector, for ordering and data-race bugs), or the name of a
configuration of configs/ (make CONFIG=NAME, run by scripts/config-run.sh):
nolockdep, production, strict, i386, ...

-k          keep the scratch tree and the logs
-m MODE     run every mutant in MODE instead of its own
--matrix    run every mutant in both modes and print which catches it
            (caught: the expected test fails with the expected message;
            other: the run fails, but not (only) that way; -: survived)
--seeds N   run ./vma N times (seeds 1..N); caught only if every run fails
--list      print the mutants as name|mode|file|test|message|substitution
            lines (the list's old format) and exit

Exit status: 1 if any mutant was not caught (in its own mode), or is
stale or invalid; 2 if the unmodified tree does not build or pass.
"""

import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import ktap

REPO = os.path.realpath(os.path.join(os.path.dirname(__file__), '..', '..'))
LIST = os.path.join(REPO, 'scripts', 'mutants.list')
KEYS = ('name', 'mode', 'file', 'test', 'message', 'subst')
MODES = ('asan', 'kcsan')
CONFIGS = os.path.join(REPO, 'configs')


def is_mode(mode):
    """asan, kcsan or a configuration of configs/."""
    return mode in MODES or (bool(re.match(r'^[a-z0-9_-]+$', mode)) and
                             os.path.isfile(os.path.join(CONFIGS, mode)))


def config_run(mode):
    """What configuration MODE's ./vma runs under: scripts/config-run.sh
    MODE (its VH_RUN: qemu-user, taskset; its VH_EMULATE where the kernel
    does not execute the binary), or nothing for asan and kcsan.
    """
    if mode in MODES or not os.path.isfile(os.path.join(CONFIGS, mode)):
        return []
    return [os.path.join(REPO, 'scripts', 'config-run.sh'), mode]


LINE = re.compile(r'^([a-z]+):[ \t]+(.*)$')


class Bad(Exception):
    """Bad usage or a bad list: one line, exit 2."""


def read_list(path=LIST):
    """The mutants of PATH: a list of dicts with the keys KEYS.

    A stanza is a run of "key: value" lines (the value is the rest of the
    line after the spaces, byte for byte); stanzas are separated by blank
    lines, and lines starting with '#' are comments.
    """
    out, cur, names = [], {}, set()
    with open(path, encoding='utf-8', errors='surrogateescape') as f:
        text = f.read()
    for n, line in enumerate(text.split('\n') + [''], 1):
        if line.startswith('#'):
            continue
        if not line:
            if not cur:
                continue
            missing = [k for k in KEYS if k not in cur]
            if missing:
                raise Bad(f'{path}:{n - 1}: mutant {cur.get("name", "?")} '
                          f'has no {", ".join(missing)}')
            if not is_mode(cur['mode']):
                raise Bad(f'{path}:{n - 1}: mutant {cur["name"]}: '
                          f'mode {cur["mode"]} is not asan, kcsan or a '
                          f'configuration of configs/')
            if cur['name'] in names:
                raise Bad(f'{path}:{n - 1}: two mutants named '
                          f'{cur["name"]}')
            names.add(cur['name'])
            out.append(cur)
            cur = {}
            continue
        m = LINE.match(line)
        if not m or m.group(1) not in KEYS or m.group(1) in cur:
            raise Bad(f'{path}:{n}: not a "key: value" line of a '
                      f'mutant ({", ".join(KEYS)}, once each)')
        cur[m.group(1)] = m.group(2)
    return out


class Run:
    """The scratch tree, the harness snapshot and the builds of one run."""

    def __init__(self, keep, seeds):
        self.keep = keep
        self.seeds = seeds
        self.src = subprocess.run(
            [os.path.join(REPO, 'scripts/kdir.sh')], check=True, text=True,
            stdout=subprocess.PIPE).stdout.strip()
        ktap.load(self.src)
        self.work = tempfile.mkdtemp(
            prefix='vma-mutants.', dir=os.environ.get('TMPDIR') or '/tmp')
        self.tree = os.path.join(self.work, 'tree')
        self.built = set()

    def setup(self):
        """Copy the tree (hard links) and snapshot the harness."""
        subprocess.run([os.path.join(REPO, 'scripts/linkcopy.sh'), self.src,
                        self.tree], check=True)
        # Build from a snapshot of the harness, so that it may be
        # edited meanwhile.
        self.repo = os.path.join(self.work, 'src')
        files = subprocess.run(
            ['git', '-C', REPO, 'ls-files', '-co', '--exclude-standard',
             '-z'], check=True, stdout=subprocess.PIPE).stdout
        for f in files.decode('utf-8', 'surrogateescape').split('\0'):
            p = os.path.join(REPO, f)
            if not f or not os.path.lexists(p):
                continue
            dst = os.path.join(self.repo, f)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(p, dst, follow_symlinks=False)

    def cleanup(self):
        """Remove the scratch directory, or say where it is kept."""
        if self.keep:
            print(f'scratch tree and logs kept in {self.work}')
        else:
            shutil.rmtree(self.work, ignore_errors=True)

    def build(self, mode, log, append=False):
        """make in MODE: build-MODE/, vma-MODE; whether it built."""
        cmd = ['make', '-s', f'-j{len(os.sched_getaffinity(0))}', '-C',
               self.repo, f'KDIR={self.tree}',
               f'O={self.work}/build-{mode}', f'PROG={self.work}/vma-{mode}']
        if mode == 'kcsan':
            cmd.append('KCSAN=1')
        elif mode != 'asan':
            cmd.append(f'CONFIG={mode}')
        with open(log, 'a' if append else 'w') as f:
            return subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL).returncode == 0

    def vma(self, mode, seed, out):
        """./vma --seed SEED in MODE, output to OUT; whether it passed."""
        with open(out, 'w') as f:
            return subprocess.run(config_run(mode) +
                                  [f'{self.work}/vma-{mode}', '--seed',
                                   str(seed)], stdout=f,
                                  stderr=subprocess.STDOUT).returncode == 0

    def base(self, mode):
        """The unmodified tree, built and run once in MODE: the baseline
        every mutant is measured against.  SystemExit(2) if it fails.
        """
        if mode in self.built:
            return
        log = f'{self.work}/base-{mode}.build'
        if not self.build(mode, log):
            print(f'mutants: the unmodified tree does not build in mode '
                  f'{mode}, see {log}')
            raise SystemExit(2)
        out = f'{self.work}/base-{mode}.out'
        if not self.vma(mode, 1, out):
            names = ' '.join(sorted({c.name for c in
                                     ktap.read(out).failures if c.name}))
            print(f'mutants: the unmodified tree fails in mode {mode}: '
                  f'{names}')
            self.keep = True
            raise SystemExit(2)
        with open(out, errors='replace') as f:
            last = (f.read().rstrip('\n').split('\n') or [''])[-1]
        print(f'baseline ({mode}): {last}', flush=True)
        self.built.add(mode)

    def fresh(self, path):
        """A fresh copy of PATH (a new mtime: make rebuilds what uses it)."""
        dst = os.path.join(self.tree, path)
        if os.path.lexists(dst):
            os.unlink(dst)
        shutil.copyfile(os.path.join(self.src, path), dst)

    def plant(self, m):
        """Apply M's substitution to a fresh copy of its file, as perl
        -0777 -pi -e does; whether it changed the file.
        """
        self.fresh(m['file'])
        dst = os.path.join(self.tree, m['file'])
        subprocess.run(['perl', '-0777', '-pi', '-e', m['subst'], dst],
                       check=True)
        with open(dst, 'rb') as a, \
                open(os.path.join(self.src, m['file']), 'rb') as b:
            return a.read() != b.read()

    def attempt(self, m, mode):
        """make && ./vma (seeds 1..N) on the mutated tree, in MODE.

        Returns (caught, verdict, seconds): caught when the expected test
        failed with the expected message in every run.
        """
        name, test, msg = m['name'], m['test'], m['message']
        t0 = time.monotonic()
        log = f'{self.work}/{name}-{mode}.build'
        if not self.build(mode, log):
            self.keep = True
            return False, f'INVALID: does not build (see {log})', \
                time.monotonic() - t0
        failed = right = 0
        tests = ''
        for seed in range(1, self.seeds + 1):
            out = f'{self.work}/{name}-{mode}.{seed}.out'
            if self.vma(mode, seed, out):
                continue
            failed += 1
            res = ktap.read(out)
            bad = sorted({c.name for c in res.failures if c.name})
            tests = ' '.join(bad)
            if not any(fnmatch.fnmatchcase(f, test) for f in bad):
                continue
            # The diagnostics of every case the glob names.
            if any(msg in line for c in res.cases
                   if fnmatch.fnmatchcase(c.name, test)
                   for line in c.log):
                right += 1
        if right == self.seeds:
            verdict = f'caught by {test}: {msg}'
            if self.seeds != 1:
                verdict += f' ({self.seeds}/{self.seeds} seeds)'
        elif failed == self.seeds:
            verdict = (f"CAUGHT FOR ANOTHER REASON (not {test} with "
                       f"'{msg}'): {tests or '?'}")
        else:
            verdict = f"SURVIVED (expected {test} with '{msg}')"
            if self.seeds != 1:
                verdict += (f' {self.seeds - failed} of {self.seeds} '
                            'seeds')
        if test == '?':
            verdict += ' [no expected test named]'
        return verdict.startswith('caught'), verdict, time.monotonic() - t0


def old_line(m):
    """M as a line of the old heredoc: name|mode|file|test|message|subst."""
    return '|'.join(m[k] for k in KEYS)


def main(argv):
    """The mutants run; returns the exit status."""
    keep, force, matrix, seeds, names = False, None, False, 1, []
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == '-k':
            keep = True
        elif a == '-m':
            if not args or not is_mode(args[0]):
                raise Bad('-m needs asan, kcsan or a configuration of '
                          'configs/')
            force = args.pop(0)
        elif a == '--matrix':
            matrix = True
        elif a == '--seeds':
            if not args or not re.match(r'^[1-9][0-9]*$', args[0]):
                raise Bad('--seeds needs a number')
            seeds = int(args.pop(0))
        elif a == '--list':
            for m in read_list():
                sys.stdout.buffer.write(old_line(m).encode(
                    'utf-8', 'surrogateescape') + b'\n')
            return 0
        elif a in ('-h', '--help'):
            print(__doc__.rstrip())
            return 0
        elif a.startswith('-'):
            raise Bad(f"unknown option '{a}' (try --help)")
        else:
            names = [a] + args
            break
    mutants = read_list()
    known = {m['name'] for m in mutants}
    for n in names:
        if n not in known:
            raise Bad(f"no mutant named '{n}'")
    if names:
        mutants = [m for m in mutants if m['name'] in names]

    try:
        r = Run(keep, seeds)
    except ktap.NoParser as e:
        raise Bad(str(e))
    except subprocess.CalledProcessError:
        return 2
    try:
        r.setup()
        return loop(r, mutants, force, matrix)
    finally:
        r.cleanup()


def loop(r, mutants, force, matrix):
    """Plant, build, run and judge each of MUTANTS; the exit status."""
    survived = False
    slowest, slowest_name = 0.0, None
    if matrix:
        print('%-28s %-6s %-7s %-7s' % ('mutant', 'mode', 'asan', 'kcsan'))
    for m in mutants:
        own = force or m['mode']
        modes = list(MODES) if matrix else [own]
        for mode in modes:
            r.base(mode)
        if not r.plant(m):
            print(f'mutant {m["name"]}: stale (substitution does not '
                  f'match {m["file"]})', flush=True)
            survived = True
            r.fresh(m['file'])
            continue
        got = {}
        for mode in modes:
            caught, verdict, secs = r.attempt(m, mode)
            if caught:
                got[mode] = 'caught'
            else:
                got[mode] = 'other' if verdict.startswith(
                    'CAUGHT FOR ANOTHER REASON') else '-'
                if mode == own:
                    survived = True
            if matrix:
                continue
            print(f'mutant {m["name"]} ({mode}): {verdict} '
                  f'(make && ./vma: {secs:.1f}s)', flush=True)
            if round(secs, 1) > slowest:
                slowest, slowest_name = round(secs, 1), m['name']
        if matrix:
            print('%-28s %-6s %-7s %-7s' % (m['name'], m['mode'],
                                            got['asan'], got['kcsan']),
                  flush=True)
            if got[m['mode']] != 'caught':
                survived = True
        # Back to the unmodified tree, untimed.
        r.fresh(m['file'])
        for mode in modes:
            r.build(mode, f'{r.work}/{m["name"]}-{mode}.build', True)
    if slowest_name:
        print(f'slowest verdict: {slowest_name}, {slowest:.1f}s')
    return 1 if survived else 0


if __name__ == '__main__':
    try:
        sys.exit(main(sys.argv[1:]))
    except Bad as e:
        print(f'mutants.sh: {e}', file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print('mutants.sh: interrupted', file=sys.stderr)
        sys.exit(130)
