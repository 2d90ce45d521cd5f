// SPDX-License-Identifier: GPL-2.0
/*
 * Explorer scenarios: the fault path's fallback, lock_mm_and_find_vma(),
 * growing a stack while another thread unmaps, replaces or maps over it.
 * lock_mm_and_find_vma() drops mmap_lock to take it for write before it
 * grows the stack; on every interleaving, what it returns must be the VMA
 * that the tree holds at the address while the faulting thread holds
 * mmap_lock for read, or NULL with mmap_lock released, and the VMA it found
 * before dropping the lock must never be grown.
 */
#include "../shared/kunit/test.h"
#include "../shared/explore/explore.h"
#include "../shared/vma/vma.h"
#include <linux/extable.h>

enum fm_writer {
	FM_WRITER_UNMAP,	/* munmap() of the stack */
	FM_WRITER_REPLACE,	/* munmap(), then a plain VMA where it was */
	FM_WRITER_MAP_OVER,	/* mmap(MAP_FIXED) of a plain VMA over the page */
};

/*
 * A character per page from VH_BASE: the stack is pages [4, 8)
 * (VM_GROWSDOWN), the fault is at page 2, the writer's range is '*'.
 */
struct fm_row {
	const char *desc;
	const char *why;
	enum fm_writer writer;
	const char *range;
};

#define FM_STACK_START	(VH_BASE + VH_PG(4))
#define FM_STACK_END	(VH_BASE + VH_PG(8))
#define FM_FAULT	(VH_BASE + VH_PG(2))

struct fm_ctx {
	const struct fm_row *row;
	struct mm_struct *mm;
	unsigned long start, end;
};

static void fm_writer(void *arg)
{
	struct fm_ctx *c = arg;

	mmap_write_lock(c->mm);
	current->mm = c->mm;
	if (c->row->writer != FM_WRITER_MAP_OVER)
		VH_CHECK_EQ(vh_unmap(c->mm, FM_STACK_START, FM_STACK_END), 0);
	if (c->row->writer != FM_WRITER_UNMAP)
		VH_CHECK_EQ(vh_map(c->mm, c->start, c->end, VH_RW), 0);
	mmap_write_unlock(c->mm);
}

/* Thread 0 faults at page 2; thread 1 is the writer. */
static void fm_main(void *arg)
{
	struct fm_ctx *c = arg;
	struct pt_regs regs = { 0 };
	struct vm_area_struct *vma, *now;
	struct vh_thread *w;

	current->mm = c->mm;
	w = vh_thread_start(fm_writer, c);
	vma = lock_mm_and_find_vma(c->mm, FM_FAULT, &regs);
	if (vma) {
		now = vma_lookup(c->mm, FM_FAULT);
		if (vma != now)
			vh_fail(__FILE__, __LINE__,
				"lock_mm_and_find_vma() returned %p [%#lx-%#lx), but the tree holds %p at %#lx: the VMA found before mmap_lock was dropped was used",
				vma, vma->vm_start, vma->vm_end, now, FM_FAULT);
		mmap_read_unlock(c->mm);
	}
	vh_thread_join(w);
}

static void fm_setup(void *ctx, const void *rowp)
{
	struct fm_ctx *c = ctx;

	c->row = rowp;
	c->mm = vh_mm_new();
	if (c->row->range)
		VH_CHECK(vh_layout_span(c->row->range, '*', &c->start,
					&c->end));
	mmap_write_lock(c->mm);
	VH_CHECK_EQ(vh_map(c->mm, FM_STACK_START, FM_STACK_END,
			   VH_RW | VM_GROWSDOWN), 0);
	mmap_write_unlock(c->mm);
}

static void fm_check(void *ctx)
{
	struct fm_ctx *c = ctx;

	VH_CHECK(!rwsem_is_locked(&c->mm->mmap_lock));
}

static void fm_teardown(void *ctx)
{
	struct fm_ctx *c = ctx;

	vh_mm_clear(c->mm);
	vh_mm_put(c->mm);
}

static const struct vh_explore_ops fm_ops = {
	.ctx_size = sizeof(struct fm_ctx),
	.setup = fm_setup,
	.main = fm_main,
	.check = fm_check,
	.teardown = fm_teardown,
};

static const struct fm_row fm_rows[] = {
	{ .desc = "stack_unmapped", .writer = FM_WRITER_UNMAP },
	{ .desc = "stack_replaced", .writer = FM_WRITER_REPLACE,
	  .range = "    ****" },
	{ .desc = "page_mapped_over", .writer = FM_WRITER_MAP_OVER,
	  .range = " ***    " },
};

VH_EXPLORE_TABLE(fault_vs_munmap,
		 "mm/mmap_lock.c, mm/vma.c: lock_mm_and_find_vma() returns the tree's VMA at the address under mmap_read_lock(), never the one it found before dropping the lock",
		 fm_rows, fm_ops);
