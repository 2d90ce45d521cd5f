// SPDX-License-Identifier: GPL-2.0
/*
 * TCP receive zerocopy's VMA lookup, net/ipv4/tcp.c's own find_tcp_vma():
 * tcp_zerocopy_receive() maps pages into the VMA at the address the user
 * gave, found with lock_vma_under_rcu() or, when that fails, under
 * mmap_read_lock() with vma_lookup(); either way the VMA must be a TCP
 * mapping (its vm_ops tcp_vm_ops, set by tcp_mmap()).  The VMA comes back
 * held as *mmap_locked says, its own read lock or mmap_lock, so that a
 * writer waits until the receive is done with it; anything else comes back
 * NULL holding neither.  A VMA lock found on a VMA that is not TCP's is
 * dropped without a fallback: under mmap_lock it would be the same VMA.
 *
 * The series (scripts/fixtures/0003-*, in the fixture tree) takes the VMA
 * with vma_start_read_unlocked() instead: always read-locked, never under
 * mmap_lock, and NULL where even under mmap_lock the VMA cannot be
 * read-locked (.series_result says where that changes the outcome).
 *
 * The layout is "tttt-AAAA": T, read-only, made a TCP mapping by
 * tcp_mmap() at pages 0 to 3, a gap, and A, anonymous and read-write.
 */
#include <errno.h>
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"
#include "../shared/env/tcp.h"

#define TZ_LAYOUT	"tttt-AAAA"

enum tz_state {
	TZ_QUIET,
	TZ_LIMIT,		/* the VMA has all the readers it can have */
	TZ_WRITE_LOCKED,	/* write-locked, mmap_lock held for write */
	TZ_UNMAPPED_IN_WAIT,	/* ... and unmapped while the lookup waits */
	TZ_REPLACED_IN_WAIT,	/* ... and mapped anew, anonymous */
};

enum tz_result {
	TZ_SAME,		/* .series_result: as .result */
	TZ_NOTHING,		/* NULL */
	TZ_VMA_LOCKED,		/* the VMA, under its read lock */
	TZ_MMAP_LOCKED,		/* the VMA, under mmap_read_lock() */
};

struct tz_row {
	const char *desc;
	const char *why;
	int page;		/* the address, in pages from VH_BASE */
	enum tz_state state;
	enum tz_result result;
	enum tz_result series_result; /* the series' find_tcp_vma() */
	unsigned long fallbacks; /* mmap_read_lock()s taken */
};

static const struct tz_row tz_rows[] = {
	{ .desc = "found_vma_locked", .page = 1, .result = TZ_VMA_LOCKED,
	  .why = "lock_vma_under_rcu() finds T: held by its read lock, mmap_lock untouched" },
	{ .desc = "not_tcp", .page = 6, .result = TZ_NOTHING,
	  .why = "A is read-locked but its vm_ops are not tcp_vm_ops: the lock is dropped, no fallback" },
	{ .desc = "no_vma_falls_back", .page = 4, .result = TZ_NOTHING,
	  .fallbacks = 1,
	  .why = "the lockless lookup finds nothing: vma_lookup() under mmap_read_lock() confirms it" },
	{ .desc = "limit_falls_back", .page = 2, .state = TZ_LIMIT,
	  .result = TZ_MMAP_LOCKED, .series_result = TZ_NOTHING,
	  .fallbacks = 1,
	  .why = "T cannot be read-locked: it is returned under mmap_read_lock(), *mmap_locked set (the series': vma_start_read_locked() fails too, NULL)" },
	{ .desc = "not_tcp_limit_falls_back", .page = 5, .state = TZ_LIMIT,
	  .result = TZ_NOTHING, .fallbacks = 1,
	  .why = "A cannot be read-locked, and under mmap_lock its vm_ops are not tcp_vm_ops: mmap_lock is dropped" },
	{ .desc = "write_locked_waits", .page = 0, .state = TZ_WRITE_LOCKED,
	  .result = TZ_MMAP_LOCKED, .series_result = TZ_VMA_LOCKED,
	  .fallbacks = 1,
	  .why = "T is write-locked: the lookup waits in mmap_read_lock() and finds T under it (the series': and read-locks it)" },
	{ .desc = "unmapped_in_wait", .page = 3,
	  .state = TZ_UNMAPPED_IN_WAIT, .result = TZ_NOTHING, .fallbacks = 1 },
	{ .desc = "replaced_in_wait", .page = 3,
	  .state = TZ_REPLACED_IN_WAIT, .result = TZ_NOTHING, .fallbacks = 1,
	  .why = "T became an anonymous VMA while the lookup waited: the vm_ops check under mmap_lock refuses it" },
};

struct tz_ctx {
	const struct tz_row *row;
	struct mm_struct *mm;
	unsigned long addr;
	struct vm_area_struct *got;
	bool mmap_locked;
	unsigned long fallbacks;
	/* While the lookup's caller holds what it got. */
	unsigned int refcnt;
	bool dep_held, mmap_held;
	unsigned long start, end;
	/* After it released it (or got nothing). */
	int lock_depth, rcu_depth, read_held;
	struct vh_event found;
	struct vh_event release;
	struct vh_break brk;
	int writer_done;
};

/*
 * tcp_zerocopy_receive()'s part: find the VMA, use it, release it as
 * *mmap_locked says; the lock is this task's (lockdep), released here.
 */
static void tz_receive(void *arg)
{
	struct tz_ctx *c = arg;
	unsigned long locks = current->nr_read_locks;
	struct vm_area_struct *vma;

	c->mmap_locked = false;
	/* Stopped where it falls back: the test changes the mm there. */
	if (c->row->state >= TZ_WRITE_LOCKED)
		vh_break_arm(&c->brk, &c->mm->mmap_lock, 0);
	vma = vh_tcp_find_vma(c->mm, c->addr, &c->mmap_locked);
	vh_break_disarm();
	c->fallbacks = current->nr_read_locks - locks;
	c->got = vma;
	if (vma) {
		c->refcnt = refcount_read(&vma->vm_refcnt);
		c->dep_held = !vh_config_has("LOCKDEP") ||
			lock_is_held(&vma->vmlock_dep_map);
		c->mmap_held = current->nr_read_held > 0;
		c->start = vma->vm_start;
		c->end = vma->vm_end;
	}
	vh_event_signal(&c->found);
	vh_event_wait(&c->release);
	if (vma) {
		if (c->mmap_locked)
			mmap_read_unlock(c->mm);
		else
			vma_end_read(vma);
	}
	c->lock_depth = current->lockdep_depth;
	c->rcu_depth = current->rcu_depth;
	c->read_held = current->nr_read_held;
}

/* A writer of the VMA: mmap_lock, then its own lock, as mprotect() does. */
static void tz_writer(void *arg)
{
	struct tz_ctx *c = arg;
	struct vm_area_struct *vma;

	mmap_write_lock(c->mm);
	vma = vma_lookup(c->mm, c->addr);
	if (vma)
		vma_start_write(vma);
	mmap_write_unlock(c->mm);
	vh_flag_set(&c->writer_done, 1);
}

static void tz_body(const struct tz_row *row)
{
	struct tz_ctx *c = vh_test_alloc(sizeof(*c));
	struct mm_struct *mm = vh_test_mm();
	unsigned long t_start, t_end;
	struct vm_area_struct *t, *vma;
	enum tz_result result = row->result;
	struct vh_thread *r, *w;
	bool blocked = false;

	vh_why(row->why);
	if (vh_tcp_unlocked && row->series_result != TZ_SAME)
		result = row->series_result;
	c->row = row;
	c->mm = mm;
	c->addr = VH_BASE + VH_PG(row->page);
	VH_ASSERT(vh_layout_span(TZ_LAYOUT, 't', &t_start, &t_end));
	VH_ASSERT_EQ(vh_map_layout(mm, TZ_LAYOUT), 0);
	mmap_write_lock(mm);
	t = vma_lookup(mm, t_start);
	VH_ASSERT(t);
	VH_ASSERT_EQ(vh_tcp_mmap(t), 0);
	VH_ASSERT_TRUE(t->vm_flags & VM_MIXEDMAP);
	mmap_write_unlock(mm);
	vma = vma_lookup(mm, c->addr);

	if (row->state == TZ_LIMIT)
		refcount_set(&vma->vm_refcnt, VM_REFCNT_LIMIT);
	if (row->state >= TZ_WRITE_LOCKED) {
		mmap_write_lock(mm);
		vma_start_write(vma);
	}
	r = vh_thread_start(tz_receive, c);
	if (row->state >= TZ_WRITE_LOCKED) {
		/*
		 * The lockless lookup failed; let it wait in mmap_read_lock()
		 * (an rwsem wait is not a schedule(): no vh_wait_blocked()),
		 * which it cannot pass before the mm is unlocked.
		 */
		vh_break_wait(&c->brk);
		vh_break_resume(&c->brk);
		if (row->state >= TZ_UNMAPPED_IN_WAIT)
			VH_EXPECT_EQ(vh_unmap(mm, t_start, t_end), 0);
		if (row->state == TZ_REPLACED_IN_WAIT)
			VH_EXPECT_EQ(vh_map(mm, t_start, t_end, VH_RO), 0);
		mmap_write_unlock(mm);
	}
	vh_event_wait(&c->found);
	if (row->state == TZ_LIMIT)
		refcount_set(&vma->vm_refcnt, 1);

	/*
	 * While the receive holds the VMA, a writer of it must wait: in
	 * vma_start_write() for a VMA lock, in mmap_write_lock() for
	 * mmap_lock (tried, since an rwsem wait cannot be told from running).
	 */
	if (result == TZ_VMA_LOCKED) {
		w = vh_thread_start(tz_writer, c);
		blocked = vh_wait_blocked(vh_thread_task(w), 0,
					  &c->writer_done);
		vh_event_signal(&c->release);
		vh_thread_join(w);
	} else {
		blocked = !down_write_trylock(&mm->mmap_lock);
		if (!blocked)
			up_write(&mm->mmap_lock);
		vh_event_signal(&c->release);
	}
	vh_thread_join(r);

	switch (result) {
	case TZ_SAME:		/* never: .result is always set */
	case TZ_NOTHING:
		VH_EXPECT_NULL_MSG(c->got,
				   "find_tcp_vma() returned [%#lx, %#lx), not a TCP VMA at %#lx",
				   c->start, c->end, c->addr);
		break;
	case TZ_VMA_LOCKED:
	case TZ_MMAP_LOCKED:
		VH_ASSERT_PTR_EQ_MSG(c->got, t,
				     "find_tcp_vma() did not return the TCP VMA at %#lx",
				     c->addr);
		VH_EXPECT_EQ_MSG(c->mmap_locked, result == TZ_MMAP_LOCKED,
				 "*mmap_locked is %d", c->mmap_locked);
		VH_EXPECT_TRUE(c->addr >= c->start && c->addr < c->end);
		break;
	}
	if (result == TZ_VMA_LOCKED) {
		VH_EXPECT_EQ_MSG(c->refcnt, 2,
				 "the TCP VMA is not read-locked (vm_refcnt %u)",
				 c->refcnt);
		VH_EXPECT_TRUE(c->dep_held);
		VH_EXPECT_FALSE_MSG(c->mmap_held,
				    "mmap_lock is held with *mmap_locked false");
	}
	if (result == TZ_MMAP_LOCKED)
		VH_EXPECT_TRUE_MSG(c->mmap_held,
				   "the TCP VMA is returned with *mmap_locked set but mmap_lock not held");
	if (result != TZ_NOTHING)
		VH_EXPECT_TRUE_MSG(blocked,
				   "a writer of the TCP VMA did not wait while the receive held it");
	else
		VH_EXPECT_FALSE_MSG(blocked,
				    "a writer waited though find_tcp_vma() returned nothing");
	VH_EXPECT_EQ_MSG(c->fallbacks, row->fallbacks,
			 "mmap_read_lock() taken %lu time(s), want %lu",
			 c->fallbacks, row->fallbacks);
	/* Whatever the outcome, nothing is left held. */
	VH_EXPECT_EQ_MSG(c->lock_depth, 0,
			 "the receive ended holding %d lock(s)", c->lock_depth);
	VH_EXPECT_EQ_MSG(c->read_held, 0,
			 "the receive ended holding mmap_lock");
	VH_EXPECT_EQ(c->rcu_depth, 0);
	VH_EXPECT_FALSE(rwsem_is_locked(&mm->mmap_lock));
	vma = vma_lookup(mm, c->addr);
	if (vma)
		VH_EXPECT_EQ_MSG(refcount_read(&vma->vm_refcnt), 1,
				 "the VMA at %#lx is still read-locked",
				 c->addr);
}

VH_TABLE_SKIP(tcp_zerocopy_vma,
	      "net/ipv4/tcp.c, mm/mmap_lock.c: find_tcp_vma() returns the TCP VMA (vm_ops tcp_vm_ops) at the address held by its read lock (lock_vma_under_rcu()) or, failing that, by mmap_read_lock() with *mmap_locked set, so that writers wait; anything else is NULL holding neither",
	      tz_rows, tz_body, VH_TCP_SKIP);
