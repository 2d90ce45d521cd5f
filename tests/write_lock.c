// SPDX-License-Identifier: GPL-2.0
/*
 * VMA write locks: vma_start_write(), vma_start_write_killable(), the
 * already-locked shortcut, vma_assert_write_locked(), vma_assert_locked(),
 * and their release by mmap_write_unlock() and mmap_write_downgrade().
 * Single-threaded: what needs a second thread is in readers.c.
 */
#include <errno.h>
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"

enum wl_state {
	ATTACHED,		/* attached, not write-locked */
	READER,			/* attached, read-locked once (vm_refcnt 2) */
	LOCKED,			/* write-locked in the current mmap write section */
	LOCKED_REF,		/* ... and a reader reference on top (vm_refcnt 2) */
	LOCKED_UNLOCK,		/* write-locked in a section that mmap_write_unlock() ended */
	LOCKED_DOWNGRADE,	/* ... that mmap_write_downgrade() ended */
};

enum wl_mmap { MMAP_NONE, MMAP_READ, MMAP_WRITE };

enum wl_op {
	START_WRITE,
	START_WRITE_KILLABLE,
	ASSERT_WRITE_LOCKED,
	ASSERT_LOCKED,
	TRY_READ,		/* lock_vma_under_rcu() from this task */
};

struct wl_row {
	const char *desc;
	enum wl_state state;
	enum wl_mmap mmap;	/* mmap_lock held by this task for the op */
	enum wl_op op;
	bool fatal_signal;	/* SIGKILL pending during the op */
	int ret;		/* START_*: return value; TRY_READ: 1 = locked */
	bool warn;		/* the kernel must WARN */
	bool write_locked;	/* vm_lock_seq == mm_lock_seq afterwards */
	unsigned int refcnt;	/* vm_refcnt afterwards */
};

static const struct wl_row wl_rows[] = {
	{ "start_write_locks", ATTACHED, MMAP_WRITE, START_WRITE,
	  false, 0, false, true, 1 },
	{ "killable_locks", ATTACHED, MMAP_WRITE, START_WRITE_KILLABLE,
	  false, 0, false, true, 1 },
	{ "killable_signal_no_readers_locks", ATTACHED, MMAP_WRITE,
	  START_WRITE_KILLABLE, true, 0, false, true, 1 },
	{ "killable_signal_reader_eintr", READER, MMAP_WRITE,
	  START_WRITE_KILLABLE, true, -EINTR, false, false, 2 },
	{ "locked_shortcut_killable", LOCKED_REF, MMAP_WRITE,
	  START_WRITE_KILLABLE, true, 0, false, true, 2 },
	{ "locked_shortcut", LOCKED_REF, MMAP_WRITE, START_WRITE,
	  false, 0, false, true, 2 },
	{ "relock_after_unlock", LOCKED_UNLOCK, MMAP_WRITE, START_WRITE,
	  false, 0, false, true, 1 },
	{ "unlock_releases", LOCKED_UNLOCK, MMAP_NONE, TRY_READ,
	  false, 1, false, false, 1 },
	{ "downgrade_releases", LOCKED_DOWNGRADE, MMAP_READ, TRY_READ,
	  false, 1, false, false, 1 },
	{ "locked_read_fails", LOCKED, MMAP_WRITE, TRY_READ,
	  false, 0, false, true, 1 },
	/* The kernel warns, then goes on: the VMA stays write-locked. */
	{ "start_write_no_mmap_lock_warns", ATTACHED, MMAP_NONE, START_WRITE,
	  false, 0, true, true, 1 },
	{ "start_write_mmap_read_warns", ATTACHED, MMAP_READ, START_WRITE,
	  false, 0, true, true, 1 },
	{ "assert_write_locked", LOCKED, MMAP_WRITE, ASSERT_WRITE_LOCKED,
	  false, 0, false, true, 1 },
	{ "assert_write_locked_unlocked_warns", ATTACHED, MMAP_WRITE,
	  ASSERT_WRITE_LOCKED, false, 0, true, false, 1 },
	{ "assert_write_locked_old_section_warns", LOCKED_UNLOCK, MMAP_WRITE,
	  ASSERT_WRITE_LOCKED, false, 0, true, false, 1 },
	{ "assert_locked_read", READER, MMAP_NONE, ASSERT_LOCKED,
	  false, 0, false, false, 2 },
	{ "assert_locked_write", LOCKED, MMAP_WRITE, ASSERT_LOCKED,
	  false, 0, false, true, 1 },
	{ "assert_locked_neither_warns", ATTACHED, MMAP_WRITE, ASSERT_LOCKED,
	  false, 0, true, false, 1 },
};

static void wl_body(const struct wl_row *row)
{
	struct vm_area_struct *vma, *r;
	struct vh_fixture f;
	enum wl_mmap held = MMAP_NONE;
	unsigned int seq_before;
	int ret = 0, warns;

	vh_fixture_init(&f);
	vma = f.vma;

	switch (row->state) {
	case ATTACHED:
		break;
	case READER:
		VH_ASSERT(lock_vma_under_rcu(f.mm, VH_BASE) == vma);
		break;
	case LOCKED:
	case LOCKED_REF:
		mmap_write_lock(f.mm);
		held = MMAP_WRITE;
		vma_start_write(vma);
		/* Legal under mmap_lock, and it ignores the write lock. */
		if (row->state == LOCKED_REF)
			VH_ASSERT(vma_start_read_locked(vma));
		break;
	case LOCKED_UNLOCK:
		mmap_write_lock(f.mm);
		vma_start_write(vma);
		mmap_write_unlock(f.mm);
		break;
	case LOCKED_DOWNGRADE:
		mmap_write_lock(f.mm);
		vma_start_write(vma);
		mmap_write_downgrade(f.mm);
		held = MMAP_READ;
		break;
	}
	if (held == MMAP_NONE && row->mmap == MMAP_WRITE)
		mmap_write_lock(f.mm);
	else if (held == MMAP_NONE && row->mmap == MMAP_READ)
		mmap_read_lock(f.mm);
	else
		VH_ASSERT(held == row->mmap);

	seq_before = vma->vm_lock_seq;
	if (row->fatal_signal)
		vh_task_kill(current);
	vh_expect_warn_begin();
	switch (row->op) {
	case START_WRITE:
		vma_start_write(vma);
		break;
	case START_WRITE_KILLABLE:
		ret = vma_start_write_killable(vma);
		break;
	case ASSERT_WRITE_LOCKED:
		vma_assert_write_locked(vma);
		break;
	case ASSERT_LOCKED:
		vma_assert_locked(vma);
		break;
	case TRY_READ:
		r = lock_vma_under_rcu(f.mm, VH_BASE);
		VH_CHECK(!r || r == vma);
		ret = !!r;
		if (r)
			vma_end_read(r);
		break;
	}
	warns = vh_expect_warn_end();
	vh_task_clear_signals(current);

	VH_CHECK_EQ(ret, row->ret);
	if (row->warn)
		VH_CHECK(warns > 0);
	else
		VH_CHECK_EQ(warns, 0);
	VH_CHECK_EQ(vma->vm_lock_seq == f.mm->mm_lock_seq.sequence,
		    row->write_locked);
	VH_CHECK_EQ(refcount_read(&vma->vm_refcnt), row->refcnt);
	if (ret == -EINTR)
		VH_CHECK_EQ(vma->vm_lock_seq, seq_before);

	if (row->state == LOCKED_REF || row->state == READER)
		vma_end_read(vma);
	if (row->mmap == MMAP_WRITE)
		mmap_write_unlock(f.mm);
	else if (row->mmap == MMAP_READ)
		mmap_read_unlock(f.mm);
	vh_fixture_fini(&f);
}

VH_TABLE(write_lock,
	 "a VMA is write-locked iff vm_lock_seq == mm_lock_seq; taking it needs mmap_lock for write, waits out readers unless already held, fails only with -EINTR on a fatal signal, and every such lock ends with the mmap write section",
	 wl_rows, wl_body);
