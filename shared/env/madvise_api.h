/* SPDX-License-Identifier: GPL-2.0 */
/*
 * madvise() for the tests: the tree's own do_madvise() from mm/madvise.c,
 * with its lock modes (madvise_lock(), madvise_unlock()) and the per-VMA
 * lock path of madvise_walk_vmas() (try_vma_read_lock()).  Below the VMA
 * there is nothing (shared/env/madvise.h): where MADV_DONTNEED would zap
 * the page tables, a hook tells the test which VMA and range it was
 * handed and which locks its caller held.  The unit is
 * build/gen/kx/madvise.c (scripts/build/units/madvise.names).
 */
#ifndef _VH_ENV_MADVISE_API_H
#define _VH_ENV_MADVISE_API_H

#include <stdbool.h>
#include <stddef.h>

struct mm_struct;
struct vm_area_struct;

/* The behaviours the tables use (MADV_* of the tree's uapi). */
enum vh_madv {
	VH_MADV_DONTNEED,
	VH_MADV_DONTNEED_LOCKED,
	VH_MADV_FREE,
	VH_MADV_DONTDUMP,
};

/**
 * struct vh_madv_zap - what zap_vma_range_batched() was handed
 * @vma:	the VMA
 * @start:	the first address zapped
 * @end:	the address after the last
 * @vma_locked:	@vma was read-locked (vm_refcnt, and lockdep's record
 *		of this task where lockdep is on)
 * @mmap_locked: mmap_lock was held
 */
struct vh_madv_zap {
	struct vm_area_struct *vma;
	unsigned long start, end;
	bool vma_locked, mmap_locked;
};

/**
 * vh_madv_set_hook() - set the hook called for each zap, or NULL
 * @fn:		the hook
 * @arg:	its first argument
 */
void vh_madv_set_hook(void (*fn)(void *arg, const struct vh_madv_zap *zap),
		      void *arg);

/**
 * vh_madvise() - do_madvise() on @mm
 * @mm:		the address space (the per-VMA path needs current->mm == @mm)
 * @start:	the first address
 * @len:	the length
 * @behavior:	which behaviour
 *
 * Return: what do_madvise() returns.
 */
int vh_madvise(struct mm_struct *mm, unsigned long start, size_t len,
	       enum vh_madv behavior);

#endif /* _VH_ENV_MADVISE_API_H */
