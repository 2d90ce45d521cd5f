// SPDX-License-Identifier: GPL-2.0
/*
 * UFFDIO_MOVE, mm/userfaultfd.c from the tree: userfaultfd_move() ->
 * move_pages() -> uffd_move_lock()/uffd_move_unlock().  The dst VMA is
 * locked with uffd_lock_vma() (which prepares a missing anon_vma under
 * mmap_read_lock()), the src VMA only with lock_vma_under_rcu(), which
 * never sleeps: holding dst's VMA lock while sleeping for mmap_lock would
 * deadlock against a writer that holds mmap_lock, has write-locked src
 * and write-locks dst next.  If src cannot be had so, dst is dropped and
 * both are found and read-locked under mmap_read_lock() (dst first, src
 * nested); src in dst is dst, locked once.  Both VMAs stay read-locked
 * while the PTEs move; an error returns holding nothing.
 *
 * The layout is "AAAA-BBBB-": A (the dst) registered (MODE_MISSING), B
 * not; both have an anon_vma unless a row says.
 */
#include <errno.h>
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"
#include "../shared/env/uffd_api.h"

enum um_race {
	UM_RACE_NONE,
	UM_RACE_SRC_WRITER,	/* mmap_write_lock(), src write-locked, then dst */
	UM_RACE_DST_WRITER,	/* mmap_write_lock(), dst write-locked */
	UM_LIMIT_SRC,		/* src has all the readers it can have */
	UM_LIMIT_DST,		/* dst has all the readers it can have */
};

struct um_row {
	const char *desc;
	const char *why;
	long dst, src, pages;	/* the range, in pages from VH_BASE */
	bool fresh_dst;		/* A has no anon_vma before */
	bool unregistered;	/* A is not registered */
	enum um_race race;
	long ret;		/* the pages moved, or the error */
	unsigned long read_locks; /* its down_read()s: mmap_lock, map_changing_lock */
};

static const struct um_row um_rows[] = {
	{ .desc = "both_vmas_read_locked", .dst = 0, .src = 5, .pages = 2,
	  .ret = 2, .read_locks = 1,
	  .why = "dst by uffd_lock_vma(), src by lock_vma_under_rcu(): no mmap_lock taken" },
	{ .desc = "same_vma_locked_once", .dst = 0, .src = 2, .pages = 2,
	  .ret = 2, .read_locks = 1,
	  .why = "src_start in dst: uffd_move_lock() gives dst as src without locking it again" },
	{ .desc = "fresh_dst_prepares_under_mmap_lock", .dst = 1, .src = 6,
	  .pages = 1, .fresh_dst = true, .ret = 1, .read_locks = 2,
	  .why = "dst without an anon_vma: uffd_lock_vma() prepares it under mmap_read_lock(), then vma_start_read_locked()" },
	{ .desc = "src_write_locked_drops_dst", .dst = 0, .src = 5,
	  .pages = 1, .race = UM_RACE_SRC_WRITER, .ret = 1, .read_locks = 2,
	  .why = "lock_vma_under_rcu(src) fails: dst is dropped before mmap_read_lock(), so the writer can write-lock dst" },
	{ .desc = "dst_write_locked_waits_holding_nothing", .dst = 0,
	  .src = 5, .pages = 1, .race = UM_RACE_DST_WRITER, .ret = 1,
	  .read_locks = 2 },
	{ .desc = "src_limit_eagain_holds_nothing", .dst = 0, .src = 5,
	  .pages = 1, .race = UM_LIMIT_SRC, .ret = -EAGAIN, .read_locks = 1,
	  .why = "under mmap_read_lock() dst is locked, src is not (vma_start_read_locked_nested() fails): dst is unlocked again" },
	{ .desc = "dst_limit_eagain_holds_nothing", .dst = 0, .src = 5,
	  .pages = 1, .race = UM_LIMIT_DST, .ret = -EAGAIN, .read_locks = 1 },
	{ .desc = "no_src_vma_holds_nothing", .dst = 0, .src = 4, .pages = 1,
	  .ret = -ENOENT, .read_locks = 1,
	  .why = "lock_vma_under_rcu(src) finds nothing: dst dropped, find_vmas_mm_locked() says -ENOENT" },
	{ .desc = "no_dst_vma_holds_nothing", .dst = 9, .src = 5, .pages = 1,
	  .ret = -ENOENT, .read_locks = 1 },
	{ .desc = "src_past_end_holds_nothing", .dst = 0, .src = 7,
	  .pages = 3, .ret = -EINVAL, .read_locks = 1,
	  .why = "both locked, then move_pages() rejects the range and unlocks both" },
	{ .desc = "unregistered_holds_nothing", .dst = 0, .src = 5,
	  .pages = 1, .unregistered = true, .ret = -EINVAL, .read_locks = 1,
	  .why = "validate_move_areas(): dst is not registered with this context" },
};

struct um_ctx {
	const struct um_row *row;
	struct mm_struct *mm;
	struct userfaultfd_ctx *uctx;
	struct vm_area_struct *a, *b;
	long ret, moved;
	unsigned int refcnt_a, refcnt_b; /* as the move returns */
	int moves;
	unsigned long read_locks;
	int lock_depth, rcu_depth;
	bool locked_ok, once_ok, anon_ok;
	struct vh_break at_mmap_lock;	/* the writer rows */
};

static bool um_read_locked(struct vm_area_struct *vma)
{
	return refcount_read(&vma->vm_refcnt) >= 2 &&
	       (!vh_config_has("LOCKDEP") || lock_is_held(&vma->vmlock_dep_map));
}

/* Where the PTEs would move: both VMAs read-locked by us. */
static void um_hook(void *arg, enum vh_uffd_point point,
		    struct vm_area_struct *dst, struct vm_area_struct *src)
{
	struct um_ctx *c = arg;

	if (point != VH_UFFD_MOVE || c->moves++)
		return;
	c->locked_ok = um_read_locked(dst) && um_read_locked(src);
	c->once_ok = dst != src || refcount_read(&dst->vm_refcnt) == 2;
	c->anon_ok = dst->anon_vma != NULL;
}

static void um_mover(void *arg)
{
	struct um_ctx *c = arg;
	const struct um_row *row = c->row;
	unsigned long locks;

	/* userfaultfd_move(): no cross-mm moves. */
	current->mm = c->mm;
	locks = current->nr_read_locks;
	if (row->race == UM_RACE_SRC_WRITER || row->race == UM_RACE_DST_WRITER)
		vh_break_arm(&c->at_mmap_lock, &c->mm->mmap_lock, 0);
	c->ret = vh_uffd_move(c->uctx, VH_BASE + VH_PG(row->dst),
			      VH_BASE + VH_PG(row->src), VH_PG(row->pages),
			      &c->moved);
	/* Before the task's exit releases what it still holds. */
	c->refcnt_a = refcount_read(&c->a->vm_refcnt);
	c->refcnt_b = refcount_read(&c->b->vm_refcnt);
	c->read_locks = current->nr_read_locks - locks;
	c->lock_depth = current->lockdep_depth;
	c->rcu_depth = current->rcu_depth;
}

/*
 * The writer: mmap_lock and src (or dst) write-locked before the move.  The
 * mover stops right before it takes mmap_lock (its breakpoint); what it
 * holds there is what it would sleep holding.
 */
static void um_writer(struct um_ctx *c)
{
	const struct um_row *row = c->row;
	bool dst_free;

	vh_break_wait(&c->at_mmap_lock);
	dst_free = refcount_read(&c->a->vm_refcnt) == 1;
	VH_EXPECT_EQ_MSG(refcount_read(&c->b->vm_refcnt), 1,
			 "mm/userfaultfd.c: uffd_move_lock() sleeps for mmap_lock holding the src VMA");
	if (!dst_free)
		VH_FAIL("mm/userfaultfd.c: uffd_move_lock() sleeps for mmap_lock holding the dst VMA's read lock: a writer holding mmap_lock that write-locks dst deadlocks (src must be taken with lock_vma_under_rcu() only, dst dropped before mmap_read_lock())");
	vh_break_resume(&c->at_mmap_lock);
	/* The writer's next step, which the mover must not hold up. */
	if (row->race == UM_RACE_SRC_WRITER && dst_free)
		vma_start_write(c->a);
	mmap_write_unlock(c->mm);
}

/* Take back the readers a limit row pretended. */
static void um_unlimit(struct vm_area_struct *vma)
{
	unsigned int n = refcount_read(&vma->vm_refcnt);

	if (n >= VM_REFCNT_LIMIT)
		refcount_set(&vma->vm_refcnt, n - (VM_REFCNT_LIMIT - 1));
}

static void um_body(const struct um_row *row)
{
	struct um_ctx *c = vh_test_alloc(sizeof(*c));
	struct vh_thread *t;

	vh_why(row->why);
	c->row = row;
	c->mm = vh_test_mm();
	VH_ASSERT_EQ(vh_map_layout(c->mm, "AAAA-BBBB-"), 0);
	vh_test_uffd(c->mm, &c->uctx);
	if (!row->unregistered)
		VH_ASSERT_EQ(vh_uffd_register(c->uctx, VH_BASE, VH_PG(4),
					      UFFDIO_REGISTER_MODE_MISSING), 0);
	c->a = vma_lookup(c->mm, VH_BASE);
	c->b = vma_lookup(c->mm, VH_BASE + VH_PG(5));
	VH_ASSERT(c->a && c->b);
	mmap_read_lock(c->mm);
	if (!row->fresh_dst)
		VH_ASSERT_EQ(anon_vma_prepare(c->a), 0);
	VH_ASSERT_EQ(anon_vma_prepare(c->b), 0);
	mmap_read_unlock(c->mm);
	vh_uffd_set_hook(um_hook, c, 0);

	switch (row->race) {
	case UM_RACE_SRC_WRITER:
	case UM_RACE_DST_WRITER:
		mmap_write_lock(c->mm);
		vma_start_write(row->race == UM_RACE_SRC_WRITER ? c->b : c->a);
		break;
	case UM_LIMIT_SRC:
		refcount_set(&c->b->vm_refcnt, VM_REFCNT_LIMIT);
		break;
	case UM_LIMIT_DST:
		refcount_set(&c->a->vm_refcnt, VM_REFCNT_LIMIT);
		break;
	case UM_RACE_NONE:
		break;
	}
	t = vh_thread_start(um_mover, c);
	if (row->race == UM_RACE_SRC_WRITER || row->race == UM_RACE_DST_WRITER)
		um_writer(c);
	vh_thread_join(t);
	vh_uffd_set_hook(NULL, NULL, 0);
	/* The readers of the limit rows were never real. */
	if (row->race == UM_LIMIT_SRC || row->race == UM_LIMIT_DST) {
		if (row->race == UM_LIMIT_SRC)
			c->refcnt_b -= VM_REFCNT_LIMIT - 1;
		else
			c->refcnt_a -= VM_REFCNT_LIMIT - 1;
		um_unlimit(c->a);
		um_unlimit(c->b);
	}

	VH_EXPECT_EQ(c->ret, row->ret > 0 ? 0 : row->ret);
	VH_EXPECT_EQ(c->moved, row->ret > 0 ? row->ret * (long)PAGE_SIZE : row->ret);
	if (row->ret > 0) {
		VH_EXPECT_EQ(c->moves, row->ret);
		VH_EXPECT_TRUE_MSG(c->locked_ok,
				   "mm/userfaultfd.c: the dst and src VMAs are not both read-locked by the moving task while its PTEs move");
		VH_EXPECT_TRUE_MSG(c->once_ok,
				   "mm/userfaultfd.c: src in dst: the one VMA is read-locked more than once (uffd_move_lock() must give dst as src)");
		VH_EXPECT_TRUE_MSG(c->anon_ok,
				   "mm/userfaultfd.c: the dst VMA has no anon_vma when PTEs move into it: uffd_lock_vma() must prepare it under mmap_read_lock()");
	} else {
		VH_EXPECT_EQ(c->moves, 0);
	}
	VH_EXPECT_EQ_MSG(c->read_locks, row->read_locks,
			 "the move's down_read()s (mmap_lock, map_changing_lock)");
	/* Whatever the outcome, nothing is left held. */
	VH_EXPECT_EQ_MSG(c->refcnt_a, 1,
			 "mm/userfaultfd.c: the move returned %ld with the dst VMA still read-locked",
			 c->moved);
	VH_EXPECT_EQ_MSG(c->refcnt_b, 1,
			 "mm/userfaultfd.c: the move returned %ld with the src VMA still read-locked",
			 c->moved);
	VH_EXPECT_EQ_MSG(c->lock_depth, 0, "the locks the move returned holding");
	VH_EXPECT_EQ(refcount_read(&c->a->vm_refcnt), 1);
	VH_EXPECT_EQ(refcount_read(&c->b->vm_refcnt), 1);
	VH_EXPECT_EQ(c->rcu_depth, 0);
	VH_EXPECT_FALSE(rwsem_is_locked(&c->mm->mmap_lock));
	VH_EXPECT_FALSE(rwsem_is_locked(&c->uctx->map_changing_lock));
}

VH_TABLE(uffd_move,
	 "mm/userfaultfd.c: UFFDIO_MOVE (move_pages()) keeps dst and src read-locked while moving PTEs (uffd_move_lock(): src in dst locked once), never sleeps for mmap_lock holding a VMA lock, falls back to mmap_read_lock() for both, and returns an error holding nothing",
	 um_rows, um_body);
