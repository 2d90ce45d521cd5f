#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# mutants.sh - check that the suite catches bugs planted in the lock code.
#
# Usage: scripts/mutants.sh [-k] [NAME...]
#
# Makes one scratch copy of the kernel tree (hard links) and builds the
# harness against it once.  Then, for each mutant below (all of them, or
# those named), plants the bug in a fresh copy of the one file it edits
# (a perl substitution), and runs `make && ./vma` as a developer would
# after editing that file, timed; then puts the file back and rebuilds.  A
# mutant is "caught" when the build or the run fails; the failing tests
# are listed, with the seconds `make && ./vma` took, and the slowest
# verdict is printed at the end.  The tree itself (KDIR or the default) is
# never written.  A substitution that no longer matches the tree is
# reported as "stale".  -k keeps the scratch tree and the logs.  Exit
# status: 1 if any mutant survived or was stale, 2 if the unmodified tree
# does not build.
set -euo pipefail

repo=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)

# name | file | perl substitution (applied with -0777, so it spans lines)
MUTANTS=$(cat <<'LIST'
no_second_seq_check|mm/mmap_lock.c|s/if \(unlikely\(vma->vm_lock_seq == raw_read_seqcount\(&mm->mm_lock_seq\)\)\)/if (0)/
no_mm_check|mm/mmap_lock.c|s/if \(unlikely\(vma->vm_mm != mm\)\)\n\t\tgoto err_unstable;//
no_range_check|mm/mmap_lock.c|s/if \(unlikely\(address < vma->vm_start \|\| address >= vma->vm_end\)\)/if (0)/
miss_no_retry|mm/mmap_lock.c|s/mas_set\(&mas, address\);\n\t\t\tgoto retry;/goto inval;/
writer_no_wait|mm/mmap_lock.c|s/refcount_read\(&vma->vm_refcnt\) == tgt_refcnt,/1,/
killable_ignored|include/linux/mmap_lock.h|s/return __vma_start_write\(vma, TASK_KILLABLE\);/return __vma_start_write(vma, TASK_UNINTERRUPTIBLE);/
no_wakeup|include/linux/mmap_lock.h|s/if \(newcnt && __vma_are_readers_excluded\(newcnt\)\)\n\t\trcuwait_wake_up\(&mm->vma_writer_wait\);//
no_locked_shortcut|include/linux/mmap_lock.h|s/(int vma_start_write_killable\(struct vm_area_struct \*vma\)\n\{\n)\tif \(__is_vma_write_locked\(vma\)\)\n\t\treturn 0;\n/$1/
detach_no_wait|include/linux/mmap_lock.h|s/\t__vma_exclude_readers_for_detach\(vma\);\n\}/}/
attach_no_assert|include/linux/mmap_lock.h|s/(void vma_mark_attached\(struct vm_area_struct \*vma\)\n\{\n)\tvma_assert_write_locked\(vma\);/$1/
write_locked_compare_wraps|include/linux/mmap_lock.h|s/return vma->vm_lock_seq == __vma_raw_mm_seqnum\(vma\);/return vma->vm_lock_seq >= __vma_raw_mm_seqnum(vma);/
downgrade_keeps_locks|include/linux/mmap_lock.h|s/(__mmap_lock_trace_acquire_returned\(mm, false, true\);\n)\tvma_end_write_all\(mm\);/$1/
rcu_leak_on_seq_retry|mm/mmap_lock.c|s/(vma_refcount_put\(vma\);\n\t\tvma = NULL;\n\t\t)goto err;/${1}return NULL;/
reader_limit_broken|mm/mmap_lock.c|s/(__refcount_inc_not_zero_limited_acquire\(&vma->vm_refcnt, &oldcnt,\n\s*)VM_REFCNT_LIMIT\)/${1}INT_MAX)/
split_no_write_lock|mm/vma.c|s/\tvma_start_write\(vma\);\n(\tvma_start_write\(new\);)/$1/
merge_no_middle_lock|mm/vma.c|s/(we will be adjusting middle. \*\/\n)\tvma_start_write\(middle\);/$1/
merge_no_next_lock|mm/vma.c|s/\t\tvma_start_write\(next\);\n(\t\tvmg->target = next;)/$1/
merge_no_prev_lock|mm/vma.c|s/\t\tvma_start_write\(prev\);\n(\t\tvmg->target = prev;)/$1/
expand_no_write_lock|mm/vma.c|s/(mmap_assert_write_locked\(vmg->mm\);\n)\tvma_start_write\(target\);/$1/
expand_no_next_lock|mm/vma.c|s/\t\tvma_start_write\(next\);\n(\t\tvmg->__remove_next = true;)/$1/
munmap_no_write_lock|mm/vma.c|s/\t\tvma_start_write\(next\);\n(\t\tmas_set\(mas_detach, vms->vma_count\+\+\);)/$1/
flags_set_no_write_lock|include/linux/mm.h|s/(void vm_flags_set\(struct vm_area_struct \*vma,\n\t+vm_flags_t flags\)\n\{\n)\tvma_start_write\(vma\);\n/$1/
flags_clear_no_write_lock|include/linux/mm.h|s/(void vm_flags_clear\(struct vm_area_struct \*vma,\n[^{]*\{\n(?:.*\n)??)\tvma_start_write\(vma\);\n/$1/
flags_mod_no_write_lock|include/linux/mm.h|s/(void vm_flags_mod\(struct vm_area_struct \*vma,\n[^{]*\{\n)\tvma_start_write\(vma\);\n/$1/
vma_init_no_lock_init|include/linux/mm.h|s/(INIT_LIST_HEAD\(&vma->anon_vma_chain\);\n)\tvma_lock_init\(vma, false\);\n/$1/
dup_no_lock_init|mm/vma_init.c|s/\tvma_lock_init\(new, true\);\n//
LIST
)

keep=0
if [[ ${1:-} == -k ]]; then
	keep=1
	shift
fi
want=" $* "

src=$(KDIR=${KDIR:-} "$repo/scripts/kdir.sh")
work=$(mktemp -d "${TMPDIR:-/tmp}/vma-mutants.XXXXXX")
((keep)) || trap 'rm -rf "$work"' EXIT
tree=$work/tree
cp -al "$src" "$tree"
build=(make -s -j"$(nproc)" -C "$repo" KDIR="$tree" O="$work/build"
	PROG="$work/vma")
if ! "${build[@]}" >"$work/base.build" 2>&1; then
	echo "mutants: the unmodified tree does not build, see $work/base.build"
	exit 2
fi

# A fresh copy (a new mtime, so that make rebuilds what depends on it).
fresh() {
	rm -f "$tree/$1"
	cp "$src/$1" "$tree/$1"
}

survived=0 slowest=0 slowest_name=""
while IFS='|' read -r name file subst; do
	[[ -n $name ]] || continue
	[[ $want == "  " || $want == *" $name "* ]] || continue
	fresh "$file"
	perl -0777 -pi -e "$subst" "$tree/$file"
	if cmp -s "$src/$file" "$tree/$file"; then
		echo "mutant $name: stale (substitution does not match $file)"
		survived=1
		fresh "$file"
		continue
	fi
	t0=$EPOCHREALTIME
	if ! "${build[@]}" >"$work/$name.build" 2>&1; then
		verdict="caught at build time"
	elif "$work/vma" >"$work/$name.out" 2>&1; then
		verdict="SURVIVED"
		survived=1
	else
		verdict="caught by $(grep -o 'reproduce: ./vma -t [^ ]*' \
			"$work/$name.out" | awk '{print $4}' | paste -sd' ')"
	fi
	secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1f", b - a}')
	echo "mutant $name: $verdict (make && ./vma: ${secs}s)"
	if awk -v a="$secs" -v b="$slowest" 'BEGIN{exit !(a > b)}'; then
		slowest=$secs slowest_name=$name
	fi
	# Back to the unmodified tree, untimed.
	fresh "$file"
	"${build[@]}" >>"$work/$name.build" 2>&1 || true
done <<<"$MUTANTS"
[[ -z $slowest_name ]] || echo "slowest verdict: $slowest_name, ${slowest}s"
((keep)) && echo "scratch tree and logs kept in $work"
exit $survived
