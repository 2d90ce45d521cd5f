/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The end of the page walk unit (build/gen/kx/pagewalk.c): after the
 * functions taken from mm/pagewalk.c, the stand-in that
 * shared/env/pagewalk.h declares and the entry point of
 * shared/env/pagewalk_api.h.  Only this unit includes it.
 */
#ifndef _VH_ENV_PAGEWALK_OPS_H
#define _VH_ENV_PAGEWALK_OPS_H

#include "pagewalk_api.h"

/* The top level is always empty (include/linux/pgalloc.h): never here. */
static int walk_p4d_range(pgd_t *pgd, unsigned long addr, unsigned long end,
			  struct mm_walk *walk)
{
	(void)pgd; (void)addr; (void)end; (void)walk;
	BUG();
	return 0;
}

static int vh_walk_pre_vma(unsigned long start, unsigned long end,
			   struct mm_walk *walk)
{
	const struct vh_walk_cb *cb = walk->private;

	if (cb && cb->visit)
		cb->visit(cb->arg, walk->vma, start, end);
	return 0;
}

static int vh_walk_hole(unsigned long start, unsigned long end, int depth,
			struct mm_walk *walk)
{
	const struct vh_walk_cb *cb = walk->private;

	if (cb && cb->hole)
		cb->hole(cb->arg, start, end, depth);
	return 0;
}

int vh_walk(enum vh_walk_entry entry, struct mm_struct *mm,
	    struct vm_area_struct *vma, unsigned long start,
	    unsigned long end, enum vh_walk_lock lock,
	    const struct vh_walk_cb *cb)
{
	static const enum page_walk_lock locks[] = {
		[VH_PGWALK_RDLOCK] = PGWALK_RDLOCK,
		[VH_PGWALK_WRLOCK] = PGWALK_WRLOCK,
		[VH_PGWALK_WRLOCK_VERIFY] = PGWALK_WRLOCK_VERIFY,
		[VH_PGWALK_VMA_RDLOCK_VERIFY] = PGWALK_VMA_RDLOCK_VERIFY,
	};
	const struct mm_walk_ops ops = {
		.pre_vma = vh_walk_pre_vma,
		.pte_hole = vh_walk_hole,
		.walk_lock = locks[lock],
	};
	void *private = (void *)cb;

	switch (entry) {
	case VH_WALK_RANGE:
		return walk_page_range(mm, start, end, &ops, private);
	case VH_WALK_RANGE_VMA:
		return walk_page_range_vma(vma, start, end, &ops, private);
	case VH_WALK_VMA:
		return walk_page_vma(vma, &ops, private);
	}
	return -EINVAL;
}

#endif /* _VH_ENV_PAGEWALK_OPS_H */
