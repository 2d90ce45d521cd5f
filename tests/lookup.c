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
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"

enum lk_window {
	NONE,		/* no interference */
	WRITE_LOCKED,	/* the VMA is write-locked before the lookup */
	LOCK,		/* window: a writer write-locks the VMA (and holds it) */
	UNMAP,		/* window: the VMA is unmapped */
	REPLACE,	/* window: unmapped and the range mapped anew */
	UNMAP_PART,	/* window: the part holding the address is unmapped */
	SHRINK,		/* window: the VMA shrinks below the address */
};

enum lk_result { NOTHING, ORIGINAL, REPLACEMENT };

struct lk_row {
	const char *desc;
	unsigned long addr;	/* page offset from VH_BASE */
	enum lk_window window;
	enum lk_result result;
	unsigned long abort, miss;
};

static const struct lk_row lk_rows[] = {
	{ "found",			2,  NONE,	  ORIGINAL,    0, 0 },
	{ "found_last_page",		7,  NONE,	  ORIGINAL,    0, 0 },
	{ "gap_no_vma",			8,  NONE,	  NOTHING,     1, 0 },
	{ "below_first_vma",		-1, NONE,	  NOTHING,     1, 0 },
	{ "write_locked_aborts",	2,  WRITE_LOCKED, NOTHING,     1, 0 },
	{ "locked_in_window_aborts",	2,  LOCK,	  NOTHING,     1, 0 },
	{ "detached_in_window_misses",	2,  UNMAP,	  NOTHING,     1, 1 },
	{ "replaced_in_window_retries",	2,  REPLACE,	  REPLACEMENT, 0, 1 },
	/* munmap() removes the original object: the reader sees it detached. */
	{ "part_unmapped_in_window",	6,  UNMAP_PART,	  NOTHING,     1, 1 },
	/* mprotect() of the lower half shrinks the original object in place. */
	{ "shrunk_below_address_aborts", 6, SHRINK,	  NOTHING,     1, 0 },
};

struct lk_ctx {
	struct mm_struct *mm;
	unsigned long addr;
	struct vh_break brk;
	bool use_brk;
	struct vm_area_struct *got;
};

static void lk_reader(void *arg)
{
	struct lk_ctx *c = arg;
	struct vm_area_struct *vma = vma_lookup(c->mm, VH_BASE);

	/* vma_lookup() here only to find the address to stop at. */
	if (c->use_brk)
		vh_break_arm(&c->brk, &vma->vm_refcnt.refs.counter, 0);
	c->got = lock_vma_under_rcu(c->mm, c->addr);
	vh_break_disarm();
}

static void lk_body(const struct lk_row *row)
{
	struct lk_ctx c = { .addr = VH_BASE + VH_PG(row->addr) };
	struct vm_area_struct *vma, *absorb = NULL, *now;
	struct vh_fixture f;
	struct vh_thread *r;

	vh_fixture_init(&f);
	vma = f.vma;
	c.mm = f.mm;
	c.use_brk = row->window >= LOCK;
	if (row->window == WRITE_LOCKED) {
		mmap_write_lock(f.mm);
		vma_start_write(vma);
	}
	vh_vm_events_reset();

	r = vh_thread_start(lk_reader, &c);
	if (c.use_brk) {
		vh_break_wait(&c.brk);
		mmap_write_lock(f.mm);
		switch (row->window) {
		case LOCK:
			vma_start_write(vma);
			break;
		case UNMAP:
		case REPLACE:
			VH_CHECK_EQ(vh_unmap(f.mm, VH_BASE, VH_BASE + VH_PG(8)),
				    0);
			/* Keep the freed object from being the new VMA. */
			absorb = vm_area_alloc(f.mm);
			if (row->window == REPLACE)
				VH_CHECK_EQ(vh_map(f.mm, VH_BASE,
						   VH_BASE + VH_PG(8), VH_RW), 0);
			break;
		case UNMAP_PART:
			VH_CHECK_EQ(vh_unmap(f.mm, VH_BASE + VH_PG(4),
					     VH_BASE + VH_PG(8)), 0);
			break;
		case SHRINK:
			VH_CHECK_EQ(vh_protect(f.mm, VH_BASE,
					       VH_BASE + VH_PG(4), VH_PROT_RO), 0);
			VH_CHECK_EQ(vma->vm_end, VH_BASE + VH_PG(4));
			VH_CHECK(vma_is_attached(vma));
			break;
		default:
			break;
		}
		if (row->window != LOCK)
			mmap_write_unlock(f.mm);
		vh_break_resume(&c.brk);
	}
	vh_thread_join(r);
	if (row->window == LOCK || row->window == WRITE_LOCKED)
		mmap_write_unlock(f.mm);

	now = vma_lookup(f.mm, VH_BASE);
	switch (row->result) {
	case NOTHING:
		VH_CHECK(c.got == NULL);
		break;
	case ORIGINAL:
		VH_CHECK(c.got == vma);
		break;
	case REPLACEMENT:
		VH_CHECK(c.got && c.got == now && c.got != vma);
		break;
	}
	if (c.got) {
		VH_CHECK(c.addr >= c.got->vm_start && c.addr < c.got->vm_end);
		VH_CHECK_EQ(refcount_read(&c.got->vm_refcnt), 2);
		vma_end_read(c.got);
	}
	VH_CHECK_EQ(vh_vm_event(VMA_LOCK_ABORT), row->abort);
	VH_CHECK_EQ(vh_vm_event(VMA_LOCK_MISS), row->miss);
	VH_CHECK_EQ(vh_vm_event(VMA_LOCK_SUCCESS), 0);
	VH_CHECK_EQ(vh_vm_event(VMA_LOCK_RETRY), 0);
	if (absorb)
		vm_area_free(absorb);
	vh_fixture_fini(&f);
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
 * The layout is three VMAs [0, 2) [4, 6) [8, 10) (pages from VH_BASE); the
 * reader stops, by breakpoint, right before it takes the second one.
 */
enum ln_window {
	LN_NONE,
	LN_LOCKED,	/* the second VMA is write-locked before the walk */
	LN_REPLACE,	/* window: the second VMA is unmapped and mapped anew */
	LN_GAP,		/* window: a VMA appears in the gap before it */
	LN_KILLED,	/* write-locked, and the reader is killed in the fallback */
};

struct ln_row {
	const char *desc;
	enum ln_window window;
	int n;		/* VMAs the walk returns */
	int err;	/* how the walk ends: 0 (NULL) or an errno */
};

static const struct ln_row ln_rows[] = {
	{ "walk_all",			LN_NONE,    3, 0 },
	{ "locked_falls_back",		LN_LOCKED,  3, 0 },
	{ "detached_retries",		LN_REPLACE, 3, 0 },
	{ "gap_filled_falls_back",	LN_GAP,	    4, 0 },
	{ "killed_in_fallback_eintr",	LN_KILLED,  1, -EINTR },
};

struct ln_ctx {
	struct mm_struct *mm;
	struct vh_break brk;
	const volatile void *stop_at;
	struct vm_area_struct *got[5];
	int n;
	int err;
};

static void ln_reader(void *arg)
{
	struct ln_ctx *c = arg;
	struct vm_area_struct *vma;
	unsigned long addr = 0;
	VMA_ITERATOR(vmi, c->mm, 0);

	if (c->stop_at)
		vh_break_arm(&c->brk, c->stop_at, 0);
	rcu_read_lock();
	while (c->n < 5) {
		vma = lock_next_vma(c->mm, &vmi, addr);
		if (IS_ERR_OR_NULL(vma)) {
			c->err = PTR_ERR_OR_ZERO(vma);
			break;
		}
		c->got[c->n++] = vma;
		addr = vma->vm_end;
	}
	rcu_read_unlock();
	vh_break_disarm();
}

static void ln_body(const struct ln_row *row)
{
	struct ln_ctx c = { };
	struct vm_area_struct *v[3], *absorb = NULL, *want[4];
	struct mm_struct *mm = vh_mm_new();
	struct vh_thread *r;
	int i, n = 0;

	c.mm = mm;
	mmap_write_lock(mm);
	for (i = 0; i < 3; i++) {
		unsigned long s = VH_BASE + VH_PG(4 * i);

		VH_ASSERT_EQ(vh_map(mm, s, s + VH_PG(2), VH_RW), 0);
		v[i] = vma_lookup(mm, s);
	}
	/* New VMAs are write-locked until their mmap write section ends. */
	mmap_write_unlock(mm);
	if (row->window == LN_LOCKED || row->window == LN_KILLED) {
		mmap_write_lock(mm);
		vma_start_write(v[1]);
		/* The reader reaches mmap_read_lock(): the fallback. */
		c.stop_at = &mm->mmap_lock;
	} else if (row->window != LN_NONE) {
		c.stop_at = &v[1]->vm_refcnt.refs.counter;
	}

	r = vh_thread_start(ln_reader, &c);
	if (c.stop_at) {
		vh_break_wait(&c.brk);
		if (row->window == LN_KILLED) {
			/* SIGKILL while it waits for mmap_lock: -EINTR. */
			vh_task_kill(vh_thread_task(r));
			vh_break_resume(&c.brk);
			vh_thread_join(r);
			r = NULL;
		} else if (row->window != LN_LOCKED) {
			mmap_write_lock(mm);
		}
		if (row->window == LN_REPLACE) {
			VH_CHECK_EQ(vh_unmap(mm, VH_BASE + VH_PG(4),
					     VH_BASE + VH_PG(6)), 0);
			absorb = vm_area_alloc(mm);
			VH_CHECK_EQ(vh_map(mm, VH_BASE + VH_PG(4),
					   VH_BASE + VH_PG(6), VH_RW), 0);
		} else if (row->window == LN_GAP) {
			VH_CHECK_EQ(vh_map(mm, VH_BASE + VH_PG(2),
					   VH_BASE + VH_PG(3), VH_RO), 0);
		}
		mmap_write_unlock(mm);
		if (r)
			vh_break_resume(&c.brk);
	}
	if (r)
		vh_thread_join(r);

	want[n++] = v[0];
	if (row->window == LN_GAP)
		want[n++] = vma_lookup(mm, VH_BASE + VH_PG(2));
	want[n++] = vma_lookup(mm, VH_BASE + VH_PG(4));
	want[n++] = v[2];
	if (row->window == LN_KILLED)
		n = 1;
	VH_CHECK_EQ(n, row->n);
	VH_CHECK_EQ(c.n, row->n);
	VH_CHECK_EQ(c.err, row->err);
	for (i = 0; i < c.n; i++) {
		VH_CHECK(i < n && c.got[i] == want[i]);
		VH_CHECK_EQ(refcount_read(&c.got[i]->vm_refcnt), 2);
		vma_end_read(c.got[i]);
	}
	if (row->window == LN_REPLACE)
		VH_CHECK(want[1] != v[1]);
	if (absorb)
		vm_area_free(absorb);
	vh_mm_clear(mm);
	vh_mm_put(mm);
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
	{ "under_mmap_read_lock",	false, false },
	{ "under_mmap_write_lock",	true,  false },
	{ "ignores_vma_write_lock",	true,  true },
};

static void rl_body(const struct rl_row *row)
{
	struct vh_fixture f;
	int warns;

	vh_fixture_init(&f);
	if (row->write)
		mmap_write_lock(f.mm);
	else
		mmap_read_lock(f.mm);
	if (row->vma_locked)
		vma_start_write(f.vma);
	vh_expect_warn_begin();
	VH_CHECK(vma_start_read_locked(f.vma));
	warns = vh_expect_warn_end();
	VH_CHECK_EQ(warns, 0);
	VH_CHECK_EQ(refcount_read(&f.vma->vm_refcnt), 2);
	if (row->write)
		mmap_write_unlock(f.mm);
	else
		mmap_read_unlock(f.mm);
	/* The read lock outlives mmap_lock, as its callers use it. */
	vh_expect_warn_begin();
	vma_assert_locked(f.vma);
	VH_CHECK_EQ(vh_expect_warn_end(), 0);
	VH_CHECK_EQ(refcount_read(&f.vma->vm_refcnt), 2);
	vma_end_read(f.vma);
	VH_CHECK_EQ(refcount_read(&f.vma->vm_refcnt), 1);
	vh_fixture_fini(&f);
}

VH_TABLE(start_read_locked,
	 "vma_start_read_locked() under mmap_lock always takes a read reference (vm_refcnt + 1), whatever the VMA's write-lock state",
	 rl_rows, rl_body);
