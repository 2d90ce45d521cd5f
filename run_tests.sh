#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run_tests.sh - the whole pre-submission matrix (./run_tests.sh --help).
# The program is scripts/matrix/run.py, its rows scripts/matrix/rows.py.
set -euo pipefail

repo=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
# Debian's python3 first: a version manager's shim found first on PATH
# (pyenv's) can take seconds to start on a loaded machine.
for py in ${VMA_PYTHON:-} /usr/bin/python3 python3 ""; do
	[[ -n $py ]] && command -v "$py" >/dev/null && break
done
[[ -n $py ]] || { "$repo/scripts/need.sh" python3 && py=python3; } || exit 2
# -B: no __pycache__ written, here or in the tree (kunit_parser.py).
exec "$py" -B "$repo/scripts/matrix/run.py" "$@"
