// SPDX-License-Identifier: GPL-2.0
/*
 * vma_start_read_locked(): under mmap_lock it cannot fail on a live VMA.
 */
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"

struct rl_row {
	const char *desc;
	const char *why;
	bool write;		/* hold mmap_lock for write instead of read */
	bool vma_locked;	/* the VMA is write-locked (by us) */
};

static const struct rl_row rl_rows[] = {
	{ .desc = "under_mmap_read_lock" },
	{ .desc = "under_mmap_write_lock", .write = true },
	{ .desc = "ignores_vma_write_lock", .write = true, .vma_locked = true },
};

static void rl_body(const struct rl_row *row)
{
	struct mm_struct *mm = vh_test_mm();
	struct vm_area_struct *vma;

	VH_ASSERT_EQ(vh_map_layout(mm, "AAAAAAAA"), 0);
	vma = vma_lookup(mm, VH_BASE);
	if (row->write)
		mmap_write_lock(mm);
	else
		mmap_read_lock(mm);
	if (row->vma_locked)
		vma_start_write(vma);
	/* Any warning fails the test. */
	VH_EXPECT_TRUE(vma_start_read_locked(vma));
	VH_EXPECT_EQ(refcount_read(&vma->vm_refcnt), 2);
	if (row->write)
		mmap_write_unlock(mm);
	else
		mmap_read_unlock(mm);
	/* The read lock outlives mmap_lock, as its callers use it. */
	vma_assert_locked(vma);
	VH_EXPECT_EQ(refcount_read(&vma->vm_refcnt), 2);
	vma_end_read(vma);
	VH_EXPECT_EQ(refcount_read(&vma->vm_refcnt), 1);
}

VH_TABLE(start_read_locked,
	 "include/linux/mmap_lock.h: vma_start_read_locked() under mmap_lock always takes a read reference (vm_refcnt + 1), whatever the VMA's write-lock state",
	 rl_rows, rl_body);
