# SPDX-License-Identifier: GPL-2.0
"""The rows of ./run_tests.sh's matrix, as data.

Each Row is a configuration (a build and a run of ./vma) or a script of
tests/ that prints KTAP.  run.py builds and runs, on each tree it
applies to, the rows that the run selects, and prints one line of the
table per row and tree, in the order of ROWS (scripts last).

To add a row, add an entry to ROWS:

    Row('strict', make=('SANITIZE=1', 'CONFIG=strict'),
        run=('{prog}', '{tests}')),

Fields:

name     the table's "configuration" column; also names the row's files
         (build/NAME-I.ktap, build/NAME-I.log) and, unless build says
         otherwise, its build directory build/NAME-I (I: the tree's index)
make     the make variables of its build (KDIR, O, PROG, CC and -j are
         added); None for a script of tests/, which is run as it is
build    the build directory's name, if the row shares another row's build
         (torture runs the kcsan build): rows of a tree with the same build
         directory run one after the other, in table order, in one slot
run      the command; '{prog}' is the build's binary, '{tests}' the -t
         patterns given to run_tests.sh (as separate arguments, or none),
         '{tree}' the tree, '{jobs}' make's -j, '{repo}' this repository,
         '{i}' the tree's index; env: (NAME, VALUE) pairs, same placeholders
when     the selections that run it: 'quick' (run_tests.sh --quick, and the
         full matrix), 'full' (the default run), 'coverage' (--coverage),
         'optional' (only when named: run_tests.sh --with NAME)
trees    'all' (the tree, and the series fixture tree in a full run) or
         'first' (the tree only)
patched  False: not run with --patch (it tests the harness, not the tree)
after    a script that starts once this row on the first tree has given its
         result (it uses that row's build), beside the others: it does
         not count against --rows (cli mostly waits)
needs    Debian packages it needs (scripts/need.sh installs or names them)
gcov     its build directory's *.gcda are removed before the run
arch     a row for another architecture (a cross build, say 'arm64'): it
         runs, where its 'when' says, only if run_tests.sh --arch ARCH
         names it
emulated the --arch name under which the row may run under its
         configuration's emulator (VH_EMULATE): without it, a binary the
         kernel does not execute is a skipped row naming the switch

An optional row, and one for another architecture:

    Row('lockdep_off', make=('CONFIG=production',), when=('optional',)),
    Row('arm64', make=('ARCH=arm64',), arch='arm64',
        needs=('gcc-aarch64-linux-gnu',), trees='first'),

Row.selected() is the one place that says which rows a run takes.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One row of the matrix (see the module's docstring)."""
    name: str
    make: tuple = None
    run: tuple = ('{prog}', '{tests}')
    env: tuple = ()
    build: str = None
    when: tuple = ('full',)
    trees: str = 'all'
    patched: bool = True
    after: str = None
    needs: tuple = ()
    gcov: bool = False
    arch: str = None
    emulated: str = None

    @property
    def builds(self):
        """Whether the row builds ./vma (a configuration, not a script)."""
        return self.make is not None

    def selected(self, sel, named=(), arches=(), patched=False):
        """Whether a run takes this row: SEL is the run's selection
        ('quick', 'full' or 'coverage'), NAMED the rows --with names,
        ARCHES the architectures --arch names, PATCHED whether it tests
        --patch files.
        """
        if self.arch and self.arch not in arches:
            return False
        if patched and not self.patched:
            return False
        return sel in self.when or self.name in named

    def build_dir(self):
        """The name of its build directory (without the tree's index)."""
        return self.build or self.name


# The default run (warm: nothing rebuilt) must stay within a minute on
# two cores (README "The matrix's cost"; build/matrix-times.txt): a row
# whose run costs much more is optional (--with NAME, --arch ARCH) and
# reports its own time when named.
ROWS = (
    Row('asan', make=('SANITIZE=1',), when=('quick', 'full')),
    # Valgrind runs one thread at a time; handing its lock to the threads
    # in turn (--fair-sched) runs the suite about a tenth faster here.
    # 47 to 92 s a tree: --with valgrind.
    Row('valgrind', make=('SANITIZE=0',), needs=('valgrind',),
        when=('optional',),
        run=('valgrind', '-q', '--fair-sched=yes', '--error-exitcode=99',
             '--leak-check=full', '{prog}', '--timeout', '120', '{tests}')),
    # The race detector in KCSAN's default mode: strict runs it in the
    # strict mode, which reports all it reports but vma_lock_init's
    # filtered race; --with kcsan.
    Row('kcsan', make=('KCSAN=1',), when=('optional',)),
    # Ten CPU seconds a tree whatever the machine: --with torture.
    Row('torture', make=('KCSAN=1',), build='kcsan', when=('optional',),
        run=('{prog}', '--torture', '--threads', '2', '--seconds', '5')),
    # --coverage: lines from an -O0 build, branches from an -O1 one
    # (the Makefile says why).
    Row('coverage', make=('SANITIZE=0', 'COVERAGE=1'), when=('coverage',),
        trees='first', needs=('lcov',), gcov=True,
        run=('{prog}', '--sites', '{tests}')),
    Row('branches', make=('SANITIZE=0', 'COVERAGE=branches'),
        when=('coverage',), trees='first', needs=('lcov',), gcov=True),
    # The configurations of configs/ (make CONFIG=NAME), run as their
    # VH_RUN says (scripts/config-run.sh: a binary this machine cannot
    # run is a skipped row, with the reason).
    Row('production', make=('CONFIG=production',),
        run=('scripts/config-run.sh', 'production', '{prog}', '{tests}')),
    Row('nolockdep', make=('CONFIG=nolockdep',),
        run=('scripts/config-run.sh', 'nolockdep', '{prog}', '{tests}')),
    Row('strict', make=('CONFIG=strict',),
        run=('scripts/config-run.sh', 'strict', '{prog}', '{tests}')),
    Row('up', make=('CONFIG=up',),
        run=('scripts/config-run.sh', 'up', '{prog}', '{tests}')),
    # Their toolchains (VH_PACKAGES) are installed by make's set-up.
    # i386 runs natively where the kernel executes 32-bit binaries; where
    # it needs qemu-i386 (VH_EMULATE: 92 s here), only with --arch i386.
    Row('i386', make=('CONFIG=i386',), trees='first', emulated='i386',
        run=('scripts/config-run.sh', 'i386', '{prog}', '--timeout', '120',
             '{tests}')),
    # Under qemu-user a test takes several times as long (and more on a
    # loaded machine: armhf's explorer scenarios passed the default 30 s
    # watchdog there): a longer one.
    Row('arm64', make=('CONFIG=arm64',), arch='arm64', trees='first',
        run=('scripts/config-run.sh', 'arm64', '{prog}', '--timeout', '120',
             '{tests}')),
    Row('armhf', make=('CONFIG=armhf',), arch='armhf', trees='first',
        run=('scripts/config-run.sh', 'armhf', '{prog}', '--timeout', '120',
             '{tests}')),
    # Bad input, end to end, with the first tree's ASan build.
    # Without its case that builds a patched tree (30 to 45 CPU seconds):
    # that one alone is --with sizes.
    Row('cli', trees='first', patched=False, after='asan',
        run=('tests/cli.sh', '{tree}', '{repo}/build/asan-{i}/vma'),
        env=(('VMA_CLI_O', '{repo}/build/asan-{i}'),
             ('VMA_CLI_PATCH_BUILD', '0'))),
    # A patch that grows struct vm_area_struct shows as "(was N)" in the
    # --patch table (tests/cli.sh patch_vma_size_change).
    Row('sizes', trees='first', patched=False, after='asan',
        when=('optional',),
        run=('tests/cli.sh', '{tree}', '{repo}/build/asan-{i}/vma'),
        env=(('VMA_CLI_CASE', 'patch_vma_size_change'),)),
    # In a kernel tree at tools/testing/vma, over upstream's and instead.
    Row('intree', trees='first', patched=False,
        run=('tests/intree.sh', '{tree}', '{jobs}')),
)
