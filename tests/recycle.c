// SPDX-License-Identifier: GPL-2.0
/*
 * Recycling: VMAs come from a SLAB_TYPESAFE_BY_RCU cache, so the VMA a
 * reader found in the tree may be freed and handed out again, even to
 * another mm, before the reader takes its reference.  The reader must then
 * not lock it (the vm_mm != mm check of vma_start_read()), must not leave a
 * reference behind, and must keep the other mm alive while it backs off.
 * The reader stops, by breakpoint, right before touching vm_refcnt.
 */
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"

enum rc_reuse {
	RC_REUSE_OTHER_MM,	/* for a VMA of another mm, at the same address */
	RC_REUSE_OTHER_MM_AWAY,	/* ... elsewhere in the other mm */
	RC_REUSE_SAME_MM,	/* in the same mm at the same address */
	/*
	 * RC_REUSE_OTHER_MM, and while the reader drops the reference it
	 * took, a writer of the other mm unmaps the VMA (it was waiting for
	 * that reference) and a grace period passes: the object is free and
	 * poisoned (SLUB_RCU_DEBUG) before the reader leaves
	 * vma_start_read(), which must not touch it any more.
	 */
	RC_REUSE_OTHER_MM_FREED,
};

struct rc_row {
	const char *desc;
	const char *why;
	enum rc_reuse reuse;
	bool found;	/* the reader ends up with the recycled VMA */
	unsigned long abort;	/* VMA_LOCK_ABORT events */
};

static const struct rc_row rc_rows[] = {
	{ .desc = "other_mm_same_address", .reuse = RC_REUSE_OTHER_MM,
	  .abort = 1,
	  .why = "vma_start_read() sees vm_mm != mm after taking its reference" },
	{ .desc = "other_mm_elsewhere", .reuse = RC_REUSE_OTHER_MM_AWAY,
	  .abort = 1 },
	{ .desc = "same_mm_same_address", .reuse = RC_REUSE_SAME_MM,
	  .found = true,
	  .why = "same mm, same range: a valid VMA for the address, so take it" },
	{ .desc = "other_mm_freed_meanwhile", .reuse = RC_REUSE_OTHER_MM_FREED,
	  .abort = 1,
	  .why = "vma_start_read() backs off from the other mm's VMA, which is unmapped and freed, a grace period later poisoned, before it returns" },
};

struct rc_ctx {
	struct mm_struct *mm, *other;
	struct vm_area_struct *vma;
	struct vh_break brk;
	struct vm_area_struct *got;
	struct vh_break wbrk;		/* RC_REUSE_OTHER_MM_FREED: the writer's */
};

static void rc_reader(void *arg)
{
	struct rc_ctx *c = arg;

	vh_break_arm(&c->brk, &c->vma->vm_refcnt.refs.counter, 0);
	c->got = lock_vma_under_rcu(c->mm, VH_BASE);
	vh_break_disarm();
	/* Released by the task that took it (lockdep). */
	if (c->got)
		vma_end_read(c->got);
}

/* RC_REUSE_OTHER_MM_FREED: unmap the VMA in the other mm, a grace period. */
static void rc_other_writer(void *arg)
{
	struct rc_ctx *c = arg;

	/* Stop as it starts to wait for the reader (rcuwait_wait_event()). */
	vh_break_arm(&c->wbrk, current, 0);
	mmap_write_lock(c->other);
	VH_EXPECT_EQ(vh_unmap(c->other, VH_BASE, VH_BASE + VH_PG(8)), 0);
	mmap_write_unlock(c->other);
	vh_break_disarm();
	synchronize_rcu();
}

static void rc_body(const struct rc_row *row)
{
	struct mm_struct *other = vh_test_mm(), *mm = vh_test_mm(), *target;
	struct vm_area_struct *reused;
	struct kmem_cache *cache = vh_vma_cache();
	unsigned long where = VH_BASE;
	struct rc_ctx c = { .mm = mm, .other = other };
	struct vh_thread *r;

	VH_ASSERT_EQ(vh_map_layout(mm, "AAAAAAAA"), 0);
	c.vma = vma_lookup(mm, VH_BASE);
	vh_vm_events_reset();

	r = vh_thread_start(rc_reader, &c);
	vh_break_wait(&c.brk);

	/* Free the VMA the reader found... */
	mmap_write_lock(mm);
	VH_EXPECT_EQ(vh_unmap(mm, VH_BASE, VH_BASE + VH_PG(8)), 0);
	mmap_write_unlock(mm);

	/* ...and let the cache hand the same object out again at once. */
	target = row->reuse == RC_REUSE_SAME_MM ? mm : other;
	if (row->reuse == RC_REUSE_OTHER_MM_AWAY)
		where = VH_BASE + VH_PG(64);
	mmap_write_lock(target);
	VH_EXPECT_EQ(vh_map(target, where, where + VH_PG(8), VH_RW), 0);
	reused = vma_lookup(target, where);
	mmap_write_unlock(target);
	VH_EXPECT_TRUE(reused == c.vma);
	VH_EXPECT_TRUE(vh_kmem_cache_reused(cache) > 0);

	if (row->reuse == RC_REUSE_OTHER_MM_FREED) {
		struct vh_thread *w;

		/* It takes a reference, sees another mm, pins that mm... */
		vh_break_resume_then(&c.brk, &other->mm_count, 0);
		vh_break_wait(&c.brk);
		/* ...and stops as it drops the reference. */
		vh_break_resume_then(&c.brk, &reused->vm_refcnt.refs.counter,
				     0);
		vh_break_wait(&c.brk);
		/* The writer excludes readers: it waits for that reference. */
		w = vh_thread_start(rc_other_writer, &c);
		vh_break_wait(&c.wbrk);
		/* The reader drops it; stop before it wakes the writer... */
		vh_break_resume_then(&c.brk, NULL, 0);
		vh_break_wait(&c.brk);
		/* ...which goes on anyway: unmapped, freed, grace period. */
		vh_break_resume(&c.wbrk);
		vh_thread_join(w);
		reused = NULL;
	}
	vh_break_resume(&c.brk);
	vh_thread_join(r);

	VH_EXPECT_TRUE(c.got == (row->found ? c.vma : NULL));
	/* No reference left behind, the other mm's count restored. */
	if (reused)
		VH_EXPECT_EQ(refcount_read(&reused->vm_refcnt), 1);
	VH_EXPECT_EQ(atomic_read(&other->mm_count), 1);
	VH_EXPECT_EQ(vh_vm_event(VMA_LOCK_ABORT), row->abort);
}

VH_TABLE(recycle,
	 "mm/mmap_lock.c: a VMA freed and reused (SLAB_TYPESAFE_BY_RCU) under a lockless reader is never returned for the wrong mm, and the reader leaves no reference behind",
	 rc_rows, rc_body);
