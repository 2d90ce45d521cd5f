// SPDX-License-Identifier: GPL-2.0
/*
 * Where a new mapping goes: unmapped_area() and unmapped_area_topdown() of
 * mm/vma.c, the gap searches under get_unmapped_area(), on the real maple
 * tree.  Each finds the lowest (top-down: the highest) gap in
 * [low_limit, high_limit) that holds the length asked for, aligned to
 * align_mask at align_offset after start_gap, and never inside the guard
 * gap below a VMA that grows down (stack_guard_gap) -- a new VMA there
 * would stop the stack from growing.  None: -ENOMEM.
 *
 * The search runs under mmap_read_lock(), on current->mm, as in
 * mmap(): the maple tree's lockdep checks (shared/env/maple_debug.h) hold
 * it to that.  Pictures are one character a page from VH_BASE; a stack
 * VMA is drawn with 'S', the guard gap in these tests is 2 pages.
 *
 * The same guard gap from the other side: expand_downwards(), a stack
 * growing on a fault below it, stops short of the guard gap above an
 * accessible VMA below it (-ENOMEM), never goes below mmap_min_addr
 * (-EPERM), and is only for VMAs that grow down (-EFAULT).
 */
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"
#include <errno.h>
#include <string.h>
#include <linux/sched.h>

#define GP_GUARD	VH_PG(2)	/* stack_guard_gap in this table */

struct gp_row {
	const char *desc;
	const char *why;
	const char *layout;	/* the address space; 'S' grows down */
	bool topdown;		/* unmapped_area_topdown() */
	unsigned long pages;	/* the length asked for */
	const char *window;	/* '#': [low_limit, high_limit); NULL: all */
	unsigned long align;	/* pages (a power of two), 0: none */
	unsigned long align_offset;	/* pages */
	unsigned long start_gap;	/* pages */
	const char *found;	/* '*': the area returned; NULL: -ENOMEM */
};

static const struct gp_row gp_rows[] = {
	{ .desc = "lowest_gap_that_fits", .pages = 2,
	  .layout = "AA-BB---CC--",
	  .found  = "     **     ",
	  .why = "the first gap is one page short; the search takes the lowest gap that fits" },
	{ .desc = "topdown_highest_gap", .topdown = true, .pages = 2,
	  .layout = "AA-BB---CC--",
	  .found  = "          **" },
	{ .desc = "topdown_fits_below_limit", .topdown = true, .pages = 2,
	  .layout = "AA-BB---CC--",
	  .window = "#########   ",
	  .found  = "      **    ",
	  .why = "high_limit cuts the top gap off; the area ends at the highest address left" },
	{ .desc = "nothing_fits", .pages = 4,
	  .layout = "AA-BB---CC--",
	  .window = "############",
	  .found = NULL },
	{ .desc = "topdown_nothing_fits", .topdown = true, .pages = 4,
	  .layout = "AA-BB---CC--",
	  .window = "############",
	  .found = NULL },
	{ .desc = "window_low_limit", .pages = 1,
	  .layout = "AA-BB---CC--",
	  .window = "    ########",
	  .found  = "     *      " },
	{ .desc = "aligned", .pages = 2, .align = 4,
	  .layout = "A-----------",
	  .found  = "    **      ",
	  .why = "the area starts at the first 4-page boundary above the VMA" },
	{ .desc = "aligned_with_offset", .pages = 2, .align = 4,
	  .align_offset = 1,
	  .layout = "AA----------",
	  .found  = "     **     " },
	{ .desc = "start_gap", .pages = 2, .start_gap = 2,
	  .layout = "AA----------",
	  .found  = "    **      ",
	  .why = "start_gap pages are left free before the area" },
	{ .desc = "topdown_aligned", .topdown = true, .pages = 2, .align = 4,
	  .layout = "AA---------B",
	  .found  = "        **  " },
	{ .desc = "keeps_stack_guard_gap", .pages = 3,
	  .layout = "AA-----SSSS-",
	  .found  = "  ***       ",
	  .why = "the 2 pages below a stack are its guard gap: the area ends before them" },
	{ .desc = "guard_gap_forces_next_gap", .pages = 2,
	  .layout = "A---SS------",
	  .found  = "      **    ",
	  .why = "the gap below the stack holds 2 pages only inside its guard gap, so the search retries above the stack" },
	{ .desc = "topdown_keeps_stack_guard_gap", .topdown = true, .pages = 2,
	  .layout = "AA------SSSS",
	  .found  = "    **      ",
	  .why = "top-down, the area ends where the stack's guard gap begins" },
	{ .desc = "topdown_guard_gap_forces_lower_gap", .topdown = true,
	  .pages = 2,
	  .layout = "A--B---SSSSS",
	  .found  = " **         ",
	  .why = "the gap right below the stack is all guard gap but one page; top-down, the next gap below is taken" },
};

static void gp_restore_guard(void *old)
{
	stack_guard_gap = (unsigned long)old;
}

/*
 * The search works on current->mm (set as the helpers of shared/vma/ set
 * it); stack_guard_gap is GP_GUARD until the test ends.
 */
static void gp_setup(struct mm_struct *mm)
{
	vh_defer(gp_restore_guard, (void *)stack_guard_gap);
	stack_guard_gap = GP_GUARD;
	current->mm = mm;
}

/*
 * Map @layout; the VMA drawn 'S' is mapped as mmap(MAP_GROWSDOWN) maps a
 * stack, so that it is accounted as one.
 */
static int gp_map(struct mm_struct *mm, const char *layout)
{
	char rest[VH_LAYOUT_MAX + 1];
	unsigned long start, end;
	size_t i;
	int err;

	if (strlen(layout) > VH_LAYOUT_MAX)
		return -EINVAL;
	for (i = 0; layout[i]; i++)
		rest[i] = layout[i] == 'S' ? '-' : layout[i];
	rest[i] = 0;
	err = vh_map_layout(mm, rest);
	if (err || !vh_layout_span(layout, 'S', &start, &end))
		return err;
	mmap_write_lock(mm);
	err = vh_map(mm, start, end, VH_RW | VM_GROWSDOWN);
	mmap_write_unlock(mm);
	return err;
}

/* The area [@start, @end) must not reach into a stack's guard gap. */
static void gp_check_guard(struct mm_struct *mm, unsigned long start,
			   unsigned long end)
{
	struct vm_area_struct *vma;
	VMA_ITERATOR(vmi, mm, 0);

	mmap_read_lock(mm);
	for_each_vma(vmi, vma)
		if ((vma->vm_flags & VM_GROWSDOWN) && vma->vm_start >= end &&
		    vm_start_gap(vma) < end)
			VH_FAIL("the area found [page %lu, page %lu) reaches into the guard gap below the stack at page %lu",
				(start - VH_BASE) / PAGE_SIZE,
				(end - VH_BASE) / PAGE_SIZE,
				(vma->vm_start - VH_BASE) / PAGE_SIZE);
	mmap_read_unlock(mm);
}

static void gp_body(const struct gp_row *row)
{
	struct mm_struct *mm = vh_test_mm();
	size_t len = strlen(row->layout);
	struct vm_unmapped_area_info info = {
		.length = VH_PG(row->pages),
		.low_limit = VH_BASE,
		.high_limit = VH_BASE + VH_PG(len),
		/* As the kernel asks: PAGE_MASK & (alignment - 1). */
		.align_mask = row->align ? (VH_PG(row->align) - 1) & PAGE_MASK : 0,
		.align_offset = VH_PG(row->align_offset),
		.start_gap = VH_PG(row->start_gap),
	};
	unsigned long found, start, end;

	VH_ASSERT_EQ(gp_map(mm, row->layout), 0);
	if (row->window)
		VH_ASSERT_TRUE(vh_layout_span(row->window, '#', &info.low_limit,
					 &info.high_limit));

	gp_setup(mm);

	mmap_read_lock(mm);
	if (row->topdown)
		found = unmapped_area_topdown(&info);
	else
		found = unmapped_area(&info);
	mmap_read_unlock(mm);

	if (!row->found) {
		if (found != (unsigned long)-ENOMEM)
			VH_FAIL("found page %ld where nothing fits (expected -ENOMEM)",
				(long)(found - VH_BASE) / (long)PAGE_SIZE);
		return;
	}
	if (found != (unsigned long)-ENOMEM)
		gp_check_guard(mm, found, found + info.length);
	VH_ASSERT_TRUE(vh_layout_span(row->found, '*', &start, &end));
	if (found == (unsigned long)-ENOMEM) {
		VH_FAIL("-ENOMEM, expected the area at page %lu",
			(start - VH_BASE) / PAGE_SIZE);
		return;
	}
	if (found != start)
		VH_FAIL("the area found starts at page %ld, expected page %lu",
			(long)(found - VH_BASE) / (long)PAGE_SIZE,
			(start - VH_BASE) / PAGE_SIZE);
	VH_EXPECT_EQ(end - start, VH_PG(row->pages));
	/* Whatever it found must be free: no VMA in [found, found + length). */
	mmap_read_lock(mm);
	VH_EXPECT_TRUE(!find_vma_intersection(mm, found, found + info.length));
	mmap_read_unlock(mm);
}

VH_TABLE(gaps,
	 "unmapped_area() and unmapped_area_topdown() return the lowest (highest) free area in the window that fits the length, alignment and start gap, outside every stack's guard gap, or -ENOMEM",
	 gp_rows, gp_body);

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

	VH_ASSERT_EQ(gp_map(mm, row->before), 0);
	gp_setup(mm);
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
	 "expand_downwards() grows a stack down to the page asked, but not into the guard gap above an accessible VMA below it (-ENOMEM), not below mmap_min_addr (-EPERM), and only a VMA that grows down (-EFAULT)",
	 sg_rows, sg_body);
