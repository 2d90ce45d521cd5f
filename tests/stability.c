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
#include <errno.h>

enum st_op {
	ST_OP_MAP,		/* mmap(MAP_FIXED) of the range */
	ST_OP_UNMAP,		/* munmap() of the range */
	ST_OP_VM_MUNMAP,	/* munmap() by __vm_munmap(), as the syscall */
	ST_OP_PROTECT,		/* mprotect() of the range */
};

/*
 * Layouts are pictures (shared/vma/vma.h): a character per page from
 * VH_BASE, a letter per VMA, upper case read-write, lower case read-only,
 * '-' unmapped.  The reader's page is marked '^', the operation's range
 * '*', each under the layout it refers to.
 */
struct st_row {
	const char *desc;
	const char *why;
	const char *before;		/* the address space at the start */
	const char *read_at;		/* the page the reader locks: '^' */
	enum st_op op;
	const char *range;		/* the pages the op covers: '*' */
	vm_flags_t flags;		/* ST_OP_MAP: VH_RW or VH_RO */
	vm_flags_t prot;		/* ST_OP_PROTECT: VH_PROT_RW or _RO */
	bool waits;			/* the op must wait for the reader */
	const char *after;		/* the address space at the end */
};

static const struct st_row st_rows[] = {
	{ .desc = "unmap_whole", .op = ST_OP_UNMAP, .waits = true,
	  .before  = "AAAAAAAA",
	  .read_at = "  ^     ",
	  .range   = "********",
	  .after   = "" },
	{ .desc = "unmap_head", .op = ST_OP_UNMAP, .waits = true,
	  .why = "the VMA shrinks in place: its start moves under the reader",
	  .before  = "AAAAAAAA",
	  .read_at = "     ^  ",
	  .range   = "**      ",
	  .after   = "--AAAAAA" },
	{ .desc = "unmap_tail", .op = ST_OP_UNMAP, .waits = true,
	  .before  = "AAAAAAAA",
	  .read_at = "  ^     ",
	  .range   = "      **",
	  .after   = "AAAAAA--" },
	{ .desc = "unmap_middle_split", .op = ST_OP_UNMAP, .waits = true,
	  .before  = "AAAAAAAA",
	  .read_at = " ^      ",
	  .range   = "   **   ",
	  .after   = "AAA--BBB" },
	{ .desc = "unmap_spanning_two", .op = ST_OP_UNMAP, .waits = true,
	  .before  = "AAAAbbbb",
	  .read_at = "     ^  ",
	  .range   = "  ****  ",
	  .after   = "AA----bb" },
	{ .desc = "protect_whole", .op = ST_OP_PROTECT, .prot = VH_PROT_RO,
	  .waits = true,
	  .why = "no split, no merge: only the flags change, still under the VMA write lock",
	  .before  = "AAAAAAAA",
	  .read_at = "  ^     ",
	  .range   = "********",
	  .after   = "aaaaaaaa" },
	{ .desc = "protect_head_split", .op = ST_OP_PROTECT,
	  .prot = VH_PROT_RO, .waits = true,
	  .before  = "AAAAAAAA",
	  .read_at = "      ^ ",
	  .range   = "****    ",
	  .after   = "aaaaBBBB" },
	{ .desc = "protect_tail_split", .op = ST_OP_PROTECT,
	  .prot = VH_PROT_RO, .waits = true,
	  .before  = "AAAAAAAA",
	  .read_at = " ^      ",
	  .range   = "    ****",
	  .after   = "AAAAbbbb" },
	{ .desc = "protect_middle_split", .op = ST_OP_PROTECT,
	  .prot = VH_PROT_RO, .waits = true,
	  .before  = "AAAAAAAA",
	  .read_at = "^       ",
	  .range   = "   **   ",
	  .after   = "AAAbbCCC" },
	{ .desc = "protect_merge_prev_expands", .op = ST_OP_PROTECT,
	  .prot = VH_PROT_RW, .waits = true,
	  .why = "the reader's VMA is prev: it expands over next",
	  .before  = "AAAAbbbb",
	  .read_at = " ^      ",
	  .range   = "    ****",
	  .after   = "AAAAAAAA" },
	{ .desc = "protect_merge_next_removed", .op = ST_OP_PROTECT,
	  .prot = VH_PROT_RW, .waits = true,
	  .why = "the reader's VMA is the one merged into prev and freed",
	  .before  = "AAAAbbbb",
	  .read_at = "     ^  ",
	  .range   = "    ****",
	  .after   = "AAAAAAAA" },
	{ .desc = "protect_merge_both", .op = ST_OP_PROTECT,
	  .prot = VH_PROT_RW, .waits = true,
	  .why = "prev expands over the middle and next: next, the reader's, is removed",
	  .before  = "AAbbbbCC",
	  .read_at = "       ^",
	  .range   = "  ****  ",
	  .after   = "AAAAAAAA" },
	{ .desc = "protect_merge_both_middle_removed", .op = ST_OP_PROTECT,
	  .prot = VH_PROT_RW, .waits = true,
	  .before  = "AAbbbbCC",
	  .read_at = "   ^    ",
	  .range   = "  ****  ",
	  .after   = "AAAAAAAA" },
	{ .desc = "map_adjacent_expands", .op = ST_OP_MAP, .flags = VH_RW,
	  .waits = true,
	  .why = "the new mapping merges into the reader's VMA, which expands",
	  .before  = "AAAA----",
	  .read_at = " ^      ",
	  .range   = "    ****",
	  .after   = "AAAAAAAA" },
	{ .desc = "map_before_expands", .op = ST_OP_MAP, .flags = VH_RW,
	  .waits = true,
	  .before  = "----AAAA",
	  .read_at = "     ^  ",
	  .range   = "****    ",
	  .after   = "AAAAAAAA" },
	{ .desc = "map_fills_gap_prev_expands", .op = ST_OP_MAP,
	  .flags = VH_RW, .waits = true,
	  .why = "a new mapping filling the gap merges all three; next is removed",
	  .before  = "AA----CC",
	  .read_at = " ^      ",
	  .range   = "  ****  ",
	  .after   = "AAAAAAAA" },
	{ .desc = "map_fills_gap_next_removed", .op = ST_OP_MAP,
	  .flags = VH_RW, .waits = true,
	  .before  = "AA----CC",
	  .read_at = "       ^",
	  .range   = "  ****  ",
	  .after   = "AAAAAAAA" },
	{ .desc = "map_over_middle", .op = ST_OP_MAP, .flags = VH_RO,
	  .waits = true,
	  .before  = "AAAAAAAA",
	  .read_at = "^       ",
	  .range   = "  ****  ",
	  .after   = "AAbbbbCC" },
	{ .desc = "map_over_whole", .op = ST_OP_MAP, .flags = VH_RO,
	  .waits = true,
	  .before  = "AAAAAAAA",
	  .read_at = "   ^    ",
	  .range   = "********",
	  .after   = "aaaaaaaa" },
	{ .desc = "map_elsewhere", .op = ST_OP_MAP, .flags = VH_RO,
	  .why = "control: the op does not touch the reader's VMA, so it must not wait",
	  .before  = "AAAAAAAA",
	  .read_at = "   ^    ",
	  .range   = "                ****",
	  .after   = "AAAAAAAA--------bbbb" },
	{ .desc = "vm_munmap_downgrading", .op = ST_OP_VM_MUNMAP,
	  .waits = true,
	  .why = "__vm_munmap(unlock) write-locks the VMA before it downgrades mmap_lock: the reader's VMA is never freed under it",
	  .before  = "AAAAbbbb",
	  .read_at = "  ^     ",
	  .range   = "******  ",
	  .after   = "------bb" },
	{ .desc = "unmap_other_vma", .op = ST_OP_UNMAP,
	  .why = "control: the op does not touch the reader's VMA, so it must not wait",
	  .before  = "AAAA--BB",
	  .read_at = " ^      ",
	  .range   = "      **",
	  .after   = "AAAA" },
};

struct st_ctx {
	const struct st_row *row;
	struct mm_struct *mm;
	unsigned long start, end;	/* the op's range */
	int ret;
	int done;
};

static void st_writer(void *arg)
{
	struct st_ctx *c = arg;
	const struct st_row *row = c->row;
	unsigned long s = c->start, e = c->end;

	if (row->op == ST_OP_VM_MUNMAP) {
		current->mm = c->mm;
		c->ret = __vm_munmap(s, e - s, true);
		vh_flag_set(&c->done, 1);
		/* It returns with mmap_lock released. */
		VH_EXPECT_TRUE(!rwsem_is_locked(&c->mm->mmap_lock));
		return;
	}
	mmap_write_lock(c->mm);
	switch (row->op) {
	case ST_OP_MAP:
		/* MAP_FIXED: whatever was there is unmapped first. */
		c->ret = vh_unmap(c->mm, s, e) ?:
			 vh_map(c->mm, s, e, row->flags);
		break;
	case ST_OP_UNMAP:
		c->ret = vh_unmap(c->mm, s, e);
		break;
	case ST_OP_PROTECT:
		c->ret = vh_protect(c->mm, s, e, row->prot);
		break;
	default:
		c->ret = -EINVAL;
		break;
	}
	vh_flag_set(&c->done, 1);
	mmap_write_unlock(c->mm);
}

static void st_body(const struct st_row *row)
{
	struct st_ctx c = { .row = row, .mm = vh_test_mm() };
	struct vh_vma_snap before;
	struct vm_area_struct *vma;
	unsigned long addr, unused;
	struct vh_thread *w;

	VH_ASSERT_TRUE(vh_layout_span(row->read_at, '^', &addr, &unused));
	VH_ASSERT_TRUE(vh_layout_span(row->range, '*', &c.start, &c.end));
	VH_ASSERT_EQ(vh_map_layout(c.mm, row->before), 0);

	vma = lock_vma_under_rcu(c.mm, addr);
	VH_ASSERT_TRUE(vma);
	vh_vma_snap(vma, &before);

	w = vh_thread_start(st_writer, &c);
	vh_writer_vs_reader(w, &c.done, vma, &before, row->waits);
	vma_end_read(vma);
	vh_thread_join(w);

	VH_EXPECT_EQ(c.ret, 0);
	VH_EXPECT_TRUE(vh_layout_is(c.mm, row->after));
}

VH_TABLE(stability,
	 "a read-locked VMA does not change (range, pgoff, flags, anon_vma, mm, file) until vma_end_read(): every mm/vma.c path that modifies or removes it write-locks it first",
	 st_rows, st_body);
