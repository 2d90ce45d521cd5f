// SPDX-License-Identifier: GPL-2.0
/*
 * lock_mm_and_find_vma() (mm/mmap_lock.c, CONFIG_LOCK_MM_AND_FIND_VMA as x86
 * selects it): the fault path's fallback once the per-VMA lock gave up.  It
 * returns the VMA containing the address with mmap_lock held for read, or
 * NULL with mmap_lock released; below a VM_GROWSDOWN VMA it grows the stack,
 * which takes mmap_lock for write.  It cannot upgrade its read lock, so it
 * drops it and takes the write lock: in that window anything can happen to
 * the address space, and the VMA it found before must never be used again
 * (the 2023 "StackRot" fix).  A faulting thread is stopped in that window
 * (a breakpoint before its write lock) while the test unmaps, replaces or
 * maps over the stack.
 */
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"
#include <linux/extable.h>

enum lf_window {
	LF_WINDOW_NONE,
	LF_WINDOW_UNMAP,	/* the stack is unmapped */
	LF_WINDOW_REPLACE,	/* ... and a VMA that does not grow takes its place */
	LF_WINDOW_MAP_ADDR,	/* a new VMA is mapped over the faulting page */
};

enum lf_result {
	LF_RESULT_NONE,		/* NULL, mmap_lock released */
	LF_RESULT_FOUND,	/* the VMA that was there, not grown */
	LF_RESULT_GROWN,	/* the stack, grown down to the faulting page */
	LF_RESULT_NEW,		/* the VMA mapped in the window */
};

/*
 * Pictures: a character per page from VH_BASE; 'S' is the stack
 * (VM_GROWSDOWN), other letters plain read-write VMAs; '^' the faulting
 * page.  The window's VMA (LF_WINDOW_REPLACE, _MAP_ADDR) is .window_map.
 */
struct lf_row {
	const char *desc;
	const char *why;
	const char *before;
	const char *fault_at;
	bool kernel_mode;	/* a kernel-mode fault with mmap_lock contended */
	enum lf_window window;
	const char *window_map;	/* pages the window's VMA covers: '*' */
	enum lf_result result;
};

static const struct lf_row lf_rows[] = {
	{ .desc = "found", .result = LF_RESULT_FOUND,
	  .before   = "--AAAA--",
	  .fault_at = "   ^    " },
	{ .desc = "gap_below_plain_vma", .result = LF_RESULT_NONE,
	  .why = "only a VM_GROWSDOWN VMA grows to a faulting address below it",
	  .before   = "----AAAA",
	  .fault_at = "  ^     " },
	{ .desc = "above_every_vma", .result = LF_RESULT_NONE,
	  .before   = "AAAA----",
	  .fault_at = "      ^ " },
	{ .desc = "stack_grows", .result = LF_RESULT_GROWN,
	  .why = "mmap_lock is dropped, taken for write, the stack found again and grown, the lock downgraded",
	  .before   = "----SSSS",
	  .fault_at = "  ^     " },
	{ .desc = "window_stack_unmapped", .window = LF_WINDOW_UNMAP,
	  .result = LF_RESULT_NONE,
	  .why = "the stack found under the read lock is gone when the write lock is taken",
	  .before   = "----SSSS",
	  .fault_at = "  ^     " },
	{ .desc = "window_stack_replaced", .window = LF_WINDOW_REPLACE,
	  .result = LF_RESULT_NONE,
	  .why = "the VMA found again does not grow down: the stale stack must not be grown instead",
	  .before     = "----SSSS",
	  .fault_at   = "  ^     ",
	  .window_map = "    ****" },
	{ .desc = "window_page_mapped", .window = LF_WINDOW_MAP_ADDR,
	  .result = LF_RESULT_NEW,
	  .why = "the VMA found again contains the address: it is returned, nothing grows",
	  .before     = "----SSSS",
	  .fault_at   = "  ^     ",
	  .window_map = " ***    " },
	{ .desc = "kernel_mode_contended", .kernel_mode = true,
	  .result = LF_RESULT_NONE,
	  .why = "a kernel fault no exception table entry expects does not wait for mmap_lock",
	  .before   = "--AAAA--",
	  .fault_at = "   ^    " },
};

struct lf_ctx {
	const struct lf_row *row;
	struct mm_struct *mm;
	unsigned long addr;
	struct vh_break brk;
	struct vm_area_struct *got;
	unsigned long start, end;
	vm_flags_t flags;
	bool read_held;
	bool write_held;
};

static unsigned long lf_page(const char *picture, char c)
{
	const char *p = strchr(picture, c);

	return p ? VH_BASE + VH_PG(p - picture) : 0;
}

/* The faulting thread: it releases mmap_lock itself (lockdep: it is its). */
static void lf_fault(void *arg)
{
	struct lf_ctx *c = arg;
	struct pt_regs regs = { .vh_kernel_mode = c->row->kernel_mode };

	current->mm = c->mm;
	/*
	 * The trylock and the read unlock pass; stop before the write lock
	 * (upgrade_mmap_lock_carefully()).
	 */
	if (c->row->window != LF_WINDOW_NONE)
		vh_break_arm(&c->brk, &c->mm->mmap_lock, 2);
	c->got = lock_mm_and_find_vma(c->mm, c->addr, &regs);
	vh_break_disarm();
	/* What this task holds (lockdep), not what others hold. */
	c->write_held = READ_ONCE(c->mm->mmap_lock.owner) == current;
	c->read_held = !c->write_held &&
		       vh_rwsem_read_held_by_me(&c->mm->mmap_lock);
	if (c->got) {
		c->start = c->got->vm_start;
		c->end = c->got->vm_end;
		c->flags = c->got->vm_flags;
	}
	if (c->read_held)
		mmap_read_unlock(c->mm);
	else if (c->write_held)
		mmap_write_unlock(c->mm);
}

static int lf_map_picture(struct mm_struct *mm, const char *before)
{
	unsigned long s = lf_page(before, 'S');
	char plain[VH_LAYOUT_MAX + 1];
	size_t i, n = strlen(before);
	int err;

	for (i = 0; i < n && i < VH_LAYOUT_MAX; i++)
		plain[i] = before[i] == 'S' ? '-' : before[i];
	plain[i] = '\0';
	err = vh_map_layout(mm, plain);
	if (err || !s)
		return err;
	mmap_write_lock(mm);
	err = vh_map(mm, s, VH_BASE + VH_PG(strrchr(before, 'S') - before + 1),
		     VH_RW | VM_GROWSDOWN);
	mmap_write_unlock(mm);
	return err;
}

static void lf_window(struct lf_ctx *c)
{
	const struct lf_row *row = c->row;
	unsigned long s = lf_page(row->before, 'S');
	unsigned long e = VH_BASE + VH_PG(strrchr(row->before, 'S') -
					  row->before + 1);

	vh_break_wait(&c->brk);
	/* In the window: the faulting thread holds no mmap_lock. */
	VH_CHECK(!rwsem_is_locked(&c->mm->mmap_lock));
	mmap_write_lock(c->mm);
	VH_CHECK_EQ(vh_unmap(c->mm, s, e), 0);
	if (row->window_map)
		VH_CHECK_EQ(vh_map(c->mm, lf_page(row->window_map, '*'),
				   VH_BASE + VH_PG(strrchr(row->window_map,
							   '*') -
						   row->window_map + 1),
				   VH_RW), 0);
	mmap_write_unlock(c->mm);
	vh_break_resume(&c->brk);
}

static void lf_body(const struct lf_row *row)
{
	struct lf_ctx c = { .row = row, .addr = lf_page(row->fault_at, '^') };
	struct vm_area_struct *before, *now;
	struct vh_thread *t;

	vh_why(row->why);
	c.mm = vh_test_mm();
	VH_ASSERT_EQ(lf_map_picture(c.mm, row->before), 0);
	mmap_read_lock(c.mm);
	before = find_vma(c.mm, c.addr);
	mmap_read_unlock(c.mm);

	if (row->kernel_mode)
		mmap_write_lock(c.mm);
	t = vh_thread_start(lf_fault, &c);
	if (row->window != LF_WINDOW_NONE)
		lf_window(&c);
	vh_thread_join(t);
	if (row->kernel_mode)
		mmap_write_unlock(c.mm);

	if (c.got && !c.read_held)
		vh_fail(__FILE__, __LINE__,
			"lock_mm_and_find_vma() returned a VMA without mmap_lock held for read");
	if (!c.got && (c.read_held || c.write_held))
		vh_fail(__FILE__, __LINE__,
			"lock_mm_and_find_vma() returned NULL with mmap_lock held");
	VH_CHECK(!c.write_held);
	mmap_read_lock(c.mm);
	now = vma_lookup(c.mm, c.addr);
	mmap_read_unlock(c.mm);
	switch (row->result) {
	case LF_RESULT_NONE:
		if (c.got)
			vh_fail(__FILE__, __LINE__,
				"lock_mm_and_find_vma() returned [%#lx-%#lx) for %#lx: no VMA found again after the upgrade holds the address",
				c.start, c.end, c.addr);
		VH_CHECK(!now || row->window == LF_WINDOW_NONE);
		if (row->window == LF_WINDOW_REPLACE && now)
			vh_fail(__FILE__, __LINE__,
				"[%#lx-%#lx) was grown over %#lx after the upgrade: the stale VMA was used",
				now->vm_start, now->vm_end, c.addr);
		break;
	case LF_RESULT_FOUND:
		VH_CHECK(c.got == before);
		VH_CHECK(c.got && c.start == before->vm_start);
		break;
	case LF_RESULT_GROWN:
		VH_CHECK(c.got == before);
		VH_CHECK_EQ(c.start, c.addr);
		VH_CHECK(c.flags & VM_GROWSDOWN);
		VH_CHECK(now == c.got);
		break;
	case LF_RESULT_NEW:
		if (!c.got || c.got != now)
			vh_fail(__FILE__, __LINE__,
				"lock_mm_and_find_vma() returned %p [%#lx-%#lx), not the VMA at %#lx after the upgrade: the VMA found before mmap_lock was dropped was used",
				c.got, c.start, c.end, c.addr);
		VH_CHECK(now && !(now->vm_flags & VM_GROWSDOWN));
		VH_CHECK_EQ(c.start, lf_page(row->window_map, '*'));
		break;
	}
}

VH_TABLE(lock_mm_and_find_vma,
	 "mm/mmap_lock.c: lock_mm_and_find_vma() returns the VMA holding the address under mmap_read_lock(), or NULL unlocked; after dropping the read lock to grow a stack it looks the VMA up again",
	 lf_rows, lf_body);
