#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz_row.sh - a fuzz input as a row of the regression table
# tests/fuzz_regress.c, which ./vma runs from then on.
#
# Usage: scripts/fuzz_row.sh INPUT NAME ["why"] [make variables]
#
# INPUT is a (minimised: scripts/fuzz_decode.sh INPUT -minimize) crash
# input of the fuzz target, NAME the row's name (a C identifier).  Builds
# the target on the clean tree (make FUZZ=1), runs INPUT on it with
# FZ_ROW=NAME, which prints the row: the decoded operations, one a line
# with a comment in words, and the layouts before and after the last one
# as pictures, as the clean tree makes them; the clean run must give no
# finding.  The row goes in at the table's end (before the line
# "scripts/fuzz_row.sh adds rows here"); a row of that name is replaced.
set -euo pipefail

repo=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
in=${1:-}
name=${2:-}
why=${3:-}
[[ -f $in ]] || { echo "fuzz_row.sh: no input file '$in'" >&2; exit 2; }
[[ $name =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "fuzz_row.sh: NAME must be a C identifier in lower case" >&2; exit 2; }
shift 2
[[ $# -gt 0 && $1 != *=* ]] && shift
make -s -C "$repo" -j2 FUZZ=1 "$@" >&2
bin=$repo/build/fuzz/vma-fuzz
table=$repo/tests/fuzz_regress.c
out=$(mktemp)
trap 'rm -f "$out" "$out.row"' EXIT
if ! FZ_ROW=$name "$bin" "$in" >"$out" 2>&1; then
	grep -A20 -m1 'FUZZ FINDING\|ERROR' "$out" >&2 || tail -20 "$out" >&2
	echo "fuzz_row.sh: the input fails on the clean tree too: fix that first" >&2
	exit 1
fi
# The row: from its '{ .desc' line to the line ending '},' after .after.
sed -n '/^\t{ \.desc = /,/^\t  \.after  = .*},$/{p;/^\t  \.after/q}' "$out" >"$out.row"
[[ -s $out.row ]] || { echo "fuzz_row.sh: the target printed no row" >&2; exit 1; }
if [[ -n $why ]]; then
	why=${why//\\/\\\\}
	why=${why//\"/\\\"}
	sed -i "1s|\$|\n\t  .why = \"${why//|/\\|}\",|" "$out.row"
fi
python3 - "$table" "$name" "$out.row" <<'PY'
import re, sys
table, name, rowf = sys.argv[1:]
src = open(table).read()
row = open(rowf).read()
# Drop an old row of that name (from its '{ .desc' line to its end).
src = re.sub(r'\t\{ \.desc = "%s",\n.*?\t  \.after  = "[^"]*" \},\n' %
             re.escape(name), '', src, flags=re.S)
mark = '\t/* scripts/fuzz_row.sh adds rows here */\n'
if mark not in src:
    sys.exit('fuzz_row.sh: no marker line in ' + table)
src = src.replace(mark, row + mark)
open(table, 'w').write(src)
PY
echo "fuzz_row.sh: row $name in tests/fuzz_regress.c"
