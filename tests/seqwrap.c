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
	unsigned int start;	/* mm_lock_seq before the first section */
	bool stale_lock;	/* vm_lock_seq left equal to start + 1 */
};

static const struct sw_row sw_rows[] = {
	{ "from_zero",			0,		false },
	{ "before_wrap",		UINT_MAX - 5,	false },
	/* The section's sequence is UINT_MAX, the "never locked" value. */
	{ "section_at_uint_max",	UINT_MAX - 1,	false },
	{ "across_wrap",		UINT_MAX - 3,	false },
	/* A lock from 2^32 sections ago looks current: readers refused only. */
	{ "stale_lock_seen_locked",	UINT_MAX - 3,	true },
};

/* What a reader on another thread gets: 1 = read-locked, 0 = refused. */
static void sw_reader(void *arg)
{
	struct vh_fixture *f = arg;
	struct vm_area_struct *vma = lock_vma_under_rcu(f->mm, VH_BASE);

	f->vma = vma ? vma : NULL;
	if (vma)
		vma_end_read(vma);
}

static bool sw_reader_gets(struct vh_fixture *f)
{
	struct vh_fixture probe = { .mm = f->mm };
	struct vh_thread *t = vh_thread_start(sw_reader, &probe);

	vh_thread_join(t);
	return probe.vma != NULL;
}

static void sw_body(const struct sw_row *row)
{
	struct vh_fixture f;
	int i;

	vh_fixture_init(&f);
	f.mm->mm_lock_seq.sequence = row->start;
	if (row->stale_lock)
		f.vma->vm_lock_seq = row->start + 1;
	else
		f.vma->vm_lock_seq = UINT_MAX;

	for (i = 0; i < 6; i++) {
		unsigned int seq = f.mm->mm_lock_seq.sequence;

		/* Unlocked: a reader may only be refused falsely. */
		if (f.vma->vm_lock_seq != seq)
			VH_CHECK(sw_reader_gets(&f));
		mmap_write_lock(f.mm);
		VH_CHECK_EQ(f.mm->mm_lock_seq.sequence, seq + 1);
		/* Never a false "unlocked" once write-locked. */
		vma_start_write(f.vma);
		VH_CHECK(__is_vma_write_locked(f.vma));
		VH_CHECK(!sw_reader_gets(&f));
		mmap_write_unlock(f.mm);
		VH_CHECK_EQ(f.mm->mm_lock_seq.sequence, seq + 2);
		VH_CHECK(sw_reader_gets(&f));
		if (vh_test_failed()) {
			vh_diag("at mm_lock_seq %u", seq);
			break;
		}
	}
	vh_fixture_fini(&f);
}

VH_TABLE(seqwrap,
	 "across the 32-bit wrap of mm_lock_seq, a write-locked VMA is always seen locked; only false 'locked' answers are allowed",
	 sw_rows, sw_body);
