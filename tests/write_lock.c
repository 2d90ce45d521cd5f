// SPDX-License-Identifier: GPL-2.0
/*
 * VMA write locks: vma_start_write(), vma_start_write_killable(), the
 * already-locked shortcut, vma_assert_write_locked(), vma_assert_locked(),
 * and their release by mmap_write_unlock() and mmap_write_downgrade().
 * Single-threaded: what needs a second thread is in readers.c.
 */
#include <errno.h>
#include <sched.h>
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"

enum wl_state {
	WL_STATE_ATTACHED,	/* attached, not write-locked */
	WL_STATE_READER,	/* attached, read-locked once (vm_refcnt 2) */
	WL_STATE_LOCKED,	/* write-locked in the current mmap write section */
	WL_STATE_LOCKED_REF,	/* ... and a reader reference on top (vm_refcnt 2) */
	WL_STATE_LOCKED_UNLOCK,	/* write-locked in a section that mmap_write_unlock() ended */
	WL_STATE_LOCKED_DOWNGRADE, /* ... that mmap_write_downgrade() ended */
};

enum wl_mmap { WL_MMAP_NONE, WL_MMAP_READ, WL_MMAP_WRITE };

enum wl_op {
	WL_OP_START_WRITE,		/* vma_start_write() */
	WL_OP_START_WRITE_KILLABLE,	/* vma_start_write_killable() */
	WL_OP_ASSERT_WRITE_LOCKED,	/* vma_assert_write_locked() */
	WL_OP_ASSERT_LOCKED,		/* vma_assert_locked() */
	WL_OP_TRY_READ,			/* lock_vma_under_rcu() from this task */
};

struct wl_row {
	const char *desc;
	const char *why;
	enum wl_state state;
	enum wl_mmap mmap;	/* mmap_lock held by this task for the op */
	enum wl_op op;
	bool fatal_signal;	/* SIGKILL pending during the op */
	int ret;		/* START_*: return value; TRY_READ: 1 = locked */
	const char *warn;	/* the kernel must WARN, thus */
	bool write_locked;	/* vm_lock_seq == mm_lock_seq afterwards */
	unsigned int refcnt;	/* vm_refcnt afterwards */
};

/* The warnings expected: mmap_assert_write_locked(), vma_assert_write_locked(). */
#define WL_NOT_HELD	"lock not held for write by this task"
#define WL_NOT_WLOCKED	"!__is_vma_write_locked(vma)"

static const struct wl_row wl_rows[] = {
	{ .desc = "start_write_locks",
	  .state = WL_STATE_ATTACHED, .mmap = WL_MMAP_WRITE,
	  .op = WL_OP_START_WRITE,
	  .write_locked = true, .refcnt = 1 },
	{ .desc = "killable_locks",
	  .state = WL_STATE_ATTACHED, .mmap = WL_MMAP_WRITE,
	  .op = WL_OP_START_WRITE_KILLABLE,
	  .write_locked = true, .refcnt = 1 },
	{ .desc = "killable_signal_no_readers_locks",
	  .state = WL_STATE_ATTACHED, .mmap = WL_MMAP_WRITE,
	  .op = WL_OP_START_WRITE_KILLABLE, .fatal_signal = true,
	  .write_locked = true, .refcnt = 1,
	  .why = "with no reader to wait for, a pending signal is never looked at" },
	{ .desc = "killable_signal_reader_eintr",
	  .state = WL_STATE_READER, .mmap = WL_MMAP_WRITE,
	  .op = WL_OP_START_WRITE_KILLABLE, .fatal_signal = true,
	  .ret = -EINTR, .refcnt = 2,
	  .why = "waiting for the reader, the killable wait ends on the signal and undoes the lock" },
	{ .desc = "locked_shortcut_killable",
	  .state = WL_STATE_LOCKED_REF, .mmap = WL_MMAP_WRITE,
	  .op = WL_OP_START_WRITE_KILLABLE, .fatal_signal = true,
	  .write_locked = true, .refcnt = 2,
	  .why = "already write-locked in this section: returns 0 at once, whatever the readers and signals" },
	{ .desc = "locked_shortcut",
	  .state = WL_STATE_LOCKED_REF, .mmap = WL_MMAP_WRITE,
	  .op = WL_OP_START_WRITE,
	  .write_locked = true, .refcnt = 2 },
	{ .desc = "relock_after_unlock",
	  .state = WL_STATE_LOCKED_UNLOCK, .mmap = WL_MMAP_WRITE,
	  .op = WL_OP_START_WRITE,
	  .write_locked = true, .refcnt = 1 },
	{ .desc = "unlock_releases",
	  .state = WL_STATE_LOCKED_UNLOCK, .mmap = WL_MMAP_NONE,
	  .op = WL_OP_TRY_READ,
	  .ret = 1, .refcnt = 1,
	  .why = "mmap_write_unlock() ends the section, and every VMA write lock taken in it" },
	{ .desc = "downgrade_releases",
	  .state = WL_STATE_LOCKED_DOWNGRADE, .mmap = WL_MMAP_READ,
	  .op = WL_OP_TRY_READ,
	  .ret = 1, .refcnt = 1 },
	{ .desc = "locked_read_fails",
	  .state = WL_STATE_LOCKED, .mmap = WL_MMAP_WRITE,
	  .op = WL_OP_TRY_READ,
	  .write_locked = true, .refcnt = 1 },
	{ .desc = "start_write_no_mmap_lock_warns",
	  .state = WL_STATE_ATTACHED, .mmap = WL_MMAP_NONE,
	  .op = WL_OP_START_WRITE,
	  .warn = WL_NOT_HELD, .write_locked = true, .refcnt = 1,
	  .why = "the kernel warns, then goes on: the VMA stays write-locked" },
	{ .desc = "start_write_mmap_read_warns",
	  .state = WL_STATE_ATTACHED, .mmap = WL_MMAP_READ,
	  .op = WL_OP_START_WRITE,
	  .warn = WL_NOT_HELD, .write_locked = true, .refcnt = 1 },
	{ .desc = "assert_write_locked",
	  .state = WL_STATE_LOCKED, .mmap = WL_MMAP_WRITE,
	  .op = WL_OP_ASSERT_WRITE_LOCKED,
	  .write_locked = true, .refcnt = 1 },
	{ .desc = "assert_write_locked_unlocked_warns",
	  .state = WL_STATE_ATTACHED, .mmap = WL_MMAP_WRITE,
	  .op = WL_OP_ASSERT_WRITE_LOCKED,
	  .warn = WL_NOT_WLOCKED, .refcnt = 1 },
	{ .desc = "assert_write_locked_old_section_warns",
	  .state = WL_STATE_LOCKED_UNLOCK, .mmap = WL_MMAP_WRITE,
	  .op = WL_OP_ASSERT_WRITE_LOCKED,
	  .warn = WL_NOT_WLOCKED, .refcnt = 1,
	  .why = "vm_lock_seq of an ended section no longer equals mm_lock_seq" },
	{ .desc = "assert_locked_read",
	  .state = WL_STATE_READER, .mmap = WL_MMAP_NONE,
	  .op = WL_OP_ASSERT_LOCKED,
	  .refcnt = 2 },
	{ .desc = "assert_locked_write",
	  .state = WL_STATE_LOCKED, .mmap = WL_MMAP_WRITE,
	  .op = WL_OP_ASSERT_LOCKED,
	  .write_locked = true, .refcnt = 1 },
	{ .desc = "assert_locked_neither_warns",
	  .state = WL_STATE_ATTACHED, .mmap = WL_MMAP_WRITE,
	  .op = WL_OP_ASSERT_LOCKED,
	  .warn = WL_NOT_WLOCKED, .refcnt = 1,
	  .why = "an attached VMA (vm_refcnt 1) neither read- nor write-locked is not locked: vma_assert_locked() warns" },
};

/* What the test holds, on the heap: wl_unwind() releases it at the end. */
struct wl_ctx {
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	enum wl_mmap held;	/* mmap_lock */
	int reads;		/* VMA read locks */
};

static void wl_unwind(void *arg)
{
	struct wl_ctx *c = arg;

	for (; c->reads > 0; c->reads--)
		vma_end_read(c->vma);
	if (c->held == WL_MMAP_WRITE)
		mmap_write_unlock(c->mm);
	else if (c->held == WL_MMAP_READ)
		mmap_read_unlock(c->mm);
	c->held = WL_MMAP_NONE;
}

static void wl_body(const struct wl_row *row)
{
	struct wl_ctx *c = vh_test_alloc(sizeof(*c));
	struct vm_area_struct *vma, *r;
	unsigned int seq_before;
	int ret = 0;

	c->mm = vh_test_mm();
	VH_ASSERT_EQ(vh_map_layout(c->mm, "AAAAAAAA"), 0);
	c->vma = vma = vma_lookup(c->mm, VH_BASE);
	vh_defer(wl_unwind, c);

	switch (row->state) {
	case WL_STATE_ATTACHED:
		break;
	case WL_STATE_READER:
		r = lock_vma_under_rcu(c->mm, VH_BASE);
		c->reads += !!r;
		VH_ASSERT_TRUE(r == vma);
		break;
	case WL_STATE_LOCKED:
	case WL_STATE_LOCKED_REF:
		mmap_write_lock(c->mm);
		c->held = WL_MMAP_WRITE;
		vma_start_write(vma);
		/* Legal under mmap_lock, and it ignores the write lock. */
		if (row->state == WL_STATE_LOCKED_REF) {
			VH_ASSERT_TRUE(vma_start_read_locked(vma));
			c->reads++;
		}
		break;
	case WL_STATE_LOCKED_UNLOCK:
		mmap_write_lock(c->mm);
		vma_start_write(vma);
		mmap_write_unlock(c->mm);
		break;
	case WL_STATE_LOCKED_DOWNGRADE:
		mmap_write_lock(c->mm);
		vma_start_write(vma);
		mmap_write_downgrade(c->mm);
		c->held = WL_MMAP_READ;
		break;
	}
	if (c->held == WL_MMAP_NONE && row->mmap == WL_MMAP_WRITE) {
		mmap_write_lock(c->mm);
		c->held = WL_MMAP_WRITE;
	} else if (c->held == WL_MMAP_NONE && row->mmap == WL_MMAP_READ) {
		mmap_read_lock(c->mm);
		c->held = WL_MMAP_READ;
	}
	VH_ASSERT_TRUE(c->held == row->mmap);

	seq_before = vma->vm_lock_seq;
	if (row->fatal_signal)
		vh_task_kill(current);
	vh_expect_warn_begin(row->warn);
	switch (row->op) {
	case WL_OP_START_WRITE:
		vma_start_write(vma);
		break;
	case WL_OP_START_WRITE_KILLABLE:
		ret = vma_start_write_killable(vma);
		break;
	case WL_OP_ASSERT_WRITE_LOCKED:
		vma_assert_write_locked(vma);
		break;
	case WL_OP_ASSERT_LOCKED:
		vma_assert_locked(vma);
		break;
	case WL_OP_TRY_READ:
		r = lock_vma_under_rcu(c->mm, VH_BASE);
		VH_EXPECT_TRUE(!r || r == vma);
		ret = !!r;
		if (r)
			vma_end_read(r);
		break;
	}
	/* It fails the test if row->warn did not come. */
	vh_expect_warn_end();
	vh_task_clear_signals(current);

	VH_EXPECT_EQ(ret, row->ret);
	VH_EXPECT_EQ(vma->vm_lock_seq == c->mm->mm_lock_seq.sequence,
		    row->write_locked);
	VH_EXPECT_EQ(refcount_read(&vma->vm_refcnt), row->refcnt);
	if (ret == -EINTR)
		VH_EXPECT_EQ(vma->vm_lock_seq, seq_before);
}

VH_TABLE(write_lock,
	 "include/linux/mmap_lock.h, mm/mmap_lock.c: a VMA is write-locked iff vm_lock_seq == mm_lock_seq; taking it needs mmap_lock for write, waits out readers unless already held, fails only with -EINTR on a fatal signal, and every such lock ends with the mmap write section",
	 wl_rows, wl_body);

/* vma_assert_*locked() warn through VM_WARN_ON_ONCE_VMA(). */
VH_NEEDS_CONFIG(warns, "write_lock.assert_*_warns", "DEBUG_VM");
