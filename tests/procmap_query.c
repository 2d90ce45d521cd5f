// SPDX-License-Identifier: GPL-2.0
/*
 * PROCMAP_QUERY, fs/proc/task_mmu.c's do_procmap_query() from the tree:
 * query_vma_find_by_addr() finds the VMA with lock_next_vma() under RCU
 * and keeps it read-locked while the answer is filled in, or falls back
 * to mmap_read_lock() and find_vma() when lock_next_vma() says -EAGAIN
 * (the VMA has as many readers as vm_refcnt allows).  Addresses in,
 * before, between and after VMAs, with and without
 * PROCMAP_QUERY_COVERING_OR_NEXT_VMA, and with a writer that replaces,
 * unmaps, write-locks or fills the gap before the VMA the query found
 * (a breakpoint on its vm_refcnt, in lock_next_vma()'s window).
 *
 * The layout is "AA--bb--CC": A and C read-write, b read-only.
 */
#include <errno.h>
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"
#include "../shared/env/maps.h"

#define PQ_LAYOUT	"AA--bb--CC"

enum pq_op {
	PQ_OP_NONE,
	PQ_OP_REPLACE,		/* window: b unmapped and mapped anew */
	PQ_OP_UNMAP,		/* window: b unmapped */
	PQ_OP_FILL_GAP,		/* window: page 3 mapped */
	PQ_OP_LOCKED,		/* b write-locked until the query waits */
	PQ_OP_LIMIT,		/* b has all the readers it can have */
};

struct pq_row {
	const char *desc;
	const char *why;
	long page;		/* the address queried, in pages from VH_BASE */
	bool or_next;
	bool writable;
	enum pq_op op;
	const char *want;	/* the VMA answered, marked '*'; NULL: .err */
	int err;
	unsigned long fallbacks; /* the query's mmap_read_lock()s */
};

static const struct pq_row pq_rows[] = {
	{ .desc = "in_first", .page = 1, .want = "**" },
	{ .desc = "in_last_page", .page = 9, .want = "        **" },
	{ .desc = "between", .page = 2, .err = -ENOENT },
	{ .desc = "between_or_next", .page = 2, .or_next = true,
	  .want = "    **" },
	{ .desc = "before_all", .page = -1, .err = -ENOENT },
	{ .desc = "before_all_or_next", .page = -1, .or_next = true,
	  .want = "**" },
	{ .desc = "after_all", .page = 10, .err = -ENOENT },
	{ .desc = "after_all_or_next", .page = 10, .or_next = true,
	  .err = -ENOENT },
	{ .desc = "writable_skips_read_only", .page = 4, .or_next = true,
	  .writable = true, .want = "        **",
	  .why = "b is not writable: the query unlocks it and goes on to C" },
	{ .desc = "writable_exact_no_match", .page = 4, .writable = true,
	  .err = -ENOENT },
	{ .desc = "replaced_in_window_retries", .page = 5,
	  .op = PQ_OP_REPLACE, .want = "    **",
	  .why = "b is detached after lock_next_vma() found it: it looks again and finds the new b, without mmap_lock" },
	{ .desc = "unmapped_in_window", .page = 4, .op = PQ_OP_UNMAP,
	  .err = -ENOENT,
	  .why = "b is gone: the VMA after the address is C, which does not cover it" },
	{ .desc = "gap_filled_in_window", .page = 2, .or_next = true,
	  .op = PQ_OP_FILL_GAP, .want = "   *", .fallbacks = 1,
	  .why = "a VMA appeared before b after the walk found b: the speculation sees it, and the walk looks again under mmap_lock" },
	{ .desc = "locked_falls_back", .page = 4, .op = PQ_OP_LOCKED,
	  .want = "    **", .fallbacks = 1 },
	{ .desc = "reader_limit_eagain_falls_back", .page = 4,
	  .op = PQ_OP_LIMIT, .want = "    **", .fallbacks = 2,
	  .why = "lock_next_vma() cannot read-lock b even under mmap_lock (-EAGAIN): the query finds it with find_vma() under mmap_read_lock()" },
};

struct pq_ctx {
	const struct pq_row *row;
	struct mm_struct *mm;
	struct vh_break brk;
	const volatile void *stop_at;
	struct vh_procmap_query q;
	int err;
	unsigned long fallbacks;
	int rcu_depth, lock_depth;
};

static void pq_reader(void *arg)
{
	struct pq_ctx *c = arg;
	unsigned long locks = current->nr_read_locks;

	if (c->stop_at)
		vh_break_arm(&c->brk, c->stop_at, 0);
	c->err = vh_procmap_query(c->mm, &c->q);
	vh_break_disarm();
	c->fallbacks = current->nr_read_locks - locks;
	c->rcu_depth = current->rcu_depth;
	c->lock_depth = current->lockdep_depth;
}

static void pq_body(const struct pq_row *row)
{
	struct pq_ctx *c = vh_test_alloc(sizeof(*c));
	struct mm_struct *mm = vh_test_mm();
	struct vm_area_struct *b;
	struct vh_thread *r;
	unsigned long s, e;

	vh_why(row->why);
	c->row = row;
	c->mm = mm;
	c->q.addr = VH_BASE + row->page * (long)PAGE_SIZE;
	c->q.or_next = row->or_next;
	c->q.writable = row->writable;
	c->q.want_name = true;
	VH_ASSERT_EQ(vh_map_layout(mm, PQ_LAYOUT), 0);
	b = vma_lookup(mm, VH_BASE + VH_PG(4));
	switch (row->op) {
	case PQ_OP_REPLACE:
	case PQ_OP_UNMAP:
	case PQ_OP_FILL_GAP:
		c->stop_at = &b->vm_refcnt.refs.counter;
		break;
	case PQ_OP_LOCKED:
		mmap_write_lock(mm);
		vma_start_write(b);
		c->stop_at = &mm->mmap_lock;
		break;
	case PQ_OP_LIMIT:
		refcount_set(&b->vm_refcnt, VM_REFCNT_LIMIT);
		break;
	default:
		break;
	}

	r = vh_thread_start(pq_reader, c);
	if (c->stop_at) {
		vh_break_wait(&c->brk);
		if (row->op != PQ_OP_LOCKED)
			mmap_write_lock(mm);
		if (row->op == PQ_OP_REPLACE || row->op == PQ_OP_UNMAP) {
			VH_CHECK_EQ(vh_unmap(mm, VH_BASE + VH_PG(4),
					     VH_BASE + VH_PG(6)), 0);
			vh_test_vma(mm);
		}
		if (row->op == PQ_OP_REPLACE)
			VH_CHECK_EQ(vh_map(mm, VH_BASE + VH_PG(4),
					   VH_BASE + VH_PG(6), VH_RO), 0);
		if (row->op == PQ_OP_FILL_GAP)
			VH_CHECK_EQ(vh_map(mm, VH_BASE + VH_PG(3),
					   VH_BASE + VH_PG(4), VH_RW), 0);
		/*
		 * PQ_OP_LOCKED's reader waits for mmap_lock; the others find
		 * it free again when they go on, whatever the timing.
		 */
		if (row->op != PQ_OP_LOCKED)
			mmap_write_unlock(mm);
		vh_break_resume(&c->brk);
		if (row->op == PQ_OP_LOCKED)
			mmap_write_unlock(mm);
	}
	vh_thread_join(r);
	if (row->op == PQ_OP_LIMIT)
		refcount_set(&b->vm_refcnt, 1);

	VH_CHECK_EQ(c->rcu_depth, 0);
	VH_CHECK_EQ(c->lock_depth, 0);
	VH_CHECK_EQ(c->fallbacks, row->fallbacks);
	if (!row->want) {
		VH_CHECK_EQ(c->err, row->err);
		return;
	}
	VH_ASSERT_EQ(c->err, 0);
	VH_ASSERT(vh_layout_span(row->want, '*', &s, &e));
	if (c->q.start != s || c->q.end != e)
		vh_fail(__FILE__, __LINE__,
			"PROCMAP_QUERY at %#lx answered [%#lx-%#lx), want [%#lx-%#lx)",
			c->q.addr, c->q.start, c->q.end, s, e);
	VH_CHECK_EQ(c->q.is_writable, !!(vma_lookup(mm, s)->vm_flags & VM_WRITE));
}

VH_TABLE(procmap_query,
	 "fs/proc/task_mmu.c, mm/mmap_lock.c: PROCMAP_QUERY (do_procmap_query()) answers the VMA covering the address (or the next one that matches, with COVERING_OR_NEXT_VMA) as it is while read-locked, takes mmap_lock only when lock_next_vma() must or says -EAGAIN, and returns holding no VMA lock, RCU section or mmap_lock",
	 pq_rows, pq_body);
