// SPDX-License-Identifier: GPL-2.0
/*
 * What the kernel code under test calls back into that belongs to no stub
 * header: globals of files we do not compile, mmdrop's __mmdrop(), the
 * dump_vma()/dump_mm() that VM_WARN_*_VMA() print, the TLB gather of
 * mm_types.h.  The environment's start-up and shut-down are in init.c,
 * the address spaces alive and the race reports' field names in
 * describe.c.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <asm-generic/resource.h>	/* RLIMIT_*, RLIM_NLIMITS */
#include "kcsan.h"
#include "env.h"
#include "report.h"
#include "lockdep.h"

/*
 * Globals of kernel files we do not compile (mm/util.c, mm/mmap.c,
 * mm/init-mm.c), at their boot-time values.
 */
int sysctl_max_map_count = DEFAULT_MAX_MAP_COUNT;
const struct vm_operations_struct vma_dummy_vm_ops;
/* security/min_addr.c, with Debian's CONFIG_DEFAULT_MMAP_MIN_ADDR. */
unsigned long mmap_min_addr = 65536;
unsigned long dac_mmap_min_addr = 65536;

/*
 * The harness's resource limits: one set, as the threads of one process
 * share theirs (signal->rlim); RLIM_INFINITY unless vh_set_rlimit() set
 * one.  The hard limit is always infinite.
 */
static unsigned long vh_rlim_cur[RLIM_NLIMITS] = {
	[0 ... RLIM_NLIMITS - 1] = RLIM_INFINITY,
};

void vh_set_rlimit(unsigned int limit, unsigned long cur)
{
	if (limit < RLIM_NLIMITS)
		WRITE_ONCE(vh_rlim_cur[limit], cur);
}

unsigned long rlimit(unsigned int limit)
{
	return limit < RLIM_NLIMITS ? READ_ONCE(vh_rlim_cur[limit]) :
				      RLIM_INFINITY;
}

unsigned long rlimit_max(unsigned int limit __always_unused)
{
	return RLIM_INFINITY;
}

void __mmdrop(struct mm_struct *mm)
{
	WARN_ON(!mtree_empty(&mm->mm_mt));
	/* As exit_mmap(): the tree's lock is mmap_lock (not its spinlock). */
	mmap_write_lock(mm);
	__mt_destroy(&mm->mm_mt);
	mmap_write_unlock(mm);
	vh_mm_untrack(mm);
	free(mm);
}

void dump_vma(const struct vm_area_struct *vma)
{
	vh_diag("vma %p [%#lx-%#lx) mm %p refcnt %u lock_seq %u", vma,
		vma->vm_start, vma->vm_end, vma->vm_mm,
		refcount_read(&vma->vm_refcnt), vma->vm_lock_seq);
}

/*
 * vma_assert_write_locked() is VM_WARN_ON_ONCE_VMA(!__is_vma_write_locked()).
 * The upstream suite never takes mmap_lock, hence never holds a VMA write
 * lock in the real sense either (its helpers reset vm_lock_seq to track
 * vma_start_write() calls); in its relaxed runs that one assertion is counted
 * as a lock-held assertion.  Every other warning fails the test.
 */
void vh_vm_warn_vma(const char *cond, const struct vm_area_struct *vma,
		    const char *file, int line)
{
	if (vh_relaxed_lock_asserts &&
	    !strcmp(cond, "!__is_vma_write_locked(vma)")) {
		vh_relaxed_lock_assert_count++;
		return;
	}
	vh_report("WARN", file, line, "%s", cond);
	if (vh_verbose || !vh_warn_expected())
		dump_vma(vma);
}

void dump_mm(const struct mm_struct *mm)
{
	vh_diag("mm %p map_count %d mm_lock_seq %u", mm, mm->map_count,
		mm->mm_lock_seq.sequence);
}

#ifdef CONFIG_DEBUG_VM_MAPLE_TREE
/*
 * mm/debug.c's, which we do not compile: a stand-in (a debt), as it dumps
 * with CONFIG_DEBUG_VM_MAPLE_TREE.
 */
void vma_iter_dump_tree(const struct vma_iterator *vmi)
{
	mas_dump(&vmi->mas);
	mt_dump(vmi->mas.tree, mt_dump_hex);
}
#endif

/* mm_types.h declares these out of line; there is no TLB to flush here. */
void tlb_gather_mmu(struct mmu_gather *tlb __always_unused,
		    struct mm_struct *mm __always_unused)
{
}

void tlb_finish_mmu(struct mmu_gather *tlb __always_unused)
{
}

void tlb_gather_mmu_fullmm(struct mmu_gather *tlb __always_unused,
			   struct mm_struct *mm __always_unused)
{
}
