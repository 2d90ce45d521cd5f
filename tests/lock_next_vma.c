// SPDX-License-Identifier: GPL-2.0
/*
 * lock_next_vma(), the walk of /proc/PID/maps, with the events it counts;
 * races made deterministic with a breakpoint, as in lookup.c.
 */
#include <errno.h>
#include <stdio.h>
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"

/*
 * lock_next_vma() walks the address space under RCU.  When the next VMA is
 * detached under it, it retries from the last address; when it cannot be
 * read-locked, or the address space changed so that a VMA may now sit in
 * the gap before it, it falls back to mmap_read_lock() (waiting for the
 * writer).  Either way the walk returns every VMA, in order, read-locked.
 * The layout is three VMAs, "AA--BB--CC" (shared/vma/vma.h); the reader
 * stops, by breakpoint, right before it takes the second one.
 */
enum ln_window {
	LN_WINDOW_NONE,
	LN_WINDOW_LOCKED,	/* the second VMA is write-locked before the walk */
	LN_WINDOW_REPLACE,	/* window: the second VMA is unmapped and mapped anew */
	LN_WINDOW_GAP,		/* window: a VMA appears in the gap before it */
	LN_WINDOW_KILLED,	/* write-locked, and the reader is killed in the fallback */
	/*
	 * The reader releases each VMA before it asks for the next (as
	 * /proc/pid/maps does); window: the first two VMAs are unmapped and
	 * the second one's object is mapped again at the first one's place,
	 * behind the search position (mmap/mremap under the iterator).
	 */
	LN_WINDOW_BEHIND,
	/* The last VMA is write-locked, and unmapped while it falls back. */
	LN_WINDOW_LAST_GONE,
	/*
	 * The second VMA has as many readers as vm_refcnt allows (the test
	 * sets the count it cannot reach with threads): the fallback cannot
	 * read-lock it either, -EAGAIN.
	 */
	LN_WINDOW_LIMIT,
	/* Called outside RCU: the kernel warns (and walks anyway). */
	LN_WINDOW_NO_RCU,
};

struct ln_row {
	const char *desc;
	const char *why;
	enum ln_window window;
	int n;		/* VMAs the walk returns */
	int err;	/* how the walk ends: 0 (NULL) or an errno */
};

static const struct ln_row ln_rows[] = {
	{ .desc = "walk_all", .window = LN_WINDOW_NONE, .n = 3 },
	{ .desc = "locked_falls_back", .window = LN_WINDOW_LOCKED, .n = 3,
	  .why = "a write-locked VMA cannot be read-locked: the walk waits under mmap_read_lock()" },
	{ .desc = "detached_retries", .window = LN_WINDOW_REPLACE, .n = 3 },
	{ .desc = "gap_filled_falls_back", .window = LN_WINDOW_GAP, .n = 4,
	  .why = "the address space changed under the walk, so the gap is looked at again under mmap_lock" },
	{ .desc = "killed_in_fallback_eintr", .window = LN_WINDOW_KILLED,
	  .n = 1, .err = -EINTR },
	{ .desc = "recycled_behind_falls_back", .window = LN_WINDOW_BEHIND,
	  .n = 2,
	  .why = "the VMA it found was freed and its object mapped behind the search position: the walk goes on under mmap_lock, past it" },
	{ .desc = "last_unmapped_in_fallback", .window = LN_WINDOW_LAST_GONE,
	  .n = 2 },
	{ .desc = "reader_limit_eagain", .window = LN_WINDOW_LIMIT,
	  .n = 1, .err = -EAGAIN },
	{ .desc = "outside_rcu_warns", .window = LN_WINDOW_NO_RCU, .n = 1 },
};

struct ln_ctx {
	struct mm_struct *mm;
	struct vh_break brk;
	const volatile void *stop_at;
	struct vm_area_struct *got[5];
	unsigned int refcnt[5];	/* of each, when the reader got it */
	int n;
	int err;
	bool release_each;	/* release each before the next call */
	bool no_rcu;		/* call it outside RCU, once */
	char behind[160];	/* a VMA returned behind the search position */
};

/* The reader releases what it got itself (lockdep: it is its lock). */
static void ln_reader(void *arg)
{
	struct ln_ctx *c = arg;
	struct vm_area_struct *vma;
	unsigned long addr = 0;
	int i;
	VMA_ITERATOR(vmi, c->mm, 0);

	if (c->stop_at)
		vh_break_arm(&c->brk, c->stop_at, 0);
	if (c->no_rcu) {
		vma = lock_next_vma(c->mm, &vmi, addr);
		if (!IS_ERR_OR_NULL(vma)) {
			c->refcnt[c->n] = refcount_read(&vma->vm_refcnt);
			c->got[c->n++] = vma;
			vma_end_read(vma);
		}
		return;
	}
	rcu_read_lock();
	while (c->n < 5) {
		vma = lock_next_vma(c->mm, &vmi, addr);
		if (IS_ERR_OR_NULL(vma)) {
			c->err = PTR_ERR_OR_ZERO(vma);
			break;
		}
		if (vma->vm_start < addr && !c->behind[0])
			snprintf(c->behind, sizeof(c->behind),
				 "lock_next_vma() from %#lx returned [%#lx-%#lx), behind the search position",
				 addr, vma->vm_start, vma->vm_end);
		c->refcnt[c->n] = refcount_read(&vma->vm_refcnt);
		c->got[c->n++] = vma;
		addr = vma->vm_end;
		if (c->release_each)
			vma_end_read(vma);
	}
	rcu_read_unlock();
	vh_break_disarm();
	for (i = 0; i < c->n && !c->release_each; i++)
		vma_end_read(c->got[i]);
}

static void ln_body(const struct ln_row *row)
{
	struct ln_ctx c = { };
	struct vm_area_struct *v[3], *want[4];
	struct mm_struct *mm = vh_test_mm();
	struct vh_thread *r;
	int i, n = 0;

	c.mm = mm;
	VH_ASSERT_EQ(vh_map_layout(mm, "AA--BB--CC"), 0);
	for (i = 0; i < 3; i++)
		v[i] = vma_lookup(mm, VH_BASE + VH_PG(4 * i));
	if (row->window == LN_WINDOW_LOCKED || row->window == LN_WINDOW_KILLED ||
	    row->window == LN_WINDOW_LAST_GONE) {
		mmap_write_lock(mm);
		vma_start_write(v[row->window == LN_WINDOW_LAST_GONE ? 2 : 1]);
		/* The reader reaches mmap_read_lock(): the fallback. */
		c.stop_at = &mm->mmap_lock;
	} else if (row->window == LN_WINDOW_LIMIT) {
		refcount_set(&v[1]->vm_refcnt, VM_REFCNT_LIMIT);
	} else if (row->window != LN_WINDOW_NONE &&
		   row->window != LN_WINDOW_NO_RCU) {
		c.stop_at = &v[1]->vm_refcnt.refs.counter;
	}
	c.release_each = row->window == LN_WINDOW_BEHIND;
	c.no_rcu = row->window == LN_WINDOW_NO_RCU;
	if (c.no_rcu)
		vh_expect_warn_begin("suspicious RCU usage");

	r = vh_thread_start(ln_reader, &c);
	if (c.stop_at) {
		vh_break_wait(&c.brk);
		if (row->window == LN_WINDOW_KILLED) {
			/* SIGKILL while it waits for mmap_lock: -EINTR. */
			vh_task_kill(vh_thread_task(r));
			vh_break_resume(&c.brk);
			vh_thread_join(r);
			r = NULL;
		} else if (row->window != LN_WINDOW_LOCKED &&
			   row->window != LN_WINDOW_LAST_GONE) {
			mmap_write_lock(mm);
		}
		if (row->window == LN_WINDOW_LAST_GONE)
			VH_EXPECT_EQ(vh_unmap(mm, VH_BASE + VH_PG(8),
					     VH_BASE + VH_PG(10)), 0);
		if (row->window == LN_WINDOW_REPLACE) {
			VH_EXPECT_EQ(vh_unmap(mm, VH_BASE + VH_PG(4),
					     VH_BASE + VH_PG(6)), 0);
			vh_test_vma(mm);
			VH_EXPECT_EQ(vh_map(mm, VH_BASE + VH_PG(4),
					   VH_BASE + VH_PG(6), VH_RW), 0);
		} else if (row->window == LN_WINDOW_GAP) {
			VH_EXPECT_EQ(vh_map(mm, VH_BASE + VH_PG(2),
					   VH_BASE + VH_PG(3), VH_RO), 0);
		} else if (row->window == LN_WINDOW_BEHIND) {
			VH_EXPECT_EQ(vh_unmap(mm, VH_BASE, VH_BASE + VH_PG(6)),
				    0);
			VH_EXPECT_EQ(vh_map(mm, VH_BASE, VH_BASE + VH_PG(2),
					   VH_RW), 0);
			/* The cache reuses the last object freed: the second. */
			VH_EXPECT_TRUE(vma_lookup(mm, VH_BASE) == v[1]);
		}
		mmap_write_unlock(mm);
		if (r)
			vh_break_resume(&c.brk);
	}
	if (r)
		vh_thread_join(r);
	if (c.no_rcu)
		vh_expect_warn_end();	/* fails if no warning came */
	if (row->window == LN_WINDOW_LIMIT)
		refcount_set(&v[1]->vm_refcnt, 1);

	want[n++] = v[0];
	if (row->window == LN_WINDOW_GAP)
		want[n++] = vma_lookup(mm, VH_BASE + VH_PG(2));
	if (row->window != LN_WINDOW_BEHIND)
		want[n++] = vma_lookup(mm, VH_BASE + VH_PG(4));
	want[n++] = v[2];
	if (row->window == LN_WINDOW_KILLED || row->window == LN_WINDOW_LIMIT ||
	    row->window == LN_WINDOW_NO_RCU)
		n = 1;
	if (row->window == LN_WINDOW_LAST_GONE)
		n = 2;
	if (c.behind[0])
		VH_FAIL("%s", c.behind);
	VH_EXPECT_EQ(n, row->n);
	VH_EXPECT_EQ(c.n, row->n);
	VH_EXPECT_EQ(c.err, row->err);
	for (i = 0; i < c.n; i++) {
		VH_EXPECT_TRUE(i < n && c.got[i] == want[i]);
		VH_EXPECT_EQ(c.refcnt[i], 2);
	}
	if (row->window == LN_WINDOW_REPLACE)
		VH_EXPECT_TRUE(want[1] != v[1]);
}

VH_TABLE(lock_next_vma,
	 "lock_next_vma() returns every VMA in order, read-locked: it retries when one is detached under it, and falls back to mmap_read_lock() when one is write-locked or the gap before it may have changed",
	 ln_rows, ln_body);
