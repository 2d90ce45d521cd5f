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
struct ln_ctx {
	struct mm_struct *mm;
	struct vm_area_struct *v[3];	/* the layout's VMAs */
	struct vh_thread *reader;
	bool mmap_held;			/* the test holds mmap_lock for write */
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

/*
 * What the test does to the walk: @arm before it starts (where the reader
 * stops: c->stop_at), @act in the window while the reader is stopped
 * there (with mmap_lock held for write), @after once the reader ended.
 */
struct ln_window {
	void (*arm)(struct ln_ctx *c);
	void (*act)(struct ln_ctx *c);
	void (*after)(struct ln_ctx *c);
	bool release_each;	/* the reader releases each before the next */
	bool no_rcu;		/* the reader calls it outside RCU, once */
	bool replaced;		/* the second VMA is a new one afterwards */
};

/* The reader will stop right before it takes the second VMA. */
static void ln_stop_at_second(struct ln_ctx *c)
{
	c->stop_at = &c->v[1]->vm_refcnt.refs.counter;
}

/* VMA @i is write-locked: the reader falls back to mmap_read_lock(). */
static void ln_write_lock(struct ln_ctx *c, int i)
{
	mmap_write_lock(c->mm);
	c->mmap_held = true;
	vma_start_write(c->v[i]);
	c->stop_at = &c->mm->mmap_lock;
}

static void ln_lock_second(struct ln_ctx *c)
{
	ln_write_lock(c, 1);
}

static void ln_lock_last(struct ln_ctx *c)
{
	ln_write_lock(c, 2);
}

static const struct ln_window ln_none = { };

static const struct ln_window ln_locked = { .arm = ln_lock_second };

/* SIGKILL while it waits for mmap_lock: -EINTR. */
static void ln_kill(struct ln_ctx *c)
{
	vh_task_kill(vh_thread_task(c->reader));
	vh_break_resume(&c->brk);
	vh_thread_join(c->reader);
	c->reader = NULL;
}

static const struct ln_window ln_killed = {
	.arm = ln_lock_second, .act = ln_kill,
};

static void ln_replace(struct ln_ctx *c)
{
	VH_EXPECT_EQ(vh_unmap(c->mm, VH_BASE + VH_PG(4), VH_BASE + VH_PG(6)),
		     0);
	vh_test_vma(c->mm);
	VH_EXPECT_EQ(vh_map(c->mm, VH_BASE + VH_PG(4), VH_BASE + VH_PG(6),
			    VH_RW), 0);
}

static const struct ln_window ln_replaced = {
	.arm = ln_stop_at_second, .act = ln_replace, .replaced = true,
};

static void ln_fill_gap(struct ln_ctx *c)
{
	VH_EXPECT_EQ(vh_map(c->mm, VH_BASE + VH_PG(2), VH_BASE + VH_PG(3),
			    VH_RO), 0);
}

static const struct ln_window ln_gap = {
	.arm = ln_stop_at_second, .act = ln_fill_gap,
};

/*
 * The first two VMAs are unmapped and the second one's object is mapped
 * again at the first one's place, behind the search position
 * (mmap/mremap under the iterator of a reader that releases each VMA
 * before it asks for the next, as /proc/PID/maps does).
 */
static void ln_map_behind(struct ln_ctx *c)
{
	VH_EXPECT_EQ(vh_unmap(c->mm, VH_BASE, VH_BASE + VH_PG(6)), 0);
	VH_EXPECT_EQ(vh_map(c->mm, VH_BASE, VH_BASE + VH_PG(2), VH_RW), 0);
	/* The cache reuses the last object freed: the second. */
	VH_EXPECT_PTR_EQ(vma_lookup(c->mm, VH_BASE), c->v[1]);
}

static const struct ln_window ln_behind = {
	.arm = ln_stop_at_second, .act = ln_map_behind, .release_each = true,
};

/* The last VMA is write-locked, and unmapped while it falls back. */
static void ln_unmap_last(struct ln_ctx *c)
{
	VH_EXPECT_EQ(vh_unmap(c->mm, VH_BASE + VH_PG(8), VH_BASE + VH_PG(10)),
		     0);
}

static const struct ln_window ln_last_gone = {
	.arm = ln_lock_last, .act = ln_unmap_last,
};

/*
 * The second VMA has as many readers as vm_refcnt allows (a count threads
 * cannot reach): the fallback cannot read-lock it either, -EAGAIN.
 */
static void ln_fill_readers(struct ln_ctx *c)
{
	refcount_set(&c->v[1]->vm_refcnt, VM_REFCNT_LIMIT);
}

static void ln_drop_readers(struct ln_ctx *c)
{
	refcount_set(&c->v[1]->vm_refcnt, 1);
}

static const struct ln_window ln_limit = {
	.arm = ln_fill_readers, .after = ln_drop_readers,
};

/* Called outside RCU: the kernel warns (and walks anyway). */
static const struct ln_window ln_no_rcu = { .no_rcu = true };

struct ln_row {
	const char *desc;
	const char *why;
	const struct ln_window *window;
	int n;		/* VMAs the walk returns */
	int err;	/* how the walk ends: 0 (NULL) or an errno */
};

static const struct ln_row ln_rows[] = {
	{ .desc = "walk_all", .window = &ln_none, .n = 3 },
	{ .desc = "locked_falls_back", .window = &ln_locked, .n = 3,
	  .why = "a write-locked VMA cannot be read-locked: the walk waits under mmap_read_lock()" },
	{ .desc = "detached_retries", .window = &ln_replaced, .n = 3 },
	{ .desc = "gap_filled_falls_back", .window = &ln_gap, .n = 4,
	  .why = "the address space changed under the walk, so the gap is looked at again under mmap_lock" },
	{ .desc = "killed_in_fallback_eintr", .window = &ln_killed,
	  .n = 1, .err = -EINTR },
	{ .desc = "recycled_behind_falls_back", .window = &ln_behind,
	  .n = 2,
	  .why = "the VMA it found was freed and its object mapped behind the search position: the walk goes on under mmap_lock, past it" },
	{ .desc = "last_unmapped_in_fallback", .window = &ln_last_gone,
	  .n = 2 },
	{ .desc = "reader_limit_eagain", .window = &ln_limit,
	  .n = 1, .err = -EAGAIN },
	{ .desc = "outside_rcu_warns", .window = &ln_no_rcu, .n = 1 },
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
	const struct ln_window *w = row->window;
	/* The reader uses it until joined: not on this stack. */
	struct ln_ctx *c = vh_test_alloc(sizeof(*c));
	struct vm_area_struct *want[4], *vma;
	int i, n = 0;

	c->mm = vh_test_mm();
	VH_ASSERT_EQ(vh_map_layout(c->mm, "AA--BB--CC"), 0);
	for (i = 0; i < 3; i++)
		c->v[i] = vma_lookup(c->mm, VH_BASE + VH_PG(4 * i));
	c->release_each = w->release_each;
	c->no_rcu = w->no_rcu;
	if (w->arm)
		w->arm(c);
	if (c->no_rcu)
		vh_expect_warn_begin("suspicious RCU usage");

	c->reader = vh_thread_start(ln_reader, c);
	if (c->stop_at) {
		vh_break_wait(&c->brk);
		if (!c->mmap_held)
			mmap_write_lock(c->mm);
		if (w->act)
			w->act(c);
		mmap_write_unlock(c->mm);
		if (c->reader)
			vh_break_resume(&c->brk);
	}
	if (c->reader)
		vh_thread_join(c->reader);
	if (c->no_rcu)
		vh_expect_warn_end();	/* fails if no warning came */
	if (w->after)
		w->after(c);

	/* In address order: the first, whatever is in the gap, the second... */
	want[n++] = c->v[0];
	for (i = 2; i <= 4; i += 2) {
		vma = vma_lookup(c->mm, VH_BASE + VH_PG(i));
		if (vma)
			want[n++] = vma;
	}
	want[n++] = c->v[2];
	if (c->behind[0])
		VH_FAIL("%s", c->behind);
	VH_EXPECT_EQ(c->n, row->n);
	VH_EXPECT_EQ(c->err, row->err);
	for (i = 0; i < c->n; i++) {
		VH_EXPECT_TRUE(i < n && c->got[i] == want[i]);
		VH_EXPECT_EQ(c->refcnt[i], 2);
	}
	if (w->replaced)
		VH_EXPECT_PTR_NE(want[1], c->v[1]);
}

VH_TABLE(lock_next_vma,
	 "mm/mmap_lock.c: lock_next_vma() returns every VMA in order, read-locked: it retries when one is detached under it, and falls back to mmap_read_lock() when one is write-locked or the gap before it may have changed",
	 ln_rows, ln_body);

/* lock_next_vma() outside RCU: RCU_LOCKDEP_WARN(). */
VH_NEEDS_CONFIG(rcu_warns, "lock_next_vma.outside_rcu_warns", "PROVE_RCU");
