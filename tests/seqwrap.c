// SPDX-License-Identifier: GPL-2.0
/*
 * Sequence wrap: vm_lock_seq and mm_lock_seq are 32-bit and wrap.  A reader
 * may be told "locked" when the VMA is not (a false locked result: it falls
 * back to mmap_lock), but must never be told "unlocked" while the VMA is
 * write-locked.  Each row starts mm_lock_seq at a given (even, unlocked)
 * value and runs a few mmap write sections across the wrap, checking after
 * each step what a lockless reader sees.
 */
#include <limits.h>
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"

struct sw_row {
	const char *desc;
	const char *why;
	unsigned int start;	/* mm_lock_seq before the first section */
	bool stale_lock;	/* vm_lock_seq left equal to start + 1 */
};

static const struct sw_row sw_rows[] = {
	{ .desc = "from_zero", .start = 0 },
	{ .desc = "before_wrap", .start = UINT_MAX - 5 },
	{ .desc = "section_at_uint_max", .start = UINT_MAX - 1,
	  .why = "the section's sequence is UINT_MAX, the 'never locked' value of vm_lock_seq" },
	{ .desc = "across_wrap", .start = UINT_MAX - 3 },
	{ .desc = "stale_lock_seen_locked", .start = UINT_MAX - 3,
	  .stale_lock = true,
	  .why = "a lock from 2^32 sections ago looks current: readers refused only" },
};

struct sw_probe {
	struct mm_struct *mm;
	bool got;
};

/* What a reader on another thread gets: read-locked, or refused. */
static void sw_reader(void *arg)
{
	struct sw_probe *p = arg;
	struct vm_area_struct *vma = lock_vma_under_rcu(p->mm, VH_BASE);

	p->got = vma;
	if (vma)
		vma_end_read(vma);
}

static bool sw_reader_gets(struct mm_struct *mm)
{
	struct sw_probe probe = { .mm = mm };

	vh_thread_join(vh_thread_start(sw_reader, &probe));
	return probe.got;
}

static void sw_body(const struct sw_row *row)
{
	struct mm_struct *mm = vh_test_mm();
	struct vm_area_struct *vma;
	int i;

	VH_ASSERT_EQ(vh_map_layout(mm, "AAAAAAAA"), 0);
	vma = vma_lookup(mm, VH_BASE);
	mm->mm_lock_seq.sequence = row->start;
	if (row->stale_lock)
		vma->vm_lock_seq = row->start + 1;
	else
		vma->vm_lock_seq = UINT_MAX;

	for (i = 0; i < 6; i++) {
		unsigned int seq = mm->mm_lock_seq.sequence;

		/* Unlocked: a reader may only be refused falsely. */
		if (vma->vm_lock_seq != seq)
			VH_EXPECT_TRUE(sw_reader_gets(mm));
		mmap_write_lock(mm);
		VH_EXPECT_EQ(mm->mm_lock_seq.sequence, seq + 1);
		/* Never a false "unlocked" once write-locked. */
		vma_start_write(vma);
		VH_EXPECT_TRUE(__is_vma_write_locked(vma));
		VH_EXPECT_TRUE(!sw_reader_gets(mm));
		mmap_write_unlock(mm);
		VH_EXPECT_EQ(mm->mm_lock_seq.sequence, seq + 2);
		VH_EXPECT_TRUE(sw_reader_gets(mm));
		if (vh_test_failed()) {
			vh_diag("at mm_lock_seq %u", seq);
			break;
		}
	}
}

VH_TABLE(seqwrap,
	 "include/linux/mmap_lock.h, mm/mmap_lock.c: across the 32-bit wrap of mm_lock_seq, a write-locked VMA is always seen locked; only false 'locked' answers are allowed",
	 sw_rows, sw_body);
