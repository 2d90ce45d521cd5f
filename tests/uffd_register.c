// SPDX-License-Identifier: GPL-2.0
/*
 * UFFDIO_REGISTER, UFFDIO_UNREGISTER and the release of a context, from
 * mm/userfaultfd.c in the tree: userfaultfd_register() ->
 * userfaultfd_register_range(), userfaultfd_unregister() and
 * userfaultfd_release_all() -> userfaultfd_clear_vma(), each under
 * mmap_write_lock().  Every VMA whose vm_userfaultfd_ctx and VM_UFFD_*
 * flags change is write-locked first: by vma_modify_flags_uffd() where it
 * splits or merges, and by userfaultfd_set_ctx()'s vma_start_write() in
 * every case, before vm_flags_reset() (the kernel's fix "lock before
 * vm_flags_reset()").  A reader holding one of those VMAs (a fault, a
 * UFFDIO_COPY) makes the change wait, and never sees it under its lock.
 *
 * The layout is "AAAA-BBBB-"; the test holds the reader's VMA lock with
 * lock_vma_under_rcu(), the change runs in a thread of its own and must
 * sleep until the reader lets go.
 */
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"
#include "../shared/env/uffd_api.h"

enum ur_op {
	UR_REGISTER,		/* UFFDIO_REGISTER of .range */
	UR_UNREGISTER,		/* UFFDIO_UNREGISTER of .range */
	UR_RELEASE,		/* close: userfaultfd_release_all() */
};

static const char *const ur_name[] = {
	[UR_REGISTER] = "UFFDIO_REGISTER",
	[UR_UNREGISTER] = "UFFDIO_UNREGISTER",
	[UR_RELEASE] = "the release of the userfaultfd",
};

struct ur_row {
	const char *desc;
	const char *why;
	enum ur_op op;
	const char *before;	/* registered before the operation ('*') */
	const char *range;	/* what the ioctl covers ('*') */
	int read_at;		/* the reader's page, or -1 */
	const char *after;	/* the layout after */
	const char *regd;	/* registered after ('*') */
	bool no_wait;		/* nothing changes: the reader holds up nothing */
};

static const struct ur_row ur_rows[] = {
	{ .desc = "register_whole_waits_for_reader", .op = UR_REGISTER,
	  .range   = "****      ",
	  .read_at = 1,
	  .after   = "AAAA-BBBB-",
	  .regd    = "****      ",
	  .why = "no split and no merge: userfaultfd_set_ctx()'s vma_start_write() is the only write lock, and it waits for the reader" },
	{ .desc = "register_part_waits_for_reader", .op = UR_REGISTER,
	  .range   = " **       ",
	  .read_at = 0,
	  .after   = "ABBC-DDDD-",
	  .regd    = " **       ",
	  .why = "split_vma() write-locks A before the new VMAs exist" },
	{ .desc = "register_both_waits_for_second", .op = UR_REGISTER,
	  .range   = "*********-",
	  .read_at = 6,
	  .after   = "AAAA-BBBB-",
	  .regd    = "**** **** ",
	  .why = "each VMA of the range is write-locked before its flags change: B's reader holds up B, after A is done" },
	{ .desc = "register_no_reader", .op = UR_REGISTER,
	  .range   = "*********-",
	  .read_at = -1,
	  .after   = "AAAA-BBBB-",
	  .regd    = "**** **** " },
	{ .desc = "reregister_same_mode_skips", .op = UR_REGISTER,
	  .before  = "****      ",
	  .range   = "****      ",
	  .read_at = 2,
	  .after   = "AAAA-BBBB-",
	  .regd    = "****      ", .no_wait = true,
	  .why = "already registered with this context and mode: userfaultfd_register_range() skips A and takes no lock" },
	{ .desc = "unregister_whole_waits_for_reader", .op = UR_UNREGISTER,
	  .before  = "****      ",
	  .range   = "****      ",
	  .read_at = 3,
	  .after   = "AAAA-BBBB-",
	  .regd    = "          ",
	  .why = "userfaultfd_clear_vma() -> userfaultfd_reset_ctx(): no split, so its vma_start_write() waits for the reader" },
	{ .desc = "unregister_part_waits_for_reader", .op = UR_UNREGISTER,
	  .before  = "****      ",
	  .range   = "  **      ",
	  .read_at = 0,
	  .after   = "AABB-CCCC-",
	  .regd    = "**        " },
	{ .desc = "unregister_merges_back", .op = UR_UNREGISTER,
	  .before  = "  **      ",
	  .range   = "  **      ",
	  .read_at = 2,
	  .after   = "AAAA-BBBB-",
	  .regd    = "          ",
	  .why = "the cleared VMA merges with A: vma_merge_existing_range() write-locks both" },
	{ .desc = "release_waits_for_reader", .op = UR_RELEASE,
	  .before  = "**** **** ",
	  .read_at = 5,
	  .after   = "AAAA-BBBB-",
	  .regd    = "          ",
	  .why = "userfaultfd_release_all() clears every VMA of the context, write-locking each" },
};

struct ur_ctx {
	const struct ur_row *row;
	struct mm_struct *mm;
	struct userfaultfd_ctx *uctx;
	int ret;
	int returned;
};

/* The ioctl on the pages [@first, @last) of the picture. */
static int ur_ioctl(struct ur_ctx *c, enum ur_op op, size_t first,
		    size_t last)
{
	unsigned long start = VH_BASE + VH_PG(first);
	unsigned long len = VH_PG(last - first);

	if (op == UR_REGISTER)
		return vh_uffd_register(c->uctx, start, len,
					UFFDIO_REGISTER_MODE_MISSING);
	return vh_uffd_unregister(c->uctx, start, len);
}

/* The ioctl on each run of '*' of @picture in turn; its first error. */
static int ur_ioctl_runs(struct ur_ctx *c, enum ur_op op, const char *picture)
{
	size_t i = 0, j;
	int err;

	while (picture[i]) {
		if (picture[i] != '*') {
			i++;
			continue;
		}
		for (j = i; picture[j] == '*'; j++)
			;
		err = ur_ioctl(c, op, i, j);
		if (err)
			return err;
		i = j;
	}
	return 0;
}

static void ur_changer(void *arg)
{
	struct ur_ctx *c = arg;
	const struct ur_row *row = c->row;

	current->mm = c->mm;
	if (row->op == UR_RELEASE) {
		vh_uffd_release(c->uctx);
		c->uctx = NULL;
	} else {
		c->ret = ur_ioctl_runs(c, row->op, row->range);
	}
	vh_flag_set(&c->returned, 1);
}

/* Which pages are registered (a context, VM_UFFD_MISSING), as a picture. */
static void ur_draw_regd(struct mm_struct *mm, char *buf, size_t len)
{
	size_t i;

	mmap_read_lock(mm);
	for (i = 0; i < len; i++) {
		struct vm_area_struct *vma = vma_lookup(mm, VH_BASE + VH_PG(i));
		bool regd = vma && vh_uffd_vma_ctx(vma) &&
			    (vma->vm_flags & VM_UFFD_MISSING);

		buf[i] = regd ? '*' : ' ';
	}
	buf[len] = 0;
	mmap_read_unlock(mm);
}

static void ur_body(const struct ur_row *row)
{
	struct ur_ctx *c = vh_test_alloc(sizeof(*c));
	char regd[VH_LAYOUT_MAX + 1];
	struct vm_area_struct *vma = NULL;
	vm_flags_t flags = 0;
	struct vh_thread *t;

	vh_why(row->why);
	c->row = row;
	c->mm = vh_test_mm();
	VH_ASSERT_EQ(vh_map_layout(c->mm, "AAAA-BBBB-"), 0);
	vh_test_uffd(c->mm, &c->uctx);
	if (row->before)
		VH_ASSERT_EQ(ur_ioctl_runs(c, UR_REGISTER, row->before), 0);

	if (row->read_at >= 0) {
		vma = lock_vma_under_rcu(c->mm, VH_BASE + VH_PG(row->read_at));
		VH_ASSERT_TRUE(vma);
		flags = vma->vm_flags;
	}
	t = vh_thread_start(ur_changer, c);
	if (vma) {
		struct userfaultfd_ctx *held = vh_uffd_vma_ctx(vma);
		bool slept = vh_wait_blocked(vh_thread_task(t), 0, &c->returned);

		if (!slept && !row->no_wait)
			VH_FAIL("mm/userfaultfd.c: %s returned while a reader held the VMA of page %d: each VMA whose userfaultfd flags change must be write-locked first (userfaultfd_set_ctx()'s vma_start_write() before vm_flags_reset())",
				ur_name[row->op], row->read_at);
		if (vma->vm_flags != flags || vh_uffd_vma_ctx(vma) != held)
			VH_FAIL("mm/userfaultfd.c: %s changed the flags (%#lx -> %#lx) or context of a VMA a reader holds",
				ur_name[row->op], flags, vma->vm_flags);
		if (row->no_wait)
			VH_EXPECT_FALSE_MSG(slept,
					    "re-registering a VMA in the same mode waited for its reader");
		vma_end_read(vma);
	}
	vh_thread_join(t);

	VH_EXPECT_EQ(c->ret, 0);
	VH_EXPECT_TRUE(vh_layout_is(c->mm, row->after));
	ur_draw_regd(c->mm, regd, strlen(row->regd));
	VH_EXPECT_STR_EQ(regd, row->regd);
	VH_EXPECT_FALSE(rwsem_is_locked(&c->mm->mmap_lock));
}

VH_TABLE(uffd_register,
	 "mm/userfaultfd.c: UFFDIO_REGISTER, UFFDIO_UNREGISTER and the release of a context write-lock each VMA before changing its vm_userfaultfd_ctx and VM_UFFD_* flags (userfaultfd_set_ctx(): vma_start_write() before vm_flags_reset()), so a reader holding the VMA makes them wait",
	 ur_rows, ur_body);
