// SPDX-License-Identifier: GPL-2.0
/*
 * A VMA's start: vm_area_alloc() (mm/vma_init.c, with the tree's vma_init()
 * from include/linux/mm.h) and vm_area_dup().  Either gives a detached VMA
 * whose lock is initialised by vma_lock_init(): no reader reference, and a
 * vm_lock_seq of UINT_MAX, which no mmap write section has until the
 * sequence wraps.  The slab cache is SLAB_TYPESAFE_BY_RCU and hands a freed
 * VMA out again at once, so a VMA freed while write-locked in the current
 * section comes back with that section's sequence unless it is reset.
 */
#include <limits.h>
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"

enum va_how {
	VA_HOW_ALLOC,		/* vm_area_alloc() */
	VA_HOW_ALLOC_RECYCLED,	/* ... of a VMA just freed, write-locked */
	VA_HOW_DUP_RECYCLED,	/* vm_area_dup() of the fixture's VMA, ditto */
};

struct va_row {
	const char *desc;
	const char *why;
	enum va_how how;
};

static const struct va_row va_rows[] = {
	{ .desc = "alloc_detached_unlocked", .how = VA_HOW_ALLOC },
	{ .desc = "alloc_recycled_detached_unlocked",
	  .how = VA_HOW_ALLOC_RECYCLED,
	  .why = "the recycled object held this section's vm_lock_seq: vma_lock_init() must reset it" },
	{ .desc = "dup_recycled_detached_unlocked",
	  .how = VA_HOW_DUP_RECYCLED,
	  .why = "vm_area_dup() copies the VMA, but not its lock state" },
};

/* On the heap: va_unwind() releases what the body still holds. */
struct va_ctx {
	struct mm_struct *mm;
	bool locked;			/* mmap_lock, for write */
	struct vm_area_struct *old;	/* allocated, not yet freed */
	struct vm_area_struct *vma;	/* the new VMA */
};

static void va_unwind(void *arg)
{
	struct va_ctx *c = arg;

	if (c->old)
		vm_area_free(c->old);
	if (c->vma)
		vm_area_free(c->vma);
	if (c->locked)
		mmap_write_unlock(c->mm);
}

static void va_body(const struct va_row *row)
{
	struct va_ctx *c = vh_test_alloc(sizeof(*c));
	struct vm_area_struct *vma, *old = NULL, *mapped;
	struct mm_struct *mm;

	c->mm = mm = vh_test_mm();
	VH_ASSERT_EQ(vh_map_layout(mm, "AAAAAAAA"), 0);
	mapped = vma_lookup(mm, VH_BASE);
	VH_ASSERT_TRUE(mapped);
	vh_defer(va_unwind, c);
	mmap_write_lock(mm);
	c->locked = true;
	if (row->how != VA_HOW_ALLOC) {
		/* Write-locked in this section, then freed. */
		old = c->old = vm_area_alloc(mm);
		VH_ASSERT_TRUE(old);
		vma_start_write(old);
		VH_ASSERT_TRUE(__is_vma_write_locked(old));
		vm_area_free(old);
		c->old = NULL;
	}
	if (row->how == VA_HOW_DUP_RECYCLED) {
		vma_start_write(mapped);
		vma = c->vma = vm_area_dup(mapped);
	} else {
		vma = c->vma = vm_area_alloc(mm);
	}
	VH_ASSERT_TRUE(vma);
	if (old && vma != old)
		vh_diag("the slab did not recycle the VMA at once");

	VH_EXPECT_TRUE(vma->vm_mm == mm);
	VH_EXPECT_EQ(refcount_read(&vma->vm_refcnt), 0);
	/* Any warning fails the test. */
	vma_assert_detached(vma);
	if (vma->vm_lock_seq != UINT_MAX)
		VH_FAIL("vm_lock_seq of a new VMA is %u, not UINT_MAX: its lock was not initialised (vma_lock_init())",
			vma->vm_lock_seq);
	if (__is_vma_write_locked(vma))
		VH_FAIL("a new VMA is write-locked in a section it never took the lock in (stale vm_lock_seq %u)",
			vma->vm_lock_seq);
}

VH_TABLE(vma_alloc,
	 "mm/vma_init.c, include/linux/mmap_lock.h: a new VMA (vm_area_alloc(), vm_area_dup()) is detached and its lock initialised by vma_lock_init(): not write-locked, whatever the slab object held before",
	 va_rows, va_body);
