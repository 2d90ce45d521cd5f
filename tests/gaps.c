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

	VH_ASSERT_EQ(vh_map_layout_stack(mm, row->layout), 0);
	if (row->window)
		VH_ASSERT_TRUE(vh_layout_span(row->window, '#', &info.low_limit,
					 &info.high_limit));

	vh_test_stack_guard_gap(mm, GP_GUARD);

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
	 "mm/vma.c: unmapped_area() and unmapped_area_topdown() return the lowest (highest) free area in the window that fits the length, alignment and start gap, outside every stack's guard gap, or -ENOMEM",
	 gp_rows, gp_body);
