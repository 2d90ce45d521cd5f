/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page walks for the tests: the tree's own mm/pagewalk.c entry points
 * (walk_page_range(), walk_page_range_vma(), walk_page_vma()), with the
 * VMA loop and the locking of each walk_lock mode as the tree has them.
 * Below the VMA there are no page tables (shared/env/pagewalk.h): each
 * range walked is a hole at the top level.  A test sees the walk through
 * callbacks: each VMA as the walk enters it (the tree's ->pre_vma()) and
 * each hole (->pte_hole()).  The unit is build/gen/kx/pagewalk.c
 * (scripts/build/units/pagewalk.names).
 */
#ifndef _VH_ENV_PAGEWALK_API_H
#define _VH_ENV_PAGEWALK_API_H

struct mm_struct;
struct vm_area_struct;

/* Which entry point of mm/pagewalk.c. */
enum vh_walk_entry {
	VH_WALK_RANGE,		/* walk_page_range(mm, start, end) */
	VH_WALK_RANGE_VMA,	/* walk_page_range_vma(vma, start, end) */
	VH_WALK_VMA,		/* walk_page_vma(vma) */
};

/* The walk's ->walk_lock: enum page_walk_lock of include/linux/pagewalk.h. */
enum vh_walk_lock {
	VH_PGWALK_RDLOCK,
	VH_PGWALK_WRLOCK,
	VH_PGWALK_WRLOCK_VERIFY,
	VH_PGWALK_VMA_RDLOCK_VERIFY,
};

/**
 * struct vh_walk_cb - what a test sees of a walk
 * @visit:	called as the walk enters @vma for [@start, @end) (pre_vma)
 * @hole:	called for each hole, @depth as ->pte_hole() has it (-1 for
 *		a range outside any VMA, 0 for an empty top level)
 * @arg:	their first argument
 */
struct vh_walk_cb {
	void (*visit)(void *arg, struct vm_area_struct *vma,
		      unsigned long start, unsigned long end);
	void (*hole)(void *arg, unsigned long start, unsigned long end,
		     int depth);
	void *arg;
};

/**
 * vh_walk() - a page walk through one of mm/pagewalk.c's entry points
 * @entry:	which one
 * @mm:		the address space (VH_WALK_RANGE)
 * @vma:	the VMA (VH_WALK_RANGE_VMA, VH_WALK_VMA)
 * @start:	the range (not VH_WALK_VMA)
 * @end:	its end
 * @lock:	the walk's ->walk_lock
 * @cb:		the callbacks, or NULL
 *
 * Return: what the entry point returns (0, or -EINVAL).
 */
int vh_walk(enum vh_walk_entry entry, struct mm_struct *mm,
	    struct vm_area_struct *vma, unsigned long start,
	    unsigned long end, enum vh_walk_lock lock,
	    const struct vh_walk_cb *cb);

#endif /* _VH_ENV_PAGEWALK_API_H */
