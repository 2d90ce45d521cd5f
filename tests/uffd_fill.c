// SPDX-License-Identifier: GPL-2.0
/*
 * UFFDIO_COPY and UFFDIO_ZEROPAGE, mm/userfaultfd.c from the tree:
 * userfaultfd_copy() -> mfill_atomic() -> mfill_get_vma() ->
 * uffd_mfill_lock() -> uffd_lock_vma().  The dst VMA is found with
 * lock_vma_under_rcu() and stays read-locked while the PTEs are
 * installed; a private VMA without an anon_vma is dropped and found again
 * under mmap_read_lock(), where anon_vma_prepare() runs, then read-locked
 * with vma_start_read_locked() before mmap_lock is released; a range that
 * does not fit the VMA, or a VMA not registered, is -ENOENT with nothing
 * held.  A copy that faults under the lock drops its locks and retakes
 * them (mfill_copy_folio_retry()).  A writer on the VMA waits for the fill.
 *
 * The layout is "AAAA--": A registered (MODE_MISSING) unless a row says.
 */
#include <errno.h>
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"
#include "../shared/env/uffd_api.h"

enum uf_op {
	UF_COPY,
	UF_ZEROPAGE,
};

enum uf_race {
	UF_RACE_NONE,
	UF_RACE_WRITE_LOCKED,	/* A write-locked (mmap_lock held) before */
	UF_RACE_WRITER,		/* mprotect() of A while the fill installs */
};

struct uf_row {
	const char *desc;
	const char *why;
	enum uf_op op;
	bool anon_vma;		/* A has an anon_vma before */
	bool unregistered;	/* A is not registered */
	long page, pages;	/* the range, in pages from VH_BASE */
	int copy_faults;	/* copies under the lock that fault */
	enum uf_race race;
	long ret;		/* the bytes done, or the error */
	unsigned long read_locks; /* its down_read()s: mmap_lock, map_changing_lock */
};

static const struct uf_row uf_rows[] = {
	{ .desc = "copy_vma_locked", .anon_vma = true, .page = 1,
	  .pages = 2, .ret = 2, .read_locks = 1 },
	{ .desc = "zeropage_vma_locked", .op = UF_ZEROPAGE, .anon_vma = true,
	  .page = 0, .pages = 4, .ret = 4, .read_locks = 1 },
	{ .desc = "fresh_private_prepares_under_mmap_lock", .page = 0,
	  .pages = 1, .ret = 1,
	  .why = "no anon_vma: uffd_lock_vma() drops the VMA lock, prepares it under mmap_read_lock() and read-locks the VMA with vma_start_read_locked()", .read_locks = 2 },
	{ .desc = "zeropage_fresh_private", .op = UF_ZEROPAGE, .page = 2,
	  .pages = 2, .ret = 2, .read_locks = 2 },
	{ .desc = "range_past_vma_end_holds_nothing", .anon_vma = true,
	  .page = 2, .pages = 3, .ret = -ENOENT,
	  .why = "validate_dst_vma() fails: uffd_mfill_lock() drops the VMA lock and returns -ENOENT" },
	{ .desc = "unregistered_holds_nothing", .anon_vma = true,
	  .unregistered = true, .page = 0, .pages = 1, .ret = -ENOENT },
	{ .desc = "fresh_past_end_holds_nothing", .page = 3, .pages = 2,
	  .ret = -ENOENT, .read_locks = 1 },
	{ .desc = "no_vma_holds_nothing", .page = 4, .pages = 1,
	  .ret = -ENOENT,
	  .why = "lock_vma_under_rcu() finds nothing: find_vma_and_prepare_anon() under mmap_read_lock() says -ENOENT", .read_locks = 1 },
	{ .desc = "copy_faults_retries_unlocked", .anon_vma = true,
	  .page = 0, .pages = 2, .copy_faults = 1, .ret = 2,
	  .why = "mfill_copy_folio_retry(): the locks dropped for the copy, the VMA found and read-locked again", .read_locks = 2 },
	{ .desc = "writer_waits_for_fill", .anon_vma = true, .page = 0,
	  .pages = 1, .race = UF_RACE_WRITER, .ret = 1,
	  .why = "mprotect() must write-lock A, which waits until the fill drops its read lock", .read_locks = 1 },
};

struct uf_ctx {
	const struct uf_row *row;
	struct mm_struct *mm;
	struct userfaultfd_ctx *uctx;
	struct vm_area_struct *a;
	long ret, done;
	unsigned int refcnt;	/* the dst VMA's, as the fill returns */
	int installs;
	unsigned long read_locks;
	int lock_depth, rcu_depth;
	bool locked_ok, anon_ok;
	struct vh_event installing;
	struct vh_event go_on;
};

/* Where the PTE would be installed: the dst VMA read-locked by us. */
static void uf_hook(void *arg, enum vh_uffd_point point,
		    struct vm_area_struct *dst, struct vm_area_struct *src)
{
	struct uf_ctx *c = arg;

	(void)src;
	if (point != VH_UFFD_INSTALL)
		return;
	if (!c->installs++) {
		c->locked_ok = refcount_read(&dst->vm_refcnt) >= 2 &&
			(!vh_config_has("LOCKDEP") ||
			 lock_is_held(&dst->vmlock_dep_map));
		c->anon_ok = dst->anon_vma != NULL;
	}
	if (c->row->race == UF_RACE_WRITER && c->installs == 1) {
		vh_event_signal(&c->installing);
		vh_event_wait(&c->go_on);
	}
}

static void uf_filler(void *arg)
{
	struct uf_ctx *c = arg;
	const struct uf_row *row = c->row;
	unsigned long start = VH_BASE + row->page * PAGE_SIZE;
	unsigned long len = row->pages * PAGE_SIZE;
	unsigned long locks;

	current->mm = c->mm;
	locks = current->nr_read_locks;
	if (row->op == UF_COPY)
		c->ret = vh_uffd_copy(c->uctx, start, VH_BASE + VH_PG(40), len,
				      &c->done);
	else
		c->ret = vh_uffd_zeropage(c->uctx, start, len, &c->done);
	/*
	 * Before the task's exit releases what it still holds; a writer
	 * waiting on the VMA adds its flag, so the rows with one say 1.
	 */
	c->refcnt = row->race != UF_RACE_NONE ? 1 : refcount_read(&c->a->vm_refcnt);
	c->read_locks = current->nr_read_locks - locks;
	c->lock_depth = current->lockdep_depth;
	c->rcu_depth = current->rcu_depth;
}

static void uf_body(const struct uf_row *row)
{
	struct uf_ctx *c = vh_test_alloc(sizeof(*c));
	struct vh_thread *t;

	vh_why(row->why);
	c->row = row;
	c->mm = vh_test_mm();
	VH_ASSERT_EQ(vh_map_layout(c->mm, "AAAA--"), 0);
	c->a = vma_lookup(c->mm, VH_BASE);
	VH_ASSERT(c->a);
	if (row->anon_vma) {
		mmap_read_lock(c->mm);
		VH_ASSERT_EQ(anon_vma_prepare(c->a), 0);
		mmap_read_unlock(c->mm);
	}
	vh_test_uffd(c->mm, &c->uctx);
	if (!row->unregistered)
		VH_ASSERT_EQ(vh_uffd_register(c->uctx, VH_BASE, VH_PG(4),
					      UFFDIO_REGISTER_MODE_MISSING), 0);
	c->a = vma_lookup(c->mm, VH_BASE);
	vh_uffd_set_hook(uf_hook, c, row->copy_faults);

	if (row->race == UF_RACE_WRITE_LOCKED) {
		mmap_write_lock(c->mm);
		vma_start_write(c->a);
	}
	t = vh_thread_start(uf_filler, c);
	if (row->race == UF_RACE_WRITE_LOCKED) {
		VH_ASSERT(vh_wait_until_sleeping(vh_thread_task(t), 0));
		mmap_write_unlock(c->mm);
	}
	if (row->race == UF_RACE_WRITER) {
		struct vm_area_struct *a = c->a;
		bool waited;

		vh_event_wait(&c->installing);
		/* The writer's own first step: mmap_lock, then A's lock. */
		mmap_write_lock(c->mm);
		waited = refcount_read(&a->vm_refcnt) >= 2;
		vh_event_signal(&c->go_on);
		vma_start_write(a);
		mmap_write_unlock(c->mm);
		VH_EXPECT_TRUE_MSG(waited,
				   "the VMA was not read-locked while the fill installed its PTEs");
	}
	vh_thread_join(t);
	vh_uffd_set_hook(NULL, NULL, 0);

	VH_EXPECT_EQ(c->ret < 0 ? c->ret : c->done / (long)PAGE_SIZE,
		     row->ret);
	if (row->ret > 0) {
		VH_EXPECT_EQ(c->done, row->ret * (long)PAGE_SIZE);
		VH_EXPECT_EQ(c->installs, row->ret);
		VH_EXPECT_TRUE_MSG(c->locked_ok,
				   "mm/userfaultfd.c: the dst VMA is not read-locked by the filling task while its PTEs are installed");
		VH_EXPECT_TRUE_MSG(c->anon_ok,
				   "mm/userfaultfd.c: a private VMA has no anon_vma when the fill installs a PTE: uffd_lock_vma() must send a VMA without one to mmap_read_lock() to prepare it");
	} else {
		VH_EXPECT_EQ(c->installs, 0);
	}
	VH_EXPECT_EQ_MSG(c->read_locks, row->read_locks,
			 "the fill's down_read()s (mmap_lock, map_changing_lock)");
	/* Whatever the outcome, nothing is left held. */
	VH_EXPECT_EQ_MSG(c->refcnt, 1,
			 "mm/userfaultfd.c: the fill returned %ld with the dst VMA still read-locked",
			 c->ret);
	VH_EXPECT_EQ_MSG(c->lock_depth, 0, "the locks the fill returned holding");
	c->a = vma_lookup(c->mm, VH_BASE);
	VH_EXPECT_EQ(refcount_read(&c->a->vm_refcnt), 1);
	VH_EXPECT_EQ(c->rcu_depth, 0);
	VH_EXPECT_FALSE(rwsem_is_locked(&c->mm->mmap_lock));
	VH_EXPECT_FALSE(rwsem_is_locked(&c->uctx->map_changing_lock));
	vh_uffd_release(c->uctx);
	c->uctx = NULL;
	VH_EXPECT_NULL(vh_uffd_vma_ctx(vma_lookup(c->mm, VH_BASE)));
}

VH_TABLE(uffd_fill,
	 "mm/userfaultfd.c: UFFDIO_COPY/ZEROPAGE (mfill_atomic()) keep the dst VMA read-locked (uffd_mfill_lock()) while installing PTEs, prepare a missing anon_vma only under mmap_read_lock() before vma_start_read_locked(), and return an error holding no VMA lock, mmap_lock or map_changing_lock",
	 uf_rows, uf_body);
