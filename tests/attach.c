// SPDX-License-Identifier: GPL-2.0
/*
 * Attach and detach: vma_mark_attached(), vma_mark_detached(),
 * vma_is_attached(), vma_assert_attached()/vma_assert_detached(), and the
 * warnings the kernel raises when they are misused.
 */
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"

enum at_op {
	AT_OP_ATTACH,		/* vma_mark_attached() */
	AT_OP_DETACH,		/* vma_mark_detached() */
};

/* What the kernel says: its conditions and refcount messages. */
#define AT_ATTACHED	": vma_is_attached(vma)"	/* vma_assert_detached() */
#define AT_DETACHED	": !vma_is_attached(vma)"	/* vma_assert_attached() */
#define AT_UNLOCKED	"!__is_vma_write_locked(vma)"
#define AT_REFCOUNT	"refcount_t: underflow|refcount_t: saturated"

struct at_row {
	const char *desc;
	const char *why;
	bool attached;		/* state before */
	bool write_locked;	/* VMA write lock held for the operation */
	enum at_op op;
	const char *warn;	/* the kernel must WARN, thus ('|': or) */
	bool hangs;		/* ... and then never return */
	bool attached_after;
};

static const struct at_row at_rows[] = {
	{ .desc = "attach_detached", .op = AT_OP_ATTACH,
	  .write_locked = true, .attached_after = true },
	{ .desc = "attach_twice_warns", .op = AT_OP_ATTACH,
	  .attached = true, .write_locked = true, .warn = AT_ATTACHED,
	  .attached_after = true },
	{ .desc = "attach_unlocked_warns", .op = AT_OP_ATTACH,
	  .warn = AT_UNLOCKED, .attached_after = true,
	  .why = "vma_assert_write_locked() warns, then the VMA is attached all the same" },
	{ .desc = "detach_attached", .op = AT_OP_DETACH,
	  .attached = true, .write_locked = true },
	{ .desc = "detach_unlocked_warns", .op = AT_OP_DETACH,
	  .attached = true, .warn = AT_UNLOCKED },
	{ .desc = "detach_detached_warns", .op = AT_OP_DETACH,
	  .write_locked = true, .warn = AT_DETACHED "|" AT_REFCOUNT,
	  .hangs = true,
	  .why = "vma_assert_attached() warns; the put from 0 underflows (saturated) and then waits for readers that never come: the task never returns" },
};

struct at_ctx {
	const struct at_row *row;
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	int done;
};

/* The operation, in a mmap write section of its own. */
static void at_run(void *arg)
{
	struct at_ctx *c = arg;

	mmap_write_lock(c->mm);
	if (c->row->write_locked)
		vma_start_write(c->vma);
	if (c->row->op == AT_OP_ATTACH)
		vma_mark_attached(c->vma);
	else
		vma_mark_detached(c->vma);
	mmap_write_unlock(c->mm);
	vh_flag_set(&c->done, 1);
}

static void at_body(const struct at_row *row)
{
	struct mm_struct *mm = vh_test_mm();
	struct vm_area_struct *vma = vh_test_vma(mm);
	struct at_ctx c = { .row = row, .mm = mm, .vma = vma };
	struct vh_thread *t;
	bool stuck;
	int warns;

	VH_ASSERT_TRUE(vma);
	VH_ASSERT_TRUE(!vma_is_attached(vma));
	if (row->attached) {
		mmap_write_lock(mm);
		vma_start_write(vma);
		vma_mark_attached(vma);
		mmap_write_unlock(mm);
	}

	/*
	 * The operation runs in a thread of its own: misuse may leave it
	 * waiting for ever (detaching a detached VMA does).  Only then is it
	 * released, by the test, so that the test can end: what follows the
	 * release is the test's doing and is not checked.
	 */
	vh_expect_warn_begin(row->warn);
	t = vh_thread_start(at_run, &c);
	stuck = vh_wait_blocked(vh_thread_task(t), 0, &c.done);
	VH_EXPECT_EQ(stuck, row->hangs);
	if (stuck) {
		/* The kernel's state: saturated, readers "excluded". */
		VH_EXPECT_EQ(refcount_read(&vma->vm_refcnt),
			    (unsigned int)REFCOUNT_SATURATED);
		refcount_set(&vma->vm_refcnt, VM_REFCNT_EXCLUDE_READERS_FLAG);
		rcuwait_wake_up(&mm->vma_writer_wait);
	}
	vh_thread_join(t);
	warns = vh_expect_warn_end();

	/* vh_expect_warn_end() failed the test: say which rule broke. */
	if (row->warn && !warns)
		vh_diag("%s() of %s VMA that is %s did not WARN",
			row->op == AT_OP_ATTACH ? "vma_mark_attached" :
			"vma_mark_detached",
			row->attached ? "an attached" : "a detached",
			row->write_locked ? "write-locked" : "not write-locked");
	if (!stuck) {
		VH_EXPECT_EQ(vma_is_attached(vma), row->attached_after);
		VH_EXPECT_EQ(refcount_read(&vma->vm_refcnt),
			    row->attached_after);
	}
}

VH_TABLE(attach,
	 "include/linux/mmap_lock.h, mm/mmap_lock.c: vm_refcnt is 1 while attached, 0 when detached; attaching and detaching need the VMA write lock and the opposite state, else WARN (and detaching a detached VMA never returns)",
	 at_rows, at_body);

/* vma_assert_write_locked() warns through VM_WARN_ON_ONCE_VMA(). */
VH_NEEDS_CONFIG(warns, "attach.*_unlocked_warns", "DEBUG_VM");
