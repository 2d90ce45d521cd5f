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
};

struct rc_ctx {
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	struct vh_break brk;
	struct vm_area_struct *got;
};

static void rc_reader(void *arg)
{
	struct rc_ctx *c = arg;

	vh_break_arm(&c->brk, &c->vma->vm_refcnt.refs.counter, 0);
	c->got = lock_vma_under_rcu(c->mm, VH_BASE);
	vh_break_disarm();
}

static void rc_body(const struct rc_row *row)
{
	struct mm_struct *other = vh_test_mm(), *mm = vh_test_mm(), *target;
	struct vm_area_struct *reused;
	struct kmem_cache *cache = vh_vma_cache();
	unsigned long where = VH_BASE;
	struct rc_ctx c = { .mm = mm };
	struct vh_thread *r;

	vh_why(row->why);
	VH_ASSERT_EQ(vh_map_layout(mm, "AAAAAAAA"), 0);
	c.vma = vma_lookup(mm, VH_BASE);
	vh_vm_events_reset();

	r = vh_thread_start(rc_reader, &c);
	vh_break_wait(&c.brk);

	/* Free the VMA the reader found... */
	mmap_write_lock(mm);
	VH_CHECK_EQ(vh_unmap(mm, VH_BASE, VH_BASE + VH_PG(8)), 0);
	mmap_write_unlock(mm);

	/* ...and let the cache hand the same object out again at once. */
	target = row->reuse == RC_REUSE_SAME_MM ? mm : other;
	if (row->reuse == RC_REUSE_OTHER_MM_AWAY)
		where = VH_BASE + VH_PG(64);
	mmap_write_lock(target);
	VH_CHECK_EQ(vh_map(target, where, where + VH_PG(8), VH_RW), 0);
	reused = vma_lookup(target, where);
	mmap_write_unlock(target);
	VH_CHECK(reused == c.vma);
	VH_CHECK(vh_kmem_cache_reused(cache) > 0);

	vh_break_resume(&c.brk);
	vh_thread_join(r);

	VH_CHECK(c.got == (row->found ? reused : NULL));
	if (c.got)
		vma_end_read(c.got);
	/* No reference left behind, the other mm's count restored. */
	VH_CHECK_EQ(refcount_read(&reused->vm_refcnt), 1);
	VH_CHECK_EQ(atomic_read(&other->mm_count), 1);
	VH_CHECK_EQ(vh_vm_event(VMA_LOCK_ABORT), row->abort);
}

VH_TABLE(recycle,
	 "a VMA freed and reused (SLAB_TYPESAFE_BY_RCU) under a lockless reader is never returned for the wrong mm, and the reader leaves no reference behind",
	 rc_rows, rc_body);
