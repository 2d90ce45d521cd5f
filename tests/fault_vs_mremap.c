// SPDX-License-Identifier: GPL-2.0
/*
 * Explorer scenarios: mremap() while a thread faults on the VMA it
 * remaps (d6ac235de4ba "mm/mremap: write-lock VMA while remapping it to a
 * new address range").  One thread faults at page 1 through the tree's
 * x86 driver (vh_fault()), the other calls the tree's sys_mremap()
 * (mm/mremap.c), which takes mmap_lock for write and write-locks the VMA
 * before it copies it (copy_vma()) and moves its page tables.  On every
 * interleaving a fault under the VMA lock runs before the move began or
 * after it ended: while it holds the VMA, the VMA does not change and no
 * copy of it exists at the destination yet.  A fault on a range that
 * stays mapped always completes; one on a range mremap() unmaps may end
 * in SIGSEGV, once the range is gone.
 */
#include "../shared/kunit/test.h"
#include "../shared/explore/explore.h"
#include "../shared/env/fault_api.h"
#include "../shared/vma/vma.h"

/* A character per page from VH_BASE; the fault is at page 1. */
#define FR_FAULT	(VH_BASE + VH_PG(1))

struct fr_row {
	const char *desc;
	const char *why;
	const char *before;
	unsigned long old_len, new_len, new_addr;	/* pages */
	unsigned long flags;	/* MREMAP_* */
	bool may_segv;		/* the fault may find its page unmapped */
};

struct fr_ctx {
	const struct fr_row *row;
	struct mm_struct *mm;
	struct task_struct *mover;
	long ret;
};

static bool fr_moving(struct fr_ctx *c)
{
	const struct fr_row *row = c->row;
	struct vm_area_struct *copy;

	/* Inside mremap()'s write section: its VMA write locks hold. */
	if (!(row->flags & MREMAP_FIXED) ||
	    READ_ONCE(c->mm->mmap_lock.owner) != READ_ONCE(c->mover) ||
	    !(READ_ONCE(c->mm->mm_lock_seq.sequence) & 1))
		return false;
	rcu_read_lock();
	copy = mtree_load(&c->mm->mm_mt, VH_BASE + VH_PG(row->new_addr));
	rcu_read_unlock();
	return copy;
}

/* Where the fault would touch the page tables, its VMA locked. */
static void fr_fault_hook(void *arg, struct vm_area_struct *vma,
			  unsigned int flags)
{
	struct fr_ctx *c = arg;
	struct vh_vma_snap before, after;
	int i;

	vh_vma_snap(vma, &before);
	for (i = 0; i < 2; i++) {
		if (fr_moving(c))
			vh_fail(__FILE__, __LINE__,
				"a fault ran on [%#lx-%#lx) (%s) while mremap() moved it: its copy at %#lx exists",
				before.start, before.end,
				flags & FAULT_FLAG_VMA_LOCK ? "VMA lock" :
				"mmap_lock", VH_BASE + VH_PG(c->row->new_addr));
		if (!i)
			vh_explore_point();
	}
	vh_vma_snap(vma, &after);
	if (!vh_vma_snap_same(&before, &after))
		vh_fail(__FILE__, __LINE__,
			"mremap() changed [%#lx-%#lx) under a fault holding it (now [%#lx-%#lx))",
			before.start, before.end, after.start, after.end);
}

static void fr_mremap(void *arg)
{
	struct fr_ctx *c = arg;
	const struct fr_row *row = c->row;

	current->mm = c->mm;
	WRITE_ONCE(c->mover, current);
	c->ret = sys_mremap(VH_BASE, VH_PG(row->old_len), VH_PG(row->new_len),
			    row->flags, VH_BASE + VH_PG(row->new_addr));
}

/* Thread 0 faults; thread 1 remaps. */
static void fr_main(void *arg)
{
	struct fr_ctx *c = arg;
	enum vh_fault_path path;
	struct vh_thread *m;

	m = vh_thread_start(fr_mremap, c);
	path = vh_fault(c->mm, FR_FAULT, VH_FAULT_WRITE);
	if (path != VH_FAULT_VMA_LOCK && path != VH_FAULT_RETRIED &&
	    path != VH_FAULT_MMAP_LOCK &&
	    !(path == VH_FAULT_SIGSEGV && c->row->may_segv))
		vh_fail(__FILE__, __LINE__,
			"the fault at %#lx during mremap() ended %s", FR_FAULT,
			vh_fault_path_name(path));
	vh_thread_join(m);
}

static void fr_setup(void *ctx, const void *rowp)
{
	struct fr_ctx *c = ctx;
	struct vm_area_struct *vma;

	c->row = rowp;
	c->mm = vh_mm_new();
	current->mm = c->mm;
	VH_CHECK_EQ(vh_map_layout(c->mm, c->row->before), 0);
	/* Faulted before: the anon_vma is there, the fault needs no more. */
	mmap_read_lock(c->mm);
	vma = vma_lookup(c->mm, FR_FAULT);
	VH_CHECK_EQ(anon_vma_prepare(vma), 0);
	mmap_read_unlock(c->mm);
	vh_fault_set_hook(fr_fault_hook, c);
}

static void fr_check(void *ctx)
{
	struct fr_ctx *c = ctx;

	VH_CHECK(!IS_ERR_VALUE(c->ret));
	VH_CHECK(!rwsem_is_locked(&c->mm->mmap_lock));
}

static void fr_teardown(void *ctx)
{
	struct fr_ctx *c = ctx;

	vh_fault_set_hook(NULL, NULL);
	vh_mm_clear(c->mm);
	vh_mm_put(c->mm);
}

static const struct vh_explore_ops fr_ops = {
	.ctx_size = sizeof(struct fr_ctx),
	.setup = fr_setup,
	.main = fr_main,
	.check = fr_check,
	.teardown = fr_teardown,
};

static const struct fr_row fr_rows[] = {
	{ .desc = "move_fixed", .may_segv = true,
	  .before = "AAAA--------",
	  .old_len = 4, .new_len = 4, .new_addr = 8,
	  .flags = MREMAP_MAYMOVE | MREMAP_FIXED,
	  .why = "A moves to page 8: the fault runs before, or finds page 1 unmapped" },
	{ .desc = "move_dontunmap",
	  .before = "AAAA--------",
	  .old_len = 4, .new_len = 4, .new_addr = 8,
	  .flags = MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP,
	  .why = "A is copied to page 8 and stays mapped: the fault always completes" },
	{ .desc = "shrink",
	  .before = "AAAA--------",
	  .old_len = 4, .new_len = 2,
	  .why = "page 1 stays mapped while A's tail is split off and unmapped" },
};

VH_EXPLORE_TABLE(fault_vs_mremap,
		 "arch/x86/mm/fault.c, mm/mremap.c: a fault under the VMA lock never runs on a VMA mremap() is moving or changing",
		 fr_rows, fr_ops);
