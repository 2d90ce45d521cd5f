// SPDX-License-Identifier: GPL-2.0
/*
 * mm/mmap.c's callers of the VMA lock, compiled whole from the tree, each
 * against a lockless reader (lock_vma_under_rcu()) that holds the VMA the
 * operation changes, copies or frees: fork's dup_mmap(), exit_mmap(), brk
 * (vm_brk_flags()) and stack growth (expand_stack()).  Each takes
 * mmap_lock itself, as the tree has it; the reader's VMA must not change
 * under it, and the operation must wait for the reader first.
 *
 * fork: every parent VMA is write-locked before it is copied (fb49c455323f
 * "fork: lock VMAs of the parent process when forking": a fault under the
 * VMA lock during the copy corrupted the child); the child's copies are
 * attached once fork is done, and the parent's locks end with fork's
 * mmap_write_unlock().
 */
#include "vma_internal.h"
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"
#include "../shared/vma/sites.h"
#include <stdio.h>

enum mp_op {
	MP_OP_FORK,		/* dup_mmap(child, parent) */
	MP_OP_EXIT,		/* exit_mmap(mm) */
	MP_OP_BRK,		/* vm_brk_flags() growing the heap */
	MP_OP_STACK,		/* expand_stack() below a stack VMA */
};

struct mp_row {
	const char *desc;
	enum mp_op op;
	const char *before;	/* the address space, as a picture */
	int read_at;		/* the page the reader holds */
	int at, pages;		/* brk: where it grows and by how much */
	bool waits;		/* the operation must wait for the reader */
	const char *after;	/* the address space afterwards (NULL: empty) */
	const char *site;	/* the vma_start_write() site it must reach */
	const char *why;
};

static const struct mp_row mp_rows[] = {
	{ .desc = "fork_waits_for_reader_of_parent_vma", .op = MP_OP_FORK,
	  .before  = "AAAA--bbbb",
	  .read_at = 1,			/* in A */
	  .waits = true,
	  .after   = "AAAA--bbbb", .site = "dup_mmap(tmp)",
	  .why = "dup_mmap() write-locks each parent VMA before copying it" },
	{ .desc = "fork_waits_for_reader_of_last_vma", .op = MP_OP_FORK,
	  .before  = "AAAA--bbbb",
	  .read_at = 8,			/* in b */
	  .waits = true,
	  .after   = "AAAA--bbbb", .site = "dup_mmap(tmp)" },
	{ .desc = "exit_waits_for_reader", .op = MP_OP_EXIT,
	  .before  = "AAAA--bbbb",
	  .read_at = 2,
	  .waits = true,
	  .after   = NULL,
	  .why = "exit_mmap() detaches and frees every VMA: not one a reader holds" },
	{ .desc = "brk_expand_waits_for_reader", .op = MP_OP_BRK,
	  .before  = "AAAA",
	  .read_at = 1, .at = 4, .pages = 2,
	  .waits = true,
	  .after   = "AAAAAA",
	  .why = "vm_brk_flags() expands the brk VMA in place (vma_expand())" },
	{ .desc = "brk_elsewhere_does_not_wait", .op = MP_OP_BRK,
	  .before  = "AAAA",
	  .read_at = 1, .at = 6, .pages = 2,
	  .waits = false,
	  .after   = "AAAA--BB" },
	{ .desc = "stack_growth_waits_for_reader", .op = MP_OP_STACK,
	  .before  = "----SSSS",	/* S: VM_GROWSDOWN */
	  .read_at = 5, .at = 2,
	  .waits = true,
	  .after   = "--SSSSSS",
	  .why = "expand_stack() moves the stack VMA's start under its write lock" },
};

struct mp_ctx {
	const struct mp_row *row;
	struct mm_struct *mm, *child;
	int ret;
	int done;
};

static void mp_writer(void *arg)
{
	struct mp_ctx *c = arg;
	const struct mp_row *row = c->row;
	struct vm_area_struct *vma;

	current->mm = c->mm;
	switch (row->op) {
	case MP_OP_FORK:
		c->ret = dup_mmap(c->child, c->mm);
		break;
	case MP_OP_EXIT:
		exit_mmap(c->mm);
		break;
	case MP_OP_BRK:
		c->mm->brk = VH_BASE + VH_PG(row->at);
		c->ret = vm_brk_flags(VH_BASE + VH_PG(row->at),
				      VH_PG(row->pages), false);
		break;
	case MP_OP_STACK:
		mmap_read_lock(c->mm);
		vma = expand_stack(c->mm, VH_BASE + VH_PG(row->at));
		c->ret = vma ? 0 : -ENOMEM;
		if (vma)
			mmap_read_unlock(c->mm);
		break;
	}
	__atomic_store_n(&c->done, 1, __ATOMIC_SEQ_CST);
}

static void mp_setup(struct mp_ctx *c)
{
	const struct mp_row *row = c->row;
	struct vm_area_struct *vma;

	if (row->op != MP_OP_BRK && row->op != MP_OP_STACK)
		VH_ASSERT_EQ(vh_map_layout(c->mm, row->before), 0);
	mmap_write_lock(c->mm);
	current->mm = c->mm;
	if (row->op == MP_OP_BRK) {
		/* The heap, as brk() made it: [0, 4). */
		c->mm->start_brk = VH_BASE;
		VH_CHECK_EQ(vh_brk(c->mm, VH_BASE, VH_PG(4)), 0);
	}
	if (row->op == MP_OP_STACK) {
		/* A stack VMA [4, 8) that has been faulted in. */
		VH_CHECK_EQ(vh_map(c->mm, VH_BASE + VH_PG(4),
				   VH_BASE + VH_PG(8), VH_RW | VM_GROWSDOWN),
			    0);
		vma = vma_lookup(c->mm, VH_BASE + VH_PG(4));
		vma_start_write(vma);
		VH_CHECK_EQ(anon_vma_prepare(vma), 0);
	}
	mmap_write_unlock(c->mm);
	VH_ASSERT(vh_layout_is(c->mm, row->before));
}

/* The child of a fork: the parent's layout, every copy attached. */
static void mp_check_child(struct mp_ctx *c)
{
	VH_CHECK(vh_fork_child_is(c->child, c->row->after));
}

static void mp_body(const struct mp_row *row)
{
	struct mp_ctx c = { .row = row, .mm = vh_test_mm() };
	struct vm_area_struct *vma, *again;
	struct vh_vma_snap before;
	struct vh_thread *w;

	if (row->op == MP_OP_FORK)
		c.child = vh_test_mm();
	mp_setup(&c);
	vma = lock_vma_under_rcu(c.mm, VH_BASE + VH_PG(row->read_at));
	VH_ASSERT(vma);
	vh_vma_snap(vma, &before);

	w = vh_thread_start(mp_writer, &c);
	vh_writer_vs_reader(w, &c.done, vma, &before, row->waits);
	vma_end_read(vma);
	vh_thread_join(w);

	VH_CHECK_EQ(c.ret, 0);
	if (row->site && vh_site_exists(row->site) &&
	    !vh_site_reached(row->site))
		vh_fail(__FILE__, __LINE__,
			"did not reach vma_start_write() in %s", row->site);
	if (row->op == MP_OP_EXIT) {
		VH_CHECK(mtree_empty(&c.mm->mm_mt));
		/* The mm is freed next; exit_mmap() leaves its count be. */
		c.mm->map_count = 0;
		return;
	}
	VH_CHECK(vh_layout_is(c.mm, row->after));
	if (row->op == MP_OP_FORK) {
		mp_check_child(&c);
		/* fork's mmap_write_unlock() ended the parent's VMA locks. */
		again = lock_vma_under_rcu(c.mm, VH_BASE + VH_PG(row->read_at));
		if (!again)
			vh_fail(__FILE__, __LINE__,
				"a parent VMA stays write-locked after fork returned");
		else
			vma_end_read(again);
	}
}

#define MP_RULE "mm/mmap.c: fork, exit, brk and stack growth write-lock a VMA before they copy, free or change it: a lockless reader holding it makes them wait and sees no change"

VH_TABLE(mmap_path, MP_RULE, mp_rows, mp_body);

static void __attribute__((constructor)) mp_declare(void)
{
	char name[128];
	size_t r;

	for (r = 0; r < ARRAY_SIZE(mp_rows); r++) {
		if (!mp_rows[r].site)
			continue;
		snprintf(name, sizeof(name), "mmap_path.%s", mp_rows[r].desc);
		vh_site_declare(mp_rows[r].site, name);
	}
}
