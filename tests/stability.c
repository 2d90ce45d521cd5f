// SPDX-License-Identifier: GPL-2.0
/*
 * Reader stability under real mm/vma.c operations.  A reader holds a VMA
 * read-locked (lock_vma_under_rcu()) while a writer thread maps, unmaps,
 * splits, merges, expands or shrinks through mm/vma.c under
 * mmap_write_lock().  Every operation that changes or removes the VMA must
 * first vma_start_write() it, and so wait for the reader: until the reader's
 * vma_end_read(), the VMA's range, offset, flags, anon_vma, mm and file stay
 * exactly as the reader saw them.  A path in mm/vma.c that forgets a
 * vma_start_write() lets the writer through; the test sees it finish, or
 * sees a field change, while the read lock is held.
 */
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"

enum st_op { MAP, UNMAP, PROTECT };

struct st_row {
	const char *desc;
	/* Layout: up to three VMAs, [start, end) in pages from VH_BASE. */
	unsigned long a_start, a_end, b_start, b_end;
	vm_flags_t a_flags, b_flags;
	unsigned long read_at;		/* page the reader locks */
	enum st_op op;
	unsigned long op_start, op_end;	/* pages */
	vm_flags_t op_flags;
	bool waits;			/* the op must wait for the reader */
	int map_count;			/* VMAs afterwards */
};

static const struct st_row st_rows[] = {
	{ "unmap_whole",	0, 8, 0, 0, VH_RW, 0, 2, UNMAP, 0, 8, 0, true, 0 },
	{ "unmap_head",		0, 8, 0, 0, VH_RW, 0, 5, UNMAP, 0, 2, 0, true, 1 },
	{ "unmap_tail",		0, 8, 0, 0, VH_RW, 0, 2, UNMAP, 6, 8, 0, true, 1 },
	{ "unmap_middle_split",	0, 8, 0, 0, VH_RW, 0, 1, UNMAP, 3, 5, 0, true, 2 },
	{ "unmap_spanning_two",	0, 4, 4, 8, VH_RW, VH_RO, 5, UNMAP, 2, 6, 0,
	  true, 2 },
	{ "protect_whole",	0, 8, 0, 0, VH_RW, 0, 2, PROTECT, 0, 8, VH_PROT_RO,
	  true, 1 },
	{ "protect_head_split",	0, 8, 0, 0, VH_RW, 0, 6, PROTECT, 0, 4, VH_PROT_RO,
	  true, 2 },
	{ "protect_tail_split",	0, 8, 0, 0, VH_RW, 0, 1, PROTECT, 4, 8, VH_PROT_RO,
	  true, 2 },
	{ "protect_middle_split", 0, 8, 0, 0, VH_RW, 0, 0, PROTECT, 3, 5, VH_PROT_RO,
	  true, 3 },
	{ "protect_merge_prev_expands", 0, 4, 4, 8, VH_RW, VH_RO, 1, PROTECT,
	  4, 8, VH_PROT_RW, true, 1 },
	{ "protect_merge_next_removed", 0, 4, 4, 8, VH_RW, VH_RO, 5, PROTECT,
	  4, 8, VH_PROT_RW, true, 1 },
	/* The middle VMA [2, 6) read-only: see st_body(). */
	{ "protect_merge_both", 0, 2, 6, 8, VH_RW, VH_RW, 7, PROTECT,
	  2, 6, VH_PROT_RW, true, 1 },
	{ "protect_merge_both_middle_removed", 0, 2, 6, 8, VH_RW, VH_RW, 3,
	  PROTECT, 2, 6, VH_PROT_RW, true, 1 },
	{ "map_adjacent_expands", 0, 4, 0, 0, VH_RW, 0, 1, MAP, 4, 8, VH_RW,
	  true, 1 },
	{ "map_before_expands",	4, 8, 0, 0, VH_RW, 0, 5, MAP, 0, 4, VH_RW,
	  true, 1 },
	/* A new mapping filling the gap merges all three: next is removed. */
	{ "map_fills_gap_prev_expands", 0, 2, 6, 8, VH_RW, VH_RW, 1, MAP, 2, 6,
	  VH_RW, true, 1 },
	{ "map_fills_gap_next_removed", 0, 2, 6, 8, VH_RW, VH_RW, 7, MAP, 2, 6,
	  VH_RW, true, 1 },
	{ "map_over_middle",	0, 8, 0, 0, VH_RW, 0, 0, MAP, 2, 6, VH_RO,
	  true, 3 },
	{ "map_over_whole",	0, 8, 0, 0, VH_RW, 0, 3, MAP, 0, 8, VH_RO,
	  true, 1 },
	/* Controls: not touching the reader's VMA, no wait allowed to hang. */
	{ "map_elsewhere",	0, 8, 0, 0, VH_RW, 0, 3, MAP, 16, 20, VH_RO,
	  false, 2 },
	{ "unmap_other_vma",	0, 4, 6, 8, VH_RW, VH_RW, 1, UNMAP, 6, 8, 0,
	  false, 1 },
};

struct st_ctx {
	const struct st_row *row;
	struct mm_struct *mm;
	int ret;
	int done;
};

static void st_writer(void *arg)
{
	struct st_ctx *c = arg;
	const struct st_row *row = c->row;
	unsigned long s = VH_BASE + VH_PG(row->op_start);
	unsigned long e = VH_BASE + VH_PG(row->op_end);

	mmap_write_lock(c->mm);
	switch (row->op) {
	case MAP:
		/* MAP_FIXED: whatever was there is unmapped first. */
		c->ret = vh_unmap(c->mm, s, e) ?:
			 vh_map(c->mm, s, e, row->op_flags);
		break;
	case UNMAP:
		c->ret = vh_unmap(c->mm, s, e);
		break;
	case PROTECT:
		c->ret = vh_protect(c->mm, s, e, row->op_flags);
		break;
	}
	__atomic_store_n(&c->done, 1, __ATOMIC_SEQ_CST);
	mmap_write_unlock(c->mm);
}

static void st_body(const struct st_row *row)
{
	struct st_ctx c = { .row = row };
	unsigned long addr = VH_BASE + VH_PG(row->read_at);
	struct vh_vma_snap before, during;
	struct vm_area_struct *vma;
	struct vh_thread *w;
	bool blocked;

	c.mm = vh_mm_new();
	mmap_write_lock(c.mm);
	VH_ASSERT_EQ(vh_map(c.mm, VH_BASE + VH_PG(row->a_start),
			    VH_BASE + VH_PG(row->a_end), row->a_flags), 0);
	if (row->b_end)
		VH_ASSERT_EQ(vh_map(c.mm, VH_BASE + VH_PG(row->b_start),
				    VH_BASE + VH_PG(row->b_end), row->b_flags),
			     0);
	/* A gap between A and B that PROTECT covers is a read-only VMA. */
	if (row->op == PROTECT && row->b_end && row->a_end < row->b_start)
		VH_ASSERT_EQ(vh_map(c.mm, VH_BASE + VH_PG(row->a_end),
				    VH_BASE + VH_PG(row->b_start), VH_RO), 0);
	mmap_write_unlock(c.mm);

	vma = lock_vma_under_rcu(c.mm, addr);
	VH_ASSERT(vma);
	vh_vma_snap(vma, &before);

	w = vh_thread_start(st_writer, &c);
	/* Wait until the writer sleeps (waiting for us) or is done. */
	blocked = vh_wait_blocked(vh_thread_task(w), 0, &c.done);
	vh_vma_snap(vma, &during);
	if (row->waits && !blocked)
		vh_fail(__FILE__, __LINE__,
			"the writer did not wait for the reader of [%#lx-%#lx)",
			before.start, before.end);
	if (!vh_vma_snap_same(&before, &during))
		vh_fail(__FILE__, __LINE__,
			"read-locked VMA changed under the reader: [%#lx-%#lx) pgoff %#lx flags %#lx -> [%#lx-%#lx) pgoff %#lx flags %#lx",
			before.start, before.end, before.pgoff, before.flags,
			during.start, during.end, during.pgoff, during.flags);
	vma_end_read(vma);
	vh_thread_join(w);

	VH_CHECK_EQ(c.ret, 0);
	VH_CHECK_EQ(c.mm->map_count, row->map_count);
	vh_mm_clear(c.mm);
	vh_mm_put(c.mm);
}

VH_TABLE(stability,
	 "a read-locked VMA does not change (range, pgoff, flags, anon_vma, mm, file) until vma_end_read(): every mm/vma.c path that modifies or removes it write-locks it first",
	 st_rows, st_body);
