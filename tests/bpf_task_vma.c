// SPDX-License-Identifier: GPL-2.0
/*
 * The bpf task VMA iterator, kernel/bpf/task_iter.c's own
 * bpf_iter_task_vma_new()/_next()/_destroy() (what bpf_for_each(task_vma)
 * runs): each next() walks the tree under RCU to the first VMA at or after
 * its cursor, read-locks it with lock_vma_under_rcu(), copies it to the
 * iterator's snapshot, moves the cursor to its end and unlocks it.  It
 * never takes mmap_lock: a VMA it cannot lock (write-locked, or gone
 * since the walk) is stepped over, and a VMA locked that now ends at or
 * before the cursor (it shrank since the walk) is unlocked and the walk
 * done again a page further.
 *
 * Writers map, unmap, split, merge or replace VMAs between two next()s, or
 * in next()'s window between its walk and its lock (a breakpoint on the
 * VMA's vm_refcnt), or hold a VMA write-locked through the whole
 * iteration.  The snapshots are in address order (each ends after the one
 * before), every VMA there for the whole iteration and never write-locked
 * is reported exactly once, no range is reported that never was a VMA, and
 * after every next() and at the end the reader holds no VMA lock, RCU
 * section or mmap_lock, and destroy() gives back the task and mm.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"
#include "../shared/env/bpf.h"

#define BT_MAX		32

enum bt_op {
	BT_OP_NONE,
	BT_OP_MAP,		/* map .range read-write */
	BT_OP_MAP_RO,		/* map .range read-only */
	BT_OP_UNMAP,		/* unmap .range */
	BT_OP_PROTECT,		/* mprotect .range to .prot: a split or merge */
	BT_OP_REPLACE,		/* unmap .range and map it anew (a new object) */
	BT_OP_LOCK,		/* the VMA at .range write-locked throughout */
};

enum bt_when {
	BT_BEFORE,		/* before new() */
	BT_BETWEEN,		/* after snapshot .at */
	BT_IN_WINDOW,		/* after snapshot .at, in the window of the
				 * next walk on the VMA at page .page
				 */
};

enum bt_task {
	BT_TASK_USER,
	BT_TASK_NO_MM,		/* the task has exited its mm */
	BT_TASK_KTHREAD,	/* PF_KTHREAD */
	BT_TASK_LOCKED,		/* its alloc_lock is held */
	BT_TASK_IRQS_OFF,	/* the iterator runs with interrupts off */
};

struct bt_row {
	const char *desc;
	const char *why;
	const char *before;	/* the layout (shared/vma/vma.h) */
	int start;		/* where new() starts, in pages from VH_BASE */
	enum bt_op op, op2;	/* op2: in the window, after op */
	enum bt_when when;
	int at;			/* snapshots taken before the writer runs */
	int page;		/* BT_IN_WINDOW: the VMA stopped on */
	const char *range;	/* the pages op changes, marked '*' */
	const char *range2;	/* the pages op2 changes */
	vm_flags_t prot;	/* BT_OP_PROTECT */
	enum bt_task task;
	int err;		/* what new() returns */
	const char *want;	/* the snapshots, in order */
};

#define BT_LAYOUT	"AA--bb--CC"

static const struct bt_row bt_rows[] = {
	{ .desc = "quiet", .before = BT_LAYOUT, .want = BT_LAYOUT },
	{ .desc = "quiet_adjacent", .before = "AAbbCCdd", .want = "AAbbCCdd" },
	{ .desc = "start_inside", .before = BT_LAYOUT, .start = 1,
	  .want = BT_LAYOUT,
	  .why = "the walk from inside A finds A, which contains the address" },
	{ .desc = "start_in_gap", .before = BT_LAYOUT, .start = 2,
	  .want = "    bb--CC" },
	{ .desc = "start_after_all", .before = BT_LAYOUT, .start = 10,
	  .want = "" },
	{ .desc = "unmap_ahead_between", .before = BT_LAYOUT,
	  .op = BT_OP_UNMAP, .when = BT_BETWEEN, .at = 1,
	  .range = "    **", .want = "AA------CC" },
	{ .desc = "map_ahead_between", .before = BT_LAYOUT,
	  .op = BT_OP_MAP_RO, .when = BT_BETWEEN, .at = 1,
	  .range = "       *", .want = "AA--bb-xCC" },
	{ .desc = "map_merge_ahead_between", .before = BT_LAYOUT,
	  .op = BT_OP_MAP, .when = BT_BETWEEN, .at = 2,
	  .range = "      **", .want = "AA--bbCCCC",
	  .why = "the new pages merge with C, which is reported as one VMA" },
	{ .desc = "split_behind_between", .before = BT_LAYOUT,
	  .op = BT_OP_PROTECT, .when = BT_BETWEEN, .at = 2,
	  .range = " *", .prot = VM_READ, .want = BT_LAYOUT,
	  .why = "A splits behind the cursor: neither part is reported again" },
	{ .desc = "split_ahead_between", .before = BT_LAYOUT,
	  .op = BT_OP_PROTECT, .when = BT_BETWEEN, .at = 1,
	  .range = "         *", .prot = VM_READ, .want = "AA--bb--Cx" },
	{ .desc = "merge_over_cursor_between", .before = "AAbbCC",
	  .op = BT_OP_PROTECT, .when = BT_BETWEEN, .at = 1,
	  .range = "  **", .prot = VH_PROT_RW, .want = "AA\nAAAAAA",
	  .why = "A, b and C merge into one VMA that contains the cursor: it is reported, from its start, after A" },
	{ .desc = "write_locked_stepped_over", .before = BT_LAYOUT,
	  .op = BT_OP_LOCK, .when = BT_BEFORE, .range = "    **",
	  .want = "AA------CC",
	  .why = "b is write-locked: lock_vma_under_rcu() fails, and the iterator goes on from b's end without waiting or taking mmap_lock" },
	{ .desc = "unmapped_in_window", .before = BT_LAYOUT,
	  .op = BT_OP_UNMAP, .when = BT_IN_WINDOW, .at = 1, .page = 4,
	  .range = "    **", .want = "AA------CC",
	  .why = "b is gone after the walk found it: the lock fails and the iterator goes on from b's end, as the walk saw it" },
	{ .desc = "replaced_in_window", .before = BT_LAYOUT,
	  .op = BT_OP_REPLACE, .when = BT_IN_WINDOW, .at = 1, .page = 4,
	  .range = "    **", .want = BT_LAYOUT,
	  .why = "b is replaced after the walk found it: lock_vma_under_rcu() looks again (-EAGAIN) and locks the new b" },
	{ .desc = "split_in_window", .before = BT_LAYOUT,
	  .op = BT_OP_PROTECT, .when = BT_IN_WINDOW, .at = 1, .page = 4,
	  .range = "     *", .prot = VH_PROT_RW, .want = "AA------CC",
	  .why = "b splits after the walk found it and its object keeps the upper part: the VMA lock_vma_under_rcu() locks no longer contains b's start, so it fails, and the iterator steps over all of old b (both parts are new VMAs)" },
	{ .desc = "shrunk_behind_cursor_in_window", .before = BT_LAYOUT,
	  .op = BT_OP_MAP, .when = BT_IN_WINDOW, .at = 1, .page = 0,
	  .range = "  **", .op2 = BT_OP_UNMAP, .range2 = " ***",
	  .want = BT_LAYOUT,
	  .why = "A grows over the cursor, the walk finds it, then it shrinks to end before the cursor: next() unlocks it, walks again a page on and finds b" },
	{ .desc = "no_mm", .before = BT_LAYOUT, .task = BT_TASK_NO_MM,
	  .err = -ENOENT },
	{ .desc = "kthread", .before = BT_LAYOUT, .task = BT_TASK_KTHREAD,
	  .err = -ENOENT },
	{ .desc = "alloc_lock_busy", .before = BT_LAYOUT,
	  .task = BT_TASK_LOCKED, .err = -EBUSY,
	  .why = "new() only tries the task's alloc_lock: it may run where the task holds it" },
	{ .desc = "irqs_disabled", .before = BT_LAYOUT,
	  .task = BT_TASK_IRQS_OFF, .err = -EBUSY },
};

struct bt_range {
	unsigned long start, end;
};

struct bt_ctx {
	const struct bt_row *row;
	struct mm_struct *mm;
	struct task_struct *task;
	struct vh_event paused, go;
	struct vh_break brk;
	const volatile void *stop_at;
	struct bt_range seen[BT_MAX];
	int nseen;
	int err;
	bool armed;
	unsigned long mmap_locks;
	int task_refs, mm_users;
};

/* The reader holds nothing between two calls of the iterator. */
static void bt_holds_nothing(const char *after)
{
	if (current->lockdep_depth || current->rcu_depth)
		VH_FAIL("%s returned holding %d lock(s), RCU nesting %d",
			after, current->lockdep_depth, current->rcu_depth);
}

static void bt_reader(void *arg)
{
	struct bt_ctx *c = arg;
	const struct bt_row *row = c->row;
	unsigned long locks = current->nr_read_locks;
	struct vm_area_struct *snap;
	struct vh_bpf_iter it;

	c->err = vh_bpf_iter_new(&it, c->task, VH_BASE + VH_PG(row->start));
	c->armed = vh_bpf_iter_armed(&it);
	bt_holds_nothing("bpf_iter_task_vma_new()");
	for (;;) {
		if (row->when != BT_BEFORE && c->nseen == row->at &&
		    row->op != BT_OP_NONE) {
			vh_event_signal(&c->paused);
			vh_event_wait(&c->go);
			if (c->stop_at)
				vh_break_arm(&c->brk, c->stop_at, 0);
		}
		snap = vh_bpf_iter_next(&it);
		vh_break_disarm();
		bt_holds_nothing("bpf_iter_task_vma_next()");
		if (!snap)
			break;
		if (snap->vm_mm != c->mm)
			VH_FAIL("snapshot [%#lx-%#lx) of another mm",
				snap->vm_start, snap->vm_end);
		if (c->nseen < BT_MAX)
			c->seen[c->nseen++] = (struct bt_range){
				snap->vm_start, snap->vm_end };
	}
	vh_bpf_iter_destroy(&it);
	bt_holds_nothing("bpf_iter_task_vma_destroy()");
	c->mmap_locks = current->nr_read_locks - locks;
	c->task_refs = vh_bpf_task_refs();
	c->mm_users = atomic_read(&c->mm->mm_users);
}

/* The VMAs of an address space at one time. */
struct bt_state {
	struct bt_range r[BT_MAX];
	int n;
};

#define BT_STATES	4

/* The VMAs of @mm now. */
static void bt_snap(struct mm_struct *mm, struct bt_state *st)
{
	struct vm_area_struct *vma;
	VMA_ITERATOR(vmi, mm, 0);

	st->n = 0;
	mmap_read_lock(mm);
	for_each_vma(vmi, vma)
		if (st->n < BT_MAX)
			st->r[st->n++] = (struct bt_range){ vma->vm_start,
							    vma->vm_end };
	mmap_read_unlock(mm);
}

static int bt_count(const struct bt_range *r, int n, struct bt_range x)
{
	int i, times = 0;

	for (i = 0; i < n; i++)
		times += r[i].start == x.start && r[i].end == x.end;
	return times;
}

static void bt_write(struct mm_struct *mm, enum bt_op op, const char *range,
		     vm_flags_t prot)
{
	unsigned long s, e;

	VH_ASSERT(vh_layout_span(range, '*', &s, &e));
	mmap_write_lock(mm);
	switch (op) {
	case BT_OP_MAP:
		VH_CHECK_EQ(vh_map(mm, s, e, VH_RW), 0);
		break;
	case BT_OP_MAP_RO:
		VH_CHECK_EQ(vh_map(mm, s, e, VH_RO), 0);
		break;
	case BT_OP_UNMAP:
		VH_CHECK_EQ(vh_unmap(mm, s, e), 0);
		break;
	case BT_OP_PROTECT:
		VH_CHECK_EQ(vh_protect(mm, s, e, prot), 0);
		break;
	case BT_OP_REPLACE:
		VH_CHECK_EQ(vh_replace(mm, s, e, VH_RO), 0);
		break;
	default:
		break;
	}
	mmap_write_unlock(mm);
}

static void bt_want(const struct bt_ctx *c, const char *want)
{
	struct vh_layout_vma w[BT_MAX];
	int n = 0, i;
	const char *p = want;

	/* Lines of a picture each give their VMAs in turn. */
	while (p) {
		const char *nl = strchr(p, '\n');
		char line[VH_LAYOUT_MAX + 1];
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		int k;

		VH_ASSERT(len <= VH_LAYOUT_MAX);
		memcpy(line, p, len);
		line[len] = 0;
		k = vh_layout_parse(line, w + n, BT_MAX - n);
		VH_ASSERT(k >= 0);
		n += k;
		p = nl ? nl + 1 : NULL;
	}
	VH_CHECK_EQ(c->nseen, n);
	for (i = 0; i < c->nseen && i < n; i++)
		if (c->seen[i].start != w[i].start || c->seen[i].end != w[i].end)
			VH_FAIL("snapshot %d is [%#lx-%#lx), want [%#lx-%#lx)",
				i, c->seen[i].start, c->seen[i].end,
				w[i].start, w[i].end);
}

static void bt_body(const struct bt_row *row)
{
	struct bt_ctx *c = vh_test_alloc(sizeof(*c));
	struct mm_struct *mm = vh_test_mm();
	struct bt_state *st = vh_test_alloc(sizeof(*st) * BT_STATES);
	struct task_struct *t = vh_test_alloc(sizeof(*t));
	int nst = 0, users, i, k;
	bool locked = false;
	struct vh_thread *r;

	vh_why(row->why);
	c->row = row;
	c->mm = mm;
	c->task = t;
	pthread_mutex_init(&t->alloc_lock, NULL);
	t->mm = row->task == BT_TASK_NO_MM ? NULL : mm;
	if (row->task == BT_TASK_KTHREAD)
		vh_bpf_task_set_kthread(t);
	VH_ASSERT_EQ(vh_map_layout(mm, row->before), 0);
	bt_snap(mm, &st[nst++]);
	users = atomic_read(&mm->mm_users);
	if (row->op == BT_OP_LOCK) {
		unsigned long s, e;

		VH_ASSERT(vh_layout_span(row->range, '*', &s, &e));
		mmap_write_lock(mm);
		vma_start_write(vma_lookup(mm, s));
		locked = true;
	}
	if (row->task == BT_TASK_LOCKED)
		pthread_mutex_lock(&t->alloc_lock);
	if (row->task == BT_TASK_IRQS_OFF)
		vh_bpf_set_irqs_off(true);

	r = vh_thread_start(bt_reader, c);
	if (row->when == BT_BETWEEN) {
		vh_event_wait(&c->paused);
		bt_write(mm, row->op, row->range, row->prot);
		bt_snap(mm, &st[nst++]);
		vh_event_signal(&c->go);
	} else if (row->when == BT_IN_WINDOW) {
		struct vm_area_struct *v;

		vh_event_wait(&c->paused);
		if (row->op2 != BT_OP_NONE) {
			bt_write(mm, row->op, row->range, row->prot);
			bt_snap(mm, &st[nst++]);
		}
		v = vma_lookup(mm, VH_BASE + VH_PG(row->page));
		VH_ASSERT(v);
		c->stop_at = &v->vm_refcnt.refs.counter;
		vh_event_signal(&c->go);
		vh_break_wait(&c->brk);
		if (row->op2 != BT_OP_NONE)
			bt_write(mm, row->op2, row->range2, row->prot);
		else
			bt_write(mm, row->op, row->range, row->prot);
		bt_snap(mm, &st[nst++]);
		vh_break_resume(&c->brk);
	}
	vh_thread_join(r);
	if (locked)
		mmap_write_unlock(mm);
	if (row->task == BT_TASK_LOCKED)
		pthread_mutex_unlock(&t->alloc_lock);
	vh_bpf_set_irqs_off(false);
	bt_snap(mm, &st[nst++]);

	VH_EXPECT_EQ_MSG(c->mmap_locks, 0UL,
			"the iterator took mmap_lock %lu time(s)", c->mmap_locks);
	VH_EXPECT_EQ_MSG(c->task_refs, 0,
			"destroy() left %d task reference(s)", c->task_refs);
	VH_EXPECT_EQ_MSG(c->mm_users, users,
			"mm_users %d after destroy(), %d before new()",
			c->mm_users, users);
	VH_CHECK_EQ(c->err, row->err);
	VH_CHECK_EQ(c->armed, !row->err);
	if (row->err) {
		VH_CHECK_EQ(c->nseen, 0);
		return;
	}
	for (i = 1; i < c->nseen; i++)
		if (c->seen[i].end <= c->seen[i - 1].end)
			VH_FAIL("snapshots out of address order: [%#lx-%#lx) after [%#lx-%#lx)",
				c->seen[i].start, c->seen[i].end,
				c->seen[i - 1].start, c->seen[i - 1].end);
	for (i = 0; i < c->nseen; i++) {
		for (k = 0; k < nst; k++)
			if (bt_count(st[k].r, st[k].n, c->seen[i]))
				break;
		if (k == nst)
			VH_FAIL("snapshot [%#lx-%#lx), a range that never was a VMA",
				c->seen[i].start, c->seen[i].end);
	}
	/*
	 * A VMA after the start, there throughout and never write-locked, is
	 * seen once.
	 */
	for (i = 0; i < st[0].n && row->op != BT_OP_LOCK; i++) {
		int times = bt_count(c->seen, c->nseen, st[0].r[i]);

		if (st[0].r[i].end <= VH_BASE + VH_PG(row->start))
			continue;
		for (k = 1; k < nst; k++)
			if (!bt_count(st[k].r, st[k].n, st[0].r[i]))
				break;
		if (k == nst && times != 1)
			VH_FAIL("VMA [%#lx-%#lx), there throughout, reported %d times",
				st[0].r[i].start, st[0].r[i].end, times);
	}
	if (row->want)
		bt_want(c, row->want);
}

VH_TABLE(bpf_task_vma,
	 "kernel/bpf/task_iter.c, mm/mmap_lock.c: the bpf task VMA iterator (bpf_iter_task_vma_new/next/destroy) hands out snapshots in address order, each VMA there throughout exactly once and no range that never was a VMA; it read-locks each VMA with lock_vma_under_rcu() only while copying it, steps over a VMA it cannot lock, revalidates one that shrank behind its cursor, never takes mmap_lock, and returns holding no VMA lock or RCU section, destroy() giving back the task and mm references",
	 bt_rows, bt_body);
