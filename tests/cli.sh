#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad input, end to end: every case gets one clear "vma: ..." line and a
# non-zero exit, leaves nothing half-done behind, and never writes into the
# kernel tree.  Run by run_tests.sh; standalone: tests/cli.sh [KDIR] [VMA]
# (the tree defaults to scripts/kdir.sh's, the binary to ./vma).
#
# Output is KTAP with the closing "vma: N passed, M failed, K skipped".
set -uo pipefail

repo=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
kdir=${1:-$("$repo/scripts/kdir.sh" --quiet)} || exit 2
vma=${2:-$repo/vma}
work=$(mktemp -d "${TMPDIR:-/tmp}/vma-cli.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Our runs of run_tests.sh put their scratch trees here, to be checked.
export VMA_SCRATCH_DIR=$work/scratch

SUITE=cli
# shellcheck source=tests/lib.sh
. "$repo/tests/lib.sh"

# Runs "$@", expects failure and a last line matching $re.
expect_fail() {
	local name=$1 re=$2 out rc last
	shift 2

	out=$("$@" 2>&1)
	rc=$?
	last=$(tail -n 1 <<<"$out")
	if ((rc == 0)); then
		result "$name" no "exit 0, expected failure; output: $last"
	elif ! grep -Eq "$re" <<<"$last"; then
		result "$name" no "exit $rc, last line '$last' does not match /$re/"
	else
		result "$name" yes ""
	fi
}

# What changed in the tree (files, and directories such as a __pycache__
# that the import of its kunit_parser.py would make).
tree_sum() {
	(cd "$1" && find mm include/linux lib tools/testing/vma \
		tools/testing/kunit -newer "$work/stamp" 2>/dev/null | head -n 5)
}

# A patch that grows struct vm_area_struct shows in the --patch table as a
# size change: "(was N)" after the size of its build, N the unpatched
# tree's, recorded as a normal run records it (build/vma-sizes).  In a
# build directory of its own: the matrix running this may be using
# build/.  It costs a build of the patched tree (30 to 45 CPU seconds
# with the objects in ccache, from its second run on): the matrix's
# default cli row leaves it out (VMA_CLI_PATCH_BUILD=0), and
# run_tests.sh --with sizes runs it alone (VMA_CLI_CASE).
patch_vma_size_change() {
	local was out line

	if [[ ${VMA_CLI_PATCH_BUILD:-1} == 0 ]]; then
		result patch_vma_size_change skip \
			"a --patch build of its own: run_tests.sh --with sizes"
		return
	fi
	was=$("$vma" --config 2>/dev/null |
		sed -n 's/^sizeof(struct vm_area_struct): \([0-9]*\)$/\1/p')
	if [[ -z $was ]]; then
		result patch_vma_size_change no \
			"$vma --config prints no sizeof(struct vm_area_struct)"
		return
	fi
	mkdir -p "$work/sizes"
	echo "asan $was" >"$work/sizes/vma-sizes"
	awk '{ print } /^struct vm_area_struct {$/ && !n++ {
		print "\tunsigned long vh_cli_grown[4];" }' \
		"$kdir/include/linux/mm_types.h" >"$work/mm_types.h"
	diff -u --label a/include/linux/mm_types.h \
		--label b/include/linux/mm_types.h \
		"$kdir/include/linux/mm_types.h" "$work/mm_types.h" \
		>"$work/grow.patch"
	out=$(VMA_BUILD_DIR=$work/sizes "$repo/run_tests.sh" --quick \
		--kdir "$kdir" --patch "$work/grow.patch" -t 'attach.*' 2>&1)
	line=$(grep '^sizeof(struct vm_area_struct) on patched:' <<<"$out")
	if [[ $line =~ asan\ ([0-9]+)\ \(was\ $was\) ]] &&
		((BASH_REMATCH[1] > was)); then
		result patch_vma_size_change yes ""
	else
		result patch_vma_size_change no \
			"no 'asan N (was $was)' with N > $was: ${line:-$(tail -n 1 <<<"$out")}"
	fi
	rm -rf "$work/sizes"
}

# One case alone (run_tests.sh --with sizes).
if [[ -n ${VMA_CLI_CASE:-} ]]; then
	header "kernel tree $kdir"
	"$VMA_CLI_CASE"
	summary
	exit
fi

touch "$work/stamp"
sleep 1

header "kernel tree $kdir"

# The kernel tree argument.
expect_fail kdir_missing 'KDIR /nonexistent does not exist' \
	make -s -C "$repo" KDIR=/nonexistent O="$work/b0"
mkdir -p "$work/notatree"
expect_fail kdir_not_a_tree 'is not a kernel tree' \
	make -s -C "$repo" KDIR="$work/notatree" O="$work/b1"
"$repo/scripts/linkcopy.sh" "$kdir" "$work/old"
rm "$work/old/mm/mmap_lock.c"
grep -v __vma_start_write "$kdir/mm/mmap_lock.c" >"$work/old/mm/mmap_lock.c"
expect_fail kdir_too_old 'too old: no per-VMA lock code' \
	make -s -C "$repo" KDIR="$work/old" O="$work/b2"
"$repo/scripts/linkcopy.sh" "$kdir" "$work/norefcnt"
rm "$work/norefcnt/include/linux/mm_types.h"
sed 's/vm_refcnt/vm_lock/g' "$kdir/include/linux/mm_types.h" \
	>"$work/norefcnt/include/linux/mm_types.h"
expect_fail kdir_no_vm_refcnt 'too old: no refcount-based per-VMA lock \(vm_refcnt' \
	make -s -C "$repo" KDIR="$work/norefcnt" O="$work/b2"
expect_fail run_tests_kdir_missing 'KDIR /nonexistent does not exist' \
	"$repo/run_tests.sh" --quick --kdir /nonexistent
# The matrix reads KTAP with the tree's kunit_parser.py.
"$repo/scripts/linkcopy.sh" "$kdir" "$work/nokunit"
rm -r "$work/nokunit/tools/testing/kunit"
expect_fail run_tests_no_kunit_parser 'has no tools/testing/kunit/kunit_parser.py' \
	"$repo/run_tests.sh" --quick --kdir "$work/nokunit"

# liburcu missing, and no way to install it (simulated).
expect_fail liburcu_missing 'liburcu-dev is required' \
	env VMA_URCU_H=/nonexistent/urcu.h VMA_NO_INSTALL=1 \
	"$repo/run_tests.sh" --quick --kdir "$kdir"
expect_fail make_liburcu_missing 'liburcu-dev is required' \
	env VMA_URCU_H=/nonexistent/urcu.h VMA_NO_INSTALL=1 \
	make -s -C "$repo" KDIR="$kdir" O="$work/b3"

# Options and test names.
expect_fail vma_unknown_option "unknown option '--bogus'" "$vma" --bogus
expect_fail vma_jobs_zero "jobs needs a number from 1 to 64" "$vma" -j 0
expect_fail vma_jobs_not_a_number "option needs a number: 'x'" "$vma" -j x
expect_fail run_tests_rows_not_a_number "rows needs a number" \
	"$repo/run_tests.sh" --rows x
expect_fail vma_unknown_test "no test matches 'no_such_test'" \
	"$vma" -t no_such_test
expect_fail run_tests_unknown_option "unknown option '--bogus'" \
	"$repo/run_tests.sh" --bogus
expect_fail run_tests_unknown_row "no row named 'bogus'" \
	"$repo/run_tests.sh" --with bogus

# Every table's rule starts with the tree files it exercises, which
# ./vma --list -v shows; each is in the tree (or the tree lacks its
# directory altogether: 7.2's cache has no drivers/ or net/).
# Read the listing whole first: grep -q ends a pipe early, and under
# pipefail the SIGPIPE of ./vma would read as "no tree files".
listing=$("$vma" --list -v)
bad=""
while IFS= read -r line; do
	files=${line#*): }
	if [[ $files == "its rule names no tree file" ]]; then
		bad="${line#\#   }"
		break
	fi
	IFS=',' read -ra names <<<"$files"
	for f in "${names[@]}"; do
		f=${f# }
		if [[ ! -e $kdir/$f && -d $kdir/$(dirname -- "$f") ]]; then
			bad="${line#\#   } (no $f in the tree)"
			break 2
		fi
	done
done < <(sed -n '/^# the tables and the tree files/,/^[^#]/{/^#   /p}' <<<"$listing")
if [[ -n $bad ]]; then
	result list_tree_files no "$bad"
elif ! grep -q '^# the tables and the tree files' <<<"$listing"; then
	result list_tree_files no "./vma --list -v shows no tree files"
else
	result list_tree_files yes ""
fi

# Patches.
expect_fail patch_missing 'patch /nonexistent.patch does not exist' \
	"$repo/run_tests.sh" --quick --kdir "$kdir" --patch /nonexistent.patch
: >"$work/empty.patch"
expect_fail patch_empty 'is empty' \
	"$repo/run_tests.sh" --quick --kdir "$kdir" --patch "$work/empty.patch"
cat >"$work/bad.patch" <<'PATCH'
--- a/mm/mmap_lock.c
+++ b/mm/mmap_lock.c
@@ -1,3 +1,3 @@
-this line is not in the file
+nor is this one
 and neither is this
PATCH
expect_fail patch_does_not_apply 'bad.patch does not apply: .*mm/mmap_lock.c.*(FAILED|Hunk)' \
	"$repo/run_tests.sh" --quick --kdir "$kdir" --patch "$work/bad.patch"
# The whole series on the tree cache: what the cache does not unpack
# (arch/*/Kconfig, rust/) is left out with one line, the rest applies (the
# patch after it, which does not, stops the run before any build).
series=("$repo"/scripts/fixtures/0*.patch)
if [[ -f $kdir.stamp ]] && grep -q '^parts: ' "$kdir.stamp"; then
	out=$("$repo/run_tests.sh" --quick --kdir "$kdir" \
		"${series[@]/#/--patch=}" --patch "$work/bad.patch" 2>&1)
	left=$(grep -c '^vma: left out of the patch(es)' <<<"$out")
	if ! grep -q 'bad.patch does not apply' <<<"$(tail -n 1 <<<"$out")"; then
		result patch_series_filtered no "$(tail -n 1 <<<"$out")"
	elif ((left != 1)); then
		result patch_series_filtered no "$left lines saying what was left out"
	elif ! grep -q '^vma: left out.*arch/arm/Kconfig.*rust/kernel/mm.rs' <<<"$out"; then
		result patch_series_filtered no "$(grep '^vma: left out' <<<"$out")"
	else
		result patch_series_filtered yes ""
	fi
else
	result patch_series_filtered skip "$kdir is not scripts/kdir.sh's cache"
fi
if compgen -G "$VMA_SCRATCH_DIR/scratch.*" >/dev/null; then
	result patch_leaves_nothing no "scratch tree left: $(echo "$VMA_SCRATCH_DIR"/scratch.*)"
else
	result patch_leaves_nothing yes ""
fi

# No network for the default tree (needs a private network namespace).
# (apt's retries, with their back-off, would wait 7 s for nothing.)
if unshare -n true 2>/dev/null; then
	printf 'Acquire::Retries "0";\n' >"$work/apt.conf"
	expect_fail fetch_no_network 'cannot fetch linux-source-7.3' \
		unshare -n env -u KDIR VMA_CACHE_DIR="$work/cache" \
		APT_CONFIG="$work/apt.conf" "$repo/scripts/kdir.sh"
else
	result fetch_no_network skip "unshare -n not permitted here"
fi

# A read-only tree works (we never write there).
if unshare -m true 2>/dev/null; then
	o=${VMA_CLI_O:-$work/ro}
	# shellcheck disable=SC2016 # expanded by the inner sh
	if out=$(unshare -m sh -c 'mount --bind -o ro "$1" "$1" &&
		make -s -C "$2" KDIR="$1" O="$3" PROG="$3/vma" &&
		"$3/vma" -t "attach.*"' sh "$kdir" "$repo" "$o" 2>&1); then
		result kdir_read_only yes ""
	else
		result kdir_read_only no "$(tail -n 1 <<<"$out")"
	fi
else
	result kdir_read_only skip "unshare -m not permitted here"
fi

# An interrupted run (Ctrl-C while it copies and patches) leaves no
# scratch tree behind.  env --default-signal undoes the SIGINT-ignored
# state that background jobs start with, as a terminal's Ctrl-C would find.
cp "$kdir/Makefile" "$work/Makefile.new"
echo "# vma-harness cli test" >>"$work/Makefile.new"
diff -u --label a/Makefile --label b/Makefile "$kdir/Makefile" \
	"$work/Makefile.new" >"$work/noop.patch"
if env --default-signal=INT true 2>/dev/null; then
	setsid env --default-signal=INT "$repo/run_tests.sh" --quick \
		--kdir "$kdir" --patch "$work/noop.patch" >"$work/int.log" 2>&1 &
	pid=$!
	for _ in $(seq 400); do
		compgen -G "$VMA_SCRATCH_DIR/scratch.*" >/dev/null && break
		sleep 0.05
	done
	kill -INT -- -"$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	if compgen -G "$VMA_SCRATCH_DIR/scratch.*" >/dev/null; then
		result interrupt_leaves_nothing no "scratch tree left after SIGINT"
	elif ((rc == 0)); then
		result interrupt_leaves_nothing no "the run was not interrupted"
	else
		result interrupt_leaves_nothing yes ""
	fi
else
	result interrupt_leaves_nothing skip "env --default-signal not available"
fi

patch_vma_size_change

# make -n plans and writes nothing: not in O= before the set-up ran, with
# the tree there (the whole plan) or not fetched yet (the plan stops at
# the set-up, and nothing is fetched).
dry_case() {
	local name=$1 want=$2 out rc
	shift 2

	out=$("$@" 2>&1)
	rc=$?
	if ((rc != 0)); then
		result "$name" no "exit $rc: $(tail -n 1 <<<"$out")"
	elif [[ -e $work/dry ]]; then
		result "$name" no "make -n wrote $(find "$work/dry" | head -n 2 | tail -n 1)"
	elif ! grep -q -- "$want" <<<"$out"; then
		result "$name" no "no '$want' in the plan: $(tail -n 1 <<<"$out")"
	else
		result "$name" yes ""
	fi
}
dry_case dry_run_writes_nothing ' LD      vma' \
	make -n -C "$repo" KDIR="$kdir" O="$work/dry"
dry_case dry_run_before_fetch 'needs the kernel tree' \
	env -u KDIR VMA_CACHE_DIR="$work/nocache" \
	make -n -C "$repo" O="$work/dry"
if [[ -e $work/nocache ]]; then
	result dry_run_fetches_nothing no "make -n made $work/nocache"
else
	result dry_run_fetches_nothing yes ""
fi

# The rooms and their include arrows (scripts/check-layout.py).
if out=$(python3 "$repo/scripts/check-layout.py" "$repo" 2>&1); then
	result layout_one_way yes ""
else
	result layout_one_way no "$(head -n 1 <<<"$out")"
fi

# Nothing above wrote into the tree.
changed=$(tree_sum "$kdir")
if [[ -n $changed ]]; then
	result kdir_untouched no "files changed in KDIR: $changed"
else
	result kdir_untouched yes ""
fi

summary
