// SPDX-License-Identifier: GPL-2.0
/*
 * vma_start_read_unlocked() (2026 series "mm: Unconditional per-VMA locks
 * and cleanups"): from a caller holding no mmap_lock, return the VMA that
 * contains the address, read-locked and paired with vma_end_read(), or
 * NULL; when the lockless lookup fails, wait for the writer under
 * mmap_read_lock() instead of failing, and keep making progress while
 * writers keep changing the address space.
 *
 * Trees without the helper (Linux 7.3) report these rows as skipped;
 * the series fixture tree gets it from scripts/fixtures.
 */
#include <sched.h>
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"

enum ul_writer {
	UL_WRITER_NONE,		/* nobody else */
	UL_WRITER_HOLDS,	/* a writer holds the VMA write-locked, then lets go */
	UL_WRITER_UNMAPS,	/* ... and unmaps it before letting go */
	UL_WRITER_REPLACES,	/* ... unmaps it and maps the range anew */
};

enum ul_result {
	UL_RESULT_NOTHING,	/* NULL */
	UL_RESULT_ORIGINAL,	/* the VMA of the fixture */
	UL_RESULT_NEW,		/* the VMA mapped in its place */
};

/* The address space is one VMA, "AAAAAAAA" (shared/vma/vma.h). */
struct ul_row {
	const char *desc;
	const char *why;
	unsigned long addr;	/* page offset from VH_BASE */
	enum ul_writer writer;
	enum ul_result result;
	bool fallback;		/* must go through mmap_read_lock() */
};

static const struct ul_row ul_rows[] = {
	{ .desc = "found", .addr = 3,
	  .writer = UL_WRITER_NONE, .result = UL_RESULT_ORIGINAL },
	{ .desc = "no_vma", .addr = 9,
	  .writer = UL_WRITER_NONE, .result = UL_RESULT_NOTHING,
	  .fallback = true,
	  .why = "a failed lockless lookup is confirmed under mmap_read_lock() before NULL is returned" },
	{ .desc = "waits_for_writer", .addr = 3,
	  .writer = UL_WRITER_HOLDS, .result = UL_RESULT_ORIGINAL,
	  .fallback = true,
	  .why = "a write-locked VMA is waited for under mmap_read_lock(), not failed" },
	{ .desc = "unmapped_by_writer", .addr = 3,
	  .writer = UL_WRITER_UNMAPS, .result = UL_RESULT_NOTHING,
	  .fallback = true },
	{ .desc = "replaced_by_writer", .addr = 3,
	  .writer = UL_WRITER_REPLACES, .result = UL_RESULT_NEW,
	  .fallback = true },
};

struct ul_ctx {
	struct mm_struct *mm;
	unsigned long addr;
	struct vh_break brk;
	bool stop;
	struct vm_area_struct *got;
	bool mmap_held_after;
	/* What the reader saw while it held the VMA. */
	unsigned long start, end;
	unsigned int refcnt, refcnt_after;
};

/* The reader releases what it got itself (lockdep: it is its lock). */
static void ul_reader(void *arg)
{
	struct ul_ctx *c = arg;

	if (c->stop)
		vh_break_arm(&c->brk, &c->mm->mmap_lock, 0);
	c->got = vh_start_read_unlocked(c->mm, c->addr);
	vh_break_disarm();
	c->mmap_held_after = rwsem_is_locked(&c->mm->mmap_lock);
	if (c->got) {
		c->start = c->got->vm_start;
		c->end = c->got->vm_end;
		c->refcnt = refcount_read(&c->got->vm_refcnt);
		vma_end_read(c->got);
		c->refcnt_after = refcount_read(&c->got->vm_refcnt);
	}
}

static void ul_body(const struct ul_row *row)
{
	struct ul_ctx c = { .addr = VH_BASE + VH_PG(row->addr) };
	struct mm_struct *mm = vh_test_mm();
	struct vm_area_struct *vma;
	struct vh_thread *r;

	VH_ASSERT_EQ(vh_map_layout(mm, "AAAAAAAA"), 0);
	vma = vma_lookup(mm, VH_BASE);
	c.mm = mm;
	c.stop = row->writer != UL_WRITER_NONE;
	if (row->writer != UL_WRITER_NONE) {
		mmap_write_lock(mm);
		vma_start_write(vma);
	}
	r = vh_thread_start(ul_reader, &c);
	if (row->writer != UL_WRITER_NONE) {
		/* The lockless attempt failed: the reader takes mmap_lock. */
		vh_break_wait(&c.brk);
		if (row->writer >= UL_WRITER_UNMAPS)
			VH_EXPECT_EQ(vh_unmap(mm, VH_BASE, VH_BASE + VH_PG(8)),
				    0);
		if (row->writer == UL_WRITER_REPLACES)
			VH_EXPECT_EQ(vh_map(mm, VH_BASE, VH_BASE + VH_PG(8),
					   VH_RW), 0);
		mmap_write_unlock(mm);
		vh_break_resume(&c.brk);
	}
	vh_thread_join(r);

	VH_EXPECT_TRUE(!c.mmap_held_after);
	switch (row->result) {
	case UL_RESULT_NOTHING:
		VH_EXPECT_TRUE(c.got == NULL);
		break;
	case UL_RESULT_ORIGINAL:
		VH_EXPECT_TRUE(c.got == vma);
		break;
	case UL_RESULT_NEW:
		VH_EXPECT_TRUE(c.got && c.got == vma_lookup(mm, c.addr));
		break;
	}
	if (c.got) {
		VH_EXPECT_TRUE(c.addr >= c.start && c.addr < c.end);
		VH_EXPECT_EQ(c.refcnt, 2);
		VH_EXPECT_EQ(c.refcnt_after, 1);
	}
}

VH_TABLE_SKIP(start_read_unlocked,
	      "mm/mmap_lock.c: vma_start_read_unlocked() needs no mmap_lock and returns the VMA containing the address read-locked, or NULL, waiting for writers instead of failing",
	      ul_rows, ul_body, VH_UNLOCKED_SKIP);
