// SPDX-License-Identifier: GPL-2.0
/*
 * lock_next_vma() (mm/mmap_lock.c) leaves its iterator where the next
 * call goes on from: after the VMA it returned, on every path by which it
 * returns one (the fast path, the retry of a VMA detached under it, the
 * fallback under mmap_lock for a write-locked VMA, the fallback when the
 * speculation sees a writer, the fallback for a VMA found behind the
 * search position), and at its search position when it fails (-EAGAIN at
 * the reader limit).  Each row takes one path from the end of
 * A in "AA--BB--CC", releases what it got (as /proc/PID/maps does), and
 * calls again: the second call must return the next VMA without taking
 * mmap_lock.  An iterator re-armed at the wrong place shows as a second
 * fallback, or as the wrong VMA.
 */
#include <errno.h>
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"

enum nr_path {
	NR_FAST,		/* B is there and free */
	NR_DETACHED,		/* window: B unmapped and mapped anew */
	NR_LOCKED,		/* B write-locked until the fallback waits */
	NR_SPECULATION,		/* window: page 3 mapped before B */
	NR_LIMIT,		/* B has all the readers it can have */
	NR_BEHIND,		/* window: mremap() moves B's object behind */
};

struct nr_row {
	const char *desc;
	const char *why;
	enum nr_path path;
	long first;		/* page the first call returns; -1: -EAGAIN */
	long second;		/* page the second call returns */
	unsigned long locks;	/* mmap_read_lock()s of the first call */
	bool behind;		/* the first call finds a VMA behind it */
};

static const struct nr_row nr_rows[] = {
	{ .desc = "fast_path", .path = NR_FAST, .first = 4, .second = 8 },
	{ .desc = "detached_retry", .path = NR_DETACHED, .first = 4,
	  .second = 8 },
	{ .desc = "write_locked_fallback", .path = NR_LOCKED, .first = 4,
	  .second = 8, .locks = 1,
	  .why = "the fallback re-arms the iterator after the VMA it returns" },
	{ .desc = "speculation_fallback", .path = NR_SPECULATION, .first = 3,
	  .second = 4, .locks = 1,
	  .why = "the VMA mapped before B is returned, and B after it" },
	{ .desc = "reader_limit_eagain", .path = NR_LIMIT, .first = -1,
	  .second = 4, .locks = 1,
	  .why = "-EAGAIN leaves the iterator at the search position: the next call, once B can be read-locked, returns B" },
	{ .desc = "mremap_behind_fallback", .path = NR_BEHIND, .first = 8,
	  .second = 12, .locks = 1, .behind = true,
	  .why = "mremap() moved A away, B away and B back to A's old place, in the object freed last (B's): the walk found B, read-locks it behind its position, drops it and goes on under mmap_lock, from the end of A, to C, then A at page 12" },
};

struct nr_ctx {
	const struct nr_row *row;
	struct mm_struct *mm;
	struct vh_break brk;
	const volatile void *stop_at;
	struct vh_event first_done, go;
	unsigned long first_start, second_start;
	long first_err, second_err;
	unsigned long locks1, locks2;
	unsigned long first_end;
	int behind;	/* times the first call found a VMA behind it */
};

static void nr_reader(void *arg)
{
	struct nr_ctx *c = arg;
	struct vm_area_struct *vma;
	unsigned long from = VH_BASE + VH_PG(2), locks;
	VMA_ITERATOR(vmi, c->mm, VH_BASE + VH_PG(2));

	if (c->stop_at)
		vh_break_arm(&c->brk, c->stop_at, 0);
	rcu_read_lock();
	locks = current->nr_read_locks;
	vma = lock_next_vma(c->mm, &vmi, from);
	c->locks1 = current->nr_read_locks - locks;
	vh_break_disarm();
	if (IS_ERR_OR_NULL(vma)) {
		c->first_err = PTR_ERR_OR_ZERO(vma);
	} else {
		c->first_start = vma->vm_start;
		c->first_end = vma->vm_end;
		from = vma->vm_end;
		vma_end_read(vma);
	}
	rcu_read_unlock();
	vh_event_signal(&c->first_done);
	vh_event_wait(&c->go);

	rcu_read_lock();
	locks = current->nr_read_locks;
	vma = lock_next_vma(c->mm, &vmi, from);
	c->locks2 = current->nr_read_locks - locks;
	if (IS_ERR_OR_NULL(vma)) {
		c->second_err = PTR_ERR_OR_ZERO(vma);
	} else {
		c->second_start = vma->vm_start;
		vma_end_read(vma);
	}
	rcu_read_unlock();
}

/* One mremap() move, as a task of the test's mm calls it. */
static void nr_move(struct mm_struct *mm, unsigned long from, unsigned long to)
{
	long ret;

	current->mm = mm;
	ret = sys_mremap(VH_BASE + VH_PG(from), VH_PG(2), VH_PG(2),
			 MREMAP_MAYMOVE | MREMAP_FIXED, VH_BASE + VH_PG(to));
	VH_ASSERT_EQ_MSG(ret, (long)(VH_BASE + VH_PG(to)),
			 "mremap() of page %lu to page %lu", from, to);
}

/*
 * The reader found B and stops before it read-locks it.  Three moves:
 * A to page 12 (A's object freed), B to page 16 (into A's object: the
 * cache reuses the object freed last; B's freed), and back from page 16
 * to page 0 (into B's object).  The object the reader is about to lock
 * now ends where its search begins (vm_end == from): behind it.
 *
 *	before	AA--BB--CC--------
 *	after	BB------CC--AA----	(B in B's object)
 */
static void nr_mremap_behind(struct nr_ctx *c, struct vm_area_struct *b)
{
	nr_move(c->mm, 0, 12);
	nr_move(c->mm, 4, 16);
	nr_move(c->mm, 16, 0);
	VH_CHECK(vh_layout_is(c->mm, "BB------CC--AA----"));
	mmap_read_lock(c->mm);
	if (vma_lookup(c->mm, VH_BASE) != b || b->vm_end != VH_BASE + VH_PG(2))
		vh_fail(__FILE__, __LINE__,
			"the window did not put the VMA the reader found ([%#lx-%#lx)) behind its search position %#lx: the slab did not hand B's object to the last move",
			b->vm_start, b->vm_end, VH_BASE + VH_PG(2));
	else
		c->behind++;
	mmap_read_unlock(c->mm);
}

static void nr_body(const struct nr_row *row)
{
	struct nr_ctx *c = vh_test_alloc(sizeof(*c));
	struct mm_struct *mm = vh_test_mm();
	struct vm_area_struct *b;
	struct vh_thread *r;

	vh_why(row->why);
	c->row = row;
	c->mm = mm;
	VH_ASSERT_EQ(vh_map_layout(mm, "AA--BB--CC"), 0);
	b = vma_lookup(mm, VH_BASE + VH_PG(4));
	if (row->path == NR_DETACHED || row->path == NR_SPECULATION ||
	    row->path == NR_BEHIND)
		c->stop_at = &b->vm_refcnt.refs.counter;
	if (row->path == NR_LOCKED) {
		mmap_write_lock(mm);
		vma_start_write(b);
		c->stop_at = &mm->mmap_lock;
	}
	if (row->path == NR_LIMIT)
		refcount_set(&b->vm_refcnt, VM_REFCNT_LIMIT);

	r = vh_thread_start(nr_reader, c);
	if (c->stop_at) {
		vh_break_wait(&c->brk);
		if (row->path == NR_BEHIND)
			nr_mremap_behind(c, b);
		else if (row->path != NR_LOCKED)
			mmap_write_lock(mm);
		if (row->path == NR_DETACHED) {
			VH_CHECK_EQ(vh_unmap(mm, VH_BASE + VH_PG(4),
					     VH_BASE + VH_PG(6)), 0);
			vh_test_vma(mm);
			VH_CHECK_EQ(vh_map(mm, VH_BASE + VH_PG(4),
					   VH_BASE + VH_PG(6), VH_RO), 0);
		}
		if (row->path == NR_SPECULATION)
			VH_CHECK_EQ(vh_map(mm, VH_BASE + VH_PG(3),
					   VH_BASE + VH_PG(4), VH_RO), 0);
		/*
		 * NR_LOCKED's reader waits for mmap_lock; the others find
		 * it free again when they go on, whatever the timing.
		 */
		if (row->path != NR_LOCKED && row->path != NR_BEHIND)
			mmap_write_unlock(mm);
		vh_break_resume(&c->brk);
		if (row->path == NR_LOCKED)
			mmap_write_unlock(mm);
	}
	vh_event_wait(&c->first_done);
	if (row->path == NR_LIMIT)
		refcount_set(&b->vm_refcnt, 1);
	vh_event_signal(&c->go);
	vh_thread_join(r);

	if (c->first_end && c->first_end <= VH_BASE + VH_PG(2))
		vh_fail(__FILE__, __LINE__,
			"lock_next_vma() from %#lx returned [%#lx-%#lx), behind the search position",
			VH_BASE + VH_PG(2), c->first_start, c->first_end);
	VH_EXPECT_EQ_MSG(c->behind, row->behind ? 1 : 0,
			"the first call found a VMA behind its position");
	if (row->first < 0) {
		VH_CHECK_EQ(c->first_err, -EAGAIN);
	} else {
		VH_CHECK_EQ(c->first_err, 0);
		VH_CHECK_EQ(c->first_start, VH_BASE + VH_PG(row->first));
	}
	VH_CHECK_EQ(c->locks1, row->locks);
	VH_CHECK_EQ(c->second_err, 0);
	if (c->second_start != VH_BASE + VH_PG(row->second))
		vh_fail(__FILE__, __LINE__,
			"the call after the first returned the VMA at %#lx, not the one after it at %#lx",
			c->second_start, VH_BASE + VH_PG(row->second));
	if (c->locks2)
		vh_fail(__FILE__, __LINE__,
			"the call after the first took mmap_lock %lu times: its iterator did not resume after the VMA returned",
			c->locks2);
}

VH_TABLE(next_resume,
	 "mm/mmap_lock.c, mm/mremap.c: on every path by which lock_next_vma() returns a VMA (fast, detached retry, fallback for a write-locked VMA, fallback when the speculation sees a writer, fallback for a VMA mremap() put behind the search position) its iterator resumes exactly after that VMA, and after -EAGAIN at the search position: the next call returns the next VMA without mmap_lock",
	 nr_rows, nr_body);
