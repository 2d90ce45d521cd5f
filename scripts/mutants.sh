#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# mutants.sh - check that the suite catches bugs planted in the lock code,
# each for the right reason.
#
# Usage: scripts/mutants.sh [-k] [-m MODE | --matrix] [--seeds N] [NAME...]
#
# Makes one scratch copy of the kernel tree (hard links) and of the harness
# (so that it may be edited meanwhile) and builds the harness against the
# tree once per mode it needs.  First a baseline: the unmodified tree must
# build and pass (./vma --seed 1) in each mode used, else nothing below
# means anything.  Then, for each mutant below (all of them, or those
# named), plants the bug in a fresh copy of the one file it edits (a perl
# substitution), and runs `make && ./vma` in the mutant's mode as a
# developer would after editing that file, timed; then puts the file back
# and rebuilds.  A mutant is "caught" when the test named in its line fails
# and that test's output contains the message named there (the rule it
# breaks); a run that fails otherwise is "caught for another reason", and
# counts as not caught.  A mutant that does not build is "invalid" (the
# list is wrong, not the suite right), a substitution that no longer
# matches the tree "stale".  The tree itself (KDIR or the default) is never
# written.
#
# Modes: asan (the default build: ASan+UBSan, invariants, WARNs, the
# explorer) and kcsan (make KCSAN=1: the same suite under the race
# detector, for ordering and data-race bugs).
#
# -k          keep the scratch tree and the logs
# -m MODE     run every mutant in MODE instead of its own
# --matrix    run every mutant in both modes and print which catches it
#             (caught: the expected test fails with the expected message;
#             other: the run fails, but not (only) that way; -: survived)
# --seeds N   run ./vma N times (seeds 1..N); caught only if every run fails
#
# Exit status: 1 if any mutant was not caught (in its own mode), or is
# stale or invalid; 2 if the unmodified tree does not build or pass.
set -euo pipefail

repo=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)

# name | mode | file | test that must fail (a glob) | message its output
#   must contain | perl substitution (applied with -0777: spans lines)
MUTANTS=$(cat <<'LIST'
no_second_seq_check|asan|mm/mmap_lock.c|explore.reader_vs_writer|while the writer holds it write-locked|s/if \(unlikely\(vma->vm_lock_seq == raw_read_seqcount\(&mm->mm_lock_seq\)\)\)/if (0)/
no_mm_check|asan|mm/mmap_lock.c|explore.reader_vs_recycle|got a VMA of another mm|s/if \(unlikely\(vma->vm_mm != mm\)\)\n\t\tgoto err_unstable;//
no_range_check|asan|mm/mmap_lock.c|explore.reader_vs_shrink|looking for|s/if \(unlikely\(address < vma->vm_start \|\| address >= vma->vm_end\)\)/if (0)/
miss_no_retry|asan|mm/mmap_lock.c|lookup.replaced_in_window_retries|c.got == now|s/mas_set\(&mas, address\);\n\t\t\tgoto retry;/goto inval;/
writer_no_wait|asan|mm/mmap_lock.c|explore.reader_vs_writer|vma_start_write() returned while reader 0 holds the VMA|s/refcount_read\(&vma->vm_refcnt\) == tgt_refcnt,/1,/
killable_ignored|asan|include/linux/mmap_lock.h|readers.killable_writer_killed_eintr|(TASK_UNINTERRUPTIBLE) with no wake-up pending|s/return __vma_start_write\(vma, TASK_KILLABLE\);/return __vma_start_write(vma, TASK_UNINTERRUPTIBLE);/
no_wakeup|asan|include/linux/mmap_lock.h|explore.reader_vs_writer|deadlock: every live thread is blocked|s/if \(newcnt && __vma_are_readers_excluded\(newcnt\)\)\n\t\trcuwait_wake_up\(&mm->vma_writer_wait\);//
no_locked_shortcut|asan|include/linux/mmap_lock.h|write_lock.locked_shortcut_killable|ret == row->ret (-4 != 0)|s/(int vma_start_write_killable\(struct vm_area_struct \*vma\)\n\{\n)\tif \(__is_vma_write_locked\(vma\)\)\n\t\treturn 0;\n/$1/
detach_no_wait|asan|include/linux/mmap_lock.h|readers.detach_waits_for_transient_reader|vh_wait_until_sleeping(wt, 0)|s/\t__vma_exclude_readers_for_detach\(vma\);\n\}/}/
attach_no_assert|asan|include/linux/mmap_lock.h|attach.attach_unlocked_warns|vma_mark_attached() of a detached VMA that is not write-locked did not WARN|s/(void vma_mark_attached\(struct vm_area_struct \*vma\)\n\{\n)\tvma_assert_write_locked\(vma\);/$1/
write_locked_compare_wraps|asan|include/linux/mmap_lock.h|attach.attach_unlocked_warns|of a detached VMA that is not write-locked did not WARN|s/return vma->vm_lock_seq == __vma_raw_mm_seqnum\(vma\);/return vma->vm_lock_seq >= __vma_raw_mm_seqnum(vma);/
downgrade_keeps_locks|asan|include/linux/mmap_lock.h|write_lock.downgrade_releases|vma->vm_lock_seq == c->mm->mm_lock_seq.sequence == row->write_locked (1 != 0)|s/(__mmap_lock_trace_acquire_returned\(mm, false, true\);\n)\tvma_end_write_all\(mm\);/$1/
rcu_leak_on_seq_retry|asan|mm/mmap_lock.c|lookup.locked_in_window_aborts|BUG: lock_vma_under_rcu() returned with RCU read lock held|s/(vma_refcount_put\(vma\);\n\t\tvma = NULL;\n\t\t)goto err;/${1}return NULL;/
reader_limit_broken|asan|mm/mmap_lock.c|lock_next_vma.reader_limit_eagain|c.err == row->err (0 != -11)|s/(__refcount_inc_not_zero_limited_acquire\(&vma->vm_refcnt, &oldcnt,\n\s*)VM_REFCNT_LIMIT\)/${1}INT_MAX)/
split_no_write_lock|asan|mm/vma.c|write_path.modify_name_split|the writer did not wait for the reader|s/\tvma_start_write\(vma\);\n(\tvma_start_write\(new\);)/$1/
merge_no_middle_lock|asan|mm/vma.c|write_path.mprotect_merge_into_next|!__is_vma_write_locked(vma)|s/(we will be adjusting middle. \*\/\n)\tvma_start_write\(middle\);/$1/
merge_no_next_lock|asan|mm/vma.c|write_path.mprotect_merge_into_next|read-locked VMA changed under the reader|s/\t\tvma_start_write\(next\);\n(\t\tvmg->target = next;)/$1/
merge_no_prev_lock|asan|mm/vma.c|write_path.mprotect_merge_into_prev|read-locked VMA changed under the reader|s/\t\tvma_start_write\(prev\);\n(\t\tvmg->target = prev;)/$1/
expand_no_write_lock|asan|mm/vma.c|write_path.brk_expand|the writer did not wait for the reader|s/(mmap_assert_write_locked\(vmg->mm\);\n)\tvma_start_write\(target\);/$1/
expand_no_next_lock|asan|mm/vma.c|explore.reader_vs_fill_hole|!__is_vma_write_locked(vma)|s/\t\tvma_start_write\(next\);\n(\t\tvmg->__remove_next = true;)/$1/
munmap_no_write_lock|asan|mm/vma.c|explore.reader_vs_writer|!__is_vma_write_locked(vma)|s/\t\tvma_start_write\(next\);\n(\t\tmas_set\(mas_detach, vms->vma_count\+\+\);)/$1/
flags_set_no_write_lock|asan|include/linux/mm.h|vm_flags.set_waits_for_reader|returned while a reader held the VMA|s/(void vm_flags_set\(struct vm_area_struct \*vma,\n\t+vm_flags_t flags\)\n\{\n)\tvma_start_write\(vma\);\n/$1/
flags_clear_no_write_lock|asan|include/linux/mm.h|vm_flags.clear_waits_for_reader|returned while a reader held the VMA|s/(void vm_flags_clear\(struct vm_area_struct \*vma,\n[^{]*\{\n(?:.*\n)??)\tvma_start_write\(vma\);\n/$1/
flags_mod_no_write_lock|asan|include/linux/mm.h|vm_flags.mod_waits_for_reader|returned while a reader held the VMA|s/(void vm_flags_mod\(struct vm_area_struct \*vma,\n[^{]*\{\n)\tvma_start_write\(vma\);\n/$1/
vma_init_no_lock_init|asan|include/linux/mm.h|vma_alloc.alloc_detached_unlocked|its lock was not initialised (vma_lock_init())|s/(INIT_LIST_HEAD\(&vma->anon_vma_chain\);\n)\tvma_lock_init\(vma, false\);\n/$1/
dup_no_lock_init|asan|mm/vma_init.c|vma_alloc.dup_recycled_detached_unlocked|its lock was not initialised (vma_lock_init())|s/\tvma_lock_init\(new, true\);\n//
refcount_no_acquire|kcsan|include/linux/refcount.h|explore.reader_vs_writer|BUG: KCSAN: data-race in __vma_start_write / vma_start_read|s/\} while \(!atomic_try_cmpxchg_acquire\(&r->refs, &old, old \+ i\)\);/} while (!atomic_try_cmpxchg_relaxed(&r->refs, &old, old + i));/
attach_no_release|kcsan|include/linux/mmap_lock.h|explore.reader_vs_replace|BUG: KCSAN: data-race in vma_init / vma_start_read|s/refcount_set_release\(&vma->vm_refcnt, 1\);/refcount_set(&vma->vm_refcnt, 1);/
refcount_put_no_release|kcsan|include/linux/refcount.h|explore.reader_vs_writer|BUG: KCSAN: data-race in __vma_start_write / vma_start_read|s/int old = atomic_fetch_sub_release\(i, &r->refs\);/int old = atomic_fetch_sub_relaxed(i, &r->refs);/
seqcount_read_no_acquire|kcsan|include/linux/seqlock.h|explore.reader_vs_split|a race in a seqcount read section that no read_seqcount_retry() validated|s/(static inline unsigned __seqprop_sequence\(const seqcount_t \*s\)\n\{\n\treturn )smp_load_acquire\(&s->sequence\);/${1}READ_ONCE(s->sequence);/
seqcount_end_no_wmb|kcsan|include/linux/seqlock.h|explore.reader_vs_split|a race in a seqcount read section that no read_seqcount_retry() validated|s/(static inline void do_raw_write_seqcount_end\(seqcount_t \*s\)\n\{\n)\tsmp_wmb\(\);\n/$1/
lock_seq_read_plain|kcsan|mm/mmap_lock.c|explore.reader_vs_writer|BUG: KCSAN: data-race in __vma_start_write / vma_start_read|s/if \(READ_ONCE\(vma->vm_lock_seq\) == READ_ONCE\(mm->mm_lock_seq.sequence\)\)/if (vma->vm_lock_seq == READ_ONCE(mm->mm_lock_seq.sequence))/
brk_new_no_write_lock|asan|mm/vma.c|write_path.brk_new_vma|!__is_vma_write_locked(vma)|s/(vma->vm_page_prot = vm_get_page_prot\(vma_flags_to_legacy\(vma_flags\)\);\n)\tvma_start_write\(vma\);\n/$1/
stack_grow_no_write_lock|asan|mm/vma.c|write_path.stack_grows_down|the writer did not wait for the reader|s/(int expand_downwards\(.*?)\tvma_start_write\(vma\);\n/$1/s
shrink_no_write_lock|asan|mm/vma.c|write_path.vma_shrink|the writer did not wait for the reader|s/(vma_iter_prealloc\(vmi, NULL\)\)\n\t\treturn -ENOMEM;\n\n)\tvma_start_write\(vma\);\n/$1/
link_no_write_lock|asan|mm/vma.c|write_path.insert_vm_struct|!__is_vma_write_locked(vma)|s/(return -ENOMEM;\n\n)\tvma_start_write\(vma\);\n(\tvma_iter_store_new\(&vmi, vma\);)/$1$2/
move_vma_no_write_lock|asan|mm/mremap.c|mremap.move_fixed|move_vma() must write-lock the VMA before copying it|s/(\/\* We don't want racing faults. \*\/\n)\tvma_start_write\(vrm->vma\);\n/$1/
take_all_no_write_lock|asan|mm/vma.c|write_path.take_all_locks|the writer did not wait for the reader|s/(goto out_unlock;\n)\t\tvma_start_write\(vma\);\n/$1/
mmap_new_no_write_lock|asan|mm/vma.c|write_path.mmap_new_vma|!__is_vma_write_locked(vma)|s/(modified after insertion into VMA tree \*\/\n)\tvma_start_write\(vma\);\n/$1/
split_no_new_lock|asan|mm/vma.c|write_path.modify_name_split|!__is_vma_write_locked(vma)|s/(\tvma_start_write\(vma\);\n)\tvma_start_write\(new\);\n/$1/
next_behind_off_by_one|asan|mm/mmap_lock.c|lock_next_vma.recycled_behind_falls_back|behind the search position|s/if \(unlikely\(from_addr >= vma->vm_end\)\)/if (unlikely(from_addr > vma->vm_end))/
use_after_end_read|asan|mm/mmap_lock.c|recycle.other_mm_freed_meanwhile|BUG: KASAN|s/\tvma_refcount_put\(vma\);\n\tmmdrop\(other_mm\);/\tvma_refcount_put(vma);\n\tmmdrop(vma->vm_mm);/
rcu_held_across_sleep|asan|mm/mmap_lock.c|lock_next_vma.locked_falls_back|BUG: sleeping function called from invalid context|s/fallback:\n\tvma = lock_next_vma_under_mmap_lock\(mm, vmi, from_addr\);\n\trcu_read_lock\(\);/fallback:\n\trcu_read_lock();\n\tvma = lock_next_vma_under_mmap_lock(mm, vmi, from_addr);/
walk_outside_rcu|asan|mm/mmap_lock.c|lookup.found|WARNING: suspicious RCU usage|s/retry:\n\trcu_read_lock\(\);\n\tvma = mas_walk\(&mas\);/retry:\n\tvma = mas_walk(&mas);\n\trcu_read_lock();/
gap_ignores_stack_guard|asan|mm/vma.c|gaps.guard_gap_forces_next_gap|reaches into the guard gap below the stack|s/if \(vm_start_gap\(tmp\) < gap \+ length - 1\) \{/if (0) {/
topdown_gap_ignores_stack_guard|asan|mm/vma.c|gaps.topdown_keeps_stack_guard_gap|reaches into the guard gap below the stack|s/if \(vm_start_gap\(tmp\) < gap_end\) \{/if (0) {/
reattach_forgets_attach|asan|mm/vma.c|enomem.munmap_end_split_fails_reattaches|after the failure: not attached (1) with no reader|s/(mas_for_each\(mas_detach, vma, ULONG_MAX\)\n)\t\tvma_mark_attached\(vma\);\n/$1\t\t(void)vma;\n/
stack_grows_into_guard_gap|asan|mm/vma.c|stack_guard.stops_at_guard_gap|expand_downwards() to page 2 returned 0, expected -12|s/\(address - prev->vm_end < stack_guard_gap\)\)/(0))/
file_link_no_i_mmap_lock|asan|mm/vma.c|file_map.map_private_new_vma|without the mapping's i_mmap_rwsem held for write|s/\t\ti_mmap_lock_write\(mapping\);\n(\t\t__vma_link_file\(vma, mapping\);\n)\t\tif \(!hold_rmap_lock\)\n\t\t\ti_mmap_unlock_write\(mapping\);\n/$1/
file_link_not_writable|asan|mm/vma.c|file_map.map_shared_prepare_new_vma|mapping->i_mmap_writable|s/(\{\n)\tif \(vma_is_shared_maywrite\(vma\)\)\n\t\tmapping_allow_writable\(mapping\);\n\n/$1/
copy_no_file_ref|asan|mm/vma.c|file_map.copy_new_vma|c->f->file.vh_count|s/\t\tif \(new_vma->vm_file\)\n\t\t\tget_file\(new_vma->vm_file\);\n//
prepare_no_anon_vma_lock|asan|mm/vma.c|file_map.protect_merge_shared_anon_vma|without the root anon_vma's rwsem held for write|s/\t\tanon_vma_(un)?lock_write\(vp->anon_vma\);\n//g
take_all_no_mapping_lock|asan|mm/vma.c|file_map.take_all_locks|without the file's i_mmap_rwsem held|s/(\t\tif \(vma->vm_file && vma->vm_file->f_mapping &&\n\t\t\t\t!is_vm_hugetlb_page\(vma\)\)\n)\t\t\tvm_lock_mapping\(mm, vma->vm_file->f_mapping\);/$1\t\t\t;/
file_expand_no_write_lock|asan|mm/vma.c|file_map.map_merges_adjacent_pgoff|the writer did not wait for the reader|s/(mmap_assert_write_locked\(vmg->mm\);\n)\tvma_start_write\(target\);/$1/
LIST
)

keep=0
force=""
matrix=0
seeds=1
while (($#)); do
	case $1 in
	-k) keep=1 ;;
	-m) [[ ${2:-} == asan || ${2:-} == kcsan ]] ||
		{ echo "mutants.sh: -m needs asan or kcsan" >&2; exit 2; }
		force=$2; shift ;;
	--matrix) matrix=1 ;;
	--seeds) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] ||
		{ echo "mutants.sh: --seeds needs a number" >&2; exit 2; }
		seeds=$2; shift ;;
	-h | --help) sed -n '3,37p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "mutants.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
	*) break ;;
	esac
	shift
done
want=" $* "
for n in "$@"; do
	grep -q "^$n|" <<<"$MUTANTS" ||
		{ echo "mutants.sh: no mutant named '$n'" >&2; exit 2; }
done

src=$(KDIR=${KDIR:-} "$repo/scripts/kdir.sh")
work=$(mktemp -d "${TMPDIR:-/tmp}/vma-mutants.XXXXXX")
((keep)) || trap 'rm -rf "$work"' EXIT
tree=$work/tree
"$repo/scripts/linkcopy.sh" "$src" "$tree"
# Build from a snapshot of the harness, so that it may be edited meanwhile.
mkdir -p "$work/src"
git -C "$repo" ls-files -co --exclude-standard -z |
	tar -C "$repo" --null -T - -cf - | tar -C "$work/src" -xf -
repo=$work/src

# make in MODE: build/vma (asan) or build-kcsan/vma-kcsan (kcsan).
build() {
	local mode=$1 flags=()

	[[ $mode == kcsan ]] && flags=(KCSAN=1)
	make -s -j"$(nproc)" -C "$repo" KDIR="$tree" O="$work/build-$mode" \
		PROG="$work/vma-$mode" "${flags[@]}"
}

# The unmodified tree, built once in each mode that is used, and run: the
# baseline every mutant is measured against.
declare -A built=()
base() {
	[[ -n ${built[$1]:-} ]] && return 0
	if ! build "$1" >"$work/base-$1.build" 2>&1; then
		echo "mutants: the unmodified tree does not build in mode $1, see $work/base-$1.build"
		exit 2
	fi
	if ! "$work/vma-$1" --seed 1 >"$work/base-$1.out" 2>&1; then
		echo "mutants: the unmodified tree fails in mode $1: $(failed_tests "$work/base-$1.out")"
		keep=1
		exit 2
	fi
	echo "baseline ($1): $(tail -n 1 "$work/base-$1.out")"
	built[$1]=1
}

# The tests a run failed, and the output (diagnostics) of those matching
# the glob $2: KTAP has "    # Subtest: TABLE", then "    [not ]ok N ROW"
# after each row's diagnostics.
failed_tests() {
	grep -o 'reproduce: ./vma -t [^ ]*' "$1" | awk '{print $4}' |
		sort -u | paste -sd' '
}
test_output() {
	local re

	re=$(sed -e 's/[.]/[.]/g' -e 's/[*]/.*/g' -e 's/?/./g' <<<"$2")
	awk -v want="^$re\$" '
		/^    # Subtest: / { suite = $3; buf = ""; next }
		/^    (not )?ok [0-9]+ / {
			n = $0; sub(/^    (not )?ok [0-9]+ /, "", n)
			sub(/ #.*/, "", n); n = suite "." n
			if (n ~ want) printf "%s", buf
			buf = ""; next
		}
		{ buf = buf $0 "\n" }' "$1"
}

# A fresh copy (a new mtime, so that make rebuilds what depends on it).
fresh() {
	rm -f "$tree/$1"
	cp "$src/$1" "$tree/$1"
}

# try NAME MODE TEST MSG: make && ./vma (seeds 1..$seeds) on the mutated
# tree; sets $verdict and $secs, and fails unless TEST failed with MSG in
# every run.
try() {
	local name=$1 mode=$2 test=$3 msg=$4 i failed=0 right=0 tests=""
	local t0=$EPOCHREALTIME out f hit o

	verdict=""
	if ! build "$mode" >"$work/$name-$mode.build" 2>&1; then
		verdict="INVALID: does not build (see $work/$name-$mode.build)"
		keep=1
	else
		for ((i = 1; i <= seeds; i++)); do
			out=$work/$name-$mode.$i.out
			"$work/vma-$mode" --seed "$i" >"$out" 2>&1 && continue
			failed=$((failed + 1))
			tests=$(failed_tests "$out")
			hit=0
			for f in $tests; do
				# shellcheck disable=SC2053 # $test is a glob
				[[ $f == $test ]] && hit=1
			done
			# (Not a pipe into grep -q: pipefail would see the
			# writer's SIGPIPE.)
			((hit)) && o=$(test_output "$out" "$test") &&
				grep -qF -- "$msg" <<<"$o" && right=$((right + 1))
		done
		if ((right == seeds)); then
			verdict="caught by $test: $msg"
			((seeds == 1)) || verdict+=" ($seeds/$seeds seeds)"
		elif ((failed == seeds)); then
			verdict="CAUGHT FOR ANOTHER REASON (not $test with '$msg'): ${tests:-?}"
		else
			verdict="SURVIVED (expected $test with '$msg')"
			((seeds == 1)) ||
				verdict+=" $((seeds - failed)) of $seeds seeds"
		fi
		[[ $test == "?" ]] && verdict+=" [no expected test named]"
	fi
	secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1f", b - a}')
	[[ $verdict == caught* ]]
}

survived=0 slowest=0 slowest_name=""
((matrix)) && printf '%-28s %-6s %-7s %-7s\n' mutant mode asan kcsan
while IFS='|' read -r name mode file test msg subst; do
	[[ -n $name ]] || continue
	[[ $want == "  " || $want == *" $name "* ]] || continue
	modes=("${force:-$mode}")
	((matrix)) && modes=(asan kcsan)
	for m in "${modes[@]}"; do
		base "$m"
	done
	fresh "$file"
	perl -0777 -pi -e "$subst" "$tree/$file"
	if cmp -s "$src/$file" "$tree/$file"; then
		echo "mutant $name: stale (substitution does not match $file)"
		survived=1
		fresh "$file"
		continue
	fi
	declare -A got=()
	for m in "${modes[@]}"; do
		if try "$name" "$m" "$test" "$msg"; then
			got[$m]=caught
		else
			got[$m]=-
			[[ $verdict == "CAUGHT FOR ANOTHER REASON"* ]] &&
				got[$m]=other
			[[ $m == "${force:-$mode}" ]] && survived=1
		fi
		((matrix)) && continue
		echo "mutant $name ($m): $verdict (make && ./vma: ${secs}s)"
		if awk -v a="$secs" -v b="$slowest" 'BEGIN{exit !(a > b)}'; then
			slowest=$secs slowest_name=$name
		fi
	done
	if ((matrix)); then
		printf '%-28s %-6s %-7s %-7s\n' "$name" "$mode" "${got[asan]}" \
			"${got[kcsan]}"
		[[ ${got[$mode]} == caught ]] || survived=1
	fi
	# Back to the unmodified tree, untimed.
	fresh "$file"
	for m in "${modes[@]}"; do
		build "$m" >>"$work/$name-$m.build" 2>&1 || true
	done
done <<<"$MUTANTS"
[[ -z $slowest_name ]] || echo "slowest verdict: $slowest_name, ${slowest}s"
((keep)) && echo "scratch tree and logs kept in $work"
exit $survived
