// SPDX-License-Identifier: GPL-2.0
/*
 * Attach and detach: vma_mark_attached(), vma_mark_detached(),
 * vma_is_attached(), vma_assert_attached()/vma_assert_detached(), and the
 * warnings the kernel raises when they are misused.
 */
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"

enum attach_op { ATTACH, DETACH };

struct attach_row {
	const char *desc;
	bool attached;		/* state before */
	bool write_locked;	/* VMA write lock held for the operation */
	enum attach_op op;
	bool expect_warn;	/* the kernel must WARN */
	bool attached_after;
};

static const struct attach_row attach_rows[] = {
	{ "attach_detached",		false, true,  ATTACH, false, true },
	{ "attach_twice_warns",		true,  true,  ATTACH, true,  true },
	{ "attach_unlocked_warns",	false, false, ATTACH, true,  true },
	{ "detach_attached",		true,  true,  DETACH, false, false },
	{ "detach_unlocked_warns",	true,  false, DETACH, true,  false },
	{ "detach_detached_warns",	false, true,  DETACH, true,  false },
};

struct attach_ctx {
	const struct attach_row *row;
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	int done;
};

/* The operation, in a mmap write section of its own. */
static void attach_op(void *arg)
{
	struct attach_ctx *c = arg;

	mmap_write_lock(c->mm);
	if (c->row->write_locked)
		vma_start_write(c->vma);
	if (c->row->op == ATTACH)
		vma_mark_attached(c->vma);
	else
		vma_mark_detached(c->vma);
	mmap_write_unlock(c->mm);
	__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
}

static void attach_body(const struct attach_row *row)
{
	struct mm_struct *mm = vh_mm_new();
	struct vm_area_struct *vma = vm_area_alloc(mm);
	struct attach_ctx c = { .row = row, .mm = mm, .vma = vma };
	struct vh_thread *t;
	int warns;

	VH_ASSERT(vma);
	VH_ASSERT(!vma_is_attached(vma));
	if (row->attached) {
		mmap_write_lock(mm);
		vma_start_write(vma);
		vma_mark_attached(vma);
		mmap_write_unlock(mm);
	}

	/*
	 * The operation runs in a thread of its own: misuse may leave it
	 * waiting for a reference count that never comes (detaching a
	 * detached VMA does); then the test sees it asleep and releases it.
	 */
	vh_expect_warn_begin();
	t = vh_thread_start(attach_op, &c);
	if (row->expect_warn &&
	    vh_wait_blocked(vh_thread_task(t), 0, &c.done)) {
		/* Stuck in __vma_exclude_readers_for_detach(). */
		refcount_set(&vma->vm_refcnt, VM_REFCNT_EXCLUDE_READERS_FLAG);
		rcuwait_wake_up(&mm->vma_writer_wait);
	}
	vh_thread_join(t);
	warns = vh_expect_warn_end();

	if (row->expect_warn)
		VH_CHECK(warns > 0);
	else
		VH_CHECK_EQ(warns, 0);
	VH_CHECK_EQ(vma_is_attached(vma), row->attached_after);
	VH_CHECK_EQ(refcount_read(&vma->vm_refcnt), row->attached_after);

	if (vma_is_attached(vma)) {
		mmap_write_lock(mm);
		vma_start_write(vma);
		vma_mark_detached(vma);
		mmap_write_unlock(mm);
	}
	vm_area_free(vma);
	vh_mm_put(mm);
}

VH_TABLE(attach,
	 "vm_refcnt is 1 while attached, 0 when detached; attaching and detaching need the VMA write lock and the opposite state, else WARN",
	 attach_rows, attach_body);
