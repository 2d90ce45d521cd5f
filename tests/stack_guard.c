// SPDX-License-Identifier: GPL-2.0
/*
 * The stack guard gap from the stack's side: expand_downwards(), a stack
 * growing on a fault below it, stops short of the guard gap above an
 * accessible VMA below it (-ENOMEM), never goes below mmap_min_addr
 * (-EPERM), and is only for VMAs that grow down (-EFAULT).  Pictures as in
 * gaps.c: a stack VMA is drawn with 'S'.
 */
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"
#include <errno.h>
#include <linux/sched.h>

struct sg_row {
	const char *desc;
	const char *why;
	const char *before;	/* the address space; 'S' grows down */
	const char *to;		/* '^': the page the stack grows to */
	bool below_min;		/* grow to below mmap_min_addr instead */
	bool grow_first;	/* grow the first VMA, not the stack */
	int ret;
	const char *after;
};

static const struct sg_row sg_rows[] = {
	{ .desc = "grows_into_free_space",
	  .before = "A-------SSSS",
	  .to     = "    ^       ",
	  .after  = "A---SSSSSSSS" },
	{ .desc = "stops_at_guard_gap", .ret = -ENOMEM,
	  .before = "A-------SSSS",
	  .to     = "  ^         ",
	  .after  = "A-------SSSS",
	  .why = "page 2 is within the 2-page guard gap above A" },
	{ .desc = "grows_to_guard_gap_edge",
	  .before = "A-------SSSS",
	  .to     = "   ^        ",
	  .after  = "A--SSSSSSSSS",
	  .why = "page 3 is exactly the guard gap away from A's end" },
	{ .desc = "below_mmap_min_addr", .ret = -EPERM, .below_min = true,
	  .before = "A-------SSSS",
	  .after  = "A-------SSSS" },
	{ .desc = "not_a_stack", .ret = -EFAULT, .grow_first = true,
	  .before = "--AA--------",
	  .to     = "^           ",
	  .after  = "--AA--------",
	  .why = "only a VM_GROWSDOWN VMA grows down" },
};

static void sg_body(const struct sg_row *row)
{
	struct mm_struct *mm = vh_test_mm();
	unsigned long addr = mmap_min_addr - PAGE_SIZE, start, end;
	struct vm_area_struct *vma;
	int ret;

	VH_ASSERT_EQ(vh_map_layout_stack(mm, row->before), 0);
	vh_test_stack_guard_gap(mm, VH_PG(2));
	if (!row->below_min)
		VH_ASSERT_TRUE(vh_layout_span(row->to, '^', &addr, &end));
	if (row->grow_first)
		start = VH_BASE;
	else
		VH_ASSERT_TRUE(vh_layout_span(row->before, 'S', &start, &end));

	mmap_write_lock(mm);
	vma = find_vma(mm, start);
	ret = vma ? expand_downwards(vma, addr) : -ENOENT;
	mmap_write_unlock(mm);

	if (ret != row->ret)
		VH_FAIL("expand_downwards() to page %ld returned %d, expected %d",
			(long)(addr - VH_BASE) / (long)PAGE_SIZE, ret,
			row->ret);
	VH_EXPECT_TRUE(vh_layout_is(mm, row->after));
	/* However it ended, the stack is attached and unheld. */
	if (vma)
		VH_EXPECT_EQ(refcount_read(&vma->vm_refcnt), 1);
}

VH_TABLE(stack_guard,
	 "mm/vma.c: expand_downwards() grows a stack down to the page asked, but not into the guard gap above an accessible VMA below it (-ENOMEM), not below mmap_min_addr (-EPERM), and only a VMA that grows down (-EFAULT)",
	 sg_rows, sg_body);
