// SPDX-License-Identifier: GPL-2.0
/*
 * Interleaving exploration (shared/explore/core.c): small programs of two or
 * three threads on the real per-VMA lock and mm/vma.c code, run under many
 * schedules, with invariants checked while they run and afterwards.
 *
 * A reader looks a VMA up without mmap_lock (lock_vma_under_rcu(),
 * lock_next_vma() or vma_start_read_unlocked()) and, while it holds the
 * read lock, checks that the VMA belongs to its mm, contains what it looked
 * for, is attached, is not the one a writer holds write-locked, and does
 * not change (range, offset, flags, anon_vma, mm, file) across scheduling
 * points until vma_end_read().  A writer under mmap_write_lock() either
 * write-locks the VMA itself (vma_start_write(), then checks that no reader
 * still holds it and changes vm_pgoff while it is locked) or changes the
 * address space through mm/vma.c (munmap, mprotect splits, mmap merges,
 * replacement, reuse of the freed VMA in another mm).  Afterwards no VMA
 * may keep a reference, and the address space must have the expected
 * number of VMAs.  A writer that is never woken leaves every thread
 * blocked: the explorer reports the deadlock.
 */
#include <string.h>
#include "../shared/kunit/test.h"
#include "../shared/explore/explore.h"
#include "../shared/vma/vma.h"

#include "explore.h"

struct xp_ctx {
	const struct xp_row *row;
	unsigned long addr;		/* the reader's (LOOKUP, UNLOCKED) */
	unsigned long start, end;	/* the writer's range */
	unsigned long first, last;	/* starts of the first and last VMA */
	struct mm_struct *mm, *other;
	struct vm_area_struct *vma;	/* the one the writer works on */
	struct vm_area_struct *recycled;
	/* Shadow state, written by one thread at a time. */
	struct vm_area_struct *held[2];		/* per reader */
	struct vm_area_struct *write_locked;	/* by the writer */
	/*
	 * Thread t (readers 0, 1; the writer 2) is inside a call that may
	 * hold a reference it has not published in held[] (a lookup, a
	 * release): vm_refcnt may count it.
	 */
	bool in_op[3];
};

/*
 * vm_refcnt of a VMA reader @r holds is exactly 1 (attached) + the readers
 * that hold it, plus at most one transient reference per thread in the
 * middle of a lookup or a release; the writer's exclusion flag aside.
 * Two readers on a detached VMA, for one, fail this.
 */
static void xp_check_refcnt(struct xp_ctx *c, int r, struct vm_area_struct *vma,
			    const struct vh_vma_snap *s)
{
	unsigned int cnt = refcount_read(&vma->vm_refcnt);
	unsigned int base = cnt & ~VM_REFCNT_EXCLUDE_READERS_FLAG;
	unsigned int holders = 0, transient = 0;
	int i;

	for (i = 0; i < 2; i++)
		holders += READ_ONCE(c->held[i]) == vma;
	for (i = 0; i < 3; i++)
		transient += i != r && READ_ONCE(c->in_op[i]);
	if (base < 1 + holders || base > 1 + holders + transient)
		VH_FAIL("reader %d holds [%#lx-%#lx) with vm_refcnt %#x: not 1 (attached) + %u holder(s)%s",
			r, s->start, s->end, cnt, holders,
			transient ? " (+ lookups in progress)" : "");
}

/*
 * Reader @r holds @vma read-locked, found for [lo, hi): check it, across
 * two more scheduling points, then vma_end_read().
 */
static void xp_hold(struct xp_ctx *c, int r, struct vm_area_struct *vma,
		    unsigned long lo, unsigned long hi)
{
	struct vh_vma_snap before, after;

	WRITE_ONCE(c->held[r], vma);
	vh_vma_snap(vma, &before);
	if (READ_ONCE(c->write_locked) == vma)
		VH_FAIL("reader %d got [%#lx-%#lx) while the writer holds it write-locked",
			r, before.start, before.end);
	if (before.mm != c->mm)
		VH_FAIL("reader %d got a VMA of another mm (%p, not %p)", r,
			before.mm, c->mm);
	if (before.end <= lo || before.start >= hi)
		VH_FAIL("reader %d got [%#lx-%#lx), looking for [%#lx-%#lx)",
			r, before.start, before.end, lo, hi);
	xp_check_refcnt(c, r, vma, &before);

	vh_explore_point();
	vh_explore_point();

	vh_vma_snap(vma, &after);
	if (!vh_vma_snap_same(&before, &after))
		VH_FAIL("read-locked VMA changed under reader %d: [%#lx-%#lx) pgoff %#lx flags %#lx -> [%#lx-%#lx) pgoff %#lx flags %#lx",
			r, before.start, before.end, before.pgoff, before.flags,
			after.start, after.end, after.pgoff, after.flags);
	if (READ_ONCE(c->write_locked) == vma)
		VH_FAIL("the writer write-locked [%#lx-%#lx) while reader %d holds it",
			before.start, before.end, r);
	xp_check_refcnt(c, r, vma, &before);
	WRITE_ONCE(c->in_op[r], true);
	WRITE_ONCE(c->held[r], NULL);
	vma_end_read(vma);
	WRITE_ONCE(c->in_op[r], false);
}

/* Does page @pg of the starting layout stay mapped throughout the run? */
static bool xp_stays(const struct xp_ctx *c, unsigned long pg)
{
	const char *before = c->row->before;
	unsigned long addr = VH_BASE + VH_PG(pg);

	if (pg >= strlen(before) || before[pg] == '-' || before[pg] == ' ')
		return false;
	if (c->row->writer->unmaps)
		return addr < c->start || addr >= c->end;
	/* REPLACE unmaps and maps again in one mmap write section. */
	return true;
}

/*
 * Walk the address space: each VMA in order, and every page that stays
 * mapped throughout is in one of them.
 */
static void xp_walk(struct xp_ctx *c, int r)
{
	VMA_ITERATOR(vmi, c->mm, 0);
	struct vm_area_struct *vma = NULL;
	bool seen[VH_LAYOUT_MAX] = { false };
	unsigned long addr = 0, pg;
	int n;

	rcu_read_lock();
	for (n = 0; n < 8; n++) {
		WRITE_ONCE(c->in_op[r], true);
		vma = lock_next_vma(c->mm, &vmi, addr);
		WRITE_ONCE(c->in_op[r], false);
		if (IS_ERR_OR_NULL(vma))
			break;
		if (vma->vm_start < addr)
			VH_FAIL("lock_next_vma() from %#lx returned [%#lx-%#lx)",
				addr, vma->vm_start, vma->vm_end);
		for (pg = 0; pg < VH_LAYOUT_MAX; pg++)
			seen[pg] |= VH_BASE + VH_PG(pg) >= vma->vm_start &&
				    VH_BASE + VH_PG(pg) < vma->vm_end;
		addr = vma->vm_end;
		xp_hold(c, r, vma, vma->vm_start, vma->vm_end);
	}
	rcu_read_unlock();
	VH_EXPECT_TRUE(!IS_ERR(vma));
	for (pg = 0; pg < VH_LAYOUT_MAX; pg++) {
		if (xp_stays(c, pg) && !seen[pg]) {
			VH_FAIL("lock_next_vma() walk missed page %lu (%#lx), mapped throughout",
				pg, VH_BASE + VH_PG(pg));
			break;
		}
	}
}

static void xp_reader(struct xp_ctx *c, int r)
{
	const struct xp_row *row = c->row;
	unsigned long addr = c->addr;
	struct vm_area_struct *vma;

	switch (row->reader) {
	case XP_READER_NEXT:
		xp_walk(c, r);
		return;
	case XP_READER_LOOKUP:
		WRITE_ONCE(c->in_op[r], true);
		vma = lock_vma_under_rcu(c->mm, addr);
		WRITE_ONCE(c->in_op[r], false);
		break;
	default:
		WRITE_ONCE(c->in_op[r], true);
		vma = vh_start_read_unlocked(c->mm, addr);
		WRITE_ONCE(c->in_op[r], false);
		if (!vma && row->always_mapped)
			VH_FAIL("vma_start_read_unlocked(%#lx) found nothing; the address is mapped throughout",
				addr);
		break;
	}
	if (vma)
		xp_hold(c, r, vma, addr, addr + 1);
}

static void xp_second_reader(void *arg)
{
	xp_reader(arg, 1);
}

/* The writer holds the VMA write-locked: no reader may hold it. */
static void xp_check_exclusive(struct xp_ctx *c)
{
	int r;

	for (r = 0; r < 2; r++)
		if (READ_ONCE(c->held[r]) == c->vma)
			VH_FAIL("vma_start_write() returned while reader %d holds the VMA",
				r);
}

static void xp_write_lock(struct xp_ctx *c)
{
	struct vm_area_struct *vma = c->vma;

	vma_start_write(vma);
	WRITE_ONCE(c->write_locked, vma);
	xp_check_exclusive(c);
	WRITE_ONCE(vma->vm_pgoff, vma->vm_pgoff + 1);
	vh_explore_point();
	WRITE_ONCE(vma->vm_pgoff, vma->vm_pgoff - 1);
	xp_check_exclusive(c);
	WRITE_ONCE(c->write_locked, NULL);
}

static void xp_run_lock(struct xp_ctx *c)
{
	mmap_write_lock(c->mm);
	xp_write_lock(c);
	mmap_write_unlock(c->mm);
}
const struct xp_writer xp_lock = { .run = xp_run_lock, .needs_vma = true };

static void xp_run_downgrade(struct xp_ctx *c)
{
	struct vm_area_struct *vma;

	mmap_write_lock(c->mm);
	xp_write_lock(c);
	mmap_write_downgrade(c->mm);
	/* The VMA write lock went with the downgrade. */
	WRITE_ONCE(c->in_op[2], true);
	vma = lock_vma_under_rcu(c->mm, c->vma->vm_start);
	VH_EXPECT_TRUE(vma == c->vma);
	if (vma)
		vma_end_read(vma);
	WRITE_ONCE(c->in_op[2], false);
	mmap_read_unlock(c->mm);
}
const struct xp_writer xp_downgrade = {
	.run = xp_run_downgrade, .needs_vma = true,
};

static void xp_run_relock(struct xp_ctx *c)
{
	mmap_write_lock(c->mm);
	xp_write_lock(c);
	mmap_write_unlock(c->mm);
	mmap_write_lock(c->mm);
	xp_write_lock(c);
	mmap_write_unlock(c->mm);
}
const struct xp_writer xp_relock = { .run = xp_run_relock, .needs_vma = true };

static void xp_run_unmap(struct xp_ctx *c)
{
	mmap_write_lock(c->mm);
	VH_EXPECT_EQ(vh_unmap(c->mm, c->start, c->end), 0);
	mmap_write_unlock(c->mm);
}
const struct xp_writer xp_unmap = {
	.run = xp_run_unmap, .unmaps = true, .grace_period = true,
};

static void xp_run_protect(struct xp_ctx *c)
{
	mmap_write_lock(c->mm);
	VH_EXPECT_EQ(vh_protect(c->mm, c->start, c->end, c->row->prot), 0);
	mmap_write_unlock(c->mm);
}
const struct xp_writer xp_protect = { .run = xp_run_protect };

static void xp_run_map(struct xp_ctx *c)
{
	mmap_write_lock(c->mm);
	VH_EXPECT_EQ(vh_map(c->mm, c->start, c->end, c->row->flags), 0);
	mmap_write_unlock(c->mm);
}
const struct xp_writer xp_map = { .run = xp_run_map };

static void xp_run_replace(struct xp_ctx *c)
{
	mmap_write_lock(c->mm);
	VH_EXPECT_EQ(vh_unmap(c->mm, c->start, c->end), 0);
	VH_EXPECT_EQ(vh_map(c->mm, c->start, c->end, c->row->flags), 0);
	mmap_write_unlock(c->mm);
}
const struct xp_writer xp_replace = {
	.run = xp_run_replace, .grace_period = true,
};

static void xp_run_recycle(struct xp_ctx *c)
{
	mmap_write_lock(c->mm);
	VH_EXPECT_EQ(vh_unmap(c->mm, c->start, c->end), 0);
	mmap_write_unlock(c->mm);
	/* The cache hands the freed VMA out again at once. */
	mmap_write_lock(c->other);
	VH_EXPECT_EQ(vh_map(c->other, c->start, c->end, c->row->flags), 0);
	c->recycled = vma_lookup(c->other, c->start);
	mmap_write_unlock(c->other);
}
const struct xp_writer xp_recycle = {
	.run = xp_run_recycle, .unmaps = true, .needs_vma = true,
	.other_mm = true,
};

static void xp_writer(void *arg)
{
	struct xp_ctx *c = arg;

	c->row->writer->run(c);
	/*
	 * A grace period after an unmap: what was freed is poisoned
	 * (SLUB_RCU_DEBUG) while the readers may still run.
	 */
	if (c->row->writer->grace_period)
		synchronize_rcu();
}

/* Thread 0 reads; it starts the writer (thread 1) and a second reader. */
static void xp_main(void *arg)
{
	struct xp_ctx *c = arg;
	struct vh_thread *w, *r = NULL;

	w = vh_thread_start(xp_writer, c);
	if (c->row->readers > 1)
		r = vh_thread_start(xp_second_reader, c);
	xp_reader(c, 0);
	if (r)
		vh_thread_join(r);
	vh_thread_join(w);
}

static void xp_setup(void *ctx, const void *rowp)
{
	struct xp_ctx *c = ctx;
	const struct xp_row *row = rowp;
	struct vh_layout_vma v[VH_LAYOUT_MAX];
	int n = vh_layout_parse(row->before, v, VH_LAYOUT_MAX);
	unsigned long unused;

	c->row = row;
	c->mm = vh_mm_new();
	VH_EXPECT_TRUE(n > 0);
	VH_EXPECT_TRUE(vh_layout_span(row->range, '*', &c->start, &c->end));
	if (row->reader != XP_READER_NEXT)
		VH_EXPECT_TRUE(vh_layout_span(row->read_at, '^', &c->addr, &unused));
	if (n > 0) {
		c->first = v[0].start;
		c->last = v[n - 1].start;
	}
	VH_EXPECT_EQ(vh_map_layout(c->mm, row->before), 0);
	c->vma = vma_lookup(c->mm, c->start);
	if (row->writer->needs_vma)
		VH_EXPECT_TRUE(c->vma);
	if (row->writer->other_mm)
		c->other = vh_mm_new();
}

/* Check that no VMA of @mm keeps a reference. */
static void xp_check_refs(struct mm_struct *mm)
{
	VMA_ITERATOR(vmi, mm, 0);
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	for_each_vma(vmi, vma) {
		if (refcount_read(&vma->vm_refcnt) != 1)
			VH_FAIL("[%#lx-%#lx) ends with vm_refcnt %u: a reference was left behind",
				vma->vm_start, vma->vm_end,
				refcount_read(&vma->vm_refcnt));
	}
	mmap_read_unlock(mm);
}

static void xp_check(void *ctx)
{
	struct xp_ctx *c = ctx;

	xp_check_refs(c->mm);
	VH_EXPECT_TRUE(vh_layout_is(c->mm, c->row->after));
	if (c->other) {
		/* The reader must not have kept the other mm or the VMA. */
		VH_EXPECT_TRUE(c->recycled == c->vma);
		if (c->recycled)
			VH_EXPECT_EQ(refcount_read(&c->recycled->vm_refcnt), 1);
		VH_EXPECT_EQ(atomic_read(&c->other->mm_count), 1);
	}
}

static void xp_teardown(void *ctx)
{
	struct xp_ctx *c = ctx;

	vh_mm_clear(c->mm);
	vh_mm_put(c->mm);
	if (c->other) {
		vh_mm_clear(c->other);
		vh_mm_put(c->other);
	}
}

const struct vh_explore_ops xp_ops = {
	.ctx_size = sizeof(struct xp_ctx),
	.setup = xp_setup,
	.main = xp_main,
	.check = xp_check,
	.teardown = xp_teardown,
};

static const struct xp_row xp_rows[] = {
	{ .desc = "reader_vs_writer",
	  .reader = XP_READER_LOOKUP, .readers = 1, .always_mapped = true,
	  .writer = &xp_lock,
	  .before  = "AAAAAAAA",
	  .read_at = "  ^     ",
	  .range   = "********",
	  .after   = "AAAAAAAA" },
	{ .desc = "two_readers_vs_writer",
	  .reader = XP_READER_LOOKUP, .readers = 2, .always_mapped = true,
	  .writer = &xp_lock,
	  .why = "the writer must wait for both and be woken by the last",
	  .before  = "AAAAAAAA",
	  .read_at = "  ^     ",
	  .range   = "********",
	  .after   = "AAAAAAAA" },
	{ .desc = "reader_vs_downgrade",
	  .reader = XP_READER_LOOKUP, .readers = 1, .always_mapped = true,
	  .writer = &xp_downgrade,
	  .before  = "AAAAAAAA",
	  .read_at = "  ^     ",
	  .range   = "********",
	  .after   = "AAAAAAAA" },
	{ .desc = "reader_vs_relock",
	  .reader = XP_READER_LOOKUP, .readers = 1, .always_mapped = true,
	  .writer = &xp_relock,
	  .before  = "AAAAAAAA",
	  .read_at = "  ^     ",
	  .range   = "********",
	  .after   = "AAAAAAAA" },
	{ .desc = "reader_vs_munmap",
	  .reader = XP_READER_LOOKUP, .readers = 1,
	  .writer = &xp_unmap,
	  .before  = "AAAAAAAA",
	  .read_at = "  ^     ",
	  .range   = "********",
	  .after   = "" },
	{ .desc = "reader_vs_munmap_part",
	  .reader = XP_READER_LOOKUP, .readers = 1,
	  .writer = &xp_unmap,
	  .before  = "AAAAAAAA",
	  .read_at = "      ^ ",
	  .range   = "    ****",
	  .after   = "AAAA" },
	{ .desc = "reader_vs_split",
	  .reader = XP_READER_LOOKUP, .readers = 1, .always_mapped = true,
	  .writer = &xp_protect, .prot = VH_PROT_RO,
	  .before  = "AAAAAAAA",
	  .read_at = "    ^   ",
	  .range   = "   **   ",
	  .after   = "AAAbbCCC" },
	{ .desc = "reader_vs_shrink",
	  .reader = XP_READER_LOOKUP, .readers = 1, .always_mapped = true,
	  .writer = &xp_protect, .prot = VH_PROT_RO,
	  .why = "the VMA shrinks in place to [0, 4): no longer the reader's",
	  .before  = "AAAAAAAA",
	  .read_at = "      ^ ",
	  .range   = "****    ",
	  .after   = "aaaaBBBB" },
	{ .desc = "reader_vs_merge",
	  .reader = XP_READER_LOOKUP, .readers = 1, .always_mapped = true,
	  .writer = &xp_map, .flags = VH_RW,
	  .before  = "AAAA",
	  .read_at = " ^      ",
	  .range   = "    ****",
	  .after   = "AAAAAAAA" },
	{ .desc = "reader_vs_merge_prev",
	  .reader = XP_READER_LOOKUP, .readers = 1, .always_mapped = true,
	  .writer = &xp_protect, .prot = VH_PROT_RW,
	  .why = "mprotect() merges: prev, the reader's, expands",
	  .before  = "AAAAbbbb",
	  .read_at = " ^      ",
	  .range   = "    ****",
	  .after   = "AAAAAAAA" },
	{ .desc = "reader_vs_merge_removed",
	  .reader = XP_READER_LOOKUP, .readers = 1, .always_mapped = true,
	  .writer = &xp_protect, .prot = VH_PROT_RW,
	  .why = "mprotect() merges: next, the reader's, is removed",
	  .before  = "AAAAbbbb",
	  .read_at = "     ^  ",
	  .range   = "    ****",
	  .after   = "AAAAAAAA" },
	{ .desc = "reader_vs_merge_next",
	  .reader = XP_READER_LOOKUP, .readers = 1, .always_mapped = true,
	  .writer = &xp_protect, .prot = VH_PROT_RW,
	  .why = "mprotect() merges: next, the reader's, expands down",
	  .before  = "aaaaBBBB",
	  .read_at = "     ^  ",
	  .range   = "****    ",
	  .after   = "AAAAAAAA" },
	{ .desc = "reader_vs_merge_middle",
	  .reader = XP_READER_LOOKUP, .readers = 1, .always_mapped = true,
	  .writer = &xp_protect, .prot = VH_PROT_RW,
	  .why = "prev expands into part of the middle VMA, which shrinks",
	  .before  = "AAAAbbbb",
	  .read_at = "       ^",
	  .range   = "    **  ",
	  .after   = "AAAAAAbb" },
	{ .desc = "reader_vs_merge_both",
	  .reader = XP_READER_LOOKUP, .readers = 1, .always_mapped = true,
	  .writer = &xp_protect, .prot = VH_PROT_RW,
	  .before  = "AAbbbbCC",
	  .read_at = "       ^",
	  .range   = "  ****  ",
	  .after   = "AAAAAAAA" },
	{ .desc = "reader_vs_fill_hole",
	  .reader = XP_READER_LOOKUP, .readers = 1, .always_mapped = true,
	  .writer = &xp_map, .flags = VH_RW,
	  .why = "mmap() of the hole: prev expands over it and over next",
	  .before  = "AA--BBBB",
	  .read_at = "     ^  ",
	  .range   = "  **    ",
	  .after   = "AAAAAAAA" },
	{ .desc = "reader_vs_replace",
	  .reader = XP_READER_LOOKUP, .readers = 1, .always_mapped = true,
	  .writer = &xp_replace, .flags = VH_RW,
	  .before  = "AAAAAAAA",
	  .read_at = "  ^     ",
	  .range   = "********",
	  .after   = "AAAAAAAA" },
	{ .desc = "reader_vs_recycle",
	  .reader = XP_READER_LOOKUP, .readers = 1,
	  .writer = &xp_recycle, .flags = VH_RW,
	  .why = "the freed VMA is handed out again at once, to another mm",
	  .before  = "AAAAAAAA",
	  .read_at = "  ^     ",
	  .range   = "********",
	  .after   = "" },
	{ .desc = "next_vs_writer",
	  .reader = XP_READER_NEXT, .readers = 1, .always_mapped = true,
	  .writer = &xp_lock,
	  .before  = "AA--BB--CC",
	  .range   = "    **    ",
	  .after   = "AA--BB--CC" },
	{ .desc = "next_vs_munmap",
	  .reader = XP_READER_NEXT, .readers = 1,
	  .writer = &xp_unmap,
	  .before  = "AA--BB--CC",
	  .range   = "    **    ",
	  .after   = "AA------CC" },
	{ .desc = "next_vs_split",
	  .reader = XP_READER_NEXT, .readers = 1, .always_mapped = true,
	  .writer = &xp_protect, .prot = VH_PROT_RO,
	  .before  = "AA--BB--CC",
	  .range   = "    *     ",
	  .after   = "AA--bC--DD" },
	{ .desc = "next_vs_map_gap",
	  .reader = XP_READER_NEXT, .readers = 1, .always_mapped = true,
	  .writer = &xp_map, .flags = VH_RO,
	  .before  = "AA--BB--CC",
	  .range   = "  **      ",
	  .after   = "AAbbCC--DD" },
};

VH_EXPLORE_TABLE(explore,
		 "mm/mmap_lock.c, mm/vma.c: under every explored schedule, a VMA read-locked without mmap_lock belongs to its mm, contains the address, is attached and does not change until vma_end_read(); a writer's vma_start_write() waits for it and is woken; no reference is left behind",
		 xp_rows, xp_ops);
