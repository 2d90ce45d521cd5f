#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The harness sitting in a kernel tree at tools/testing/vma, both ways:
# copied over the tree's own tools/testing/vma (upstream's files stay next
# to ours) and replacing it.  Each layout is a scratch copy of the tree
# (hard links: tar unlinks a file before it extracts one over it, so
# nothing is written through a link), built with a plain "make" (KDIR
# defaults to ../../..) and run with "./vma".  Run by run_tests.sh; standalone:
# tests/intree.sh [KDIR] [JOBS] (the tree defaults to scripts/kdir.sh's).
#
# The copies live in build/intree/ and are kept, with their build output,
# as a developer's tree keeps its own: a rerun puts the harness's files
# back (their times kept, so make rebuilds what changed) and copies the
# tree again only when it is another tree or a file of it changed since.
#
# Output is KTAP with the closing "vma: N passed, M failed, K skipped".
# The layouts' own KTAP is read with the tree's kunit_parser.py
# (scripts/matrix/ktap.py).
set -uo pipefail

repo=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
kdir=${1:-$("$repo/scripts/kdir.sh" --quiet)} || exit 2
jobs=${2:-2}
work=$repo/build/intree
mkdir -p "$work"

SUITE=intree
py=${VMA_PYTHON:-/usr/bin/python3}
command -v "$py" >/dev/null || py=python3
# shellcheck source=tests/lib.sh
. "$repo/tests/lib.sh"
# The harness's own files (not its build output), copied into $1.
copy_harness() {
	tar -C "$repo" --exclude=./build --exclude=./.git --exclude=./vma \
		--exclude='./vma-*' --exclude='*.o' --exclude='*.d' -cf - . |
		tar -C "$1" -xf -
}

header "kernel tree $kdir"
case $repo/ in
"$kdir"/*)
	# Our files could not be told from upstream's there.
	for t in overlay_make_vma overlay_upstream_runs overlay_own_tables \
		replace_make_vma replace_upstream_skipped tree_untouched; do
		result "$t" skip "the harness already sits in this tree"
	done
	summary
	exit
	;;
esac
touch "$work/stamp"
sleep 1

for layout in overlay replace; do
	t=$work/$layout
	dir=$t/tools/testing/vma
	# The copy of the tree: again if it is another tree or one that changed.
	if [[ ! -d $t || ! -f $work/$layout.kdir ||
		$(<"$work/$layout.kdir") != "$kdir" ||
		-n $(find "$kdir" -newer "$work/$layout.kdir" -print -quit) ]]; then
		rm -rf "$t" "$work/$layout.kdir"
		"$repo/scripts/linkcopy.sh" "$kdir" "$t"
		echo "$kdir" >"$work/$layout.kdir"
	fi
	# tools/testing/vma as the layout has it, then ours over it; our build
	# output stays.
	rm -rf "$work/$layout.keep"
	[[ -d $dir/build ]] && mv "$dir/build" "$work/$layout.keep"
	rm -rf "$dir"
	if [[ $layout == overlay ]]; then
		"$repo/scripts/linkcopy.sh" "$kdir/tools/testing/vma" "$dir"
	else
		mkdir -p "$dir"
	fi
	[[ -d $work/$layout.keep ]] && mv "$work/$layout.keep" "$dir/build"
	copy_harness "$dir"
	if ! (cd "$dir" && env -u KDIR -u O make -s -j"$jobs") \
		>"$work/$layout.build" 2>&1; then
		result "${layout}_make_vma" no \
			"make failed: $(grep -m1 -E 'error|vma: ' "$work/$layout.build")"
		continue
	fi
	# The layout is what is tested: the suite itself runs in the matrix's
	# rows, with the same objects (ccache), so here upstream's suite and
	# one table of ours run, and --list shows which tables the build has.
	(cd "$dir" && ./vma -t 'upstream.*' -t 'vm_flags.*') \
		>"$work/$layout.ktap" 2>&1
	rc=$?
	(cd "$dir" && ./vma --list) >"$work/$layout.list" 2>&1
	# "NAME STATUS" per suite and case, then the closing line.
	tests=$work/$layout.tests
	"$py" -B "$repo/scripts/matrix/ktap.py" "$kdir" "$work/$layout.ktap" \
		>"$tests" 2>&1
	sum=$(grep -E '^vma: [0-9]+ passed' "$tests" | tail -n 1)
	if ((rc == 0)) && [[ -n $sum ]]; then
		result "${layout}_make_vma" yes ""
	else
		result "${layout}_make_vma" no \
			"./vma exit $rc: ${sum:-no summary}; $(grep -m3 -E ' (not-ok|crashed)$' "$tests" | paste -sd' ')"
	fi
	diag "$layout: ${sum:-no summary}"
	if [[ $layout == overlay ]]; then
		if grep -q '^upstream ok$' "$tests"; then
			result overlay_upstream_runs yes ""
		else
			result overlay_upstream_runs no "upstream's suite did not run"
		fi
		if grep -q '^vm_flags ok$' "$tests" &&
			grep -q '^write_path\.' "$work/$layout.list" &&
			! grep -qE '^(merge|mmap|vma)\.' "$work/$layout.list"; then
			result overlay_own_tables yes ""
		else
			result overlay_own_tables no \
				"our tables missing, or upstream's tests/*.c taken as tables"
		fi
	else
		if grep -q '^upstream\.suite skip # the tree has no' "$tests"; then
			result replace_upstream_skipped yes ""
		else
			result replace_upstream_skipped no \
				"upstream's suite not reported as skipped"
		fi
	fi
done

changed=$(cd "$kdir" && find . -newer "$work/stamp" -print 2>/dev/null |
	head -n 5)
if [[ -n $changed ]]; then
	result tree_untouched no "files changed in the tree: $changed"
else
	result tree_untouched yes ""
fi

summary
