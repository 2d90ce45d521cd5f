// SPDX-License-Identifier: GPL-2.0
/*
 * Page walks, mm/pagewalk.c from the tree: walk_page_range() (its VMA
 * loop, walk_page_range_mm_unsafe()), walk_page_range_vma() and
 * walk_page_vma(), each with process_mm_walk_lock() and
 * process_vma_walk_lock().  A PGWALK_WRLOCK walk write-locks every VMA it
 * enters before it walks it, and so waits for a lockless reader holding
 * one; PGWALK_RDLOCK only asserts mmap_lock and write-locks nothing;
 * PGWALK_WRLOCK_VERIFY and PGWALK_VMA_RDLOCK_VERIFY assert the VMA's lock
 * the caller took.  Below the VMA there are no page tables: each range
 * walked is a hole at the top level (include/linux/pgalloc.h).
 *
 * The layout is
 *
 *	AAAbbb--CCC--
 *
 * A and C read-write, b read-only, '-' gaps; a row's range is drawn under
 * it ('*'), the page a lockless reader holds as '^'.
 */
#include <errno.h>
#include <string.h>
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"
#include "../shared/env/pagewalk_api.h"

#define PW_LAYOUT	"AAAbbb--CCC--"
#define PW_MAX		8

enum pw_mmap {
	PW_MMAP_WRITE,		/* the walker holds mmap_write_lock() */
	PW_MMAP_READ,		/* mmap_read_lock() */
	PW_MMAP_NONE,		/* nothing */
	PW_VMA_READ,		/* the walked VMA's read lock, no mmap_lock */
};

struct pw_row {
	const char *desc;
	const char *why;
	enum vh_walk_entry entry;
	enum vh_walk_lock lock;
	enum pw_mmap mmap;
	const char *range;	/* '*': the pages walked (VH_WALK_VMA: its VMA) */
	const char *read_at;	/* '^': the page a lockless reader holds */
	const char *prelocked;	/* VMAs the walker write-locks first */
	const char *warn;	/* the warning the walk must give */
	int ret;
	const char *visited;	/* the VMAs entered, in order */
	const char *wlocked;	/* the VMAs write-locked after the walk */
	const char *at_block;	/* the VMAs entered when the walk blocked */
	int gaps;		/* holes outside any VMA (depth -1) */
};

static const struct pw_row pw_rows[] = {
	{ .desc = "range_wrlock_every_vma", .lock = VH_PGWALK_WRLOCK,
	  .range     = " ********* ",
	  .visited = "AbC", .wlocked = "AbC", .gaps = 1,
	  .why = "each VMA entered is vma_start_write() before ->pre_vma()" },
	{ .desc = "range_wrlock_only_what_it_walks", .lock = VH_PGWALK_WRLOCK,
	  .range     = "   **",
	  .visited = "b", .wlocked = "b",
	  .why = "A and C are outside the range: not entered, not locked" },
	{ .desc = "range_wrlock_gap_then_vma", .lock = VH_PGWALK_WRLOCK,
	  .range     = "      *****",
	  .visited = "C", .wlocked = "C", .gaps = 1 },
	{ .desc = "range_wrlock_reader_blocks", .lock = VH_PGWALK_WRLOCK,
	  .range     = "*************",
	  .read_at   = "    ^",
	  .visited = "AbC", .wlocked = "AbC", .at_block = "A", .gaps = 2,
	  .why = "the walk write-locks A, then waits in vma_start_write(b) until the reader's vma_end_read()" },
	{ .desc = "range_rdlock_mmap_lock_only", .lock = VH_PGWALK_RDLOCK,
	  .mmap = PW_MMAP_READ,
	  .range     = "*************",
	  .read_at   = "    ^",
	  .visited = "AbC", .wlocked = "", .gaps = 2,
	  .why = "PGWALK_RDLOCK asserts mmap_lock and takes no VMA lock: the reader does not stop it" },
	{ .desc = "range_rdlock_without_mmap_lock_asserts",
	  .lock = VH_PGWALK_RDLOCK, .mmap = PW_MMAP_NONE,
	  .range     = "******",
	  .warn = "lock not held for read by this task",
	  .visited = "Ab", .wlocked = "",
	  .why = "process_mm_walk_lock(): mmap_assert_locked()" },
	{ .desc = "vma_wrlock_one", .entry = VH_WALK_VMA,
	  .lock = VH_PGWALK_WRLOCK,
	  .range     = "   ***",
	  .visited = "b", .wlocked = "b" },
	{ .desc = "vma_wrlock_reader_blocks", .entry = VH_WALK_VMA,
	  .lock = VH_PGWALK_WRLOCK,
	  .range     = "        ***",
	  .read_at   = "         ^",
	  .visited = "C", .wlocked = "C", .at_block = "" },
	{ .desc = "range_vma_part_wrlock", .entry = VH_WALK_RANGE_VMA,
	  .lock = VH_PGWALK_WRLOCK,
	  .range     = " **",
	  .visited = "A", .wlocked = "A" },
	{ .desc = "range_vma_outside_vma_einval", .entry = VH_WALK_RANGE_VMA,
	  .lock = VH_PGWALK_WRLOCK,
	  .range     = "  ***",
	  .ret = -EINVAL, .visited = "", .wlocked = "",
	  .why = "the range leaves the VMA: -EINVAL before anything is locked" },
	{ .desc = "wrlock_verify_unlocked_warns", .entry = VH_WALK_VMA,
	  .lock = VH_PGWALK_WRLOCK_VERIFY,
	  .range     = "   ***",
	  .warn = "!__is_vma_write_locked(vma)",
	  .visited = "b", .wlocked = "",
	  .why = "PGWALK_WRLOCK_VERIFY: vma_assert_write_locked(), and no lock taken" },
	{ .desc = "wrlock_verify_locked", .entry = VH_WALK_VMA,
	  .lock = VH_PGWALK_WRLOCK_VERIFY, .prelocked = "b",
	  .range     = "   ***",
	  .visited = "b", .wlocked = "b" },
	{ .desc = "vma_rdlock_verify_under_vma_lock",
	  .entry = VH_WALK_RANGE_VMA, .lock = VH_PGWALK_VMA_RDLOCK_VERIFY,
	  .mmap = PW_VMA_READ,
	  .range     = "    *",
	  .visited = "b", .wlocked = "",
	  .why = "as madvise(MADV_FREE) under the VMA lock: neither mmap_lock nor a write lock asserted" },
	{ .desc = "vma_rdlock_verify_unlocked_warns",
	  .entry = VH_WALK_RANGE_VMA, .lock = VH_PGWALK_VMA_RDLOCK_VERIFY,
	  .mmap = PW_MMAP_NONE,
	  .range     = "    *",
	  .warn = "lock not held for write by this task|!__is_vma_write_locked(vma)",
	  .why = "vma_assert_locked(): not read-locked, so it must be write-locked, which asserts mmap_lock held for write",
	  .visited = "b", .wlocked = "" },
};

struct pw_ctx {
	const struct pw_row *row;
	struct mm_struct *mm;
	struct vm_area_struct *vma;	/* the VMA of VH_WALK_RANGE_VMA/VMA */
	int ret, nvisits, gaps, done;
	char visited[PW_MAX + 1];
	bool unlocked_at_visit[PW_MAX];	/* WRLOCK: entered not write-locked */
	char wlocked[PW_MAX + 1];
	int lock_depth, rcu_depth;
};

static char pw_letter(unsigned long addr)
{
	unsigned long page = (addr - VH_BASE) / PAGE_SIZE;

	return page < strlen(PW_LAYOUT) ? PW_LAYOUT[page] : '?';
}

/*
 * Whether @vma is write-locked, as __is_vma_write_locked() says, without
 * its assertion that this task holds mmap_lock for write (a row may walk
 * without it): the values are stable, no other task writes them here.
 */
static bool pw_write_locked(struct vm_area_struct *vma)
{
	return READ_ONCE(vma->vm_lock_seq) ==
		READ_ONCE(vma->vm_mm->mm_lock_seq.sequence);
}

static void pw_visit(void *arg, struct vm_area_struct *vma,
		     unsigned long start, unsigned long end)
{
	struct pw_ctx *c = arg;

	(void)end;
	if (c->nvisits >= PW_MAX)
		return;
	c->visited[c->nvisits] = pw_letter(start);
	c->unlocked_at_visit[c->nvisits] = !pw_write_locked(vma);
	c->nvisits++;
}

static void pw_hole(void *arg, unsigned long start, unsigned long end,
		    int depth)
{
	struct pw_ctx *c = arg;

	(void)start; (void)end;
	if (depth < 0)
		c->gaps++;
}

/* The letters of the VMAs write-locked now (mmap_lock held). */
static void pw_wlocked(struct pw_ctx *c)
{
	struct vm_area_struct *vma;
	unsigned long addr;
	int n = 0;

	for (addr = VH_BASE; addr < VH_BASE + VH_PG(strlen(PW_LAYOUT));
	     addr = vma->vm_end) {
		vma = find_vma(c->mm, addr);
		if (!vma)
			break;
		if (pw_write_locked(vma) && n < PW_MAX)
			c->wlocked[n++] = pw_letter(vma->vm_start);
	}
}

static void pw_walker(void *arg)
{
	struct pw_ctx *c = arg;
	const struct pw_row *row = c->row;
	const struct vh_walk_cb cb = {
		.visit = pw_visit, .hole = pw_hole, .arg = c,
	};
	struct vm_area_struct *vma = c->vma;
	unsigned long start, end;
	const char *p;

	current->mm = c->mm;
	VH_ASSERT_TRUE(vh_layout_span(row->range, '*', &start, &end));
	switch (row->mmap) {
	case PW_MMAP_WRITE:
		mmap_write_lock(c->mm);
		break;
	case PW_MMAP_READ:
		mmap_read_lock(c->mm);
		break;
	case PW_VMA_READ:
		vma = lock_vma_under_rcu(c->mm, start);
		VH_ASSERT_NOT_NULL(vma);
		break;
	case PW_MMAP_NONE:
		break;
	}
	for (p = row->prelocked; p && *p; p++)
		vma_start_write(vma_lookup(c->mm, VH_BASE +
				VH_PG(strchr(PW_LAYOUT, *p) - PW_LAYOUT)));

	c->ret = vh_walk(row->entry, c->mm, vma, start, end, row->lock, &cb);

	/*
	 * Which VMAs are write-locked: read before mmap_write_unlock(), which
	 * ends every write lock; a walker without mmap_lock first drops what
	 * it holds and reads them under mmap_read_lock().
	 */
	switch (row->mmap) {
	case PW_MMAP_WRITE:
	case PW_MMAP_READ:
		pw_wlocked(c);
		break;
	case PW_VMA_READ:
		vma_end_read(c->vma);
		fallthrough;
	case PW_MMAP_NONE:
		mmap_read_lock(c->mm);
		pw_wlocked(c);
		mmap_read_unlock(c->mm);
		break;
	}
	if (row->mmap == PW_MMAP_WRITE)
		mmap_write_unlock(c->mm);
	else if (row->mmap == PW_MMAP_READ)
		mmap_read_unlock(c->mm);
	c->lock_depth = current->lockdep_depth;
	c->rcu_depth = current->rcu_depth;
	vh_flag_set(&c->done, 1);
}

static void pw_body(const struct pw_row *row)
{
	struct pw_ctx *c = vh_test_alloc(sizeof(*c));
	struct vm_area_struct *held = NULL;
	unsigned long start, end;
	struct vh_thread *t;
	bool blocked = false;
	int i;

	vh_why(row->why);
	c->row = row;
	c->mm = vh_test_mm();
	VH_ASSERT_EQ(vh_map_layout(c->mm, PW_LAYOUT), 0);
	VH_ASSERT_TRUE(vh_layout_span(row->range, '*', &start, &end));
	c->vma = vma_lookup(c->mm, start);
	if (row->read_at) {
		VH_ASSERT_TRUE(vh_layout_span(row->read_at, '^', &start, &end));
		held = lock_vma_under_rcu(c->mm, start);
		VH_ASSERT_NOT_NULL(held);
	}

	vh_expect_warn_begin(row->warn);
	t = vh_thread_start(pw_walker, c);
	if (held) {
		blocked = vh_wait_blocked(vh_thread_task(t), 0, &c->done);
		if (blocked)
			c->visited[c->nvisits] = '\0';
		if (row->at_block) {
			VH_EXPECT_TRUE_MSG(blocked,
					   "mm/pagewalk.c: a PGWALK_WRLOCK walk went on while a lockless reader held VMA %c",
					   pw_letter(held->vm_start));
			if (blocked)
				VH_EXPECT_STR_EQ(c->visited, row->at_block);
		} else {
			VH_EXPECT_FALSE_MSG(blocked,
					    "mm/pagewalk.c: a walk that takes no VMA lock waited for a reader");
		}
		vma_end_read(held);
	}
	vh_thread_join(t);
	vh_expect_warn_end();

	VH_EXPECT_EQ(c->ret, row->ret);
	c->visited[c->nvisits] = '\0';
	VH_EXPECT_STR_EQ(c->visited, row->visited);
	VH_EXPECT_EQ(c->gaps, row->gaps);
	if (row->lock == VH_PGWALK_WRLOCK)
		for (i = 0; i < c->nvisits; i++)
			VH_EXPECT_FALSE_MSG(c->unlocked_at_visit[i],
					    "mm/pagewalk.c: a PGWALK_WRLOCK walk entered VMA %c without write-locking it (process_vma_walk_lock())",
					    c->visited[i]);
	VH_EXPECT_STR_EQ_MSG(c->wlocked, row->wlocked,
			     "mm/pagewalk.c: the VMAs write-locked after the walk");
	/* Nothing held after: no VMA lock, no RCU, mmap_lock free. */
	VH_EXPECT_EQ(c->lock_depth, 0);
	VH_EXPECT_EQ(c->rcu_depth, 0);
	VH_EXPECT_FALSE(rwsem_is_locked(&c->mm->mmap_lock));
	for (i = 0; i < (int)strlen(PW_LAYOUT); i++) {
		struct vm_area_struct *v = vma_lookup(c->mm, VH_BASE + VH_PG(i));

		if (v)
			VH_EXPECT_EQ_MSG(refcount_read(&v->vm_refcnt), 1,
					 "VMA %c still read-locked after the walk",
					 PW_LAYOUT[i]);
	}
}

VH_TABLE(page_walk,
	 "mm/pagewalk.c, mm/mmap_lock.c: walk_page_range()/walk_page_range_vma()/walk_page_vma() with PGWALK_WRLOCK write-lock every VMA they enter before walking it (waiting for its lockless readers) and only those; PGWALK_RDLOCK asserts mmap_lock and locks no VMA; the _VERIFY modes assert the caller's VMA lock",
	 pw_rows, pw_body);

/* The _VERIFY modes' assertions are VM_WARN_ON_ONCE_VMA()s. */
VH_NEEDS_CONFIG(warns, "page_walk.*_verify_*warns", "DEBUG_VM");
