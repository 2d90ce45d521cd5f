// SPDX-License-Identifier: GPL-2.0
/*
 * Explorer scenarios: fork while the parent faults (fb49c455323f "fork:
 * lock VMAs of the parent process when forking", bugzilla 217624).  One
 * thread faults on a parent VMA through the tree's x86 driver
 * (vh_fault()), the other forks (mm/mmap.c dup_mmap()), which write-locks
 * each parent VMA before it copies it and keeps the locks until its
 * mmap_write_unlock().  On every interleaving the fault either runs under
 * the VMA lock before dup_mmap() write-locks that VMA, or waits for fork
 * (lock_vma_under_rcu() fails, or __vmf_anon_prepare() cannot take
 * mmap_lock and the fault retries) and runs after it; it never runs on a
 * VMA fork is copying, and fork never copies a VMA a fault is handling.
 * The fault always completes; the child gets every VMA, attached, and the
 * parent's VMAs are not write-locked once fork returns.
 */
#include "../shared/kunit/test.h"
#include "../shared/explore/explore.h"
#include "../shared/env/fault_api.h"
#include "../shared/env/env.h"
#include "../shared/vma/vma.h"

/* A character per page from VH_BASE; the fault is at page 2. */
#define FF_LAYOUT	"AAAA--BBBB"
#define FF_FAULT	(VH_BASE + VH_PG(2))

struct ff_row {
	const char *desc;
	const char *why;
	bool anon_vma;		/* the faulted VMA has one before */
	unsigned int flags;	/* VH_FAULT_* */
};

struct ff_ctx {
	const struct ff_row *row;
	struct mm_struct *mm, *child;
	struct task_struct *forker;
	struct vm_area_struct *faulting;	/* in the stub cut */
	struct vm_area_struct *copied;		/* copy_page_range()'s last */
	int ret;
};

/* The hooks have no argument of their own: one scenario runs at a time. */
static struct ff_ctx *ff_cur;

/*
 * Fork is inside its mmap_lock write section: the VMA write locks it took
 * hold until mmap_write_unlock() ends the section (an odd mm_lock_seq).
 */
static bool ff_fork_holds_mmap_lock(struct ff_ctx *c)
{
	return READ_ONCE(c->forker) &&
	       READ_ONCE(c->mm->mmap_lock.owner) == READ_ONCE(c->forker) &&
	       (READ_ONCE(c->mm->mm_lock_seq.sequence) & 1);
}

/* Where the fault would touch the page tables, its VMA locked. */
static void ff_fault_hook(void *arg, struct vm_area_struct *vma,
			  unsigned int flags)
{
	struct ff_ctx *c = arg;

	if (READ_ONCE(c->copied) == vma && ff_fork_holds_mmap_lock(c))
		vh_fail(__FILE__, __LINE__,
			"a fault ran on [%#lx-%#lx) (%s) after dup_mmap() copied it and before fork's mmap_write_unlock(): the child's copy misses it",
			vma->vm_start, vma->vm_end,
			flags & FAULT_FLAG_VMA_LOCK ? "VMA lock" : "mmap_lock");
	WRITE_ONCE(c->faulting, vma);
	vh_explore_point();
	WRITE_ONCE(c->faulting, NULL);
}

static void ff_copy_hook(struct vm_area_struct *dst __always_unused,
			 struct vm_area_struct *src)
{
	struct ff_ctx *c = ff_cur;

	if (!c)
		return;
	if (READ_ONCE(c->faulting) == src)
		vh_fail(__FILE__, __LINE__,
			"dup_mmap() copied [%#lx-%#lx) while a fault was handling it under the VMA lock",
			src->vm_start, src->vm_end);
	WRITE_ONCE(c->copied, src);
	vh_explore_point();
}

static void ff_fork(void *arg)
{
	struct ff_ctx *c = arg;

	current->mm = c->mm;
	WRITE_ONCE(c->forker, current);
	c->ret = dup_mmap(c->child, c->mm);
}

/* Thread 0 faults; thread 1 forks. */
static void ff_main(void *arg)
{
	struct ff_ctx *c = arg;
	enum vh_fault_path path;
	struct vh_thread *f;

	f = vh_thread_start(ff_fork, c);
	path = vh_fault(c->mm, FF_FAULT, c->row->flags);
	if (path != VH_FAULT_VMA_LOCK && path != VH_FAULT_RETRIED &&
	    path != VH_FAULT_MMAP_LOCK)
		vh_fail(__FILE__, __LINE__,
			"the fault at %#lx during fork ended %s", FF_FAULT,
			vh_fault_path_name(path));
	vh_thread_join(f);
}

static void ff_setup(void *ctx, const void *rowp)
{
	struct ff_ctx *c = ctx;

	c->row = rowp;
	c->mm = vh_mm_new();
	c->child = vh_mm_new();
	current->mm = c->mm;
	VH_CHECK_EQ(vh_map_layout(c->mm, FF_LAYOUT), 0);
	if (c->row->anon_vma) {
		mmap_read_lock(c->mm);
		VH_CHECK_EQ(anon_vma_prepare(vma_lookup(c->mm, FF_FAULT)), 0);
		mmap_read_unlock(c->mm);
	}
	ff_cur = c;
	vh_fault_set_hook(ff_fault_hook, c);
	vh_copy_page_range_hook = ff_copy_hook;
}

static void ff_check(void *ctx)
{
	struct ff_ctx *c = ctx;
	struct vm_area_struct *vma;

	VH_CHECK_EQ(c->ret, 0);
	VH_CHECK(!rwsem_is_locked(&c->mm->mmap_lock));
	VH_CHECK(vh_fork_child_is(c->child, FF_LAYOUT));
	/* fork's mmap_write_unlock() ended the parent's VMA locks. */
	vma = lock_vma_under_rcu(c->mm, FF_FAULT);
	if (!vma)
		vh_fail(__FILE__, __LINE__,
			"the parent's VMA stays write-locked after fork returned");
	else
		vma_end_read(vma);
}

static void ff_teardown(void *ctx)
{
	struct ff_ctx *c = ctx;

	vh_copy_page_range_hook = NULL;
	vh_fault_set_hook(NULL, NULL);
	ff_cur = NULL;
	vh_mm_clear(c->child);
	vh_mm_put(c->child);
	vh_mm_clear(c->mm);
	vh_mm_put(c->mm);
}

static const struct vh_explore_ops ff_ops = {
	.ctx_size = sizeof(struct ff_ctx),
	.setup = ff_setup,
	.main = ff_main,
	.check = ff_check,
	.teardown = ff_teardown,
};

static const struct ff_row ff_rows[] = {
	{ .desc = "write_anon_vma_there", .anon_vma = true,
	  .flags = VH_FAULT_WRITE },
	{ .desc = "write_no_anon_vma", .flags = VH_FAULT_WRITE,
	  .why = "the anon_vma is prepared under mmap_lock: while fork holds it, the fault retries after fork" },
};

VH_EXPLORE_TABLE(fault_vs_fork,
		 "arch/x86/mm/fault.c, mm/mmap.c: a fault under the VMA lock never runs on a parent VMA that dup_mmap() is copying, and fork never copies one a fault is handling",
		 ff_rows, ff_ops);
