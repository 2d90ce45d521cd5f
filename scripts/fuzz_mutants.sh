#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz_mutants.sh - how fast the fuzzer finds the mutants made for it.
#
# Usage: scripts/fuzz_mutants.sh [-s SECONDS] [-j RUNS] [NAME...] [KDIR=...]
#
# For each mutant of scripts/mutants.list whose name starts with fuzz_ (or
# each NAME), plants it in a scratch copy of the kernel tree (hard links,
# the one file it edits copied: the tree is never written), builds the
# fuzz target against it (make FUZZ=1 O=build/fuzz-mutants/NAME) and runs
# it under nice -n 19 for at most SECONDS (300) from the seeds less the
# fuzz_regress rows' (those are these findings), RUNS times (1) with
# libFuzzer seeds 1, 2, ...  Prints, per run, the inputs run and the
# seconds until the finding, with its message, or "not found".  The
# figures of the README's table of fuzzer mutants come from it.
set -euo pipefail

repo=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
secs=300 runs=1 names=() mk=()
while [[ $# -gt 0 ]]; do
	case $1 in
	-s) secs=${2:-}; shift ;;
	-j) runs=${2:-}; shift ;;
	*=*) mk+=("$1") ;;
	-*) echo "fuzz_mutants.sh: unknown option '$1'" >&2; exit 2 ;;
	*) names+=("$1") ;;
	esac
	shift
done
[[ $secs =~ ^[1-9][0-9]*$ ]] || { echo "fuzz_mutants.sh: -s wants a number of seconds" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "fuzz_mutants.sh: -j wants a number of runs" >&2; exit 2; }
"$repo/scripts/need.sh" clang perl >&2 || exit 2
list=$repo/scripts/mutants.list
# One field of a stanza.
field() {
	awk -v n="$1" -v f="$2:" '$1 == "name:" { c = ($2 == n) }
		c && $1 == f { sub(/^[a-z]+: */, ""); print; exit }' "$list"
}
if ((${#names[@]} == 0)); then
	mapfile -t names < <(awk '$1 == "name:" && $2 ~ /^fuzz_/ { print $2 }' "$list")
fi
for v in "${mk[@]}"; do
	[[ $v == KDIR=* ]] && export KDIR=${v#KDIR=}
done
kdir=$("$repo/scripts/kdir.sh" --quiet) || exit 2
out=$repo/build/fuzz-mutants
mkdir -p "$out"
python3 "$repo/scripts/fuzz_seeds.py" --check "$repo" >&2 || true
seeds=$out/seeds
rm -rf "$seeds"
mkdir -p "$seeds"
find "$repo/fuzz/corpus" -type f ! -name 'fuzz_regress.*' -exec cp {} "$seeds/" \;
for m in "${names[@]}"; do
	file=$(field "$m" file) sub=$(field "$m" subst)
	[[ -n $file && -n $sub ]] || { echo "$m: no such mutant in scripts/mutants.list"; continue; }
	tree=$out/tree-$m
	rm -rf "$tree"
	"$repo/scripts/linkcopy.sh" "$kdir" "$tree"
	rm "$tree/$file"
	perl -0pe "$sub" "$kdir/$file" >"$tree/$file"
	if cmp -s "$kdir/$file" "$tree/$file"; then
		echo "$m: stale (its substitution no longer matches $file)"
		continue
	fi
	if ! nice -n 19 make -s -C "$repo" -j2 "${mk[@]}" FUZZ=1 KDIR="$tree" \
		O="$out/$m" >"$out/$m.build.log" 2>&1; then
		echo "$m: does not build (log $out/$m.build.log)"
		continue
	fi
	for ((seed = 1; seed <= runs; seed++)); do
		work=$out/work-$m-$seed
		rm -rf "$work" "$work.find"
		mkdir -p "$work" "$work.find"
		t0=$(date +%s%N)
		nice -n 19 "$out/$m/vma-fuzz" -seed="$seed" -detect_leaks=0 \
			-dict="$repo/fuzz/ops.dict" -max_total_time="$secs" \
			-max_len=256 -artifact_prefix="$work.find/" \
			-print_final_stats=1 "$work" "$seeds" \
			>"$out/$m-$seed.log" 2>&1 || true
		t1=$(date +%s%N)
		n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$m-$seed.log")
		msg=$(sed -n 's/^FUZZ FINDING: //p' "$out/$m-$seed.log" | head -1)
		printf '%s (seed %d): %s runs in %d s, load %s: %s\n' "$m" "$seed" \
			"${n:-?}" $(((t1 - t0) / 1000000000)) \
			"$(cut -d' ' -f1 /proc/loadavg)" "${msg:-not found}"
	done
	rm -rf "$tree"
done
