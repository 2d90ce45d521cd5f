#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz_cov.sh - the coverage of the tree's mm/vma.c that fuzz inputs reach.
#
# Usage: scripts/fuzz_cov.sh DIR... [make variables, e.g. KDIR=...]
#
# Builds the coverage target (make FUZZ=1 FUZZ_COV=1, build/fuzz-cov: the
# tree's mm/vma.c alone with clang's source-based coverage, not upstream's
# copy), runs every input of the DIRs on it once (libFuzzer -runs=0), and
# prints one line: the lines and branches of mm/vma.c reached.  The
# functions left with lines not reached, and the source annotated with the
# counts, go to build/fuzz-cov/vma.c.functions and vma.c.txt.
set -euo pipefail

repo=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
dirs=()
while [[ $# -gt 0 && $1 != *=* ]]; do
	[[ -d $1 ]] || { echo "fuzz_cov.sh: no directory '$1'" >&2; exit 2; }
	dirs+=("$1")
	shift
done
((${#dirs[@]})) || { echo "fuzz_cov.sh: usage: scripts/fuzz_cov.sh DIR... [make variables]" >&2; exit 2; }
"$repo/scripts/need.sh" clang llvm >&2 || exit 2
make -s -C "$repo" -j2 FUZZ=1 FUZZ_COV=1 "$@" >&2
out=$repo/build/fuzz-cov
bin=$out/vma-fuzz
rm -f "$out"/cov-*.profraw
# -detect_leaks=0: each input once (see scripts/fuzz_decode.sh).
LLVM_PROFILE_FILE="$out/cov-%p.profraw" nice -n 19 "$bin" -runs=0 \
	-detect_leaks=0 "${dirs[@]}" >"$out/cov.log" 2>&1 ||
	{ tail -20 "$out/cov.log" >&2; echo "fuzz_cov.sh: the target failed on an input (log $out/cov.log)" >&2; exit 1; }
llvm-profdata merge -sparse -o "$out/cov.profdata" "$out"/cov-*.profraw
rm -f "$out"/cov-*.profraw
# The tree's mm/vma.c, compiled as gen/ksrc/mm/vma.c in the build directory.
src='gen/ksrc/mm/vma.c'
( cd "$out" && llvm-cov report "$bin" -instr-profile=cov.profdata \
	--show-functions "$src" ) >"$out/vma.c.functions"
( cd "$out" && llvm-cov show "$bin" -instr-profile=cov.profdata \
	--show-branches=count "$src" ) >"$out/vma.c.txt"
# TOTAL (of a report by function): regions, missed, %, lines, missed, %,
# branches, missed, %.
read -r lt lm bt bm < <(awk '$1 == "TOTAL" { print $5, $6, $8, $9 }' \
	"$out/vma.c.functions")
n=$(find "${dirs[@]}" -type f | wc -l)
awk -v lt="$lt" -v lm="$lm" -v bt="$bt" -v bm="$bm" -v n="$n" 'BEGIN {
	printf "fuzz: mm/vma.c (the tree'\''s): lines %d/%d (%.1f%%), branches %d/%d (%.1f%%), from %d inputs\n",
		lt - lm, lt, 100 * (lt - lm) / lt, bt - bm, bt, 100 * (bt - bm) / bt, n
}'
