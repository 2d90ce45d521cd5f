// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/PID/maps read as a reader reads it: fs/proc/task_mmu.c's
 * m_start()/m_next()/m_stop() under fs/seq_file.c's seq_read_iter(), one
 * page a read (shared/env/maps.h), against a writer that maps, unmaps,
 * splits, merges, write-locks or replaces VMAs between two reads, while
 * the reader shows a VMA (holding it read-locked and RCU, or, as smaps,
 * having left RCU to sleep), or in the window of lock_next_vma() between
 * its tree walk and its read lock (a breakpoint on the VMA's vm_refcnt).
 *
 * Each line is 1000 bytes, so a page holds four VMAs and the fifth
 * overflows the buffer: the read ends, and the next one starts again from
 * the position before it (m_start() and priv->last_pos), with a new RCU
 * section and a new iterator.  Pages hold four VMAs; layouts hold eight.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"
#include "../shared/env/maps.h"

#define MR_RECORD	1000
#define MR_MAX		32

enum mr_op {
	MR_OP_NONE,
	MR_OP_MAP,		/* map .range read-write */
	MR_OP_UNMAP,		/* unmap .range */
	MR_OP_PROTECT,		/* mprotect .range to .prot: a split or a merge */
	MR_OP_REPLACE,		/* unmap .range and map it anew (a new object) */
	MR_OP_LOCK,		/* the VMA at .range write-locked till the fallback */
	MR_OP_LIMIT,		/* the VMA at .range has all the readers it can */
	MR_OP_UNMAP_SYNC,	/* unmap .range, then wait for a grace period */
};

enum mr_when {
	MR_BEFORE,		/* before the first read */
	MR_BETWEEN,		/* after read .at (0: the first) */
	MR_IN_SHOW,		/* while the VMA starting at page .at is shown */
	MR_IN_WINDOW,		/* lock_next_vma() found the VMA at page .at */
};

struct mr_row {
	const char *desc;
	const char *why;
	const char *before;	/* the layout (shared/vma/vma.h) */
	enum mr_op op;
	enum mr_when when;
	int at;
	const char *range;	/* the pages the writer changes, marked '*' */
	vm_flags_t prot;	/* MR_OP_PROTECT */
	bool drop_rcu;		/* the show leaves RCU, as smaps' does */
	unsigned long fallbacks; /* the reader's mmap_read_lock()s */
	const char *want;	/* if set: exactly these VMAs are read */
};

#define MR_EIGHT	"AAbbCCddEEffGGhh"
#define MR_GAPS		"AA-bb-CC-dd-EE-ff-GG-hh"

static const struct mr_row mr_rows[] = {
	{ .desc = "quiet", .before = MR_EIGHT, .want = MR_EIGHT },
	{ .desc = "quiet_gaps", .before = MR_GAPS, .want = MR_GAPS },
	{ .desc = "unmap_between_pages", .before = MR_EIGHT,
	  .op = MR_OP_UNMAP, .when = MR_BETWEEN, .at = 0,
	  .range = "          ****",
	  .want = "AAbbCCddEE----hh" },
	{ .desc = "unmap_restart_vma_between_pages", .before = MR_EIGHT,
	  .op = MR_OP_UNMAP, .when = MR_BETWEEN, .at = 0,
	  .range = "        **",
	  .want = "AAbbCCdd--ffGGhh",
	  .why = "the first read ended on E, which overflowed the page: the next starts again after d and finds f" },
	{ .desc = "map_merge_between_pages", .before = MR_GAPS,
	  .op = MR_OP_MAP, .when = MR_BETWEEN, .at = 0,
	  .range = "           *",
	  .want = "AA-bb-CC-ddEEE-ff-GG-hh",
	  .why = "the new page merges with E, which the next read reports as one VMA" },
	{ .desc = "split_between_pages", .before = MR_EIGHT,
	  .op = MR_OP_PROTECT, .when = MR_BETWEEN, .at = 0,
	  .range = "         *", .prot = VM_READ,
	  .want = "AAbbCCddExffGGhh" },
	{ .desc = "merge_between_pages", .before = MR_EIGHT,
	  .op = MR_OP_PROTECT, .when = MR_BETWEEN, .at = 0,
	  .range = "          **", .prot = VH_PROT_RW,
	  .want = "AAbbCCddEEEEEEhh" },
	{ .desc = "unmap_ahead_in_show", .before = MR_EIGHT,
	  .op = MR_OP_UNMAP, .when = MR_IN_SHOW, .at = 2,
	  .range = "      **********",
	  .want = "AAbbCC" },
	{ .desc = "split_ahead_in_show", .before = MR_GAPS,
	  .op = MR_OP_PROTECT, .when = MR_IN_SHOW, .at = 3,
	  .range = "      *", .prot = VM_READ,
	  .want = "AA-bb-xC-dd-EE-ff-GG-hh" },
	{ .desc = "locked_ahead_falls_back", .before = MR_EIGHT,
	  .op = MR_OP_LOCK, .when = MR_BEFORE,
	  .range = "    **", .fallbacks = 1, .want = MR_EIGHT,
	  .why = "C is write-locked: lock_next_vma() waits for it under mmap_read_lock(), once" },
	{ .desc = "reader_limit_falls_back", .before = MR_EIGHT,
	  .op = MR_OP_LIMIT, .when = MR_BEFORE,
	  .range = "    **", .fallbacks = 2, .want = MR_EIGHT,
	  .why = "C cannot take another reader: lock_next_vma() fails under mmap_lock too (-EAGAIN), and the read goes on under mmap_read_lock() (fallback_to_mmap_lock()), from C" },
	{ .desc = "detached_in_window_retries", .before = MR_EIGHT,
	  .op = MR_OP_REPLACE, .when = MR_IN_WINDOW, .at = 4,
	  .range = "    **", .want = MR_EIGHT,
	  .why = "C is replaced after lock_next_vma() found it: it retries from the last position and finds the new C, without mmap_lock" },
	{ .desc = "gap_filled_in_window_falls_back",
	  .before = "AA-bb--CC-dd-EE-ff-GG-hh",
	  .op = MR_OP_MAP, .when = MR_IN_WINDOW, .at = 7,
	  .range = "     *", .fallbacks = 1,
	  .want = "AA-bbX-CC-dd-EE-ff-GG-hh",
	  .why = "a VMA appeared before C after the walk found C: the speculation sees the writer and the walk looks again under mmap_lock" },
	{ .desc = "sleeping_show_nodes_freed", .before = MR_EIGHT,
	  .op = MR_OP_UNMAP_SYNC, .when = MR_IN_SHOW, .at = 2,
	  .range = "    ************", .drop_rcu = true, .want = "AAbb",
	  .why = "the show sleeps outside RCU while the tree nodes the iterator was in are freed: reacquire_rcu() walks again from the VMA it holds" },
	{ .desc = "sleeping_show_remapped", .before = MR_GAPS,
	  .op = MR_OP_REPLACE, .when = MR_IN_SHOW, .at = 3,
	  .range = "         **", .drop_rcu = true,
	  .want = "AA-bb-CC-DD-EE-ff-GG-hh" },
};

struct mr_range {
	unsigned long start, end;
};

struct mr_ctx {
	const struct mr_row *row;
	struct mm_struct *mm;
	struct vh_event paused, go;
	struct vh_break brk;
	const volatile void *stop_at;
	bool show_done;
	char *text;
	size_t len;
	int reads;
	ssize_t err;
	unsigned long fallbacks;
	int rcu_depth, lock_depth, task_refs;
};

static void mr_show(void *arg, struct vm_area_struct *vma,
		    bool mmap_locked)
{
	struct mr_ctx *c = arg;

	(void)mmap_locked;
	if (c->row->when != MR_IN_SHOW || c->show_done ||
	    vma->vm_start != VH_BASE + VH_PG(c->row->at))
		return;
	c->show_done = true;
	vh_event_signal(&c->paused);
	vh_event_wait(&c->go);
}

static void mr_reader(void *arg)
{
	struct mr_ctx *c = arg;
	struct vh_maps_file *f = vh_maps_open(c->mm, MR_RECORD);
	unsigned long locks = current->nr_read_locks;
	ssize_t n;

	vh_maps_set_show(f, mr_show, c, c->row->drop_rcu);
	if (c->stop_at)
		vh_break_arm(&c->brk, c->stop_at, 0);
	for (;;) {
		n = vh_maps_read(f, c->text + c->len, PAGE_SIZE);
		if (n <= 0)
			break;
		c->len += n;
		if (c->row->when == MR_BETWEEN && c->reads == c->row->at) {
			vh_event_signal(&c->paused);
			vh_event_wait(&c->go);
		}
		c->reads++;
	}
	vh_break_disarm();
	c->err = n;
	c->fallbacks = current->nr_read_locks - locks;
	c->rcu_depth = current->rcu_depth;
	c->lock_depth = current->lockdep_depth;
	c->task_refs = vh_maps_release(f);
}

/* The VMAs of @mm now. */
static int mr_snap(struct mm_struct *mm, struct mr_range *r, int max)
{
	struct vm_area_struct *vma;
	int n = 0;
	VMA_ITERATOR(vmi, mm, 0);

	mmap_read_lock(mm);
	for_each_vma(vmi, vma)
		if (n < max)
			r[n++] = (struct mr_range){ vma->vm_start, vma->vm_end };
	mmap_read_unlock(mm);
	return n;
}

static bool mr_in(const struct mr_range *r, int n, struct mr_range x)
{
	int i;

	for (i = 0; i < n; i++)
		if (r[i].start == x.start && r[i].end == x.end)
			return true;
	return false;
}

/* The writer's operation, by the test thread. */
static void mr_write(struct mr_ctx *c)
{
	const struct mr_row *row = c->row;
	struct mm_struct *mm = c->mm;
	unsigned long s, e;

	VH_ASSERT(vh_layout_span(row->range, '*', &s, &e));
	mmap_write_lock(mm);
	switch (row->op) {
	case MR_OP_MAP:
		VH_CHECK_EQ(vh_map(mm, s, e, VH_RW), 0);
		break;
	case MR_OP_UNMAP:
	case MR_OP_UNMAP_SYNC:
		VH_CHECK_EQ(vh_unmap(mm, s, e), 0);
		break;
	case MR_OP_PROTECT:
		VH_CHECK_EQ(vh_protect(mm, s, e, row->prot), 0);
		break;
	case MR_OP_REPLACE:
		VH_CHECK_EQ(vh_replace(mm, s, e, VH_RW), 0);
		break;
	default:
		break;
	}
	mmap_write_unlock(mm);
	if (row->op == MR_OP_UNMAP_SYNC)
		synchronize_rcu();
}

static void mr_body(const struct mr_row *row)
{
	struct mr_ctx *c = vh_test_alloc(sizeof(*c));
	struct mm_struct *mm = vh_test_mm();
	struct mr_range seen[MR_MAX], before[MR_MAX], after[MR_MAX];
	struct vh_layout_vma want[MR_MAX];
	struct vm_area_struct *limited = NULL;
	int nseen = 0, nbefore, nafter, nwant = -1, i, j, times;
	struct vh_thread *r;
	char *p;

	vh_why(row->why);
	c->row = row;
	c->mm = mm;
	c->text = vh_test_alloc(MR_MAX * MR_RECORD + PAGE_SIZE);
	VH_ASSERT_EQ(vh_map_layout(mm, row->before), 0);
	nbefore = mr_snap(mm, before, MR_MAX);
	if (row->op == MR_OP_LIMIT) {
		unsigned long s, e;

		VH_ASSERT(vh_layout_span(row->range, '*', &s, &e));
		limited = vma_lookup(mm, s);
		refcount_set(&limited->vm_refcnt, VM_REFCNT_LIMIT);
	}
	if (row->op == MR_OP_LOCK) {
		unsigned long s, e;

		VH_ASSERT(vh_layout_span(row->range, '*', &s, &e));
		mmap_write_lock(mm);
		vma_start_write(vma_lookup(mm, s));
		/* The reader stops where it falls back to mmap_lock. */
		c->stop_at = &mm->mmap_lock;
	}
	if (row->when == MR_IN_WINDOW) {
		struct vm_area_struct *v = vma_lookup(mm, VH_BASE +
						      VH_PG(row->at));

		VH_ASSERT(v);
		c->stop_at = &v->vm_refcnt.refs.counter;
	}

	r = vh_thread_start(mr_reader, c);
	if (row->op == MR_OP_LOCK) {
		vh_break_wait(&c->brk);
		vh_break_resume(&c->brk);
		mmap_write_unlock(mm);
	} else if (row->when == MR_IN_WINDOW) {
		vh_break_wait(&c->brk);
		mr_write(c);
		vh_break_resume(&c->brk);
	} else if (row->op != MR_OP_NONE && row->when != MR_BEFORE) {
		vh_event_wait(&c->paused);
		mr_write(c);
		vh_event_signal(&c->go);
	}
	vh_thread_join(r);
	if (limited)
		refcount_set(&limited->vm_refcnt, 1);
	nafter = mr_snap(mm, after, MR_MAX);

	/* What was read, in order. */
	c->text[c->len] = 0;
	for (p = c->text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		unsigned long s, e;

		if (sscanf(p, "%lx-%lx", &s, &e) != 2)
			continue;
		VH_ASSERT(nseen < MR_MAX);
		seen[nseen++] = (struct mr_range){ s, e };
	}

	VH_CHECK_EQ(c->err, 0);
	VH_CHECK_EQ(c->rcu_depth, 0);
	VH_CHECK_EQ(c->lock_depth, 0);
	VH_CHECK_EQ(c->task_refs, 0);
	for (i = 1; i < nseen; i++)
		if (seen[i].start < seen[i - 1].end)
			vh_fail(__FILE__, __LINE__,
				"maps read out of address order: [%#lx-%#lx) after [%#lx-%#lx)",
				seen[i].start, seen[i].end, seen[i - 1].start,
				seen[i - 1].end);
	for (i = 0; i < nseen; i++)
		if (!mr_in(before, nbefore, seen[i]) &&
		    !mr_in(after, nafter, seen[i]))
			vh_fail(__FILE__, __LINE__,
				"maps reported [%#lx-%#lx), a range that never was a VMA",
				seen[i].start, seen[i].end);
	/* A VMA there before and after, untouched, is read exactly once. */
	for (i = 0; i < nbefore; i++) {
		if (!mr_in(after, nafter, before[i]))
			continue;
		for (times = 0, j = 0; j < nseen; j++)
			times += seen[j].start == before[i].start &&
				 seen[j].end == before[i].end;
		if (times != 1)
			vh_fail(__FILE__, __LINE__,
				"VMA [%#lx-%#lx), there for the whole read, reported %d times",
				before[i].start, before[i].end, times);
	}
	VH_CHECK_EQ(c->fallbacks, row->fallbacks);
	if (row->want)
		nwant = vh_layout_parse(row->want, want, MR_MAX);
	if (nwant >= 0) {
		VH_CHECK_EQ(nseen, nwant);
		for (i = 0; i < nseen && i < nwant; i++)
			if (seen[i].start != want[i].start ||
			    seen[i].end != want[i].end)
				vh_fail(__FILE__, __LINE__,
					"read %d is [%#lx-%#lx), want [%#lx-%#lx)",
					i, seen[i].start, seen[i].end,
					want[i].start, want[i].end);
	}
}

VH_TABLE(maps_read,
	 "fs/proc/task_mmu.c, fs/seq_file.c, mm/mmap_lock.c: a /proc/PID/maps read (m_start/m_next/m_stop under seq_read_iter, a page at a time) reports every VMA that exists for the whole read exactly once, in address order, and no range that never was a VMA; it takes mmap_lock only when a VMA cannot be read-locked or the tree changed under the walk, and leaves no VMA lock, RCU section or task reference behind",
	 mr_rows, mr_body);
