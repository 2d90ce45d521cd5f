#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run_tests.sh - the whole pre-submission matrix: build and run the suite
# in each configuration (ASan+UBSan, Valgrind memcheck, the KCSAN race
# detector and a short torture run under it) on the kernel tree
# and on the series fixture tree made from it, the bad-input tests and both
# in-tree layouts (tests/cli.sh, tests/intree.sh), then print one table.
#
#   ./run_tests.sh [--kdir PATH] [--patch FILE]... [--quick] [--jobs N]
#                  [--rows N] [--row-timeout S] [--keep] [--cc CC]
#                  [-t PATTERN] [--coverage | --timings]
#
# --kdir PATH   use this tree (never modified) instead of the default one
# --patch FILE  apply FILE (diff, git format-patch output or an mbox of a
#               series) to a scratch copy of the tree, in the order given,
#               and test that copy instead; stops before any build if a
#               patch does not apply
# --quick       ASan+UBSan on the given tree only
# --jobs N      parallel make jobs (default: number of CPUs)
# --rows N      configurations built and run at the same time (default:
#               number of CPUs)
# --row-timeout S  a configuration whose run gives no result within S
#               seconds (default 900) is killed and reported as such
# --timings     instead of the matrix: scripts/timings.sh (build and run
#               times next to the tree's own tools/testing/vma)
# --keep        keep scratch trees and print where they are
# --cc CC       compiler (default: $CC or cc)
# --coverage    instead of the matrix: gcov builds on the given tree (-O0
#               for lines, -O1 for branches), then
#               the vma_start_write() call sites of mm/vma.c with the tests
#               that reached each, and line and branch coverage of mm/mmap_lock.c, mm/mmap.c,
#               include/linux/mmap_lock.h and mm/vma.c, with the lines of
#               the lock code that no test reaches
# -t PATTERN    run only the tests matching PATTERN (as ./vma -t)
set -euo pipefail

repo=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
cd "$repo"

say() { echo "vma: $*" >&2; }
die() { say "$@"; exit 2; }

kdir=${KDIR:-}
patches=()
quick=0
coverage=0
jobs=$(nproc 2>/dev/null || echo 2)
rows_par=$jobs
row_timeout=900
timings=0
keep=0
cc=${CC:-cc}
tests=()
while (($#)); do
	case $1 in
	--kdir) [[ $# -ge 2 ]] || die "--kdir needs a path"; kdir=$2; shift ;;
	--kdir=*) kdir=${1#*=} ;;
	--patch) [[ $# -ge 2 ]] || die "--patch needs a file"; patches+=("$2"); shift ;;
	--patch=*) patches+=("${1#*=}") ;;
	--quick) quick=1 ;;
	--coverage) coverage=1 quick=1 ;;
	--jobs) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--jobs needs a number"; jobs=$2; shift ;;
	--rows) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--rows needs a number"; rows_par=$2; shift ;;
	--row-timeout) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--row-timeout needs a number"; row_timeout=$2; shift ;;
	--timings) timings=1 ;;
	--keep) keep=1 ;;
	--cc) [[ $# -ge 2 ]] || die "--cc needs a compiler"; cc=$2; shift ;;
	-t) [[ $# -ge 2 ]] || die "-t needs a pattern"; tests+=(-t "$2"); shift ;;
	-h | --help) sed -n '3,33p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option '$1' (try --help)" ;;
	esac
	shift
done

((timings)) && exec "$repo/scripts/timings.sh" --jobs "$jobs"

# What a step needs from Debian, installed when we can (root with apt).
command -v "$cc" >/dev/null || die "compiler '$cc' not found"
pkgs=(liburcu-dev python3)
[[ $cc != *clang* ]] || pkgs+=(clang)
((coverage)) && pkgs+=(lcov)
((quick)) || pkgs+=(valgrind unifdef)
CC=$cc scripts/need.sh "${pkgs[@]}" || exit 2
# ccache, where it is or can be installed: the Makefile names every file
# relative to the build directory, so the configurations of the two trees
# and the in-tree layouts share what they compile alike.  (A shared object
# keeps the build directory of its first compile in its debug info.)
if ! command -v ccache >/dev/null && ! scripts/need.sh ccache 2>/dev/null; then
	say "no ccache: every configuration compiles everything"
fi
export CCACHE_NOHASHDIR=1

for p in "${patches[@]}"; do
	[[ -e $p ]] || die "patch $p does not exist"
	[[ -f $p && -r $p ]] || die "patch $p is not a readable file"
	[[ -s $p ]] || die "patch $p is empty"
	grep -qE '^(\+\+\+|---) ' "$p" || die "patch $p contains no diff"
done

tree=$(KDIR=$kdir scripts/kdir.sh --quiet) || exit 2
ver=$(KDIR=$tree scripts/kdir.sh --version)
say "kernel tree $tree (Linux $ver)"

scratch=""
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	if [[ -n $scratch && -d $scratch ]]; then
		if ((keep)); then
			say "scratch trees kept in $scratch"
		else
			rm -rf "$scratch"
		fi
	fi
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT TERM HUP

# Scratch trees live in build/ (VMA_SCRATCH_DIR: where tests/cli.sh looks).
mkscratch() {
	local dir=${VMA_SCRATCH_DIR:-$repo/build}

	[[ -n $scratch ]] && return 0
	mkdir -p "$dir"
	scratch=$(mktemp -d "$dir/scratch.XXXXXX")
}

# A patched copy of the tree, if patches were given.
if ((${#patches[@]})); then
	scripts/need.sh patch || exit 2
	mkscratch
	say "applying ${#patches[@]} patch(es) to a scratch copy of the tree"
	# Hard links where it can (nothing of a big tree copied), and every file
	# a patch touches with its own inode first.
	scripts/linkcopy.sh "$tree" "$scratch/patched" || exit 2
	mapfile -t touched < <(scripts/linkcopy.sh --patched "${patches[@]}")
	(cd "$scratch/patched" && "$repo/scripts/linkcopy.sh" --own "${touched[@]}") ||
		exit 2
	for p in "${patches[@]}"; do
		if ! out=$(patch -p1 -N --batch -d "$scratch/patched" \
			-i "$(realpath "$p")" 2>&1); then
			hunk=$(grep -m1 -E 'FAILED|malformed|Only garbage|can.t find file' \
				<<<"$out" || true)
			file=$(grep -B1 -m1 -E 'FAILED' <<<"$out" | grep -m1 '^patching file' ||
				true)
			die "patch $p does not apply: ${file:+${file#patching file } }${hunk:-$(tail -n1 <<<"$out")}"
		fi
	done
	tree=$scratch/patched
	label="patched"
else
	label=$ver
fi

trees=("$tree")
labels=("$label")
if ! ((quick)); then
	if ((${#patches[@]})); then
		fixture=$scratch/fixture
	else
		# Reused while the tree and the fixture tooling are unchanged.
		key=$( (echo "$tree"
			cd "$tree" && find mm include/linux tools/testing/vma \
				-path tools/testing/vma/build -prune -o -type f \
				-printf '%T@ %p\n' | sort | tail -n 1
			cat "$repo/scripts/mkfixture.sh" "$repo"/scripts/fixtures/*) |
			sha1sum | cut -c1-12)
		fixture=$repo/build/fixture-$key
	fi
	if [[ ! -d $fixture ]]; then
		rm -rf "$repo"/build/fixture-*
		scripts/mkfixture.sh "$tree" "$fixture" >/dev/null
	fi
	trees+=("$fixture")
	labels+=("$label+series")
fi

configs=(asan)
((quick)) || configs+=(valgrind kcsan torture)
((coverage)) && configs=(coverage branches)

elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1f", b - a}'; }

# Each row writes "passed failed skipped", then its line of the table, to
# $rowdir/<tree>-<n> (cli and intree: $rowdir/cli, $rowdir/intree).  A row
# that crashes, hangs or is killed still gets one.  The directory is this
# run's own: the runs of run_tests.sh that tests/cli.sh makes while rows
# still run must not touch it.
mkdir -p "$repo/build"
rowdir=$(mktemp -d "$repo/build/rows.XXXXXX")
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup_rows() { rm -rf "$rowdir"; cleanup; }
trap cleanup_rows EXIT

# The counts "N M K" of a KTAP file's closing "vma: N passed, M failed, K
# skipped" line, or nothing if it has none.
counts() {
	sed -nE 's/^vma: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped$/\1 \2 \3/p' \
		"$1" | tail -n 1
}

# put_row FILE NAME TREE SECONDS NOTE [PASSED FAILED SKIPPED]: a row's file.
# Without counts, the row has no result and counts as one failure.
put_row() {
	if (($# > 5)); then
		printf '%d %d %d\n%-10s %-14s %7d %7d %7d %8s  %s\n' "$6" "$7" "$8" \
			"$2" "$3" "$6" "$7" "$8" "$4" "$5" >"$1"
	else
		printf '0 1 0\n%-10s %-14s %7s %7s %7s %8s  %s\n' "$2" "$3" \
			- - - "$4" "$5" >"$1"
	fi
}

# One configuration (@2, the @3rd of configs) on tree @1.
run_cfg() {
	local i=$1 cfg=$2 key=$1-$3 t=${trees[$1]} out prog log ktap t0 rc res note
	local p f s mflags run
	# The torture row runs the KCSAN build.
	out=$repo/build/${cfg/torture/kcsan}-$i
	prog=$out/vma
	log=$repo/build/$cfg-$i.log
	ktap=$repo/build/$cfg-$i.ktap
	mkdir -p "$out"
	t0=$EPOCHREALTIME
	case $cfg in
	asan) mflags=(SANITIZE=1) ;;
	valgrind) mflags=(SANITIZE=0) ;;
	kcsan | torture) mflags=(KCSAN=1) ;;
	coverage | branches)
		mflags=(SANITIZE=0 "COVERAGE=$([[ $cfg == coverage ]] && echo 1 || echo branches)")
		find "$out" -name '*.gcda' -delete 2>/dev/null || true ;;
	esac
	say "$cfg on ${labels[$i]}: building"
	# The kcsan and torture rows of a tree share a build: one make at a time.
	if ! flock "$out/.lock" make -s -j"$jobs" KDIR="$t" O="$out" \
		PROG="$prog" CC="$cc" "${mflags[@]}" >"$log" 2>&1; then
		put_row "$rowdir/$key" "$cfg" "${labels[$i]}" "$(elapsed "$t0")" \
			"build failed: $log"
		return
	fi
	say "$cfg on ${labels[$i]}: running"
	case $cfg in
	asan) run=("$prog" "${tests[@]}") ;;
	# Valgrind runs one thread at a time; handing its lock to the threads
	# in turn (--fair-sched) runs the suite about a tenth faster here.
	valgrind) run=(valgrind -q --fair-sched=yes --error-exitcode=99 --leak-check=full
		"$prog" --timeout 120 "${tests[@]}") ;;
	kcsan) run=("$prog" "${tests[@]}") ;;
	torture) run=("$prog" --torture --threads 2 --seconds 5) ;;
	coverage) run=("$prog" --sites "${tests[@]}") ;;
	branches) run=("$prog" "${tests[@]}") ;;
	esac
	timeout -k 10 "$row_timeout" "${run[@]}" >"$ktap" 2>>"$log"
	rc=$?
	res=$(counts "$ktap")
	read -r p f s <<<"${res:-0 0 0}"
	note=""
	if ((rc == 124 || rc == 137)) && [[ -z $res ]]; then
		note="killed: no result within ${row_timeout}s, see $ktap"
		f=$((f + 1))
	elif [[ -z $res ]]; then
		if ((rc > 128)); then
			note="crashed (signal $((rc - 128))), see $ktap and $log"
		else
			note="crashed (exit $rc), see $ktap and $log"
		fi
		f=$((f + 1))
	elif ((rc == 99)); then
		note="$cfg reports, see $ktap and $log"
		f=$((f + 1))
	elif ((rc != 0 && f == 0)); then
		note="exit $rc, see $ktap and $log"
		f=1
	elif ((f)); then
		note="see $ktap"
	fi
	put_row "$rowdir/$key" "$cfg" "${labels[$i]}" "$(elapsed "$t0")" \
		"$note" "$p" "$f" "$s"
	if ((f)); then
		grep -E '^ *not ok|ASSERTION|WARN at|BUG at|KCSAN at|DEADLOCK|reproduce:' "$ktap" |
			head -n 20 | sed "s/^/    $cfg-$i: /" >&2 || true
	fi
}

# The rows that share a build, one after the other.
run_chain() {
	local i=$1 c

	shift
	for c; do
		run_cfg "$i" "${configs[$c]}" "$c"
	done
}

# A script of tests/ that prints KTAP and "vma: N passed, ...": its row.
script_row() {
	local name=$1 ktap=$2 t0=$3 p f s

	read -r p f s <<<"$(counts "$ktap")"
	p=${p:-0} f=${f:-1} s=${s:-0}
	((f == 0)) || grep -B1 '^not ok' "$ktap" | sed "s/^/    $name: /" >&2
	put_row "$rowdir/$name" "$name" "${labels[0]}" "$(elapsed "$t0")" \
		"$( ((f == 0)) || echo "see $ktap")" "$p" "$f" "$s"
}

# Bad input, end to end (the harness itself, so only without --patch).
run_cli() {
	local t0=$EPOCHREALTIME

	say "cli: bad-input tests"
	VMA_CLI_O=$repo/build/asan-0 tests/cli.sh "${trees[0]}" \
		"$repo/build/asan-0/vma" >"$repo/build/cli.ktap" 2>&1
	script_row cli "$repo/build/cli.ktap" "$t0"
}

# In a kernel tree at tools/testing/vma, over upstream's and instead.
run_intree() {
	local t0=$EPOCHREALTIME

	say "intree: both in-tree layouts, on scratch copies of the tree"
	tests/intree.sh "${trees[0]}" "$jobs" >"$repo/build/intree.ktap" 2>&1
	script_row intree "$repo/build/intree.ktap" "$t0"
}

# What runs: chains of rows that share a build, and the scripts.  The first
# tree's rows go first (the longest builds), then the rest.
extras=0
if ! ((${#patches[@]})) && ! ((quick)); then
	extras=1
fi
chains=()
for i in "${!trees[@]}"; do
	for c in "${!configs[@]}"; do
		case ${configs[$c]} in
		torture) ;;
		kcsan) chains+=("$i $c $(for k in "${!configs[@]}"; do
			[[ ${configs[$k]} == torture ]] && echo "$k"; done)") ;;
		*) chains+=("$i $c") ;;
		esac
	done
	if ((i == 0 && extras)); then
		chains+=(intree)
	fi
done

# Rows run $rows_par at a time; an interrupt still prints the table.  The
# bad-input tests, which mostly wait, run beside them once the ASan row of
# the first tree, whose build they use, is done.
interrupted=0
# A signal to this script alone (not to its terminal's process group) ends
# what the rows started too, children first.
# shellcheck disable=SC2317 # called from the trap
killtree() {
	local p

	for p; do
		# shellcheck disable=SC2046 # a list of pids
		killtree $(pgrep -P "$p")
		kill "$p" 2>/dev/null
	done
}
# shellcheck disable=SC2046 # a list of pids
trap 'interrupted=1; say "interrupted"; killtree $(jobs -p)' INT TERM HUP
set +e
running=0
cli_pid=0
start_cli() {
	if ((extras && !cli_pid && !interrupted)) && [[ -s $rowdir/0-0 ]]; then
		run_cli &
		cli_pid=$!
	fi
}
# Waits for a job to end; a row's slot is free again.
reap() {
	local pid=""

	wait -n -p pid
	[[ ${pid:-} == "$cli_pid" ]] || running=$((running - 1))
	start_cli
}
for chain in "${chains[@]}"; do
	((interrupted)) && break
	if [[ $chain == intree ]]; then
		run_intree &
	else
		# shellcheck disable=SC2086 # a tree and a list of config numbers
		run_chain $chain &
	fi
	running=$((running + 1))
	if ((running >= rows_par)); then
		reap
	fi
done
while ((running > 0)) && ! ((interrupted)); do
	reap
done
start_cli
wait
set -e

rows=()
total_p=0 total_f=0 total_s=0 bad=0
row() {
	local file=$1 p f s

	read -r p f s <"$file"
	rows+=("$(sed -n 2p "$file")")
	((f == 0)) || bad=1
	total_p=$((total_p + p)) total_f=$((total_f + f)) total_s=$((total_s + s))
}
for i in "${!trees[@]}"; do
	for c in "${!configs[@]}"; do
		if [[ ! -s $rowdir/$i-$c ]]; then
			put_row "$rowdir/$i-$c" "${configs[$c]}" "${labels[$i]}" - \
				"$( ((interrupted)) && echo "not finished: interrupted" ||
					echo "no result: its run died, see build/${configs[$c]}-$i.log")"
		fi
		row "$rowdir/$i-$c"
	done
done
if ((extras)); then
	for x in cli intree; do
		if [[ ! -s $rowdir/$x ]]; then
			put_row "$rowdir/$x" "$x" "${labels[0]}" - \
				"$( ((interrupted)) && echo "not finished: interrupted" ||
					echo "no result, see build/$x.ktap")"
		fi
		row "$rowdir/$x"
	done
fi

# Coverage of the code under test, merged over every translation unit.
if ((coverage)) && ! ((interrupted)); then
	# Lines from the -O0 build, branches from the -O1 one (Makefile says
	# why).
	for c in coverage branches; do
		lcov -q --capture --directory "$repo/build/$c-0" \
			--rc lcov_branch_coverage=1 -o "$repo/build/$c.info" \
			>"$repo/build/lcov.log" 2>&1 ||
			die "lcov failed, see $repo/build/lcov.log"
	done
	echo
	printf '%-26s %16s %18s\n' file lines branches
	# A header's lines appear once per translation unit that includes it:
	# a line (or branch) counts as covered if any unit covered it.
	awk '
	FNR == 1 { lines = FILENAME ~ /\/coverage\.info$/ }
	/^SF:/ { f = substr($0, 4); sub(/.*\/(mm|include|kinc)\//, "", f)
		keep = f ~ /^(mmap_lock\.c|linux\/mmap_lock\.h|vma\.c|mmap\.c)$/ }
	keep && lines && /^DA:/ { split(substr($0, 4), a, ","); k = f " " a[1]
		seen[k] = 1; if (a[2] > 0) hit[k] = 1 }
	keep && !lines && /^BRDA:/ { split(substr($0, 6), b, ",")
		k = f " " b[1] " " b[2] " " b[3]; bseen[k] = 1
		if (b[4] != "-" && b[4] > 0) bhit[k] = 1 }
	END {
		for (k in seen) { split(k, p, " "); lf[p[1]]++
			if (k in hit) lh[p[1]]++
			else print "U", p[1], p[2] }
		for (k in bseen) { split(k, p, " "); bf[p[1]]++
			if (k in bhit) bh[p[1]]++
			else print "B", p[1], p[2] }
		for (f in lf)
			printf "S %-24s %5d/%-5d %5.1f%% %6d/%-6d %5.1f%%\n", f,
				lh[f], lf[f], 100 * lh[f] / lf[f], bh[f], bf[f],
				bf[f] ? 100 * bh[f] / bf[f] : 100
	}' "$repo/build/coverage.info" "$repo/build/branches.info" \
		>"$repo/build/coverage.txt"
	sed -n 's/^S //p' "$repo/build/coverage.txt" | sort
	for f in mmap_lock.c linux/mmap_lock.h; do
		lines=$(awk -v f="$f" '$1 == "U" && $2 == f { print $3 }' \
			"$repo/build/coverage.txt" | sort -n | paste -sd' ')
		echo "uncovered lines of $f: ${lines:-none}"
		lines=$(awk -v f="$f" '$1 == "B" && $2 == f { print $3 }' \
			"$repo/build/coverage.txt" | sort -n | uniq -c |
			awk '{ printf "%s%s", sep, $2 ($1 > 1 ? " (" $1 ")" : ""); sep = " " }')
		echo "lines of $f with a branch not taken: ${lines:-none}"
	done
	echo "(build/coverage.txt: every uncovered line (U) and branch (B) of the three)"
	# Which tests reached each vma_start_write() site (./vma --sites).
	echo
	sed -n -e '/^# vma_start_write() call sites/,/^# [0-9]* site(s)/p' \
		"$repo/build/coverage-0.ktap" | sed 's/^# \{0,1\}//'
fi

echo
printf '%-10s %-14s %7s %7s %7s %8s\n' configuration tree passed failed skipped seconds
for r in "${rows[@]}"; do
	echo "$r"
done
echo
echo "vma: $total_p passed, $total_f failed, $total_s skipped"
exit $bad
