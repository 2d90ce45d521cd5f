/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The environment of mm/madvise.c's locking: what the functions that
 * scripts/build/units/madvise.names takes from the tree call and cannot
 * have from it (the unit is build/gen/kx/madvise.c).  How madvise()
 * locks (madvise_lock(), madvise_unlock(), try_vma_read_lock()) and
 * which VMAs it hands each behaviour is the tree's; so are
 * lock_vma_under_rcu() and vma_end_read() (mm/mmap_lock.c, mmap_lock.h),
 * userfaultfd_remove() (the userfaultfd unit), walk_page_range_vma() (the
 * pagewalk unit) and the VMA changes of mm/vma.c.
 *
 * Hand-written stand-ins, each a debt (README, "Hand-written"):
 *  - zap_vma_range_batched() (mm/memory.c), MADV_DONTNEED's zap: no page
 *    tables; it tells shared/env/madvise_ops.h the VMA and range it was
 *    handed and which locks the caller holds;
 *  - madvise_free_pte_range(), MADV_FREE's ->pmd_entry(): never called,
 *    since the page tables are empty (include/linux/pgalloc.h); BUG();
 *  - the behaviours that only work on pages, madvise_willneed(),
 *    madvise_cold(), madvise_pageout(), madvise_remove(),
 *    madvise_populate(), madvise_guard_install() and
 *    madvise_guard_remove(): not modelled, each WARNs and fails with
 *    -EINVAL (no table calls them);
 *  - the block plug (blk_start_plug()/blk_finish_plug()): no I/O;
 *  - tlb_start_vma()/tlb_end_vma() (asm-generic/tlb.h): no TLB;
 *  - arch_vma_access_permitted() (x86's pkeys): no protection keys, so
 *    true, as on a CPU without them.
 */
#ifndef _VH_ENV_MADVISE_H
#define _VH_ENV_MADVISE_H

#include "vma_internal.h"
#include <linux/pgalloc.h>
/* What mm.h's environment already has, for kextract's probe of this one. */
#ifdef VH_ENV_PROBE
#include "vma_env.h"
#endif

struct madvise_behavior;
struct mm_walk;

struct blk_plug {
	int vh_unused;
};
#define blk_start_plug(plug)	((void)(plug))
#define blk_finish_plug(plug)	((void)(plug))

/* No TLB (include/asm-generic/tlb.h): nothing to flush per VMA. */
#define tlb_start_vma(tlb, vma)	((void)(tlb), (void)(vma))
#define tlb_end_vma(tlb, vma)	((void)(tlb), (void)(vma))

/* No protection keys (arch/x86's pkeys): every access is permitted. */
static inline bool arch_vma_access_permitted(struct vm_area_struct *vma,
					     bool write, bool execute,
					     bool foreign)
{
	(void)vma; (void)write; (void)execute; (void)foreign;
	return true;
}

/* The page-level work (madvise_ops.h). */
static int madvise_free_pte_range(pmd_t *pmd, unsigned long addr,
				  unsigned long end, struct mm_walk *walk);
static long madvise_willneed(struct madvise_behavior *madv_behavior);
static long madvise_cold(struct madvise_behavior *madv_behavior);
static long madvise_pageout(struct madvise_behavior *madv_behavior);
static long madvise_remove(struct madvise_behavior *madv_behavior);
static long madvise_populate(struct madvise_behavior *madv_behavior);
static long madvise_guard_install(struct madvise_behavior *madv_behavior);
static long madvise_guard_remove(struct madvise_behavior *madv_behavior);

#endif /* _VH_ENV_MADVISE_H */
