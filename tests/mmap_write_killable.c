// SPDX-License-Identifier: GPL-2.0
/*
 * mmap_write_lock_killable() and the write section it opens.
 */
#include <errno.h>
#include <sched.h>
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"

/*
 * mmap_write_lock_killable(): takes mmap_lock and opens a write section
 * (VMA write locks taken in it are released by mmap_write_unlock()), or
 * gives up with -EINTR when a fatal signal arrives while it waits.
 */
struct mk_row {
	const char *desc;
	const char *why;
	bool contended;		/* a reader holds mmap_lock meanwhile */
	bool kill;		/* SIGKILL the waiting writer */
	int ret;
};

static const struct mk_row mk_rows[] = {
	{ .desc = "write_killable_locks" },
	{ .desc = "write_killable_waits", .contended = true },
	{ .desc = "write_killable_killed_eintr", .contended = true,
	  .kill = true, .ret = -EINTR },
};

struct mk_ctx {
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	int ret;
	bool locked_vma;	/* the write section could write-lock it */
};

static void mk_writer(void *arg)
{
	struct mk_ctx *c = arg;

	c->ret = mmap_write_lock_killable(c->mm);
	if (c->ret)
		return;
	vma_start_write(c->vma);
	c->locked_vma = __is_vma_write_locked(c->vma);
	mmap_write_unlock(c->mm);
}

static void mk_body(const struct mk_row *row)
{
	struct mk_ctx c = { };
	struct vm_area_struct *r;
	struct vh_thread *w;

	c.mm = vh_test_mm();
	VH_ASSERT_EQ(vh_map_layout(c.mm, "AAAAAAAA"), 0);
	c.vma = vma_lookup(c.mm, VH_BASE);
	if (row->contended)
		mmap_read_lock(c.mm);
	w = vh_thread_start(mk_writer, &c);
	if (row->contended) {
		/* A state check: the writer waits for mmap_lock. */
		while (!rwsem_is_contended(&c.mm->mmap_lock))
			sched_yield();
		if (row->kill)
			vh_task_kill(vh_thread_task(w));
		else
			mmap_read_unlock(c.mm);
	}
	vh_thread_join(w);
	if (row->contended && row->kill)
		mmap_read_unlock(c.mm);
	VH_EXPECT_EQ(c.ret, row->ret);
	VH_EXPECT_EQ(c.locked_vma, !row->ret);
	VH_EXPECT_TRUE(!rwsem_is_locked(&c.mm->mmap_lock));
	/* The write section ended: the VMA lock went with it. */
	r = lock_vma_under_rcu(c.mm, VH_BASE);
	VH_EXPECT_TRUE(r == c.vma);
	if (r)
		vma_end_read(r);
}

VH_TABLE(mmap_write_killable,
	 "include/linux/mmap_lock.h: mmap_write_lock_killable() takes mmap_lock for write and opens a write section, or returns -EINTR, holding nothing, when killed while it waits",
	 mk_rows, mk_body);
