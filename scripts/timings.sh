#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# timings.sh - how long the developer loop takes, next to the tree's own
# tools/testing/vma measured in the same run (a benchmark, not a test).
#
# Usage: scripts/timings.sh [--runs N] [--jobs N]   (also: run_tests.sh --timings)
#        scripts/timings.sh --matrix [RUN_TESTS_ARG...]   (the matrix, below)
#
# On a scratch copy of the tree (hard links; the files touched are copied
# first, so the tree is never written), N times (default 3), for the
# harness and for upstream's tools/testing/vma: a cold build, a rebuild
# after touching mm/vma.c, a rebuild after touching mm/mmap_lock.c, and a
# run of the suite.  Prints the median of each figure and the ratio
# harness/upstream, then, for the harness: its peak RSS, the five slowest
# tests and the explorer's schedules per second.  Builds use make -jN
# (default: the number of CPUs); ccache, when the harness's Makefile finds
# it, is bypassed so that cold means cold.
set -euo pipefail

repo=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
runs=3
jobs=$(nproc 2>/dev/null || echo 2)
# scripts/timings.sh --matrix [ARG...]: the cost of ./run_tests.sh ARG...
# instead, warm: one run to build, then one measured, with each row's
# build and run in wall and CPU (user+sys) seconds (run.py --times,
# build/matrix-times.txt).  Other work on the machine stretches the wall
# times; the CPU seconds are the figure to compare.  Measured on the
# shared 2-core VM (README "The matrix's cost" has the rows):
#   before (valgrind, kcsan, torture, i386 under qemu, intree's two full
#   suites in the default): 8 min 40 s wall warm, 4760 passed
#   after (asan, production, nolockdep, strict, up on both trees; i386
#   where it runs natively; cli, intree): 76.7 CPU seconds in the rows
#   (11.8 of them no-op makes), 82.5 in all, i.e. 41 s of two idle
#   cores; 168 s wall on the loaded VM (load 24 to 30).  Per row and
#   tree, run CPU s: asan 5.1/3.2, production 4.2/3.6, nolockdep
#   3.7/4.1, strict 4.8/5.0, up 4.8/5.5, cli 15.2, intree 5.6; each
#   make 0.9 to 1.2.
if [[ ${1:-} == --matrix ]]; then
	shift
	echo "timings: ./run_tests.sh $* (to build)" >&2
	"$repo/run_tests.sh" "$@" >/dev/null 2>&1
	echo "timings: ./run_tests.sh $* (measured, warm)" >&2
	"$repo/run_tests.sh" --times "$@" 2>/dev/null |
		sed -n '/^row  /,/^whole run:/p'
	exit "${PIPESTATUS[0]}"
fi

while (($#)); do
	case $1 in
	--runs) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || { echo "timings: --runs needs a number" >&2; exit 2; }
		runs=$2; shift ;;
	--jobs) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || { echo "timings: --jobs needs a number" >&2; exit 2; }
		jobs=$2; shift ;;
	-h | --help) sed -n '3,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "timings: unknown option '$1' (try --help)" >&2; exit 2 ;;
	esac
	shift
done
[[ -x /usr/bin/time ]] || "$repo/scripts/need.sh" time || exit 2

src=$(KDIR=${KDIR:-} "$repo/scripts/kdir.sh" --quiet)
[[ -f $src/tools/testing/vma/Makefile ]] ||
	{ echo "timings: $src has no tools/testing/vma to compare with" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/vma-timings.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Seconds (and peak RSS in KiB) of a command, its output in $work/last.out.
timed() {
	/usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/last.out" 2>&1 ||
		{ echo "timings: '$*' failed:" >&2; tail -n 20 "$work/last.out" >&2; exit 1; }
	read -r secs rss <"$work/time"
}

# A private copy of @1 in the scratch tree, then a new mtime.
touch_copy() {
	rm -f "$tree/$1"
	cp "$src/$1" "$tree/$1"
	touch "$tree/$1"
}

declare -A fig
add() { fig[$1]+="$2 "; }
median() { tr ' ' '\n' <<<"${fig[$1]}" | sed '/^$/d' | sort -n |
	awk '{v[NR] = $1} END {print NR ? v[int((NR + 1) / 2)] : "-"}'; }

for ((r = 1; r <= runs; r++)); do
	echo "timings: run $r of $runs" >&2
	tree=$work/tree-$r
	"$repo/scripts/linkcopy.sh" "$src" "$tree"

	# The harness.
	ours=(make -s -j"$jobs" -C "$repo" KDIR="$tree" O="$work/ours-$r"
		PROG="$work/ours-$r/vma" CCACHE=)
	timed "${ours[@]}"; add ours_cold "$secs"
	touch_copy mm/vma.c
	timed "${ours[@]}"; add ours_vma "$secs"
	touch_copy mm/mmap_lock.c
	timed "${ours[@]}"; add ours_lock "$secs"
	timed "$work/ours-$r/vma" --durations; add ours_run "$secs"
	add ours_rss "$rss"
	cp "$work/last.out" "$work/durations-$r"
	timed "$work/ours-$r/vma" --explore --schedules 300
	add ours_sched "$(sed -nE 's/^# explore: ([0-9]+) schedules .* in ([0-9.]+)s.*/\1 \2/p' \
		"$work/last.out" | awk '{printf "%.0f", $2 ? $1 / $2 : 0}')"

	# Upstream's tools/testing/vma, in the same copy of the tree.
	up=(make -s -j"$jobs" -C "$tree/tools/testing/vma")
	timed "${up[@]}"; add up_cold "$secs"
	touch_copy mm/vma.c
	timed "${up[@]}"; add up_vma "$secs"
	touch_copy mm/mmap_lock.c
	timed "${up[@]}"; add up_lock "$secs"
	timed "$tree/tools/testing/vma/vma"; add up_run "$secs"
	rm -rf "$tree" "$work/ours-$r"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a / b; else print "-" }'; }
row() {
	local o u
	o=$(median "ours_$1") u=$(median "up_$1")
	printf '%-40s %9s %9s %7s\n' "$2" "$o" "$u" "$(ratio "$o" "$u")"
}
echo
echo "tree: $src ($(nproc) CPUs, make -j$jobs; medians of $runs runs, seconds)"
printf '%-40s %9s %9s %7s\n' "" harness upstream ratio
row cold "cold build"
row vma "rebuild after touching mm/vma.c"
row lock "rebuild after touching mm/mmap_lock.c"
row run "./vma"
o=$(awk -v a="$(median ours_vma)" -v b="$(median ours_run)" 'BEGIN{print a + b}')
u=$(awk -v a="$(median up_vma)" -v b="$(median up_run)" 'BEGIN{print a + b}')
printf '%-40s %9s %9s %7s\n' "edit mm/vma.c, make && ./vma" "$o" "$u" "$(ratio "$o" "$u")"
echo
echo "./vma peak RSS: $(median ours_rss) KiB (the largest of its processes)"
echo "explorer: $(median ours_sched) schedules/s (./vma --explore --schedules 300)"
echo "slowest tests (last run):"
awk '/# Subtest:/ {suite = $3}
	/# duration:/ {d = $3; sub(/s$/, "", d)}
	/^ +(not )?ok [0-9]+ / && d != "" {
		name = $0; sub(/^ +(not )?ok [0-9]+ /, "", name); sub(/ #.*/, "", name)
		print d, suite "." name; d = "" }' "$work/durations-$runs" |
	sort -rn | head -n 5 | awk '{printf "  %6.3fs %s\n", $1, $2}'
