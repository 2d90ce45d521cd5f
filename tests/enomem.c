// SPDX-License-Identifier: GPL-2.0
/*
 * Operations of mm/vma.c that fail with -ENOMEM: on an allocation, as
 * CONFIG_FAILSLAB makes them fail (vh_failslab(): the nth VMA allocated
 * from now is not), or because the mm would have more VMAs than
 * vm.max_map_count allows.
 * The error paths undo what was done: VMAs a munmap() had already
 * write-locked and detached are attached again (reattach_vmas()); those a
 * MAP_FIXED mmap() replaces are unmapped for good once their page tables
 * are gone (vms_abort_munmap_vmas()); nothing half-made stays in the tree.  Afterwards every VMA is attached with no reader left
 * (vm_refcnt 1), a lockless reader gets each one again once the mmap write
 * lock is dropped, and the address space is the picture the row expects.
 *
 * While the failing operation runs, a lockless reader holds the VMA it
 * detaches first, where the row says so: the writer must wait for it
 * (vma_start_write() sleeps), and the reader's VMA must not change.
 */
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"
#include "../shared/env/env.h"
#include <errno.h>
#include <string.h>

enum en_op {
	EN_OP_MUNMAP,		/* munmap() of the range */
	EN_OP_MAP,		/* mmap(MAP_FIXED) of the range, read-write */
	EN_OP_PROTECT,		/* mprotect() of the range, read-only */
	EN_OP_BRK,		/* brk() growing into the range */
	EN_OP_COPY,		/* copy_vma() of the first VMA to the range */
	EN_OP_SPECIAL,		/* __install_special_mapping() of the range */
};

struct en_row {
	const char *desc;
	const char *why;
	const char *before;	/* the address space */
	const char *range;	/* '*': what the operation covers */
	enum en_op op;
	unsigned int fail_nth;	/* this VMA allocation fails */
	int max_map_count;	/* sysctl_max_map_count for the row, or 0 */
	const char *read_at;	/* '^': the page a reader holds, or NULL */
	const char *after;	/* the address space afterwards */
};

static const struct en_row en_rows[] = {
	{ .desc = "munmap_end_split_fails_reattaches", .op = EN_OP_MUNMAP,
	  .before = "AAAAbbbb",
	  .range  = "******  ",
	  .fail_nth = 1,
	  .after  = "AAAAbbbb",
	  .why = "A is write-locked and detached before b's split fails: reattach_vmas() must attach it again" },
	{ .desc = "munmap_fails_reader_waited", .op = EN_OP_MUNMAP,
	  .before = "AAAAbbbb",
	  .range  = "******  ",
	  .read_at = " ^      ",
	  .fail_nth = 1,
	  .after  = "AAAAbbbb" },
	{ .desc = "munmap_start_split_fails", .op = EN_OP_MUNMAP,
	  .before = "AAAAbbbb",
	  .range  = "  ****  ",
	  .fail_nth = 1,
	  .after  = "AAAAbbbb" },
	{ .desc = "munmap_second_split_fails", .op = EN_OP_MUNMAP,
	  .before = "AAAAbbbb",
	  .range  = "  ****  ",
	  .fail_nth = 2,
	  .after  = "AACCbbbb",
	  .why = "the first split stays (mm/vma.c does not undo it), the part detached is attached again" },
	{ .desc = "map_fixed_over_vma_fails_leaves_gap", .op = EN_OP_MAP,
	  .before = "aaaa----",
	  .range  = "****    ",
	  .fail_nth = 1,
	  .after  = "--------",
	  .why = "the old VMA's page tables are already cleared (vms_clean_up_area()), so vms_abort_munmap_vmas() completes the unmap and leaves a gap, as mm/vma.c documents" },
	{ .desc = "map_fixed_fails_reader_waited", .op = EN_OP_MAP,
	  .before = "aaaa----",
	  .range  = "****    ",
	  .read_at = "  ^     ",
	  .fail_nth = 1,
	  .after  = "--------" },
	{ .desc = "map_new_vma_fails", .op = EN_OP_MAP,
	  .before = "aaaa----",
	  .range  = "     ** ",
	  .fail_nth = 1,
	  .after  = "aaaa----" },
	{ .desc = "munmap_split_over_max_map_count", .op = EN_OP_MUNMAP,
	  .before = "AAAAAAAA",
	  .range  = "  **    ",
	  .max_map_count = 1,
	  .after  = "AAAAAAAA",
	  .why = "unmapping the middle would make 2 VMAs of 1, and vm.max_map_count is 1" },
	{ .desc = "protect_split_over_max_map_count", .op = EN_OP_PROTECT,
	  .before = "AAAAAAAA",
	  .range  = "  **    ",
	  .max_map_count = 1,
	  .after  = "AAAAAAAA" },
	{ .desc = "brk_over_max_map_count", .op = EN_OP_BRK,
	  .before = "aaaa-b--",
	  .range  = "      **",
	  .max_map_count = 1,
	  .after  = "aaaa-b--",
	  .why = "do_brk_flags() refuses once the mm has more VMAs than vm.max_map_count" },
	{ .desc = "protect_split_fails", .op = EN_OP_PROTECT,
	  .before = "AAAAAAAA",
	  .range  = "  ****  ",
	  .fail_nth = 1,
	  .after  = "AAAAAAAA" },
	{ .desc = "brk_new_vma_fails", .op = EN_OP_BRK,
	  .before = "aaaa----",
	  .range  = "     ***",
	  .fail_nth = 1,
	  .after  = "aaaa----" },
	{ .desc = "copy_vma_fails", .op = EN_OP_COPY,
	  .before = "AAAA------",
	  .range  = "     *    ",
	  .fail_nth = 1,
	  .after  = "AAAA------",
	  .why = "copy_vma() of A to page 5 cannot merge: the new VMA is not allocated and nothing is linked" },
#ifdef VH_HAVE_INSTALL_SPECIAL_MAPPING	/* in mm/vma.c since 7.3 */
	{ .desc = "special_mapping_fails", .op = EN_OP_SPECIAL,
	  .before = "AAAA----",
	  .range  = "     ** ",
	  .fail_nth = 1,
	  .after  = "AAAA----" },
	{ .desc = "special_mapping_overlap_fails", .op = EN_OP_SPECIAL,
	  .before = "AAAA----",
	  .range  = "   **   ",
	  .fail_nth = 0,
	  .after  = "AAAA----",
	  .why = "insert_vm_struct() refuses a range that is mapped: -ENOMEM, the new VMA freed" },
#endif
};

#ifdef VH_HAVE_INSTALL_SPECIAL_MAPPING
static const struct vm_operations_struct en_special_ops;
#endif

static void en_restore_max_map_count(void *arg)
{
	sysctl_max_map_count = (int)(long)arg;
}

struct en_ctx {
	const struct en_row *row;
	struct mm_struct *mm;
	unsigned long start, end;
	int ret;
	int done;
};

static int en_op(struct en_ctx *c)
{
	struct mm_struct *mm = c->mm;
	unsigned long start = c->start, end = c->end;
	struct vm_area_struct *vma, *new;
	bool need_rmap_locks;

	switch (c->row->op) {
	case EN_OP_MUNMAP:
		return vh_unmap(mm, start, end);
	case EN_OP_MAP:
		return vh_map(mm, start, end, VH_RW);
	case EN_OP_PROTECT:
		return vh_protect(mm, start, end, VM_READ);
	case EN_OP_BRK:
		return vh_brk(mm, start, end - start);
	case EN_OP_COPY:
		vma = vma_lookup(mm, VH_BASE);
		if (!vma)
			return -EFAULT;
		new = vh_copy_vma(&vma, start, vma->vm_end - vma->vm_start,
				  start >> PAGE_SHIFT, &need_rmap_locks);
		return new ? 0 : -ENOMEM;
	case EN_OP_SPECIAL:
#ifdef VH_HAVE_INSTALL_SPECIAL_MAPPING
		new = __install_special_mapping(mm, start, end - start,
						VM_READ | VM_MAYREAD, NULL,
						&en_special_ops);
		return IS_ERR(new) ? PTR_ERR(new) : 0;
#else
		break;
#endif
	}
	return -EINVAL;
}

static void en_writer(void *arg)
{
	struct en_ctx *c = arg;

	mmap_write_lock(c->mm);
	current->mm = c->mm;
	vh_failslab(vh_vma_cache(), c->row->fail_nth);
	c->ret = en_op(c);
	vh_failslab(vh_vma_cache(), 0);
	mmap_write_unlock(c->mm);
	vh_flag_set(&c->done, 1);
}

/* After the failed operation: every VMA attached, unheld, readable. */
static void en_check_vmas(struct mm_struct *mm)
{
	struct vm_area_struct *vma, *got;
	unsigned long start[VH_LAYOUT_MAX];
	int i, n = 0;
	VMA_ITERATOR(vmi, mm, 0);

	mmap_read_lock(mm);
	for_each_vma(vmi, vma) {
		if (!vma_is_attached(vma) ||
		    refcount_read(&vma->vm_refcnt) != 1) {
			VH_FAIL("VMA [page %lu, page %lu) left with vm_refcnt %#x after the failure: not attached (1) with no reader",
				(vma->vm_start - VH_BASE) / PAGE_SIZE,
				(vma->vm_end - VH_BASE) / PAGE_SIZE,
				refcount_read(&vma->vm_refcnt));
			/* A lockless reader would retry on it for ever. */
			continue;
		}
		if (n < VH_LAYOUT_MAX)
			start[n++] = vma->vm_start;
	}
	mmap_read_unlock(mm);

	for (i = 0; i < n; i++) {
		got = lock_vma_under_rcu(mm, start[i]);
		if (!got) {
			VH_FAIL("a lockless reader cannot get the VMA at page %lu after the failed operation",
				(start[i] - VH_BASE) / PAGE_SIZE);
			continue;
		}
		VH_EXPECT_EQ(got->vm_start, start[i]);
		vma_end_read(got);
	}
}

static void en_body(const struct en_row *row)
{
	struct en_ctx c = { .row = row };
	struct vm_area_struct *held = NULL;
	struct vh_vma_snap snap, now;
	unsigned long at = 0, end;
	struct vh_thread *t;

	c.mm = vh_test_mm();
	VH_ASSERT_EQ(vh_map_layout(c.mm, row->before), 0);
	if (row->max_map_count) {
		vh_defer(en_restore_max_map_count,
			 (void *)(long)sysctl_max_map_count);
		sysctl_max_map_count = row->max_map_count;
	}
	VH_ASSERT_TRUE(vh_layout_span(row->range, '*', &c.start, &c.end));

	if (row->read_at) {
		VH_ASSERT_TRUE(vh_layout_span(row->read_at, '^', &at, &end));
		held = lock_vma_under_rcu(c.mm, at);
		VH_ASSERT_TRUE(held);
		vh_vma_snap(held, &snap);
	}
	t = vh_thread_start(en_writer, &c);
	if (held) {
		/* The writer must wait for the reader's VMA. */
		if (!vh_wait_blocked(vh_thread_task(t), 0, &c.done))
			VH_FAIL("the failing operation went on while a reader held the VMA at page %lu",
				(at - VH_BASE) / PAGE_SIZE);
		vh_vma_snap(held, &now);
		if (!vh_vma_snap_same(&snap, &now))
			VH_FAIL("the VMA the reader holds changed under it");
		vma_end_read(held);
	}
	vh_thread_join(t);

	VH_EXPECT_EQ(c.ret, -ENOMEM);
	VH_EXPECT_TRUE(vh_layout_is(c.mm, row->after));
	en_check_vmas(c.mm);
}

VH_TABLE(enomem,
	 "mm/vma.c, mm/mmap.c: an operation that fails with -ENOMEM (allocation, vm.max_map_count) leaves every VMA it had write-locked or detached attached again, unheld, unchanged where it did not finish, and available to lockless readers",
	 en_rows, en_body);
