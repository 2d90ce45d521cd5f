/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The environment of binder's VMA users: what drivers/android/binder_alloc.c's
 * binder_page_insert() and binder_alloc_free_page() call and cannot have
 * from the tree (the unit is build/gen/kx/binder_alloc.c, made of the
 * functions scripts/build/units/binder_alloc.names takes by name).  The
 * lookup and the locks are the tree's: lock_vma_under_rcu()
 * (mm/mmap_lock.c), vma_end_read(), mmap_read_lock()/_trylock() and
 * vma_lookup() (mmap_lock.h, mm.h).
 *
 * Hand-written stand-ins, each a debt (README, "Hand-written"):
 *  - vm_insert_page() and zap_vma_range() (mm/memory.c) keep their own
 *    checks that need no page tables (the address in the VMA, -EFAULT),
 *    assert what the kernel's callees assert of the caller, that the VMA
 *    is stable (vma_assert_stabilised(): its read lock or mmap_lock), and
 *    record the call for the test; there are no page tables to change;
 *  - __free_page() frees a page the test allocated, and counts it;
 *  - list_lru_isolate() (mm/list_lru.c) unlinks the item, as the kernel's;
 *  - binder's tracepoints do nothing (binder_trace.h);
 *  - mmput_async() (kernel/fork.c) drops mm_users, which must stay
 *    positive unless the test made it the last reference.
 */
#ifndef _VH_ENV_BINDER_ALLOC_H
#define _VH_ENV_BINDER_ALLOC_H

#include "vma_internal.h"
#include <linux/list.h>
#include <linux/rbtree.h>

#define EXPORT_SYMBOL_IF_KUNIT(sym)

struct list_lru;

/* What the stand-ins saw, for the test (binder_alloc_ops.h reads it). */
struct vh_binder_calls {
	int inserts, zaps, freed;
	struct vm_area_struct *vma;	/* the last insert's or zap's */
	unsigned long addr;
};

static struct vh_binder_calls vh_binder_calls;

static inline int vm_insert_page(struct vm_area_struct *vma,
				 unsigned long addr, struct page *page)
{
	(void)page;
	if (addr < vma->vm_start || addr >= vma->vm_end)
		return -EFAULT;
	vma_assert_stabilised(vma);
	vh_binder_calls.inserts++;
	vh_binder_calls.vma = vma;
	vh_binder_calls.addr = addr;
	return 0;
}

static inline void zap_vma_range(struct vm_area_struct *vma,
				 unsigned long address, unsigned long size)
{
	WARN_ON_ONCE(address < vma->vm_start ||
		     address + size > vma->vm_end);
	vma_assert_stabilised(vma);
	vh_binder_calls.zaps++;
	vh_binder_calls.vma = vma;
	vh_binder_calls.addr = address;
}

static inline void __free_page(struct page *page)
{
	vh_binder_calls.freed++;
	kfree(page);
}

/* A macro: struct list_lru_one is the tree's, taken after this file. */
#define list_lru_isolate(list, item)	do {			\
		list_del_init(item);				\
		(list)->nr_items--;				\
	} while (0)

#define trace_binder_unmap_kernel_start(alloc, index)	do { } while (0)
#define trace_binder_unmap_kernel_end(alloc, index)	do { } while (0)
#define trace_binder_unmap_user_start(alloc, index)	do { } while (0)
#define trace_binder_unmap_user_end(alloc, index)	do { } while (0)

/* kernel/fork.c: the test owns the address space, so never the last. */
static inline void mmput_async(struct mm_struct *mm)
{
	WARN_ON_ONCE(atomic_dec_return(&mm->mm_users) < 0);
}

#endif /* _VH_ENV_BINDER_ALLOC_H */
