/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The environment of mm/pagewalk.c's VMA loop and its locking: what the
 * functions that scripts/build/units/pagewalk.names takes from the tree
 * call and cannot have from it (the unit is build/gen/kx/pagewalk.c).
 * How the walk finds VMAs and locks them is the tree's (find_vma() from
 * mm/mmap.c, vma_start_write() and the assertions from mmap_lock.h).
 *
 * Hand-written stand-ins, each a debt (README, "Hand-written"):
 *  - walk_p4d_range(): the page tables below the top level.  The top
 *    level is always empty (include/linux/pgalloc.h), so the tree's
 *    walk_pgd_range() reports each range as a hole at depth 0 and never
 *    calls it; it BUG()s if it is reached;
 *  - PGDIR_SHIFT, PTRS_PER_PGD (arch/x86's pgdir_shift, set at boot):
 *    4-level paging's, as include/linux/mm_types_deps.h's other sizes;
 *  - __p4d_alloc(): what an install_pte walk would allocate; the tests'
 *    walks install nothing (check_ops_safe() refuses them), -ENOMEM.
 */
#ifndef _VH_ENV_PAGEWALK_H
#define _VH_ENV_PAGEWALK_H

#include "vma_internal.h"
#include <linux/pgalloc.h>
/* What mm.h's environment already has, for kextract's probe of this one. */
#ifdef VH_ENV_PROBE
#include "vma_env.h"
#endif

struct mm_walk;

/* x86-64 with 4-level paging: pgdir_shift's value (no 5-level, no LA57). */
#define PGDIR_SHIFT	39
#define PTRS_PER_PGD	512

/* Below the top level (pagewalk_ops.h). */
static int walk_p4d_range(pgd_t *pgd, unsigned long addr, unsigned long end,
			  struct mm_walk *walk);
static inline int __p4d_alloc(struct mm_struct *mm, pgd_t *pgd,
			      unsigned long address)
{
	(void)mm; (void)pgd; (void)address;
	return -ENOMEM;
}

#endif /* _VH_ENV_PAGEWALK_H */
