// SPDX-License-Identifier: GPL-2.0
/*
 * binder's two VMA users, drivers/android/binder_alloc.c's own
 * binder_page_insert() (a page put into the binder VMA for a transaction)
 * and binder_alloc_free_page() (the shrinker taking an unused page back):
 * each looks the VMA up with lock_vma_under_rcu() and falls back to
 * mmap_lock (mmap_read_lock() for the insert, mmap_read_trylock() for
 * the shrinker, which must not sleep) and vma_lookup(); the binder VMA
 * must be the alloc's (binder_alloc_is_mapped()) while it is locked, and
 * vm_insert_page()/zap_vma_range() run only on a VMA held stable (their
 * stand-ins assert vma_assert_stabilised()); every path returns holding
 * neither the VMA lock nor mmap_lock, and the shrinker's the list lock as
 * list_lru_walk() expects it.
 *
 * The layout is "--BBBB--": the binder VMA B (VM_MIXEDMAP, as
 * binder_alloc_mmap_handler() makes it) at pages 2 to 5.
 */
#include <errno.h>
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"
#include "../shared/env/binder.h"

#define BA_LAYOUT	"--BBBB--"
#define BA_START	2
#define BA_PAGES	4

enum ba_fn {
	BA_INSERT,		/* binder_page_insert() */
	BA_FREE,		/* binder_alloc_free_page() */
};

enum ba_state {
	BA_QUIET,
	BA_CLOSED,		/* binder_alloc_vma_close(): not mapped */
	BA_GONE,		/* the VMA unmapped, the alloc still mapped */
	BA_LOCKED,		/* B write-locked, mmap_lock held for write */
	BA_LIMIT,		/* B has all the readers it can have */
	BA_MUTEX_BUSY,		/* alloc->mutex held */
	BA_MM_DEAD,		/* mm_users is 0 */
	BA_CLOSED_IN_WINDOW,	/* closed after the lookup found B */
};

struct ba_row {
	const char *desc;
	const char *why;
	enum ba_fn fn;
	enum ba_state state;
	int page;		/* B's page the call is for */
	int ret;		/* BA_INSERT: the errno; BA_FREE: 1 removed */
	int touched;		/* vm_insert_page()s or zap_vma_range()s */
	unsigned long fallbacks; /* mmap_read_lock()s taken */
};

static const struct ba_row ba_rows[] = {
	{ .desc = "insert", .fn = BA_INSERT, .page = 1, .touched = 1 },
	{ .desc = "insert_closed", .fn = BA_INSERT, .state = BA_CLOSED,
	  .ret = -ESRCH,
	  .why = "the VMA is read-locked but no longer the alloc's: nothing is inserted" },
	{ .desc = "insert_no_vma_falls_back", .fn = BA_INSERT,
	  .state = BA_GONE, .ret = -ESRCH, .fallbacks = 1 },
	{ .desc = "insert_locked_falls_back", .fn = BA_INSERT,
	  .state = BA_LOCKED, .page = 2, .touched = 1, .fallbacks = 1,
	  .why = "B is write-locked: the insert waits in mmap_read_lock() and inserts under it" },
	{ .desc = "insert_limit_falls_back", .fn = BA_INSERT,
	  .state = BA_LIMIT, .page = 3, .touched = 1, .fallbacks = 1 },
	{ .desc = "insert_closed_in_window", .fn = BA_INSERT,
	  .state = BA_CLOSED_IN_WINDOW, .ret = -ESRCH,
	  .why = "the alloc is closed after lock_vma_under_rcu() found B: the check under the lock sees it" },
	{ .desc = "free", .fn = BA_FREE, .page = 1, .ret = 1, .touched = 1 },
	{ .desc = "free_closed", .fn = BA_FREE, .state = BA_CLOSED,
	  .ret = 0,
	  .why = "the VMA is read-locked but no longer the alloc's: the page is skipped, with the VMA lock dropped" },
	{ .desc = "free_no_vma_falls_back", .fn = BA_FREE, .state = BA_GONE,
	  .ret = 1, .fallbacks = 1,
	  .why = "no VMA, found under mmap_read_trylock(): the page is freed with nothing to zap" },
	{ .desc = "free_locked_skips", .fn = BA_FREE, .state = BA_LOCKED,
	  .ret = 0,
	  .why = "B is write-locked and mmap_lock held: the shrinker does not wait (mmap_read_trylock() fails)" },
	{ .desc = "free_limit_falls_back", .fn = BA_FREE, .state = BA_LIMIT,
	  .page = 2, .ret = 1, .touched = 1, .fallbacks = 1 },
	{ .desc = "free_mutex_busy", .fn = BA_FREE, .state = BA_MUTEX_BUSY,
	  .ret = 0,
	  .why = "alloc->mutex is held: the page is skipped, with the VMA lock dropped" },
	{ .desc = "free_mutex_busy_falls_back", .fn = BA_FREE,
	  .state = BA_MUTEX_BUSY, .page = 3, .ret = 0, .fallbacks = 1,
	  .why = "B cannot be read-locked, then alloc->mutex is held: the page is skipped, with mmap_lock dropped" },
	{ .desc = "free_mm_dead", .fn = BA_FREE, .state = BA_MM_DEAD,
	  .ret = 0 },
	{ .desc = "free_closed_in_window", .fn = BA_FREE,
	  .state = BA_CLOSED_IN_WINDOW, .ret = 0 },
};

struct ba_ctx {
	const struct ba_row *row;
	struct mm_struct *mm;
	struct vh_binder *b;
	struct vh_break brk;
	const volatile void *stop_at;
	unsigned long addr;
	int ret;
	bool lru_locked;
	unsigned long fallbacks;
	int rcu_depth, lock_depth, read_held;
};

static void ba_call(void *arg)
{
	struct ba_ctx *c = arg;
	unsigned long locks = current->nr_read_locks;

	if (c->stop_at)
		vh_break_arm(&c->brk, c->stop_at, 0);
	if (c->row->fn == BA_INSERT)
		c->ret = vh_binder_page_insert(c->b, c->addr);
	else
		c->ret = vh_binder_free_page(c->b, c->row->page,
					     &c->lru_locked);
	vh_break_disarm();
	c->fallbacks = current->nr_read_locks - locks;
	c->rcu_depth = current->rcu_depth;
	c->lock_depth = current->lockdep_depth;
	c->read_held = current->nr_read_held;
}

static void ba_release(void *arg)
{
	vh_binder_release(arg);
}

static void ba_body(const struct ba_row *row)
{
	struct ba_ctx *c = vh_test_alloc(sizeof(*c));
	struct mm_struct *mm = vh_test_mm();
	struct vm_area_struct *vma;
	struct vh_binder_seen seen;
	struct vh_thread *r;
	int users;

	vh_why(row->why);
	c->row = row;
	c->mm = mm;
	c->addr = VH_BASE + VH_PG(BA_START + row->page);
	mmap_write_lock(mm);
	VH_ASSERT_EQ(vh_map(mm, VH_BASE + VH_PG(BA_START),
			    VH_BASE + VH_PG(BA_START + BA_PAGES),
			    VH_RO | VM_MIXEDMAP | VM_DONTCOPY), 0);
	mmap_write_unlock(mm);
	vma = vma_lookup(mm, c->addr);
	VH_ASSERT(vma);
	c->b = vh_binder_new(mm, vma->vm_start, BA_PAGES);
	vh_defer(ba_release, c->b);
	users = atomic_read(&mm->mm_users);

	switch (row->state) {
	case BA_CLOSED:
		vh_binder_vma_close(c->b);
		break;
	case BA_GONE:
		mmap_write_lock(mm);
		VH_ASSERT_EQ(vh_unmap(mm, vma->vm_start, vma->vm_end), 0);
		mmap_write_unlock(mm);
		vma = NULL;
		break;
	case BA_LOCKED:
		mmap_write_lock(mm);
		vma_start_write(vma);
		/* The insert stops where it falls back to mmap_lock. */
		if (row->fn == BA_INSERT)
			c->stop_at = &mm->mmap_lock;
		break;
	case BA_LIMIT:
		refcount_set(&vma->vm_refcnt, VM_REFCNT_LIMIT);
		break;
	case BA_MUTEX_BUSY:
		vh_binder_lock(c->b, true);
		if (row->fallbacks)
			refcount_set(&vma->vm_refcnt, VM_REFCNT_LIMIT);
		break;
	case BA_MM_DEAD:
		atomic_set(&mm->mm_users, 0);
		break;
	case BA_CLOSED_IN_WINDOW:
		c->stop_at = &vma->vm_refcnt.refs.counter;
		break;
	default:
		break;
	}

	r = vh_thread_start(ba_call, c);
	if (c->stop_at) {
		vh_break_wait(&c->brk);
		if (row->state == BA_CLOSED_IN_WINDOW)
			vh_binder_vma_close(c->b);
		vh_break_resume(&c->brk);
		if (row->state == BA_LOCKED)
			mmap_write_unlock(mm);
	}
	vh_thread_join(r);
	if (row->state == BA_LOCKED && row->fn != BA_INSERT)
		mmap_write_unlock(mm);
	if (row->state == BA_LIMIT ||
	    (row->state == BA_MUTEX_BUSY && row->fallbacks))
		refcount_set(&vma->vm_refcnt, 1);
	if (row->state == BA_MUTEX_BUSY)
		vh_binder_lock(c->b, false);
	if (row->state == BA_MM_DEAD)
		atomic_set(&mm->mm_users, users);

	VH_EXPECT_EQ_MSG(c->lock_depth, 0,
			 "binder returned holding %d lock(s)", c->lock_depth);
	VH_EXPECT_EQ_MSG(c->read_held, 0,
			 "binder returned holding mmap_lock");
	VH_CHECK_EQ(c->rcu_depth, 0);
	VH_CHECK_EQ(c->ret, row->ret);
	VH_CHECK_EQ(c->fallbacks, row->fallbacks);
	VH_CHECK_EQ(atomic_read(&mm->mm_users), users);
	vh_binder_seen(&seen);
	if (row->fn == BA_INSERT) {
		VH_EXPECT_EQ_MSG(seen.inserts, row->touched,
				 "vm_insert_page() called %d time(s), want %d",
				 seen.inserts, row->touched);
	} else {
		VH_EXPECT_EQ_MSG(seen.zaps, row->touched,
				 "zap_vma_range() called %d time(s), want %d",
				 seen.zaps, row->touched);
		VH_EXPECT_EQ_MSG(c->lru_locked, !row->ret,
				 "the list lock is %s after the shrinker's callback returned %d",
				 c->lru_locked ? "held" : "not held", c->ret);
		VH_CHECK_EQ(vh_binder_page_installed(c->b, row->page),
			    !row->ret);
		VH_CHECK_EQ(seen.freed, row->ret);
	}
	if (row->touched) {
		VH_EXPECT_TRUE(seen.vma == vma);
		VH_CHECK_EQ(seen.addr, c->addr);
	}
}

VH_TABLE_SKIP(binder_alloc_vma,
	      "drivers/android/binder_alloc.c, mm/mmap_lock.c: binder_page_insert() and binder_alloc_free_page() find the binder VMA with lock_vma_under_rcu() or, failing that, under mmap_read_lock()/mmap_read_trylock() with vma_lookup(); they check that it is still the alloc's while it is locked, insert or zap only on a VMA held stable, and return holding neither the VMA lock nor mmap_lock",
	      ba_rows, ba_body, VH_BINDER_SKIP);
