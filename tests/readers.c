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
	WRITE,			/* vma_start_write() */
	WRITE_KILLABLE,		/* vma_start_write_killable() */
	DETACH,			/* remove from the tree, vma_mark_detached() */
};

struct rd_row {
	const char *desc;
	int readers;		/* read locks held when the writer starts */
	enum rd_writer writer;
	bool probe;		/* a new reader tries while the writer waits */
	bool kill;		/* SIGKILL the waiting writer */
	int ret;		/* writer's return value */
};

static const struct rd_row rd_rows[] = {
	{ "writer_waits_for_reader",		1, WRITE,	   false, false, 0 },
	{ "writer_waits_for_last_of_three",	3, WRITE,	   false, false, 0 },
	{ "killable_writer_waits",		2, WRITE_KILLABLE, false, false, 0 },
	{ "killable_writer_killed_eintr",	2, WRITE_KILLABLE, false, true,	 -EINTR },
	{ "no_new_reader_while_excluding",	1, WRITE,	   true,  false, 0 },
	{ "detach_waits_for_transient_reader",	0, DETACH,	   true,  false, 0 },
};

struct rd_ctx {
	const struct rd_row *row;
	struct vh_fixture f;
	int held;		/* read locks the test still holds */
	int ret;
	int returned;
	int held_at_return;
	bool locked_at_return;
	unsigned int seq_before;
	struct vh_event transient;
};

static void rd_writer(void *arg)
{
	struct rd_ctx *c = arg;
	struct vm_area_struct *vma = c->f.vma;

	mmap_write_lock(c->f.mm);
	c->seq_before = vma->vm_lock_seq;
	switch (c->row->writer) {
	case WRITE:
		vma_start_write(vma);
		break;
	case WRITE_KILLABLE:
		c->ret = vma_start_write_killable(vma);
		break;
	case DETACH: {
		VMA_ITERATOR(vmi, c->f.mm, vma->vm_start);

		vma_start_write(vma);
		/*
		 * A reader that bumped vm_refcnt before seeing the write
		 * lock: its reference is handed to the test, which drops
		 * it once this thread sleeps in vma_mark_detached().
		 */
		vma_start_read_locked(vma);
		__atomic_fetch_add(&c->held, 1, __ATOMIC_SEQ_CST);
		vh_event_signal(&c->transient);
		vma_iter_clear_gfp(&vmi, vma->vm_start, vma->vm_end,
				   GFP_KERNEL);
		c->f.mm->map_count--;
		vma_mark_detached(vma);
		break;
	}
	}
	c->held_at_return = __atomic_load_n(&c->held, __ATOMIC_SEQ_CST);
	c->locked_at_return = __is_vma_write_locked(vma);
	__atomic_store_n(&c->returned, 1, __ATOMIC_SEQ_CST);
	mmap_write_unlock(c->f.mm);
}

static void rd_body(const struct rd_row *row)
{
	struct rd_ctx c = { .row = row };
	struct vm_area_struct *vma;
	struct vh_thread *w;
	struct task_struct *wt;
	unsigned int excluded;
	int i;

	vh_fixture_init(&c.f);
	vma = c.f.vma;
	for (i = 0; i < row->readers; i++) {
		VH_ASSERT(lock_vma_under_rcu(c.f.mm, VH_BASE) == vma);
		c.held++;
	}
	vh_vm_events_reset();

	w = vh_thread_start(rd_writer, &c);
	wt = vh_thread_task(w);
	if (row->writer == DETACH)
		vh_event_wait(&c.transient);
	VH_ASSERT(vh_wait_until_sleeping(wt, 0));
	VH_CHECK(!__atomic_load_n(&c.returned, __ATOMIC_SEQ_CST));

	/* Attached VMAs exclude to FLAG + 1, detaching ones to FLAG. */
	excluded = VM_REFCNT_EXCLUDE_READERS_FLAG + c.held +
		   (row->writer == DETACH ? 0 : 1);
	VH_CHECK_EQ(refcount_read(&vma->vm_refcnt), excluded);

	if (row->probe) {
		VH_CHECK(lock_vma_under_rcu(c.f.mm, VH_BASE) == NULL);
		VH_CHECK_EQ(vh_vm_event(VMA_LOCK_ABORT), 1);
		VH_CHECK_EQ(refcount_read(&vma->vm_refcnt), excluded);
	}

	if (row->kill) {
		vh_task_kill(wt);
		vh_thread_join(w);
		w = NULL;
		VH_CHECK_EQ(c.ret, -EINTR);
		VH_CHECK(!c.locked_at_return);
		VH_CHECK_EQ(vma->vm_lock_seq, c.seq_before);
		/* The exclusion flag is gone, the readers' counts stay. */
		VH_CHECK_EQ(refcount_read(&vma->vm_refcnt), 1 + c.held);
	}

	while (c.held > 0) {
		VH_CHECK(w == NULL || !__atomic_load_n(&c.returned,
						       __ATOMIC_SEQ_CST));
		__atomic_fetch_sub(&c.held, 1, __ATOMIC_SEQ_CST);
		vma_end_read(vma);
	}
	if (w)
		vh_thread_join(w);

	VH_CHECK_EQ(c.ret, row->ret);
	if (!row->kill) {
		VH_CHECK_EQ(c.held_at_return, 0);
		VH_CHECK(c.locked_at_return);
	}
	if (row->writer == DETACH) {
		VH_CHECK(!vma_is_attached(vma));
		VH_CHECK(lock_vma_under_rcu(c.f.mm, VH_BASE) == NULL);
		vm_area_free(vma);
	}
	vh_fixture_fini(&c.f);
}

VH_TABLE(readers,
	 "a writer excludes readers: it waits until the last one leaves and is woken by its vma_end_read(); meanwhile no new reader gets in",
	 rd_rows, rd_body);
