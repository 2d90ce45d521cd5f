# SPDX-License-Identifier: GPL-2.0
"""KTAP results, read through the kernel tree's own KUnit parser.

The tree in use ships tools/testing/kunit/kunit_parser.py (and the
kunit_printer.py it imports); load() imports both from there, so that the
matrix and the mutants read ./vma's output exactly as `kunit.py parse`
does.  read() then gives a file's counts, its closing "vma: N passed, M
failed, K skipped" line and its failed cases with their diagnostics.
"""

import importlib
import os
import re
import sys
from dataclasses import dataclass, field

CLOSING = re.compile(r'^vma: ([0-9]+) passed, ([0-9]+) failed, '
                     r'([0-9]+) skipped$')

_parser = None
_printer = None


class NoParser(Exception):
    """The tree has no usable tools/testing/kunit/kunit_parser.py."""


def load(tree):
    """Import kunit_parser and kunit_printer from TREE's tools/testing/kunit.

    Raises NoParser, with the one line to print, if the tree lacks them or
    they do not import.
    """
    global _parser, _printer

    kdir = os.path.join(tree, 'tools', 'testing', 'kunit')
    if not os.path.isfile(os.path.join(kdir, 'kunit_parser.py')):
        raise NoParser(f'{tree} has no tools/testing/kunit/kunit_parser.py '
                       '(the KTAP parser every result is read with)')
    # Import only: no __pycache__ written into the tree.
    sys.dont_write_bytecode = True
    sys.path.insert(0, kdir)
    try:
        for name in ('kunit_printer', 'kunit_parser'):
            sys.modules.pop(name, None)
        _printer = importlib.import_module('kunit_printer')
        _parser = importlib.import_module('kunit_parser')
        for mod, name in ((_parser, 'parse_run_tests'),
                          (_parser, 'TestStatus'),
                          (_printer, 'null_printer')):
            getattr(mod, name)
    except (ImportError, AttributeError, SyntaxError) as e:
        raise NoParser(f'{kdir}/kunit_parser.py does not load: {e}')
    finally:
        sys.path.remove(kdir)


@dataclass
class Case:
    """A test case: its full name (suite.case), whether it failed (or
    crashed), and the diagnostics before its result line.
    """
    name: str
    failed: bool
    log: list


@dataclass
class Result:
    """What a KTAP file says.

    closing is (passed, failed, skipped) from its last closing line, or
    None if it has none; passed, failed and skipped are the parser's counts
    (crashed cases count as failed); errors are the parser's complaints;
    cases every test case, depth first.
    """
    closing: tuple = None
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    errors: int = 0
    cases: list = field(default_factory=list)

    @property
    def failures(self):
        """The cases that failed or crashed."""
        return [c for c in self.cases if c.failed]

    def agrees(self):
        """Whether the parser's counts are what the closing line says."""
        return self.closing == (self.passed, self.failed, self.skipped) \
            and not self.errors


def _walk(test, prefix, out):
    if not test.subtests:
        bad = test.status in (_parser.TestStatus.FAILURE,
                              _parser.TestStatus.TEST_CRASHED)
        out.append(Case(prefix + test.name, bad, list(test.log)))
        return
    # A suite's cases are named suite.case, as ./vma -t names them; the
    # scripts of tests/ name their results suite.case themselves.
    sub = '' if test.name == 'main' else prefix + test.name + '.'
    for t in test.subtests:
        _walk(t, sub, out)


def parse(lines):
    """Parse KTAP LINES (an iterable of str) into a Result."""
    lines = list(lines)
    res = Result()
    for line in lines:
        m = CLOSING.match(line.rstrip('\n'))
        if m:
            res.closing = tuple(int(x) for x in m.groups())
    test = _parser.parse_run_tests(lines, _printer.null_printer)
    c = test.counts
    res.passed, res.failed, res.skipped = c.passed, c.failed + c.crashed, \
        c.skipped
    res.errors = c.errors
    _walk(test, '', res.cases)
    return res


def read(path):
    """Parse the KTAP file PATH (an empty Result if it does not exist)."""
    try:
        with open(path, errors='replace') as f:
            return parse(f)
    except FileNotFoundError:
        return Result()


def _lines(test, prefix, out):
    status = {'SUCCESS': 'ok', 'FAILURE': 'not-ok', 'SKIPPED': 'skip',
              'TEST_CRASHED': 'crashed'}.get(test.status.name,
                                             test.status.name.lower())
    name = prefix + test.name
    if test.name != 'main':
        reason = f' # {test.skip_reason}' if status == 'skip' and \
            test.skip_reason else ''
        out.append(f'{name} {status}{reason}')
    sub = '' if test.name == 'main' else name + '.'
    for t in test.subtests:
        _lines(t, sub, out)


def main(argv):
    """ktap.py KDIR FILE: FILE's tests as the tree's kunit_parser reads them.

    One line per suite and case, "NAME STATUS" (suite.case; ok, not-ok,
    skip with "# reason", crashed), then the closing line if the file has
    one.  For the scripts of tests/; exit 2 if the tree has no parser.
    """
    if len(argv) != 2:
        print('usage: ktap.py KDIR FILE', file=sys.stderr)
        return 2
    try:
        load(argv[0])
    except NoParser as e:
        print(f'vma: {e}', file=sys.stderr)
        return 2
    with open(argv[1], errors='replace') as f:
        lines = list(f)
    out = []
    _lines(_parser.parse_run_tests(lines, _printer.null_printer), '', out)
    res = parse(lines)
    if res.closing:
        out.append('vma: %d passed, %d failed, %d skipped' % res.closing)
    print('\n'.join(out))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
