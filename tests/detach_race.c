// SPDX-License-Identifier: GPL-2.0
/*
 * vma_mark_detached() against a transient reader that leaves first.
 */
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"

/*
 * A transient reader's reference goes away between vma_mark_detached()'s
 * own drop and its reader exclusion: the exclusion finds the VMA detached
 * and has nothing to wait for.  The writer stops, by breakpoint, right
 * before the exclusion's first look at vm_refcnt.
 */
struct dr_row {
	const char *desc;
	const char *why;
};

static const struct dr_row dr_rows[] = {
	{ .desc = "transient_reader_leaves_first" },
};

struct dr_ctx {
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	struct vh_event locked, transient;
	struct vh_break brk;
	struct vh_thread *w;
	int returned;
};

static void dr_writer(void *arg)
{
	struct dr_ctx *c = arg;
	struct vm_area_struct *vma = c->vma;
	VMA_ITERATOR(vmi, c->mm, vma->vm_start);

	mmap_write_lock(c->mm);
	vma_start_write(vma);
	vh_event_signal(&c->locked);
	vh_event_wait(&c->transient);
	vma_iter_clear_gfp(&vmi, vma->vm_start, vma->vm_end, GFP_KERNEL);
	c->mm->map_count--;
	/* vma_is_attached()'s read and the drop pass; then stop. */
	vh_break_arm(&c->brk, &vma->vm_refcnt.refs.counter, 2);
	vma_mark_detached(vma);
	vh_break_disarm();
	vh_flag_set(&c->returned, 1);
	mmap_write_unlock(c->mm);
}

/* Let the writer go on and end, whatever stopped the test; join it. */
static void dr_unwind(void *arg)
{
	struct dr_ctx *c = arg;

	if (!c->w)
		return;
	vh_event_signal(&c->transient);
	vh_break_resume(&c->brk);
	vh_thread_join(c->w);
	c->w = NULL;
}

static void dr_body(const struct dr_row *row __always_unused)
{
	/* The writer uses it until joined: not on this stack. */
	struct dr_ctx *c = vh_test_alloc(sizeof(*c));
	struct vm_area_struct *vma;
	int old;

	c->mm = vh_test_mm();
	VH_ASSERT_EQ(vh_map_layout(c->mm, "AAAAAAAA"), 0);
	c->vma = vma = vma_lookup(c->mm, VH_BASE);
	c->w = vh_thread_start(dr_writer, c);
	vh_defer(dr_unwind, c);
	/* What vma_start_read() does before it sees the lock. */
	vh_event_wait(&c->locked);
	VH_ASSERT_TRUE(__refcount_inc_not_zero_limited_acquire(
			&vma->vm_refcnt, &old, VM_REFCNT_LIMIT));
	__vma_lockdep_acquire_read(vma);
	vh_event_signal(&c->transient);
	vh_break_wait(&c->brk);
	/* Its own reference is gone, the transient one is left. */
	VH_EXPECT_EQ(refcount_read(&vma->vm_refcnt), 1);
	vma_end_read(vma);
	vh_break_resume(&c->brk);
	vh_thread_join(c->w);
	c->w = NULL;

	VH_EXPECT_TRUE(vh_flag(&c->returned));
	VH_EXPECT_FALSE(vma_is_attached(vma));
	VH_EXPECT_NULL(lock_vma_under_rcu(c->mm, VH_BASE));
	/* Out of the tree: the address space's teardown will not free it. */
	vm_area_free(vma);
}

VH_TABLE(detach_race,
	 "mm/mmap_lock.c: a VMA being detached whose last transient reader leaves before the reader exclusion is found detached: nothing to wait for, no warning",
	 dr_rows, dr_body);
