// SPDX-License-Identifier: GPL-2.0
/*
 * Interleaving exploration (shared/explore/explorer.c): small programs of two or
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
#include "../shared/kunit/test.h"
#include "../shared/explore/explore.h"
#include "../shared/vma/vma.h"

enum xp_reader {
	LOOKUP,		/* lock_vma_under_rcu() */
	NEXT,		/* lock_next_vma() over the whole address space */
	UNLOCKED,	/* vma_start_read_unlocked() */
};

enum xp_writer {
	LOCK,		/* vma_start_write(), change, mmap_write_unlock() */
	DOWNGRADE,	/* ... mmap_write_downgrade(), then read-lock it */
	RELOCK,		/* LOCK twice */
	UNMAP,		/* munmap() of the range */
	PROTECT,	/* mprotect() of the range */
	MAP,		/* mmap() of the (empty) range */
	REPLACE,	/* munmap() and mmap() of the range, one lock section */
	RECYCLE,	/* munmap(), then mmap() the range in another mm */
};

/* Pages from VH_BASE. */
#define XP_ADDR(pg)	(VH_BASE + VH_PG(pg))

struct xp_map {
	unsigned long start, end;	/* pages; end 0: none */
	vm_flags_t flags;
};

struct xp_row {
	const char *desc;
	struct xp_map map[3];	/* the address space at the start */
	enum xp_reader reader;
	int readers;		/* 1 or 2 reader threads */
	unsigned long read_at;	/* page looked up (LOOKUP, UNLOCKED) */
	enum xp_writer writer;
	/* The writer's range in pages (LOCK...: the page of its VMA). */
	unsigned long start, end;
	vm_flags_t flags;	/* PROTECT: new protection; MAP: flags */
	bool always_mapped;	/* read_at is mapped at every instant */
	int map_count;		/* VMAs afterwards */
};

struct xp_ctx {
	const struct xp_row *row;
	struct mm_struct *mm, *other;
	struct vm_area_struct *vma;	/* the one the writer works on */
	struct vm_area_struct *recycled;
	/* Shadow state, written by one thread at a time. */
	struct vm_area_struct *held[2];		/* per reader */
	struct vm_area_struct *write_locked;	/* by the writer */
};

/*
 * Reader @r holds @vma read-locked, found for [lo, hi): check it, across
 * two more scheduling points, then vma_end_read().
 */
static void xp_hold(struct xp_ctx *c, int r, struct vm_area_struct *vma,
		    unsigned long lo, unsigned long hi)
{
	struct vh_vma_snap before, after;
	unsigned int cnt;

	WRITE_ONCE(c->held[r], vma);
	vh_vma_snap(vma, &before);
	if (READ_ONCE(c->write_locked) == vma)
		vh_fail(__FILE__, __LINE__,
			"reader %d got [%#lx-%#lx) while the writer holds it write-locked",
			r, before.start, before.end);
	if (before.mm != c->mm)
		vh_fail(__FILE__, __LINE__,
			"reader %d got a VMA of another mm (%p, not %p)", r,
			before.mm, c->mm);
	if (before.end <= lo || before.start >= hi)
		vh_fail(__FILE__, __LINE__,
			"reader %d got [%#lx-%#lx), looking for [%#lx-%#lx)",
			r, before.start, before.end, lo, hi);
	cnt = refcount_read(&vma->vm_refcnt) & ~VM_REFCNT_EXCLUDE_READERS_FLAG;
	if (cnt < 2)
		vh_fail(__FILE__, __LINE__,
			"reader %d holds [%#lx-%#lx) with vm_refcnt %u: not attached",
			r, before.start, before.end, cnt);

	vh_explore_point();
	vh_explore_point();

	vh_vma_snap(vma, &after);
	if (!vh_vma_snap_same(&before, &after))
		vh_fail(__FILE__, __LINE__,
			"read-locked VMA changed under reader %d: [%#lx-%#lx) pgoff %#lx flags %#lx -> [%#lx-%#lx) pgoff %#lx flags %#lx",
			r, before.start, before.end, before.pgoff, before.flags,
			after.start, after.end, after.pgoff, after.flags);
	if (READ_ONCE(c->write_locked) == vma)
		vh_fail(__FILE__, __LINE__,
			"the writer write-locked [%#lx-%#lx) while reader %d holds it",
			before.start, before.end, r);
	WRITE_ONCE(c->held[r], NULL);
	vma_end_read(vma);
}

/*
 * Walk the address space: the first and the last VMA, which the writer
 * does not touch, are seen.
 */
static void xp_walk(struct xp_ctx *c, int r)
{
	VMA_ITERATOR(vmi, c->mm, 0);
	const struct xp_map *map = c->row->map;
	struct vm_area_struct *vma = NULL;
	bool first = false, last = false;
	unsigned long addr = 0;
	int n;

	rcu_read_lock();
	for (n = 0; n < 8; n++) {
		vma = lock_next_vma(c->mm, &vmi, addr);
		if (IS_ERR_OR_NULL(vma))
			break;
		if (vma->vm_start < addr)
			vh_fail(__FILE__, __LINE__,
				"lock_next_vma() from %#lx returned [%#lx-%#lx)",
				addr, vma->vm_start, vma->vm_end);
		first |= vma->vm_start == XP_ADDR(map[0].start);
		last |= vma->vm_start == XP_ADDR(map[2].start);
		addr = vma->vm_end;
		xp_hold(c, r, vma, vma->vm_start, vma->vm_end);
	}
	rcu_read_unlock();
	VH_CHECK(!IS_ERR(vma));
	if (!first || !last)
		vh_fail(__FILE__, __LINE__,
			"lock_next_vma() walk missed an untouched VMA (first %d, last %d)",
			first, last);
}

static void xp_reader(struct xp_ctx *c, int r)
{
	const struct xp_row *row = c->row;
	unsigned long addr = XP_ADDR(row->read_at);
	struct vm_area_struct *vma;

	switch (row->reader) {
	case NEXT:
		xp_walk(c, r);
		return;
	case LOOKUP:
		vma = lock_vma_under_rcu(c->mm, addr);
		break;
	default:
		vma = vh_start_read_unlocked(c->mm, addr);
		if (!vma && row->always_mapped)
			vh_fail(__FILE__, __LINE__,
				"vma_start_read_unlocked(%#lx) found nothing; the address is mapped throughout",
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
			vh_fail(__FILE__, __LINE__,
				"vma_start_write() returned while reader %d holds the VMA",
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

static void xp_writer(void *arg)
{
	struct xp_ctx *c = arg;
	const struct xp_row *row = c->row;
	unsigned long s = XP_ADDR(row->start), e = XP_ADDR(row->end);
	struct vm_area_struct *vma;

	mmap_write_lock(c->mm);
	switch (row->writer) {
	case LOCK:
		xp_write_lock(c);
		break;
	case DOWNGRADE:
		xp_write_lock(c);
		mmap_write_downgrade(c->mm);
		/* The VMA write lock went with the downgrade. */
		vma = lock_vma_under_rcu(c->mm, c->vma->vm_start);
		VH_CHECK(vma == c->vma);
		if (vma)
			vma_end_read(vma);
		mmap_read_unlock(c->mm);
		return;
	case RELOCK:
		xp_write_lock(c);
		mmap_write_unlock(c->mm);
		mmap_write_lock(c->mm);
		xp_write_lock(c);
		break;
	case UNMAP:
		VH_CHECK_EQ(vh_unmap(c->mm, s, e), 0);
		break;
	case PROTECT:
		VH_CHECK_EQ(vh_protect(c->mm, s, e, row->flags), 0);
		break;
	case MAP:
		VH_CHECK_EQ(vh_map(c->mm, s, e, row->flags), 0);
		break;
	case REPLACE:
		VH_CHECK_EQ(vh_unmap(c->mm, s, e), 0);
		VH_CHECK_EQ(vh_map(c->mm, s, e, row->flags), 0);
		break;
	case RECYCLE:
		VH_CHECK_EQ(vh_unmap(c->mm, s, e), 0);
		mmap_write_unlock(c->mm);
		/* The cache hands the freed VMA out again at once. */
		mmap_write_lock(c->other);
		VH_CHECK_EQ(vh_map(c->other, s, e, row->flags), 0);
		c->recycled = vma_lookup(c->other, s);
		mmap_write_unlock(c->other);
		return;
	}
	mmap_write_unlock(c->mm);
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
	struct mm_struct *mm = vh_mm_new();

	int i;

	c->row = row;
	c->mm = mm;
	mmap_write_lock(mm);
	for (i = 0; i < 3 && row->map[i].end; i++)
		VH_CHECK_EQ(vh_map(mm, XP_ADDR(row->map[i].start),
				   XP_ADDR(row->map[i].end),
				   row->map[i].flags), 0);
	c->vma = vma_lookup(mm, XP_ADDR(row->start));
	mmap_write_unlock(mm);
	if (row->writer <= RELOCK || row->writer == RECYCLE)
		VH_CHECK(c->vma);
	if (row->writer == RECYCLE)
		c->other = vh_mm_new();
}

/* Count the VMAs of @mm, checking that none keeps a reference. */
static int xp_count_vmas(struct mm_struct *mm)
{
	VMA_ITERATOR(vmi, mm, 0);
	struct vm_area_struct *vma;
	int n = 0;

	mmap_read_lock(mm);
	for_each_vma(vmi, vma) {
		n++;
		if (refcount_read(&vma->vm_refcnt) != 1)
			vh_fail(__FILE__, __LINE__,
				"[%#lx-%#lx) ends with vm_refcnt %u: a reference was left behind",
				vma->vm_start, vma->vm_end,
				refcount_read(&vma->vm_refcnt));
	}
	mmap_read_unlock(mm);
	return n;
}

static void xp_check(void *ctx)
{
	struct xp_ctx *c = ctx;

	VH_CHECK_EQ(xp_count_vmas(c->mm), c->row->map_count);
	VH_CHECK_EQ(c->mm->map_count, c->row->map_count);
	if (c->other) {
		/* The reader must not have kept the other mm or the VMA. */
		VH_CHECK(c->recycled == c->vma);
		if (c->recycled)
			VH_CHECK_EQ(refcount_read(&c->recycled->vm_refcnt), 1);
		VH_CHECK_EQ(atomic_read(&c->other->mm_count), 1);
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

static const struct vh_explore_ops xp_ops = {
	.ctx_size = sizeof(struct xp_ctx),
	.setup = xp_setup,
	.main = xp_main,
	.check = xp_check,
	.teardown = xp_teardown,
};

/* Layouts: [start, end) in pages, flags. */
#define ONE	{ { 0, 8, VH_RW } }
#define HALF	{ { 0, 4, VH_RW } }
#define THREE	{ { 0, 2, VH_RW }, { 4, 6, VH_RW }, { 8, 10, VH_RW } }
#define RW_RO	{ { 0, 4, VH_RW }, { 4, 8, VH_RO } }
#define RO_RW	{ { 0, 4, VH_RO }, { 4, 8, VH_RW } }
#define HOLE	{ { 0, 2, VH_RW }, { 4, 8, VH_RW } }
#define RW_RO_RW { { 0, 2, VH_RW }, { 2, 6, VH_RO }, { 6, 8, VH_RW } }

static const struct xp_row xp_rows[] = {
	/*
	 * desc, layout, reader, readers, read_at, writer, start, end, flags,
	 * always_mapped, map_count
	 */
	{ "reader_vs_writer",	   ONE,   LOOKUP, 1, 2, LOCK,	   0, 0, 0,
	  true, 1 },
	{ "two_readers_vs_writer", ONE,   LOOKUP, 2, 2, LOCK,	   0, 0, 0,
	  true, 1 },
	{ "reader_vs_downgrade",   ONE,   LOOKUP, 1, 2, DOWNGRADE, 0, 0, 0,
	  true, 1 },
	{ "reader_vs_relock",	   ONE,   LOOKUP, 1, 2, RELOCK,	   0, 0, 0,
	  true, 1 },
	{ "reader_vs_munmap",	   ONE,   LOOKUP, 1, 2, UNMAP,	   0, 8, 0,
	  false, 0 },
	{ "reader_vs_munmap_part", ONE,   LOOKUP, 1, 6, UNMAP,	   4, 8, 0,
	  false, 1 },
	{ "reader_vs_split",	   ONE,   LOOKUP, 1, 4, PROTECT,   3, 5,
	  VH_PROT_RO, true, 3 },
	/* The VMA shrinks in place to [0, 4): no longer the reader's. */
	{ "reader_vs_shrink",	   ONE,   LOOKUP, 1, 6, PROTECT,   0, 4,
	  VH_PROT_RO, true, 2 },
	{ "reader_vs_merge",	   HALF,  LOOKUP, 1, 1, MAP,	   4, 8, VH_RW,
	  true, 1 },
	/* mprotect() merges: prev expands, next is removed or expands. */
	{ "reader_vs_merge_prev",  RW_RO, LOOKUP, 1, 1, PROTECT,   4, 8,
	  VH_PROT_RW, true, 1 },
	{ "reader_vs_merge_removed", RW_RO, LOOKUP, 1, 5, PROTECT, 4, 8,
	  VH_PROT_RW, true, 1 },
	{ "reader_vs_merge_next",  RO_RW, LOOKUP, 1, 5, PROTECT,   0, 4,
	  VH_PROT_RW, true, 1 },
	/* ... prev expands into part of the middle VMA, which shrinks. */
	{ "reader_vs_merge_middle", RW_RO, LOOKUP, 1, 7, PROTECT,  4, 6,
	  VH_PROT_RW, true, 2 },
	{ "reader_vs_merge_both",  RW_RO_RW, LOOKUP, 1, 7, PROTECT, 2, 6,
	  VH_PROT_RW, true, 1 },
	/* mmap() of the hole: prev expands over it and over next. */
	{ "reader_vs_fill_hole",   HOLE,  LOOKUP, 1, 5, MAP,	   2, 4, VH_RW,
	  true, 1 },
	{ "reader_vs_replace",	   ONE,   LOOKUP, 1, 2, REPLACE,   0, 8, VH_RW,
	  true, 1 },
	{ "reader_vs_recycle",	   ONE,   LOOKUP, 1, 2, RECYCLE,   0, 8, VH_RW,
	  false, 0 },
	{ "next_vs_writer",	   THREE, NEXT,   1, 0, LOCK,	   4, 0, 0,
	  true, 3 },
	{ "next_vs_munmap",	   THREE, NEXT,   1, 0, UNMAP,	   4, 6, 0,
	  false, 2 },
	{ "next_vs_split",	   THREE, NEXT,   1, 0, PROTECT,   4, 5,
	  VH_PROT_RO, true, 4 },
	{ "next_vs_map_gap",	   THREE, NEXT,   1, 0, MAP,	   2, 4, VH_RO,
	  true, 4 },
};

VH_EXPLORE_TABLE(explore,
		 "under every explored schedule, a VMA read-locked without mmap_lock belongs to its mm, contains the address, is attached and does not change until vma_end_read(); a writer's vma_start_write() waits for it and is woken; no reference is left behind",
		 xp_rows, xp_ops);

static const struct xp_row xp_unlocked_rows[] = {
	{ "unlocked_vs_writer",	   ONE,   UNLOCKED, 1, 2, LOCK,	   0, 0, 0,
	  true, 1 },
	{ "unlocked_vs_munmap",	   ONE,   UNLOCKED, 1, 2, UNMAP,   0, 8, 0,
	  false, 0 },
	{ "unlocked_vs_replace",   ONE,   UNLOCKED, 1, 2, REPLACE, 0, 8, VH_RW,
	  true, 1 },
};

VH_EXPLORE_TABLE_SKIP(explore_unlocked,
		      "under every explored schedule, vma_start_read_unlocked() returns the VMA containing the address (always, if it stays mapped), read-locked, stable until vma_end_read()",
		      xp_unlocked_rows, xp_ops, VH_UNLOCKED_SKIP);
