/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows mm/vma_internal.h (same include guard, so the kernel's one, which
 * mm/vma.c includes by a quoted path, is empty once this has been seen).
 *
 * Order: the harness's stubs of kernel headers, the real kernel headers
 * (mm_types.h, mmap_lock.h, ...), then linux/mm.h: the harness's stubs of
 * what the kernel defines out of line, then the definitions extracted at
 * build time from the tree's headers (build/gen/vma_env.h).
 */
#ifndef __MM_VMA_INTERNAL_H
#define __MM_VMA_INTERNAL_H

/*
 * mm/internal.h, which mm/mmap.c includes by a quoted path, is shadowed
 * the same way: what the code under test uses of it is extracted into
 * build/gen/vma_env.h (scripts/build/env.names), and mm/vma.h, which it
 * includes, is included whole by the Makefile for the files that need it.
 */
#define __MM_INTERNAL_H

#include <stdlib.h>
#include <linux/gfp.h>
#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/args.h>
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/list.h>
#include <linux/maple_tree.h>
#include <linux/rbtree.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/mm.h>
#include <linux/export.h>
#include <linux/rcuwait.h>
#include <linux/vmstat.h>
#include <linux/mm_types.h>
#include <linux/mmap_lock.h>
#include <linux/rmap.h>
#include <linux/fs.h>

/* Last: tools/'s pfn.h includes linux/mm.h. */
#include <linux/pfn.h>
#include <linux/mm.h>

/*
 * Every vma_start_write() call of the code under test notes its file and
 * line first (which call sites each test reaches: shared/vma/sites.c).
 */
void vh_write_site(const char *file, int line);
#define vma_start_write(vma) ({						\
	vh_write_site(__FILE__, __LINE__);				\
	vma_start_write(vma);						\
})

#endif /* __MM_VMA_INTERNAL_H */
