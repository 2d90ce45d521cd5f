#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# mutants.sh - check that the suite catches bugs planted in the lock code,
# each for the right reason (scripts/mutants.sh --help).  The mutants are
# scripts/mutants.list, one stanza each; the program is
# scripts/matrix/mutants.py.
set -euo pipefail

repo=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
# Debian's python3 first: a version manager's shim found first on PATH
# (pyenv's) can take seconds to start on a loaded machine.
for py in ${VMA_PYTHON:-} /usr/bin/python3 python3 ""; do
	[[ -n $py ]] && command -v "$py" >/dev/null && break
done
[[ -n $py ]] || { "$repo/scripts/need.sh" python3 && py=python3; } || exit 2
# -B: no __pycache__ written, here or in the tree (kunit_parser.py).
exec "$py" -B "$repo/scripts/matrix/mutants.py" "$@"
