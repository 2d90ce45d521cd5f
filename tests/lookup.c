// SPDX-License-Identifier: GPL-2.0
/*
 * Lookup paths: lock_vma_under_rcu(), lock_next_vma() and
 * vma_start_read_locked(), with the VMA_LOCK_ABORT and VMA_LOCK_MISS
 * events they count (VMA_LOCK_SUCCESS and VMA_LOCK_RETRY belong to the
 * fault handler that calls them, so they must not move here).
 *
 * The races are made deterministic with a breakpoint: the reader thread
 * stops right before its first operation on the VMA's vm_refcnt, that is
 * after the tree walk and the lockless vm_lock_seq check, and the test
 * changes the address space in exactly that window.
 */
#include <errno.h>
#include <stdio.h>
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"

enum lk_window {
	LK_WINDOW_NONE,		/* no interference */
	LK_WINDOW_WRITE_LOCKED,	/* the VMA is write-locked before the lookup */
	/* From here on, the reader stops at a breakpoint: in its window... */
	LK_WINDOW_LOCK,		/* a writer write-locks the VMA (and holds it) */
	LK_WINDOW_UNMAP,	/* the VMA is unmapped */
	LK_WINDOW_REPLACE,	/* unmapped and the range mapped anew */
	LK_WINDOW_UNMAP_PART,	/* the part holding the address is unmapped */
	LK_WINDOW_SHRINK,	/* the VMA shrinks below the address */
	LK_WINDOW_MOVE_UP,	/* the VMA's start moves above the address */
};

enum lk_result {
	LK_RESULT_NOTHING,	/* NULL */
	LK_RESULT_ORIGINAL,	/* the VMA of the fixture */
	LK_RESULT_REPLACEMENT,	/* the VMA mapped in its place */
};

/* The address space is one VMA, "AAAAAAAA" (shared/vma/vma.h). */
struct lk_row {
	const char *desc;
	const char *why;
	unsigned long addr;	/* page offset from VH_BASE */
	enum lk_window window;
	enum lk_result result;
	unsigned long abort, miss;	/* VMA_LOCK_ABORT, VMA_LOCK_MISS */
};

static const struct lk_row lk_rows[] = {
	{ .desc = "found", .addr = 2,
	  .window = LK_WINDOW_NONE, .result = LK_RESULT_ORIGINAL },
	{ .desc = "found_last_page", .addr = 7,
	  .window = LK_WINDOW_NONE, .result = LK_RESULT_ORIGINAL },
	{ .desc = "gap_no_vma", .addr = 8,
	  .window = LK_WINDOW_NONE, .result = LK_RESULT_NOTHING,
	  .abort = 1 },
	{ .desc = "below_first_vma", .addr = -1,	/* the page below */
	  .window = LK_WINDOW_NONE, .result = LK_RESULT_NOTHING,
	  .abort = 1 },
	{ .desc = "write_locked_aborts", .addr = 2,
	  .window = LK_WINDOW_WRITE_LOCKED, .result = LK_RESULT_NOTHING,
	  .abort = 1 },
	{ .desc = "locked_in_window_aborts", .addr = 2,
	  .window = LK_WINDOW_LOCK, .result = LK_RESULT_NOTHING,
	  .abort = 1,
	  .why = "the reference is taken, then vm_lock_seq is checked again: the write lock shows" },
	{ .desc = "detached_in_window_misses", .addr = 2,
	  .window = LK_WINDOW_UNMAP, .result = LK_RESULT_NOTHING,
	  .abort = 1, .miss = 1,
	  .why = "a detached VMA is a miss (retry); the retry finds nothing, an abort" },
	{ .desc = "replaced_in_window_retries", .addr = 2,
	  .window = LK_WINDOW_REPLACE, .result = LK_RESULT_REPLACEMENT,
	  .miss = 1,
	  .why = "the original is detached (a miss); the retry finds its replacement" },
	{ .desc = "part_unmapped_in_window", .addr = 6,
	  .window = LK_WINDOW_UNMAP_PART, .result = LK_RESULT_NOTHING,
	  .abort = 1, .miss = 1,
	  .why = "munmap() removes the original object: the reader sees it detached" },
	{ .desc = "shrunk_below_address_aborts", .addr = 6,
	  .window = LK_WINDOW_SHRINK, .result = LK_RESULT_NOTHING,
	  .abort = 1,
	  .why = "mprotect() of the lower half shrinks the original object in place: it no longer holds the address" },
	{ .desc = "moved_above_address_aborts", .addr = 2,
	  .window = LK_WINDOW_MOVE_UP, .result = LK_RESULT_NOTHING,
	  .abort = 1,
	  .why = "mprotect() of the upper half: the original object keeps that half, which starts above the address" },
};

struct lk_ctx {
	struct mm_struct *mm;
	unsigned long addr;
	struct vh_break brk;
	bool use_brk;
	struct vm_area_struct *got;
	/* What the reader saw while it held the VMA. */
	unsigned long start, end;
	unsigned int refcnt;
};

/*
 * The reader checks what it holds and releases it itself: a VMA read lock
 * belongs to the task that took it (lockdep).
 */
static void lk_reader(void *arg)
{
	struct lk_ctx *c = arg;
	struct vm_area_struct *vma = vma_lookup(c->mm, VH_BASE);

	/* vma_lookup() here only to find the address to stop at. */
	if (c->use_brk)
		vh_break_arm(&c->brk, &vma->vm_refcnt.refs.counter, 0);
	c->got = lock_vma_under_rcu(c->mm, c->addr);
	vh_break_disarm();
	if (c->got) {
		c->start = c->got->vm_start;
		c->end = c->got->vm_end;
		c->refcnt = refcount_read(&c->got->vm_refcnt);
		vma_end_read(c->got);
	}
}

static void lk_body(const struct lk_row *row)
{
	struct lk_ctx c = { .addr = VH_BASE + VH_PG(row->addr) };
	struct mm_struct *mm = vh_test_mm();
	struct vm_area_struct *vma, *now;
	struct vh_thread *r;

	vh_why(row->why);
	VH_ASSERT_EQ(vh_map_layout(mm, "AAAAAAAA"), 0);
	vma = vma_lookup(mm, VH_BASE);
	c.mm = mm;
	c.use_brk = row->window >= LK_WINDOW_LOCK;
	if (row->window == LK_WINDOW_WRITE_LOCKED) {
		mmap_write_lock(mm);
		vma_start_write(vma);
	}
	vh_vm_events_reset();

	r = vh_thread_start(lk_reader, &c);
	if (c.use_brk) {
		vh_break_wait(&c.brk);
		mmap_write_lock(mm);
		switch (row->window) {
		case LK_WINDOW_LOCK:
			vma_start_write(vma);
			break;
		case LK_WINDOW_UNMAP:
		case LK_WINDOW_REPLACE:
			VH_CHECK_EQ(vh_unmap(mm, VH_BASE, VH_BASE + VH_PG(8)),
				    0);
			/* Keep the freed object from being the new VMA. */
			vh_test_vma(mm);
			if (row->window == LK_WINDOW_REPLACE)
				VH_CHECK_EQ(vh_map(mm, VH_BASE,
						   VH_BASE + VH_PG(8), VH_RW), 0);
			break;
		case LK_WINDOW_UNMAP_PART:
			VH_CHECK_EQ(vh_unmap(mm, VH_BASE + VH_PG(4),
					     VH_BASE + VH_PG(8)), 0);
			break;
		case LK_WINDOW_SHRINK:
			VH_CHECK_EQ(vh_protect(mm, VH_BASE,
					       VH_BASE + VH_PG(4), VH_PROT_RO), 0);
			VH_CHECK_EQ(vma->vm_end, VH_BASE + VH_PG(4));
			VH_CHECK(vma_is_attached(vma));
			break;
		case LK_WINDOW_MOVE_UP:
			VH_CHECK_EQ(vh_protect(mm, VH_BASE + VH_PG(4),
					       VH_BASE + VH_PG(8), VH_PROT_RO), 0);
			VH_CHECK_EQ(vma->vm_start, VH_BASE + VH_PG(4));
			VH_CHECK(vma_is_attached(vma));
			break;
		default:
			break;
		}
		if (row->window != LK_WINDOW_LOCK)
			mmap_write_unlock(mm);
		vh_break_resume(&c.brk);
	}
	vh_thread_join(r);
	if (row->window == LK_WINDOW_LOCK || row->window == LK_WINDOW_WRITE_LOCKED)
		mmap_write_unlock(mm);

	now = vma_lookup(mm, VH_BASE);
	switch (row->result) {
	case LK_RESULT_NOTHING:
		VH_CHECK(c.got == NULL);
		break;
	case LK_RESULT_ORIGINAL:
		VH_CHECK(c.got == vma);
		break;
	case LK_RESULT_REPLACEMENT:
		VH_CHECK(c.got && c.got == now && c.got != vma);
		break;
	}
	if (c.got) {
		VH_CHECK(c.addr >= c.start && c.addr < c.end);
		VH_CHECK_EQ(c.refcnt, 2);
	}
	VH_CHECK_EQ(vh_vm_event(VMA_LOCK_ABORT), row->abort);
	VH_CHECK_EQ(vh_vm_event(VMA_LOCK_MISS), row->miss);
	VH_CHECK_EQ(vh_vm_event(VMA_LOCK_SUCCESS), 0);
	VH_CHECK_EQ(vh_vm_event(VMA_LOCK_RETRY), 0);
}

VH_TABLE(lookup,
	 "lock_vma_under_rcu() returns a read-locked, attached VMA of this mm that contains the address, or NULL; a VMA detached under it is retried (VMA_LOCK_MISS), any other failure is VMA_LOCK_ABORT",
	 lk_rows, lk_body);

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

	vh_why(row->why);
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
			VH_CHECK_EQ(vh_unmap(mm, VH_BASE + VH_PG(8),
					     VH_BASE + VH_PG(10)), 0);
		if (row->window == LN_WINDOW_REPLACE) {
			VH_CHECK_EQ(vh_unmap(mm, VH_BASE + VH_PG(4),
					     VH_BASE + VH_PG(6)), 0);
			vh_test_vma(mm);
			VH_CHECK_EQ(vh_map(mm, VH_BASE + VH_PG(4),
					   VH_BASE + VH_PG(6), VH_RW), 0);
		} else if (row->window == LN_WINDOW_GAP) {
			VH_CHECK_EQ(vh_map(mm, VH_BASE + VH_PG(2),
					   VH_BASE + VH_PG(3), VH_RO), 0);
		} else if (row->window == LN_WINDOW_BEHIND) {
			VH_CHECK_EQ(vh_unmap(mm, VH_BASE, VH_BASE + VH_PG(6)),
				    0);
			VH_CHECK_EQ(vh_map(mm, VH_BASE, VH_BASE + VH_PG(2),
					   VH_RW), 0);
			/* The cache reuses the last object freed: the second. */
			VH_CHECK(vma_lookup(mm, VH_BASE) == v[1]);
		}
		mmap_write_unlock(mm);
		if (r)
			vh_break_resume(&c.brk);
	}
	if (r)
		vh_thread_join(r);
	if (c.no_rcu)
		VH_CHECK(vh_expect_warn_end() > 0);
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
		vh_fail(__FILE__, __LINE__, "%s", c.behind);
	VH_CHECK_EQ(n, row->n);
	VH_CHECK_EQ(c.n, row->n);
	VH_CHECK_EQ(c.err, row->err);
	for (i = 0; i < c.n; i++) {
		VH_CHECK(i < n && c.got[i] == want[i]);
		VH_CHECK_EQ(c.refcnt[i], 2);
	}
	if (row->window == LN_WINDOW_REPLACE)
		VH_CHECK(want[1] != v[1]);
}

VH_TABLE(lock_next_vma,
	 "lock_next_vma() returns every VMA in order, read-locked: it retries when one is detached under it, and falls back to mmap_read_lock() when one is write-locked or the gap before it may have changed",
	 ln_rows, ln_body);

/* vma_start_read_locked(): under mmap_lock it cannot fail on a live VMA. */
struct rl_row {
	const char *desc;
	bool write;		/* hold mmap_lock for write instead of read */
	bool vma_locked;	/* the VMA is write-locked (by us) */
};

static const struct rl_row rl_rows[] = {
	{ .desc = "under_mmap_read_lock" },
	{ .desc = "under_mmap_write_lock", .write = true },
	{ .desc = "ignores_vma_write_lock", .write = true, .vma_locked = true },
};

static void rl_body(const struct rl_row *row)
{
	struct mm_struct *mm = vh_test_mm();
	struct vm_area_struct *vma;

	VH_ASSERT_EQ(vh_map_layout(mm, "AAAAAAAA"), 0);
	vma = vma_lookup(mm, VH_BASE);
	if (row->write)
		mmap_write_lock(mm);
	else
		mmap_read_lock(mm);
	if (row->vma_locked)
		vma_start_write(vma);
	/* Any warning fails the test. */
	VH_CHECK(vma_start_read_locked(vma));
	VH_CHECK_EQ(refcount_read(&vma->vm_refcnt), 2);
	if (row->write)
		mmap_write_unlock(mm);
	else
		mmap_read_unlock(mm);
	/* The read lock outlives mmap_lock, as its callers use it. */
	vma_assert_locked(vma);
	VH_CHECK_EQ(refcount_read(&vma->vm_refcnt), 2);
	vma_end_read(vma);
	VH_CHECK_EQ(refcount_read(&vma->vm_refcnt), 1);
}

VH_TABLE(start_read_locked,
	 "vma_start_read_locked() under mmap_lock always takes a read reference (vm_refcnt + 1), whatever the VMA's write-lock state",
	 rl_rows, rl_body);

/* lock_next_vma() outside RCU: RCU_LOCKDEP_WARN(). */
VH_NEEDS_CONFIG(rcu_warns, "lock_next_vma.outside_rcu_warns", "PROVE_RCU");
