// SPDX-License-Identifier: GPL-2.0
/*
 * Stack growth through the fault path (arch/x86/mm/fault.c
 * do_user_addr_fault(), mm/mmap_lock.c lock_mm_and_find_vma(),
 * mm/mmap.c expand_stack_locked()): a fault below a VM_GROWSDOWN VMA finds
 * no VMA under RCU, so the driver falls back to lock_mm_and_find_vma(),
 * which drops mmap_lock, takes it for write, finds the stack again and
 * grows it down to the faulting page, and the fault is handled under the
 * downgraded read lock.  The VMA lock never grows a stack.  A kernel-mode
 * fault (a uaccess) never takes the VMA lock, and without an exception
 * table entry it does not grow the stack either.  The stack guard gap is
 * two pages here.
 */
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"

/*
 * Pictures: a character per page from VH_BASE, 'S' the stack
 * (VM_GROWSDOWN), other letters plain VMAs (upper case read-write, lower
 * case read-only); '^' the faulting page.
 */
struct fs_row {
	const char *desc;
	const char *why;
	const char *before;
	const char *fault_at;
	const char *after;
	unsigned int flags;	/* VH_FAULT_* */
	enum vh_fault_path path;
};

static const struct fs_row fs_rows[] = {
	{ .desc = "in_stack", .flags = VH_FAULT_WRITE,
	  .path = VH_FAULT_VMA_LOCK,
	  .before   = "----SSSS",
	  .fault_at = "     ^  ",
	  .after    = "----SSSS" },
	{ .desc = "below_stack_grows", .flags = VH_FAULT_WRITE,
	  .path = VH_FAULT_MMAP_LOCK,
	  .why = "no VMA under RCU: lock_mm_and_find_vma() upgrades to the write lock and grows the stack",
	  .before   = "----SSSS",
	  .fault_at = "  ^     ",
	  .after    = "--SSSSSS" },
	{ .desc = "read_below_stack_grows", .path = VH_FAULT_MMAP_LOCK,
	  .before   = "----SSSS",
	  .fault_at = "   ^    ",
	  .after    = "---SSSSS" },
	{ .desc = "below_stack_into_guard_gap", .flags = VH_FAULT_WRITE,
	  .path = VH_FAULT_SIGSEGV,
	  .why = "expand_downwards() keeps the guard gap to the VMA below: no VMA, SIGSEGV, mmap_lock released",
	  .before   = "A---SSSS",
	  .fault_at = "  ^     ",
	  .after    = "A---SSSS" },
	{ .desc = "below_plain_vma", .flags = VH_FAULT_WRITE,
	  .path = VH_FAULT_SIGSEGV,
	  .why = "only a VM_GROWSDOWN VMA grows to a fault below it",
	  .before   = "----AAAA",
	  .fault_at = "  ^     ",
	  .after    = "----AAAA" },
	{ .desc = "uaccess_in_stack", .flags = VH_FAULT_WRITE | VH_FAULT_KERNEL,
	  .path = VH_FAULT_MMAP_LOCK,
	  .why = "a kernel-mode fault goes straight to mmap_lock, never the VMA lock",
	  .before   = "----SSSS",
	  .fault_at = "     ^  ",
	  .after    = "----SSSS" },
	{ .desc = "uaccess_below_stack", .flags = VH_FAULT_WRITE | VH_FAULT_KERNEL,
	  .path = VH_FAULT_OOPS,
	  .why = "no exception table entry: lock_mm_and_find_vma() does not upgrade for a kernel fault, nothing fixes it up",
	  .before   = "----SSSS",
	  .fault_at = "  ^     ",
	  .after    = "----SSSS" },
};

static void fs_body(const struct fs_row *row)
{
	struct mm_struct *mm = vh_test_mm();
	unsigned long addr, end;
	enum vh_fault_path path;
	struct vm_area_struct *vma;

	vh_why(row->why);
	VH_ASSERT(vh_layout_span(row->fault_at, '^', &addr, &end));
	VH_ASSERT_EQ(vh_map_layout_stack(mm, row->before), 0);
	vh_test_stack_guard_gap(mm, VH_PG(2));

	path = vh_fault(mm, addr, row->flags);
	if (path != row->path)
		VH_FAIL("the fault at page %lu ended %s, expected %s",
			(addr - VH_BASE) / PAGE_SIZE, vh_fault_path_name(path),
			vh_fault_path_name(row->path));
	VH_EXPECT_TRUE(vh_layout_is(mm, row->after));
	VH_CHECK(!rwsem_is_locked(&mm->mmap_lock));
	vma = vma_lookup(mm, addr);
	if (vma) {
		/* At rest, and a grown stack has its anon_vma. */
		VH_CHECK_EQ(refcount_read(&vma->vm_refcnt), 1);
		if (strcmp(row->before, row->after))
			VH_CHECK(vma->anon_vma);
	}
}

VH_TABLE(fault_stack_growth,
	 "arch/x86/mm/fault.c, mm/mmap_lock.c, mm/mmap.c: a fault below a stack falls back from the VMA lock to lock_mm_and_find_vma(), which grows the stack under mmap_lock held for write",
	 fs_rows, fs_body);
