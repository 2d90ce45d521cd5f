// SPDX-License-Identifier: GPL-2.0
/*
 * The VMA flag setters of include/linux/mm.h, as the tree defines them:
 * vm_flags_set(), vm_flags_clear() and vm_flags_mod() write-lock the VMA
 * (vma_start_write()) before they touch its flags, so a reader that holds
 * the VMA makes them wait and never sees its flags change under it;
 * vm_flags_reset() expects the caller to hold that lock already.
 *
 * The setter runs in a thread of its own, in a mmap write section; the test
 * holds a read lock on the VMA, checks the setter really sleeps (or has
 * returned, which is the bug), then lets it go.
 */
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"

enum vf_op {
	VF_OP_SET,		/* vm_flags_set() */
	VF_OP_CLEAR,		/* vm_flags_clear() */
	VF_OP_MOD,		/* vm_flags_mod() */
	VF_OP_RESET,		/* vm_flags_reset() */
};

static const char *const vf_name[] = {
	[VF_OP_SET] = "vm_flags_set()",
	[VF_OP_CLEAR] = "vm_flags_clear()",
	[VF_OP_MOD] = "vm_flags_mod()",
	[VF_OP_RESET] = "vm_flags_reset()",
};

struct vf_row {
	const char *desc;
	const char *why;
	enum vf_op op;
	vm_flags_t set;		/* flags set (VF_OP_RESET: the new flags) */
	vm_flags_t clear;	/* flags cleared */
	bool reader;		/* the test holds a read lock meanwhile */
	bool locked;		/* the setter write-locks the VMA first */
	bool warn;		/* the kernel must WARN */
};

static const struct vf_row vf_rows[] = {
	{ .desc = "set_waits_for_reader", .op = VF_OP_SET,
	  .set = VM_SEQ_READ, .reader = true,
	  .why = "the setters call vma_start_write() first, which waits for the reader" },
	{ .desc = "clear_waits_for_reader", .op = VF_OP_CLEAR,
	  .clear = VM_MAYWRITE, .reader = true },
	{ .desc = "mod_waits_for_reader", .op = VF_OP_MOD,
	  .set = VM_SEQ_READ, .clear = VM_MAYWRITE, .reader = true },
	{ .desc = "set_write_locks", .op = VF_OP_SET, .set = VM_SEQ_READ },
	{ .desc = "clear_write_locks", .op = VF_OP_CLEAR, .clear = VM_MAYWRITE },
	{ .desc = "mod_write_locks", .op = VF_OP_MOD,
	  .set = VM_SEQ_READ, .clear = VM_MAYWRITE },
	{ .desc = "set_already_locked", .op = VF_OP_SET, .set = VM_SEQ_READ,
	  .locked = true },
	{ .desc = "reset_locked", .op = VF_OP_RESET, .set = VH_RO,
	  .locked = true },
	{ .desc = "reset_unlocked_warns", .op = VF_OP_RESET, .set = VH_RO,
	  .warn = true,
	  .why = "vm_flags_reset() asserts the write lock (vma_assert_write_locked()) instead of taking it" },
};

struct vf_ctx {
	const struct vf_row *row;
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	int returned;
	bool locked_at_return;
	int warns;
};

static void vf_setter(void *arg)
{
	struct vf_ctx *c = arg;
	const struct vf_row *row = c->row;
	struct vm_area_struct *vma = c->vma;

	mmap_write_lock(c->mm);
	if (row->locked)
		vma_start_write(vma);
	/* vma_assert_write_locked(), the only warning expected. */
	vh_expect_warn_begin(row->warn ? "!__is_vma_write_locked(vma)" : NULL);
	switch (row->op) {
	case VF_OP_SET:
		vm_flags_set(vma, row->set);
		break;
	case VF_OP_CLEAR:
		vm_flags_clear(vma, row->clear);
		break;
	case VF_OP_MOD:
		vm_flags_mod(vma, row->set, row->clear);
		break;
	case VF_OP_RESET:
		vm_flags_reset(vma, row->set);
		break;
	}
	/* It fails the test if the warning expected did not come. */
	vh_expect_warn_end();
	c->locked_at_return = __is_vma_write_locked(vma);
	vh_flag_set(&c->returned, 1);
	mmap_write_unlock(c->mm);
}

static void vf_body(const struct vf_row *row)
{
	struct vf_ctx c = { .row = row };
	struct vm_area_struct *vma;
	vm_flags_t before, expect;
	struct vh_thread *t;

	c.mm = vh_test_mm();
	VH_ASSERT_EQ(vh_map_layout(c.mm, "AAAAAAAA"), 0);
	vma = c.vma = vma_lookup(c.mm, VH_BASE);
	VH_ASSERT_TRUE(vma);
	before = vma->vm_flags;
	if (row->op == VF_OP_RESET)
		expect = row->set;
	else
		expect = (before | row->set) & ~row->clear;

	if (row->reader)
		VH_ASSERT_TRUE(lock_vma_under_rcu(c.mm, VH_BASE) == vma);
	t = vh_thread_start(vf_setter, &c);
	if (row->reader) {
		if (!vh_wait_blocked(vh_thread_task(t), 0, &c.returned))
			VH_FAIL("%s returned while a reader held the VMA: it must write-lock the VMA first (vma_start_write()) and wait for the reader",
				vf_name[row->op]);
		if (vma->vm_flags != before)
			VH_FAIL("%s changed the flags of a VMA a reader holds (%#lx -> %#lx)",
				vf_name[row->op], before, vma->vm_flags);
		vma_end_read(vma);
	}
	vh_thread_join(t);

	VH_EXPECT_EQ(vma->vm_flags, expect);
	if (row->op == VF_OP_RESET)
		VH_EXPECT_EQ(c.locked_at_return, row->locked);
	else if (!c.locked_at_return)
		VH_FAIL("%s left the VMA not write-locked: readers may see its flags change (no vma_start_write())",
			vf_name[row->op]);
}

VH_TABLE(vm_flags,
	 "include/linux/mm.h: vm_flags_set(), vm_flags_clear() and vm_flags_mod() write-lock the VMA before changing its flags, waiting out its readers; vm_flags_reset() needs that lock held",
	 vf_rows, vf_body);

/* vma_assert_write_locked() warns through VM_WARN_ON_ONCE_VMA(). */
VH_NEEDS_CONFIG(warns, "vm_flags.*_warns", "DEBUG_VM");
