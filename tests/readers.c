// SPDX-License-Identifier: GPL-2.0
/*
 * Reader exclusion with real threads: a VMA writer (vma_start_write*() or
 * vma_mark_detached()) waits until every reader has left, no new reader gets
 * in while it excludes them, and the last reader's vma_end_read() wakes it.
 *
 * Ordering is proven by state, never by sleeping: the writer thread checks,
 * when its call returns, that no reader still holds the VMA; the test
 * checks the writer is really asleep (in schedule()) before it releases
 * anyone.  A lost wake-up leaves the writer asleep for good, which the
 * watchdog reports as a failure of that test.
 */
#include <errno.h>
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"

enum rd_writer {
	RD_WRITER_WRITE,	/* vma_start_write() */
	RD_WRITER_KILLABLE,	/* vma_start_write_killable() */
	RD_WRITER_DETACH,	/* remove from the tree, vma_mark_detached() */
};

struct rd_row {
	const char *desc;
	const char *why;
	int readers;		/* read locks held when the writer starts */
	enum rd_writer writer;
	bool probe;		/* a new reader tries while the writer waits */
	bool kill;		/* SIGKILL the waiting writer */
	int ret;		/* writer's return value */
};

static const struct rd_row rd_rows[] = {
	{ .desc = "writer_waits_for_reader",
	  .readers = 1, .writer = RD_WRITER_WRITE },
	{ .desc = "writer_waits_for_last_of_three",
	  .readers = 3, .writer = RD_WRITER_WRITE,
	  .why = "only the last vma_end_read() may wake the writer" },
	{ .desc = "killable_writer_waits",
	  .readers = 2, .writer = RD_WRITER_KILLABLE },
	{ .desc = "killable_writer_killed_eintr",
	  .readers = 2, .writer = RD_WRITER_KILLABLE, .kill = true,
	  .ret = -EINTR,
	  .why = "a fatal signal ends the wait: no write lock, the readers keep their references" },
	{ .desc = "no_new_reader_while_excluding",
	  .readers = 1, .writer = RD_WRITER_WRITE, .probe = true,
	  .why = "a waiting writer has set VM_REFCNT_EXCLUDE_READERS_FLAG: a new reader backs off (VMA_LOCK_ABORT)" },
	{ .desc = "detach_waits_for_transient_reader",
	  .readers = 0, .writer = RD_WRITER_DETACH, .probe = true,
	  .why = "a reader that raised vm_refcnt before seeing the write lock still holds up vma_mark_detached()" },
};

/* On the heap: the deferred rd_unwind() reads it after the body is gone. */
struct rd_ctx {
	const struct rd_row *row;
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	struct vh_thread *writer;	/* until joined */
	int held;		/* read locks the test still holds */
	int ret;
	int returned;
	int held_at_return;
	bool locked_at_return;
	unsigned int seq_before;
	struct vh_event locked;
	struct vh_event transient;
};

static void rd_writer(void *arg)
{
	struct rd_ctx *c = arg;
	struct vm_area_struct *vma = c->vma;

	mmap_write_lock(c->mm);
	c->seq_before = vma->vm_lock_seq;
	switch (c->row->writer) {
	case RD_WRITER_WRITE:
		vma_start_write(vma);
		break;
	case RD_WRITER_KILLABLE:
		c->ret = vma_start_write_killable(vma);
		break;
	case RD_WRITER_DETACH: {
		VMA_ITERATOR(vmi, c->mm, vma->vm_start);

		vma_start_write(vma);
		/*
		 * Now the test, as a reader that bumped vm_refcnt before it
		 * saw the write lock, takes a reference; it drops it once
		 * this thread sleeps in vma_mark_detached().
		 */
		vh_event_signal(&c->locked);
		vh_event_wait(&c->transient);
		vma_iter_clear_gfp(&vmi, vma->vm_start, vma->vm_end,
				   GFP_KERNEL);
		c->mm->map_count--;
		vma_mark_detached(vma);
		break;
	}
	}
	c->held_at_return = vh_flag(&c->held);
	c->locked_at_return = __is_vma_write_locked(vma);
	vh_flag_set(&c->returned, 1);
	mmap_write_unlock(c->mm);
}

/* Drop the read locks still held, so that the writer ends; join it. */
static void rd_unwind(void *arg)
{
	struct rd_ctx *c = arg;

	while (vh_flag(&c->held) > 0) {
		vh_flag_set(&c->held, c->held - 1);
		vma_end_read(c->vma);
	}
	if (c->writer)
		vh_thread_join(c->writer);
	/* Out of the tree: the address space's teardown will not free it. */
	if (c->row->writer == RD_WRITER_DETACH && !vma_is_attached(c->vma))
		vm_area_free(c->vma);
}

/* A new reader: refused?  If not, its read lock joins those held. */
static bool rd_probe_refused(struct rd_ctx *c)
{
	struct vm_area_struct *got = lock_vma_under_rcu(c->mm, VH_BASE);

	if (got == c->vma)
		vh_flag_set(&c->held, c->held + 1);
	else if (got)
		vma_end_read(got);
	return !got;
}

static void rd_body(const struct rd_row *row)
{
	struct rd_ctx *c = vh_test_alloc(sizeof(*c));
	struct vm_area_struct *vma;
	struct task_struct *wt;
	unsigned int excluded;
	int i;

	c->row = row;
	c->mm = vh_test_mm();
	VH_ASSERT_EQ(vh_map_layout(c->mm, "AAAAAAAA"), 0);
	c->vma = vma = vma_lookup(c->mm, VH_BASE);
	vh_defer(rd_unwind, c);
	for (i = 0; i < row->readers; i++) {
		VH_ASSERT_TRUE(lock_vma_under_rcu(c->mm, VH_BASE) == vma);
		c->held++;
	}
	vh_vm_events_reset();

	c->writer = vh_thread_start(rd_writer, c);
	wt = vh_thread_task(c->writer);
	if (row->writer == RD_WRITER_DETACH) {
		int old;

		/* What vma_start_read() does before it sees the lock. */
		vh_event_wait(&c->locked);
		VH_ASSERT_TRUE(__refcount_inc_not_zero_limited_acquire(
				&vma->vm_refcnt, &old, VM_REFCNT_LIMIT));
		__vma_lockdep_acquire_read(vma);
		vh_flag_set(&c->held, c->held + 1);
		vh_event_signal(&c->transient);
	}
	VH_ASSERT_TRUE(vh_wait_until_sleeping(wt, 0));
	VH_EXPECT_TRUE(!vh_flag(&c->returned));

	/* Attached VMAs exclude to FLAG + 1, detaching ones to FLAG. */
	excluded = VM_REFCNT_EXCLUDE_READERS_FLAG + c->held +
		   (row->writer == RD_WRITER_DETACH ? 0 : 1);
	VH_EXPECT_EQ(refcount_read(&vma->vm_refcnt), excluded);

	if (row->probe) {
		VH_EXPECT_TRUE(rd_probe_refused(c));
		VH_EXPECT_EQ(vh_vm_event(VMA_LOCK_ABORT), 1);
		VH_EXPECT_EQ(refcount_read(&vma->vm_refcnt), excluded);
	}

	if (row->kill) {
		vh_task_kill(wt);
		vh_thread_join(c->writer);
		c->writer = NULL;
		VH_EXPECT_EQ(c->ret, -EINTR);
		VH_EXPECT_TRUE(!c->locked_at_return);
		VH_EXPECT_EQ(vma->vm_lock_seq, c->seq_before);
		/* The exclusion flag is gone, the readers' counts stay. */
		VH_EXPECT_EQ(refcount_read(&vma->vm_refcnt), 1 + c->held);
	}

	while (c->held > 0) {
		VH_EXPECT_TRUE(!c->writer || !vh_flag(&c->returned));
		vh_flag_set(&c->held, c->held - 1);
		vma_end_read(vma);
	}
	if (c->writer) {
		vh_thread_join(c->writer);
		c->writer = NULL;
	}

	VH_EXPECT_EQ(c->ret, row->ret);
	if (!row->kill) {
		VH_EXPECT_EQ(c->held_at_return, 0);
		VH_EXPECT_TRUE(c->locked_at_return);
	}
	if (row->writer == RD_WRITER_DETACH) {
		VH_EXPECT_TRUE(!vma_is_attached(vma));
		VH_EXPECT_TRUE(rd_probe_refused(c));
	}
}

VH_TABLE(readers,
	 "mm/mmap_lock.c, include/linux/mmap_lock.h: a writer excludes readers: it waits until the last one leaves and is woken by its vma_end_read(); meanwhile no new reader gets in",
	 rd_rows, rd_body);
