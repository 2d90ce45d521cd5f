// SPDX-License-Identifier: GPL-2.0
/*
 * madvise() and its locks, mm/madvise.c from the tree: do_madvise() ->
 * madvise_lock() -> madvise_walk_vmas() -> madvise_unlock().
 * MADV_DONTNEED, MADV_DONTNEED_LOCKED and MADV_FREE run in the per-VMA
 * lock mode (MADVISE_VMA_READ_LOCK): try_vma_read_lock() read-locks the
 * VMA at the start with lock_vma_under_rcu() and, when the range stays
 * within it and the caller is the mm's own task, applies the behaviour
 * under that lock alone and drops it with vma_end_read(); otherwise (a
 * range over two VMAs, no VMA at the start, a VMA the lock fails on) it
 * falls back to mmap_read_lock() and walks every VMA of the
 * range.  Flag changes (MADV_DONTDUMP) take mmap_write_lock().  Whatever
 * the path, nothing is held afterwards.
 *
 * The layout is
 *
 *	AAAbbb--CCC-
 *
 * A and C read-write, b read-only, '-' gaps; a row's range is drawn under
 * it ('*').  The page tables are cut: a zap reports the VMA, the range and
 * the locks held (shared/env/madvise_api.h).
 */
#include <errno.h>
#include <string.h>
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"
#include "../shared/env/madvise_api.h"

#define MA_LAYOUT	"AAAbbb--CCC-"
#define MA_MAX		8

enum ma_race {
	MA_RACE_NONE,
	MA_RACE_WRITE_LOCKED,	/* a writer holds the VMA at the start */
};

struct ma_row {
	const char *desc;
	const char *why;
	enum vh_madv behavior;
	const char *range;	/* '*': the pages advised */
	enum ma_race race;
	int ret;
	bool vma_path;		/* under the VMA lock alone */
	unsigned long read_locks; /* mmap_read_lock()s (the fallback's) */
	int map_count;		/* the VMAs after, if their number changes */
	const char *zapped;	/* the VMAs zapped, in order */
};

static const struct ma_row ma_rows[] = {
	{ .desc = "dontneed_within_vma_vma_lock",
	  .range  = " **",
	  .vma_path = true, .zapped = "A",
	  .why = "one VMA: lock_vma_under_rcu(), the zap under that lock alone, vma_end_read()" },
	{ .desc = "dontneed_whole_vma_vma_lock",
	  .range  = "   ***",
	  .vma_path = true, .zapped = "b" },
	{ .desc = "dontneed_locked_within_vma", .behavior = VH_MADV_DONTNEED_LOCKED,
	  .range  = "        **",
	  .vma_path = true, .zapped = "C" },
	{ .desc = "dontneed_spanning_two_vmas_mmap_lock", .read_locks = 1,
	  .range  = "  ***",
	  .zapped = "Ab",
	  .why = "the range ends past A: is_vma_lock_sufficient() says no, vma_end_read(A), mmap_read_lock() and both VMAs" },
	{ .desc = "dontneed_over_gap_mmap_lock", .read_locks = 1,
	  .range  = "     *****",
	  .ret = -ENOMEM, .zapped = "bC",
	  .why = "two VMAs and a gap: both zapped under mmap_lock, -ENOMEM for the gap" },
	{ .desc = "dontneed_start_in_gap_mmap_lock", .read_locks = 1,
	  .range  = "      ****",
	  .ret = -ENOMEM, .zapped = "C",
	  .why = "no VMA at the start: lock_vma_under_rcu() finds none, mmap_read_lock()" },
	{ .desc = "dontneed_write_locked_mmap_lock", .read_locks = 1,
	  .range  = " *",
	  .race = MA_RACE_WRITE_LOCKED, .zapped = "A",
	  .why = "A write-locked: lock_vma_under_rcu() fails, mmap_read_lock() waits for the writer" },
	{ .desc = "free_within_vma_vma_lock", .behavior = VH_MADV_FREE,
	  .range  = "        ***",
	  .vma_path = true, .zapped = "",
	  .why = "MADV_FREE walks the VMA with PGWALK_VMA_RDLOCK_VERIFY (mm/pagewalk.c asserts the VMA lock)" },
	{ .desc = "free_spanning_two_vmas_mmap_lock", .read_locks = 1, .behavior = VH_MADV_FREE,
	  .range  = "  **",
	  .zapped = "",
	  .why = "under mmap_read_lock(): the walks' PGWALK_RDLOCK asserts it" },
	{ .desc = "dontdump_mmap_write_lock", .behavior = VH_MADV_DONTDUMP,
	  .range  = "         *",
	  .zapped = "", .map_count = 5,
	  .why = "a flag change: MADVISE_MMAP_WRITE_LOCK, C split by mm/vma.c" },
};

struct ma_ctx {
	const struct ma_row *row;
	struct mm_struct *mm;
	int ret, nzaps, done;
	char zapped[MA_MAX + 1];
	bool zap_vma_locked[MA_MAX], zap_mmap_locked[MA_MAX];
	bool zap_in_vma[MA_MAX];
	unsigned long read_locks;
	char still_locked;	/* a VMA read-locked after madvise() */
	bool mmap_held;		/* mmap_lock held after madvise() */
	int lock_depth, rcu_depth;
	struct vh_break brk;	/* before mmap_read_lock(), after the VMA lock */
};

static char ma_letter(unsigned long addr)
{
	unsigned long page = (addr - VH_BASE) / PAGE_SIZE;

	return page < strlen(MA_LAYOUT) ? MA_LAYOUT[page] : '?';
}

static void ma_zap(void *arg, const struct vh_madv_zap *zap)
{
	struct ma_ctx *c = arg;

	if (c->nzaps >= MA_MAX)
		return;
	c->zapped[c->nzaps] = ma_letter(zap->vma->vm_start);
	c->zap_vma_locked[c->nzaps] = zap->vma_locked;
	c->zap_mmap_locked[c->nzaps] = zap->mmap_locked;
	c->zap_in_vma[c->nzaps] = zap->start >= zap->vma->vm_start &&
		zap->end <= zap->vma->vm_end;
	c->nzaps++;
}

/* madvise() in a task of its own, the mm's (current->mm). */
static void ma_advisor(void *arg)
{
	struct ma_ctx *c = arg;
	const struct ma_row *row = c->row;
	unsigned long start, end, locks, i;

	current->mm = c->mm;
	VH_ASSERT_TRUE(vh_layout_span(row->range, '*', &start, &end));
	if (row->race == MA_RACE_WRITE_LOCKED)
		vh_break_arm(&c->brk, &c->mm->mmap_lock, 0);
	locks = current->nr_read_locks;
	c->ret = vh_madvise(c->mm, start, end - start, row->behavior);
	c->read_locks = current->nr_read_locks - locks;
	vh_break_disarm();
	c->lock_depth = current->lockdep_depth;
	c->rcu_depth = current->rcu_depth;
	/* A lock left held is released here, by its owner, once seen. */
	c->mmap_held = rwsem_is_locked(&c->mm->mmap_lock);
	if (c->mmap_held && c->mm->mmap_lock.owner == current)
		mmap_write_unlock(c->mm);
	else if (c->mmap_held)
		mmap_read_unlock(c->mm);
	for (i = 0; i < strlen(MA_LAYOUT); i++) {
		struct vm_area_struct *v;

		mmap_read_lock(c->mm);
		v = vma_lookup(c->mm, VH_BASE + VH_PG(i));
		mmap_read_unlock(c->mm);
		if (v && refcount_read(&v->vm_refcnt) > 1) {
			c->still_locked = MA_LAYOUT[i];
			vma_end_read(v);
		}
	}
	current->mm = NULL;
	vh_flag_set(&c->done, 1);
}

static void ma_unhook(void *arg)
{
	(void)arg;
	vh_madv_set_hook(NULL, NULL);
}

static void ma_body(const struct ma_row *row)
{
	struct ma_ctx *c = vh_test_alloc(sizeof(*c));
	struct vm_area_struct *a;
	struct vh_thread *t;
	int i;

	vh_why(row->why);
	c->row = row;
	c->mm = vh_test_mm();
	VH_ASSERT_EQ(vh_map_layout(c->mm, MA_LAYOUT), 0);
	vh_madv_set_hook(ma_zap, c);
	vh_defer(ma_unhook, NULL);

	if (row->race == MA_RACE_WRITE_LOCKED) {
		unsigned long start, end;

		VH_ASSERT_TRUE(vh_layout_span(row->range, '*', &start, &end));
		mmap_write_lock(c->mm);
		a = vma_lookup(c->mm, start);
		VH_ASSERT_NOT_NULL(a);
		vma_start_write(a);
	}
	t = vh_thread_start(ma_advisor, c);
	if (row->race == MA_RACE_WRITE_LOCKED) {
		/* It fails on A's lock, then comes for mmap_lock, held. */
		vh_break_wait(&c->brk);
		mmap_write_unlock(c->mm);
		vh_break_resume(&c->brk);
	}
	vh_thread_join(t);

	VH_EXPECT_EQ(c->ret, row->ret);
	c->zapped[c->nzaps] = '\0';
	VH_EXPECT_STR_EQ(c->zapped, row->zapped);
	VH_EXPECT_EQ_MSG(c->read_locks, row->read_locks,
			 "mm/madvise.c: madvise() took mmap_read_lock() %lu time(s): the per-VMA path only for a range within one VMA, mmap_lock otherwise",
			 c->read_locks);
	for (i = 0; i < c->nzaps; i++) {
		VH_EXPECT_TRUE_MSG(c->zap_in_vma[i],
				   "mm/madvise.c: VMA %c zapped past its end",
				   c->zapped[i]);
		if (row->vma_path)
			VH_EXPECT_TRUE_MSG(c->zap_vma_locked[i] &&
					   !c->zap_mmap_locked[i],
					   "mm/madvise.c: VMA %c zapped without its VMA lock, or under mmap_lock, on the per-VMA path",
					   c->zapped[i]);
		else
			VH_EXPECT_TRUE_MSG(c->zap_mmap_locked[i] &&
					   !c->zap_vma_locked[i],
					   "mm/madvise.c: VMA %c zapped without mmap_lock (or still read-locked) after the fallback",
					   c->zapped[i]);
	}
	if (row->map_count)
		VH_EXPECT_EQ(c->mm->map_count, row->map_count);

	/* Nothing held after: no VMA lock, no RCU, mmap_lock free. */
	VH_EXPECT_EQ_MSG(c->still_locked, 0,
			 "mm/madvise.c: madvise() returned with VMA %c still read-locked",
			 c->still_locked);
	VH_EXPECT_EQ(c->lock_depth, 0);
	VH_EXPECT_EQ(c->rcu_depth, 0);
	VH_EXPECT_FALSE_MSG(c->mmap_held,
			    "mm/madvise.c: madvise() returned holding mmap_lock (madvise_unlock() after the per-VMA mode fell back)");
	VH_EXPECT_FALSE(rwsem_is_locked(&c->mm->mmap_lock));
}

VH_TABLE(madvise_lock,
	 "mm/madvise.c, mm/pagewalk.c, mm/mmap_lock.c: MADV_DONTNEED/DONTNEED_LOCKED/FREE on a range within one VMA run under that VMA's read lock alone (lock_vma_under_rcu()); a range over two VMAs or a gap, or a VMA the lock fails on fall back to mmap_read_lock(); flag changes take mmap_write_lock(); nothing is held after madvise() returns",
	 ma_rows, ma_body);
