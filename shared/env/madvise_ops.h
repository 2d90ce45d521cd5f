/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The end of the madvise unit (build/gen/kx/madvise.c): after the
 * functions taken from mm/madvise.c, the stand-ins that
 * shared/env/madvise.h declares (each says what it stands for) and the
 * entry points of shared/env/madvise_api.h.  Only this unit includes it.
 */
#ifndef _VH_ENV_MADVISE_OPS_H
#define _VH_ENV_MADVISE_OPS_H

#include "madvise_api.h"

static void (*vh_madv_hook)(void *arg, const struct vh_madv_zap *zap);
static void *vh_madv_hook_arg;

void vh_madv_set_hook(void (*fn)(void *arg, const struct vh_madv_zap *zap),
		      void *arg)
{
	vh_madv_hook = fn;
	vh_madv_hook_arg = arg;
}

/* mm/memory.c: no page tables to zap; the test hears what it was handed. */
void zap_vma_range_batched(struct mmu_gather *tlb,
			   struct vm_area_struct *vma, unsigned long addr,
			   unsigned long size, struct zap_details *details)
{
	struct vh_madv_zap zap = {
		.vma = vma, .start = addr, .end = addr + size,
		.vma_locked = refcount_read(&vma->vm_refcnt) > 1 &&
			(!IS_ENABLED(CONFIG_LOCKDEP) ||
			 lock_is_held(&vma->vmlock_dep_map)),
		.mmap_locked = rwsem_is_locked(&vma->vm_mm->mmap_lock),
	};

	(void)tlb;
	(void)details;
	if (vh_madv_hook)
		vh_madv_hook(vh_madv_hook_arg, &zap);
}

/* MADV_FREE's ->pmd_entry(): the top level is empty, never reached. */
static int madvise_free_pte_range(pmd_t *pmd, unsigned long addr,
				  unsigned long end, struct mm_walk *walk)
{
	(void)pmd; (void)addr; (void)end; (void)walk;
	BUG();
	return 0;
}

/* Behaviours that only work on pages: not modelled (no table calls them). */
static long vh_madv_unmodelled(const char *fn)
{
	WARN(1, "%s() is not modelled", fn);
	return -EINVAL;
}

static long madvise_willneed(struct madvise_behavior *madv_behavior)
{
	(void)madv_behavior;
	return vh_madv_unmodelled(__func__);
}

static long madvise_cold(struct madvise_behavior *madv_behavior)
{
	(void)madv_behavior;
	return vh_madv_unmodelled(__func__);
}

static long madvise_pageout(struct madvise_behavior *madv_behavior)
{
	(void)madv_behavior;
	return vh_madv_unmodelled(__func__);
}

static long madvise_remove(struct madvise_behavior *madv_behavior)
{
	(void)madv_behavior;
	return vh_madv_unmodelled(__func__);
}

static long madvise_populate(struct madvise_behavior *madv_behavior)
{
	(void)madv_behavior;
	return vh_madv_unmodelled(__func__);
}

static long madvise_guard_install(struct madvise_behavior *madv_behavior)
{
	(void)madv_behavior;
	return vh_madv_unmodelled(__func__);
}

static long madvise_guard_remove(struct madvise_behavior *madv_behavior)
{
	(void)madv_behavior;
	return vh_madv_unmodelled(__func__);
}

int vh_madvise(struct mm_struct *mm, unsigned long start, size_t len,
	       enum vh_madv behavior)
{
	static const int behaviors[] = {
		[VH_MADV_DONTNEED] = MADV_DONTNEED,
		[VH_MADV_DONTNEED_LOCKED] = MADV_DONTNEED_LOCKED,
		[VH_MADV_FREE] = MADV_FREE,
		[VH_MADV_DONTDUMP] = MADV_DONTDUMP,
	};

	return do_madvise(mm, start, len, behaviors[behavior]);
}

#endif /* _VH_ENV_MADVISE_OPS_H */
