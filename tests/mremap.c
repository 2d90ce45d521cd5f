// SPDX-License-Identifier: GPL-2.0
/*
 * mremap() as the system call runs it (mm/mremap.c, compiled whole:
 * sys_mremap() takes mmap_lock itself), against a lockless reader that
 * holds the VMA it remaps: a move, a grow in place, a shrink, a move to a
 * fixed address and MREMAP_DONTUNMAP.  Each changes the reader's VMA, so
 * it must write-lock it first and wait for the reader (for a move:
 * d6ac235de4ba "mm/mremap: write-lock VMA while remapping it to a new
 * address range"); the reader's VMA does not change under it; the layout
 * after is as drawn (pictures as in shared/vma/vma.h).
 */
#include <errno.h>
#include <stdio.h>
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"
#include "../shared/vma/sites.h"

#define MR_PG(n)	(VH_BASE + VH_PG(n))

struct mr_row {
	const char *desc;
	const char *why;
	const char *before;
	unsigned long read_at;	/* the reader's page */
	unsigned long addr, old_len, new_len, new_addr;	/* pages */
	unsigned long flags;	/* MREMAP_* */
	unsigned long ret;	/* the page mremap() returns */
	const char *site;	/* the vma_start_write() site it must reach */
	const char *after;
	bool remnant;		/* the reader's page stays: still VM_ACCOUNT */
};

static const struct mr_row mr_rows[] = {
	{ .desc = "move", .site = "move_vma(vrm->vma)",
	  .ret = 6,
	  .before = "AAAAbb--------",
	  .read_at = 1, .addr = 0, .old_len = 4, .new_len = 6,
	  .flags = MREMAP_MAYMOVE,
	  .after  = "----bbAAAAAA--",
	  .why = "b keeps A from growing in place: A moves to the first gap that fits from mmap_base (page 6)" },
	{ .desc = "grow_in_place", .ret = 0,
	  .before = "AAAA----------",
	  .read_at = 1, .addr = 0, .old_len = 4, .new_len = 6,
	  .after  = "AAAAAA--------",
	  .why = "the pages above A are free: A grows (vma_expand())" },
	{ .desc = "shrink", .ret = 0,
	  .before = "AAAA----------",
	  .read_at = 1, .addr = 0, .old_len = 4, .new_len = 2,
	  .after  = "AA------------",
	  .why = "the tail of A is unmapped: A is split first" },
	{ .desc = "move_fixed", .site = "move_vma(vrm->vma)",
	  .ret = 8,
	  .before = "AAAA----------",
	  .read_at = 1, .addr = 0, .old_len = 4, .new_len = 4,
	  .new_addr = 8, .flags = MREMAP_MAYMOVE | MREMAP_FIXED,
	  .after  = "--------AAAA--",
	  .why = "A moves to page 8 (move_vma())" },
	{ .desc = "move_dontunmap", .site = "move_vma(vrm->vma)",
	  .ret = 8,
	  .before = "AAAA----------",
	  .read_at = 1, .addr = 0, .old_len = 4, .new_len = 4,
	  .new_addr = 8,
	  .flags = MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP,
	  .after  = "AAAA----BBBB--",
	  .why = "A is copied to page 8 and stays where it was (move_vma(), dontunmap_complete())" },
	{ .desc = "move_tail_keeps_head", .site = "unmap_source_vma(prev)",
	  .ret = 8, .remnant = true,
	  .before = "AAAA----------",
	  .read_at = 1, .addr = 2, .old_len = 2, .new_len = 2,
	  .new_addr = 8, .flags = MREMAP_MAYMOVE | MREMAP_FIXED,
	  .after  = "AA------BB----",
	  .why = "A's tail moves to page 8; the head that stays is write-locked again and gets back the VM_ACCOUNT the move cleared (unmap_source_vma())" },
	{ .desc = "move_head_keeps_tail", .site = "unmap_source_vma(next)",
	  .ret = 8, .remnant = true,
	  .before = "AAAA----------",
	  .read_at = 3, .addr = 0, .old_len = 2, .new_len = 2,
	  .new_addr = 8, .flags = MREMAP_MAYMOVE | MREMAP_FIXED,
	  .after  = "--AA----BB----",
	  .why = "A's head moves to page 8; the tail that stays is write-locked again and gets back the VM_ACCOUNT the move cleared (unmap_source_vma())" },
};

struct mr_ctx {
	const struct mr_row *row;
	struct mm_struct *mm;
	long ret;
	int done;
};

static void mr_writer(void *arg)
{
	struct mr_ctx *c = arg;
	const struct mr_row *row = c->row;

	current->mm = c->mm;
	c->ret = sys_mremap(MR_PG(row->addr), VH_PG(row->old_len),
			    VH_PG(row->new_len), row->flags,
			    row->new_addr ? MR_PG(row->new_addr) : 0);
	WRITE_ONCE(c->done, 1);
}

/*
 * While the writer waits for the reader, mremap() has not begun: nothing
 * is mapped at the new place yet (seen as a lockless reader sees the tree,
 * under RCU: the writer holds mmap_lock).
 */
static void mr_nothing_at(struct mr_ctx *c, unsigned long start,
			  unsigned long end)
{
	MA_STATE(mas, &c->mm->mm_mt, start, start);
	struct vm_area_struct *vma;

	rcu_read_lock();
	vma = mas_find(&mas, end - 1);
	if (vma)
		vh_fail(__FILE__, __LINE__,
			"mremap() made [%#lx-%#lx) at its new place while a reader held the VMA it moves: move_vma() must write-lock the VMA before copying it (d6ac235de4ba)",
			vma->vm_start, vma->vm_end);
	rcu_read_unlock();
}

static void mr_body(const struct mr_row *row)
{
	struct mr_ctx c = { .row = row, .mm = vh_test_mm() };
	struct vm_area_struct *vma;
	struct vh_vma_snap before;
	struct vh_thread *w;

	vh_why(row->why);
	current->mm = c.mm;
	VH_ASSERT_EQ(vh_map_layout(c.mm, row->before), 0);
	/* mmap()'s bottom-up search for a new place starts at page 6. */
	c.mm->mmap_base = MR_PG(6);

	vma = lock_vma_under_rcu(c.mm, MR_PG(row->read_at));
	VH_ASSERT(vma);
	vh_vma_snap(vma, &before);
	/* A private writable mapping is accounted: an accountable move. */
	if (row->remnant)
		VH_ASSERT_TRUE(before.flags & VM_ACCOUNT);
	w = vh_thread_start(mr_writer, &c);
	vh_writer_vs_reader(w, &c.done, vma, &before, true);
	if (row->ret != row->addr)
		mr_nothing_at(&c, MR_PG(row->ret), MR_PG(row->ret + row->new_len));
	vma_end_read(vma);
	vh_thread_join(w);

	if (c.ret != (long)MR_PG(row->ret))
		vh_fail(__FILE__, __LINE__, "mremap() returned %#lx, expected %#lx (page %lu)",
			c.ret, MR_PG(row->ret), row->ret);
	VH_CHECK(vh_layout_is(c.mm, row->after));
	if (row->remnant) {
		vma = vma_lookup(c.mm, MR_PG(row->read_at));
		VH_ASSERT(vma);
		VH_EXPECT_TRUE_MSG(vma->vm_flags & VM_ACCOUNT,
				   "[%#lx-%#lx), what stays of the moved VMA, lost VM_ACCOUNT: unmap_source_vma() must set it again",
				   vma->vm_start, vma->vm_end);
	}
	if (row->site && !vh_site_exists(row->site))
		vh_diag("this tree has no vma_start_write() site %s", row->site);
	else if (row->site && !vh_site_reached(row->site))
		vh_fail(__FILE__, __LINE__, "did not reach vma_start_write() in %s",
			row->site);
}

static void __attribute__((constructor)) mr_declare(void)
{
	char name[128];
	size_t r;

	for (r = 0; r < ARRAY_SIZE(mr_rows); r++) {
		if (!mr_rows[r].site)
			continue;
		snprintf(name, sizeof(name), "mremap.%s", mr_rows[r].desc);
		vh_site_declare(mr_rows[r].site, name);
	}
}

VH_TABLE(mremap,
	 "mm/mremap.c: mremap() write-locks every VMA it moves, grows or shrinks before changing it, so it waits for a lockless reader that holds one, and that VMA does not change under the reader",
	 mr_rows, mr_body);
