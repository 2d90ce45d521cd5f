// SPDX-License-Identifier: GPL-2.0
/*
 * A page fault as x86 takes it (arch/x86/mm/fault.c do_user_addr_fault(),
 * mm/memory.c handle_mm_fault(), through vh_fault()) into a private VMA:
 * under the VMA lock when it can, and on VM_FAULT_RETRY or no VMA under
 * mmap_lock through lock_mm_and_find_vma().  A write fault into a VMA with
 * no anon_vma must not prepare one under the VMA lock alone (657b5146955e):
 * __vmf_anon_prepare() takes mmap_lock if it can without waiting, and
 * otherwise the fault gives up with VM_FAULT_RETRY, its VMA lock released
 * (vmf_anon_prepare()), and is retried under mmap_lock.  The test holds
 * mmap_lock for write (a writer elsewhere in the mm) where the row says
 * so, and lets it go once the faulting thread sleeps waiting for it.
 */
#include <errno.h>
#include <sched.h>
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"

enum fa_hold {
	FA_HOLD_NONE,
	FA_HOLD_MMAP,		/* the test holds mmap_lock for write */
	FA_HOLD_VMA,		/* ... and has write-locked the VMA */
};

/*
 * Pictures: a character per page from VH_BASE, 'A' read-write, 'r'
 * read-only; '^' the faulting page.
 */
struct fa_row {
	const char *desc;
	const char *why;
	const char *before;
	const char *fault_at;
	bool anon_vma;		/* the VMA has an anon_vma before the fault */
	bool write;
	enum fa_hold hold;
	enum vh_fault_path path;
	bool anon_after;	/* the VMA has an anon_vma after the fault */
	/*
	 * The fault goes for mmap_lock while the test holds it: it is
	 * stopped before its mmap_lock operation number .lock_op (the
	 * failed trylocks before it pass) and looked at there.
	 */
	bool waits;
	int lock_op;
};

static const struct fa_row fa_rows[] = {
	{ .desc = "anon_vma_there", .anon_vma = true, .write = true,
	  .before   = "AAAA",
	  .fault_at = "  ^ ",
	  .path = VH_FAULT_VMA_LOCK, .anon_after = true },
	{ .desc = "no_anon_vma_mmap_lock_free", .write = true,
	  .why = "__vmf_anon_prepare() gets mmap_lock by trylock: prepared under it, the fault done under the VMA lock",
	  .before   = "AAAA",
	  .fault_at = "  ^ ",
	  .path = VH_FAULT_VMA_LOCK, .anon_after = true },
	{ .desc = "no_anon_vma_contended_retries", .write = true,
	  .hold = FA_HOLD_MMAP, .waits = true, .lock_op = 3,
	  .why = "no anon_vma under the VMA lock alone: VM_FAULT_RETRY, the VMA lock released, retried under mmap_lock",
	  .before   = "AAAA",
	  .fault_at = "  ^ ",
	  .path = VH_FAULT_RETRIED, .anon_after = true },
	{ .desc = "read_needs_no_anon_vma", .hold = FA_HOLD_MMAP,
	  .why = "a read fault of an anonymous VMA maps the zero page: done under the VMA lock, mmap_lock never wanted",
	  .before   = "AAAA",
	  .fault_at = "  ^ ",
	  .path = VH_FAULT_VMA_LOCK },
	{ .desc = "vma_write_locked_falls_back", .write = true,
	  .anon_vma = true, .hold = FA_HOLD_VMA, .waits = true, .lock_op = 2,
	  .why = "lock_vma_under_rcu() fails on a write-locked VMA: the fault waits for mmap_lock in lock_mm_and_find_vma()",
	  .before   = "AAAA",
	  .fault_at = "  ^ ",
	  .path = VH_FAULT_MMAP_LOCK, .anon_after = true },
	{ .desc = "write_to_read_only", .write = true,
	  .why = "access_error(): SIGSEGV, and bad_area_access_error() releases the VMA lock",
	  .before   = "rrrr",
	  .fault_at = "  ^ ",
	  .path = VH_FAULT_SIGSEGV },
	{ .desc = "gap", .write = true,
	  .why = "no VMA under RCU nor under mmap_lock: SIGSEGV, mmap_lock released",
	  .before   = "AA-B",
	  .fault_at = "  ^ ",
	  .path = VH_FAULT_SIGSEGV },
};

struct fa_ctx {
	const struct fa_row *row;
	struct mm_struct *mm;
	unsigned long addr;
	enum vh_fault_path path;
	struct vh_break brk;
	int done;
};

static void fa_fault(void *arg)
{
	struct fa_ctx *c = arg;

	if (c->row->hold != FA_HOLD_NONE)
		vh_break_arm(&c->brk, &c->mm->mmap_lock,
			     c->row->lock_op ? c->row->lock_op - 1 : 3);
	c->path = vh_fault(c->mm, c->addr,
			   c->row->write ? VH_FAULT_WRITE : 0);
	vh_break_disarm();
	vh_flag_set(&c->done, 1);
}

static void fa_body(const struct fa_row *row)
{
	struct fa_ctx c = { .row = row };
	struct vm_area_struct *vma;
	struct vh_thread *t;
	unsigned long start, end;

	vh_why(row->why);
	c.mm = vh_test_mm();
	VH_ASSERT(vh_layout_span(row->fault_at, '^', &start, &end));
	c.addr = start;
	VH_ASSERT_EQ(vh_map_layout(c.mm, row->before), 0);
	vma = vma_lookup(c.mm, c.addr);
	if (vma && row->anon_vma) {
		mmap_read_lock(c.mm);
		VH_ASSERT_EQ(anon_vma_prepare(vma), 0);
		mmap_read_unlock(c.mm);
	}
	vh_vm_events_reset();
	if (row->hold != FA_HOLD_NONE)
		mmap_write_lock(c.mm);
	if (row->hold == FA_HOLD_VMA)
		vma_start_write(vma);
	t = vh_thread_start(fa_fault, &c);
	if (row->hold != FA_HOLD_NONE) {
		bool waits;

		/* The fault ends, or stops before it takes mmap_lock. */
		while (!vh_flag(&c.done) && !vh_flag(&c.brk.hit.done))
			sched_yield();
		waits = vh_flag(&c.brk.hit.done);
		VH_EXPECT_EQ(waits, row->waits);
		if (waits) {
			/* Waiting for mmap_lock, the fault holds no VMA lock. */
			if (refcount_read(&vma->vm_refcnt) != 1)
				VH_FAIL("the fault sleeps for mmap_lock with the VMA lock held (vm_refcnt %u)",
					refcount_read(&vma->vm_refcnt));
			if (vma->anon_vma && !row->anon_vma)
				VH_FAIL("an anon_vma was prepared under the VMA lock alone (mmap_lock held by another task)");
			vh_break_resume(&c.brk);
		}
		mmap_write_unlock(c.mm);
	}
	vh_thread_join(t);

	if (c.path != row->path)
		VH_FAIL("the fault at %#lx ended %s, expected %s%s", c.addr,
			vh_fault_path_name(c.path),
			vh_fault_path_name(row->path),
			c.path == VH_FAULT_UNHANDLED ?
			": its VM_FAULT_RETRY was not retried under mmap_lock" :
			"");
	if (vma)
		VH_CHECK_EQ(!!vma->anon_vma, row->anon_after);
	if (vma)	/* at rest: attached, no reader */
		VH_CHECK_EQ(refcount_read(&vma->vm_refcnt), 1);
	VH_CHECK(!rwsem_is_locked(&c.mm->mmap_lock));
	/* mm_account_fault(): a completed fault is counted once. */
	VH_CHECK_EQ(vh_vm_event(PGFAULT), row->path <= VH_FAULT_MMAP_LOCK);
	VH_CHECK_EQ(vh_vm_event(VMA_LOCK_RETRY),
		    row->path == VH_FAULT_RETRIED ? 1 : 0);
}

VH_TABLE(fault_anon_retry,
	 "arch/x86/mm/fault.c, mm/memory.c: a fault under the VMA lock prepares an anon_vma only under mmap_lock; on VM_FAULT_RETRY the VMA lock is released and the fault retried under mmap_lock",
	 fa_rows, fa_body);
