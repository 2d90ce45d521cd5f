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
			VH_EXPECT_EQ(vh_unmap(mm, VH_BASE, VH_BASE + VH_PG(8)),
				    0);
			/* Keep the freed object from being the new VMA. */
			vh_test_vma(mm);
			if (row->window == LK_WINDOW_REPLACE)
				VH_EXPECT_EQ(vh_map(mm, VH_BASE,
						   VH_BASE + VH_PG(8), VH_RW), 0);
			break;
		case LK_WINDOW_UNMAP_PART:
			VH_EXPECT_EQ(vh_unmap(mm, VH_BASE + VH_PG(4),
					     VH_BASE + VH_PG(8)), 0);
			break;
		case LK_WINDOW_SHRINK:
			VH_EXPECT_EQ(vh_protect(mm, VH_BASE,
					       VH_BASE + VH_PG(4), VH_PROT_RO), 0);
			VH_EXPECT_EQ(vma->vm_end, VH_BASE + VH_PG(4));
			VH_EXPECT_TRUE(vma_is_attached(vma));
			break;
		case LK_WINDOW_MOVE_UP:
			VH_EXPECT_EQ(vh_protect(mm, VH_BASE + VH_PG(4),
					       VH_BASE + VH_PG(8), VH_PROT_RO), 0);
			VH_EXPECT_EQ(vma->vm_start, VH_BASE + VH_PG(4));
			VH_EXPECT_TRUE(vma_is_attached(vma));
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
		VH_EXPECT_TRUE(c.got == NULL);
		break;
	case LK_RESULT_ORIGINAL:
		VH_EXPECT_TRUE(c.got == vma);
		break;
	case LK_RESULT_REPLACEMENT:
		VH_EXPECT_TRUE(c.got && c.got == now && c.got != vma);
		break;
	}
	if (c.got) {
		VH_EXPECT_TRUE(c.addr >= c.start && c.addr < c.end);
		VH_EXPECT_EQ(c.refcnt, 2);
	}
	VH_EXPECT_EQ(vh_vm_event(VMA_LOCK_ABORT), row->abort);
	VH_EXPECT_EQ(vh_vm_event(VMA_LOCK_MISS), row->miss);
	VH_EXPECT_EQ(vh_vm_event(VMA_LOCK_SUCCESS), 0);
	VH_EXPECT_EQ(vh_vm_event(VMA_LOCK_RETRY), 0);
}

VH_TABLE(lookup,
	 "mm/mmap_lock.c: lock_vma_under_rcu() returns a read-locked, attached VMA of this mm that contains the address, or NULL; a VMA detached under it is retried (VMA_LOCK_MISS), any other failure is VMA_LOCK_ABORT",
	 lk_rows, lk_body);
