// SPDX-License-Identifier: GPL-2.0
/*
 * Every path of mm/vma.c and mm/vma_exec.c that write-locks a VMA, driven
 * through its real entry point while a lockless reader holds the VMA it
 * changes, or tries the VMA it creates:
 *
 *  - a reader holds the VMA the operation changes (lock_vma_under_rcu(),
 *    lock_next_vma() or vma_start_read_unlocked()): the writer must wait
 *    for it (it sleeps in vma_start_write()), and the VMA must not change
 *    (range, offset, flags, anon_vma, mm, file) until vma_end_read();
 *  - once the operation returned, while its mmap write section is still
 *    open, every VMA it created or changed must be write-locked: a lockless
 *    reader trying it gets nothing.
 *
 * Each row names the vma_start_write() call sites it drives (as
 * "function(argument)", see shared/vma/sites.h) and checks that it reached
 * them; ./vma --list -v prints the table of sites and rows.  A path that
 * forgets its vma_start_write() lets the writer through while the reader
 * holds the VMA, or lets a reader in during the write section.
 */
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"
#include "../shared/vma/sites.h"
#include <errno.h>
#include <string.h>

enum wp_op {
	WP_OP_BRK,		/* do_brk_flags() at page a, b pages (sys_brk()) */
	WP_OP_STACK_GROW,	/* expand_downwards() of the VMA at a, to page b */
	WP_OP_RELOCATE,		/* relocate_vma_down() of the VMA at a, by b pages */
	WP_OP_SHRINK,		/* vma_shrink() of the VMA at a, to end at page b */
	WP_OP_TAKE_ALL,		/* mm_take_all_locks(), mm_drop_all_locks() */
	WP_OP_COPY,		/* copy_vma() of the VMA at a to page b (mremap) */
	WP_OP_EXTEND,		/* vma_merge_extend() of the VMA at a by b pages */
	WP_OP_INSERT,		/* insert_vm_struct() of a new VMA [a, b) */
	WP_OP_NAME,		/* vma_modify_name() of [a, b) */
	WP_OP_POLICY,		/* vma_modify_policy() of [a, b) */
	WP_OP_UFFD,		/* vma_modify_flags_uffd() of [a, b) */
	WP_OP_MAP,		/* mmap() of [a, b), read-write */
	WP_OP_UNMAP,		/* munmap() of [a, b) */
	WP_OP_PROTECT,		/* mprotect() of [a, b) read-write */
};

enum wp_reader { WP_READER_LOOKUP, WP_READER_NEXT, WP_READER_UNLOCKED };

/* Layout: [start, end) in pages from VH_BASE, and how it is made. */
#define WP_HOW_BRK	0x1	/* made by do_brk_flags() (a brk area) */
#define WP_HOW_STACK	0x2	/* VM_GROWSDOWN, anon_vma prepared */
#define WP_HOW_RO	0x4	/* read-only (no merge with read-write) */
struct wp_map {
	unsigned long start, end;
	unsigned int how;
};

#define WP_NONE		~0UL

struct wp_row {
	const char *desc;
	const char *why;
	struct wp_map map[3];
	enum wp_reader reader;
	unsigned long read_at;		/* page the reader holds, or WP_NONE */
	enum wp_op op;
	unsigned long a, b;
	bool waits;			/* the operation must wait for it */
	/* Pages [probe[0], probe[1]) must be write-locked after it. */
	unsigned long probe[2];
	const char *sites[3];		/* vma_start_write() sites it drives */
	int map_count;			/* VMAs afterwards */
};

#define PG(n)		(VH_BASE + VH_PG(n))

static const struct wp_row wp_rows[] = {
	/* brk: the brk area grows (vma_expand() of prev), or a new VMA. */
	{
		.desc = "brk_expand",
		.map = { { .start = 0, .end = 4, .how = WP_HOW_BRK } },
		.reader = WP_READER_LOOKUP, .read_at = 1,
		.op = WP_OP_BRK, .a = 4, .b = 4, .waits = true,
		.probe = { 0, 8 },
		.sites = { "vma_expand(target)" },
		.map_count = 1,
	},
	{
		.desc = "brk_expand_next_walk",
		.map = { { .start = 0, .end = 4, .how = WP_HOW_BRK } },
		.reader = WP_READER_NEXT, .read_at = 2,
		.op = WP_OP_BRK, .a = 4, .b = 2, .waits = true,
		.probe = { 0, 6 },
		.sites = { "vma_expand(target)" },
		.map_count = 1,
	},
	{
		.desc = "brk_new_vma",
		.map = { { .start = 0, .end = 4 } },
		.reader = WP_READER_LOOKUP, .read_at = 1,
		.op = WP_OP_BRK, .a = 8, .b = 4, .waits = false,
		.probe = { 8, 12 },
		.sites = { "do_brk_flags(vma)" },
		.map_count = 2,
	},
	/* Stack growth: the stack VMA grows down. */
	{
		.desc = "stack_grows_down",
		.map = { { .start = 8, .end = 16, .how = WP_HOW_STACK } },
		.reader = WP_READER_LOOKUP, .read_at = 12,
		.op = WP_OP_STACK_GROW, .a = 8, .b = 4, .waits = true,
		.probe = { 4, 16 },
		.sites = { "expand_downwards(vma)" },
		.map_count = 1,
	},
	/* exec: the stack is moved down, expanded then shrunk. */
	{
		.desc = "exec_stack_relocated",
		.map = { { .start = 16, .end = 24, .how = WP_HOW_STACK } },
		.reader = WP_READER_LOOKUP, .read_at = 20,
		.op = WP_OP_RELOCATE, .a = 16, .b = 8, .waits = true,
		.probe = { 8, 24 },
		.sites = { "vma_expand(target)", "vma_shrink(vma)" },
		.map_count = 1,
	},
	{
		.desc = "vma_shrink",
		.map = { { .start = 0, .end = 8 } },
		.reader = WP_READER_LOOKUP, .read_at = 2,
		.op = WP_OP_SHRINK, .a = 0, .b = 4, .waits = true,
		.probe = { 0, 8 },
		.sites = { "vma_shrink(vma)" },
		.map_count = 1,
	},
	/* mm_take_all_locks() write-locks every VMA. */
	{
		.desc = "take_all_locks",
		.map = {
			{ .start = 0, .end = 4 },
			{ .start = 6, .end = 8 },
			{ .start = 10, .end = 12 },
		},
		.reader = WP_READER_LOOKUP, .read_at = 7,
		.op = WP_OP_TAKE_ALL, .a = 0, .b = 0, .waits = true,
		.probe = { 0, 12 },
		.sites = { "mm_take_all_locks(vma)" },
		.map_count = 3,
	},
	/* mremap: copied next to a VMA it merges with, or to a new VMA. */
	{
		.desc = "mremap_copy_merges",
		.map = {
			{ .start = 0, .end = 4 },
			{ .start = 12, .end = 16 },
		},
		.reader = WP_READER_LOOKUP, .read_at = 13,
		.op = WP_OP_COPY, .a = 0, .b = 16, .waits = true,
		.probe = { 12, 20 },
		.sites = { "vma_expand(target)" },
		.map_count = 2,
	},
	{
		.desc = "mremap_copy_new_vma",
		.map = { { .start = 0, .end = 4 } },
		.reader = WP_READER_LOOKUP, .read_at = 1,
		.op = WP_OP_COPY, .a = 0, .b = 16, .waits = false,
		.probe = { 16, 20 },
		.sites = { "vma_link(vma)" },
		.map_count = 2,
	},
	{
		.desc = "mremap_expand_in_place",
		.map = { { .start = 0, .end = 4 } },
		.reader = WP_READER_LOOKUP, .read_at = 2,
		.op = WP_OP_EXTEND, .a = 0, .b = 4, .waits = true,
		.probe = { 0, 8 },
		.sites = { "vma_expand(target)" },
		.map_count = 1,
	},
	/* insert_vm_struct() (exec's stack, special mappings): vma_link(). */
	{
		.desc = "insert_vm_struct",
		.map = { { .start = 0, .end = 4 } },
		.reader = WP_READER_LOOKUP, .read_at = 1,
		.op = WP_OP_INSERT, .a = 8, .b = 12, .waits = false,
		.probe = { 8, 12 },
		.sites = { "vma_link(vma)" },
		.map_count = 2,
	},
	/* The vma_modify_*() family: each splits the reader's VMA. */
	{
		.desc = "modify_name_split",
		.map = { { .start = 0, .end = 8 } },
		.reader = WP_READER_LOOKUP, .read_at = 1,
		.op = WP_OP_NAME, .a = 2, .b = 4, .waits = true,
		.probe = { 0, 8 },
		.sites = { "__split_vma(vma)", "__split_vma(new)" },
		.map_count = 3,
	},
	{
		.desc = "modify_policy_split",
		.map = { { .start = 0, .end = 8 } },
		.reader = WP_READER_NEXT, .read_at = 6,
		.op = WP_OP_POLICY, .a = 2, .b = 4, .waits = true,
		.probe = { 0, 8 },
		.sites = { "__split_vma(vma)", "__split_vma(new)" },
		.map_count = 3,
	},
	{
		.desc = "modify_uffd_split",
		.map = { { .start = 0, .end = 8 } },
		.reader = WP_READER_LOOKUP, .read_at = 5,
		.op = WP_OP_UFFD, .a = 4, .b = 8, .waits = true,
		.probe = { 0, 8 },
		.sites = { "__split_vma(vma)" },
		.map_count = 2,
	},
	/* mmap(), munmap(), mprotect() (more of them: tests/stability.c). */
	{
		.desc = "mmap_new_vma",
		.map = { { .start = 0, .end = 4 } },
		.reader = WP_READER_LOOKUP, .read_at = 1,
		.op = WP_OP_MAP, .a = 8, .b = 12, .waits = false,
		.probe = { 8, 12 },
		.sites = { "__mmap_new_vma(vma)" },
		.map_count = 2,
	},
	{
		.desc = "mmap_fills_gap_next_removed",
		.map = {
			{ .start = 0, .end = 2 },
			{ .start = 6, .end = 8 },
		},
		.reader = WP_READER_LOOKUP, .read_at = 7,
		.op = WP_OP_MAP, .a = 2, .b = 6, .waits = true,
		.probe = { 0, 8 },
		.sites = { "vma_expand(target)", "vma_expand(next)" },
		.map_count = 1,
	},
	{
		.desc = "munmap_spanning_two",
		.map = {
			{ .start = 0, .end = 4 },
			{ .start = 4, .end = 8, .how = WP_HOW_RO },
		},
		.reader = WP_READER_NEXT, .read_at = 5,
		.op = WP_OP_UNMAP, .a = 2, .b = 6, .waits = true,
		.probe = { 0, 8 },
		.sites = { "vms_gather_munmap_vmas(next)", "__split_vma(vma)" },
		.map_count = 2,
	},
	{
		.desc = "mprotect_merge_into_next",
		.map = {
			{ .start = 0, .end = 4, .how = WP_HOW_RO },
			{ .start = 4, .end = 8 },
		},
		.reader = WP_READER_LOOKUP, .read_at = 5,
		.op = WP_OP_PROTECT, .a = 0, .b = 4, .waits = true,
		.probe = { 0, 8 },
		.sites = { "vma_merge_existing_range(middle)",
			   "vma_merge_existing_range(next)" },
		.map_count = 1,
	},
	{
		.desc = "mprotect_merge_into_prev",
		.map = {
			{ .start = 0, .end = 4 },
			{ .start = 4, .end = 8, .how = WP_HOW_RO },
		},
		.reader = WP_READER_LOOKUP, .read_at = 1,
		.op = WP_OP_PROTECT, .a = 4, .b = 8, .waits = true,
		.probe = { 0, 8 },
		.sites = { "vma_merge_existing_range(middle)",
			   "vma_merge_existing_range(prev)" },
		.map_count = 1,
	},
};

struct wp_ctx {
	const struct wp_row *row;
	struct mm_struct *mm;
	int ret;
	int done;			/* the operation returned */
	struct vh_event opdone;		/* ... likewise */
	struct vh_event probed;		/* the test tried the VMAs */
};

/* mprotect()-style positioning for the vma_modify_*() calls. */
static struct vm_area_struct *wp_find(struct vma_iterator *vmi,
				      unsigned long start, unsigned long end,
				      struct vm_area_struct **prev)
{
	struct vm_area_struct *vma = vma_find(vmi, end);

	if (!vma)
		return NULL;
	*prev = vma_prev(vmi);
	if (start > vma->vm_start)
		*prev = vma;
	return vma_find(vmi, end);
}

static int wp_modify(struct wp_ctx *c, unsigned long start, unsigned long end)
{
	VMA_ITERATOR(vmi, c->mm, start);
	struct vm_area_struct *vma, *prev = NULL;
	vma_flags_t flags;

	vma = wp_find(&vmi, start, end, &prev);
	if (!vma)
		return -ENOMEM;
	switch (c->row->op) {
	case WP_OP_NAME:
		vma = vma_modify_name(&vmi, prev, vma, start, end, NULL);
		break;
	case WP_OP_POLICY:
		vma = vma_modify_policy(&vmi, prev, vma, start, end, NULL);
		break;
	default:
		flags = vma->flags;
		vma = vma_modify_flags_uffd(&vmi, prev, vma, start, end,
					    &flags, NULL_VM_UFFD_CTX, false);
		break;
	}
	return IS_ERR(vma) ? PTR_ERR(vma) : 0;
}

static int wp_op(struct wp_ctx *c)
{
	const struct wp_row *row = c->row;
	struct mm_struct *mm = c->mm;
	struct vm_area_struct *vma = vma_lookup(mm, PG(row->a)), *new;
	bool need_rmap_locks;
	int ret;

	switch (row->op) {
	case WP_OP_BRK:
		return vh_brk(mm, PG(row->a), VH_PG(row->b));
	case WP_OP_STACK_GROW:
		return expand_downwards(vma, PG(row->b));
	case WP_OP_RELOCATE:
		return relocate_vma_down(vma, VH_PG(row->b));
	case WP_OP_SHRINK: {
		VMA_ITERATOR(vmi, mm, vma->vm_start);

#ifdef VH_HAVE_VMA_SHRINK_END
		return vma_shrink(&vmi, vma, PG(row->b));
#else
		return vma_shrink(&vmi, vma, vma->vm_start, PG(row->b),
				  vma->vm_pgoff);
#endif
	}
	case WP_OP_TAKE_ALL:
		ret = mm_take_all_locks(mm);
		if (!ret)
			mm_drop_all_locks(mm);
		return ret;
	case WP_OP_COPY:
		new = vh_copy_vma(&vma, PG(row->b),
				  vma->vm_end - vma->vm_start, vma->vm_pgoff,
				  &need_rmap_locks);
		if (!new)
			return -ENOMEM;
		/* mremap's accounting (vrm_stat_account()). */
		vm_stat_account(mm, vma->vm_flags, vma_pages(vma));
		return 0;
	case WP_OP_EXTEND: {
		VMA_ITERATOR(vmi, mm, vma->vm_end);

		new = vma_merge_extend(&vmi, vma, VH_PG(row->b));
		if (new != vma)
			return -ENOMEM;
		vm_stat_account(mm, vma->vm_flags, row->b);
		return 0;
	}
	case WP_OP_INSERT:
		new = vm_area_alloc(mm);
		if (!new)
			return -ENOMEM;
		/* As exec's __bprm_mm_init() sets up its stack VMA. */
		new->vm_start = PG(row->a);
		new->vm_end = PG(row->b);
		vm_flags_init(new, VH_RW);
		vma_set_anonymous(new);
		ret = insert_vm_struct(mm, new);
		if (ret)
			vm_area_free(new);
		else	/* as _install_special_mapping() */
			vm_stat_account(mm, new->vm_flags, vma_pages(new));
		return ret;
	case WP_OP_MAP:
		return vh_map(mm, PG(row->a), PG(row->b), VH_RW);
	case WP_OP_UNMAP:
		return vh_unmap(mm, PG(row->a), PG(row->b));
	case WP_OP_PROTECT:
		return vh_protect(mm, PG(row->a), PG(row->b), VH_PROT_RW);
	default:
		return wp_modify(c, PG(row->a), PG(row->b));
	}
}

static void wp_writer(void *arg)
{
	struct wp_ctx *c = arg;

	mmap_write_lock(c->mm);
	current->mm = c->mm;
	c->ret = wp_op(c);
	vh_flag_set(&c->done, 1);
	vh_event_signal(&c->opdone);
	/* The write section stays open while the test tries the VMAs. */
	vh_event_wait(&c->probed);
	mmap_write_unlock(c->mm);
}

/* The reader: hold the VMA containing @addr, by the row's way. */
static struct vm_area_struct *wp_read(struct wp_ctx *c, unsigned long addr)
{
	struct vm_area_struct *vma = NULL, *v;
	unsigned long from = 0;
	VMA_ITERATOR(vmi, c->mm, 0);

	switch (c->row->reader) {
	case WP_READER_LOOKUP:
		return lock_vma_under_rcu(c->mm, addr);
	case WP_READER_UNLOCKED:
		return vh_start_read_unlocked(c->mm, addr);
	case WP_READER_NEXT:
		/* As /proc/pid/maps: each VMA released before the next. */
		rcu_read_lock();
		while ((v = lock_next_vma(c->mm, &vmi, from)) &&
		       !IS_ERR(v)) {
			if (addr >= v->vm_start && addr < v->vm_end) {
				vma = v;
				break;
			}
			from = v->vm_end;
			vma_end_read(v);
		}
		rcu_read_unlock();
		return vma;
	}
	return NULL;
}

static void wp_setup(struct wp_ctx *c)
{
	const struct wp_row *row = c->row;
	int i;

	mmap_write_lock(c->mm);
	current->mm = c->mm;
	for (i = 0; i < 3 && row->map[i].end; i++) {
		const struct wp_map *m = &row->map[i];
		struct vm_area_struct *vma;

		if (m->how & WP_HOW_BRK) {
			VH_EXPECT_EQ(vh_brk(c->mm, PG(m->start),
					   VH_PG(m->end - m->start)), 0);
			continue;
		}
		VH_EXPECT_EQ(vh_map(c->mm, PG(m->start), PG(m->end),
				   (m->how & WP_HOW_RO ? VH_RO : VH_RW) |
				   (m->how & WP_HOW_STACK ? VM_GROWSDOWN : 0)), 0);
		vma = vma_lookup(c->mm, PG(m->start));
		/* A stack has been faulted in: it has its anon_vma. */
		if (vma && (m->how & WP_HOW_STACK)) {
			vma_start_write(vma);
			VH_EXPECT_EQ(anon_vma_prepare(vma), 0);
		}
	}
	mmap_write_unlock(c->mm);
}

static void wp_body(const struct wp_row *row)
{
	struct wp_ctx c = { .row = row, .mm = vh_test_mm() };
	struct vm_area_struct *vma = NULL;
	struct vh_vma_snap before;
	struct vh_thread *w;
	unsigned long pg;
	int i;

	wp_setup(&c);
	if (row->read_at != WP_NONE) {
		vma = wp_read(&c, PG(row->read_at));
		VH_ASSERT_TRUE(vma);
		vh_vma_snap(vma, &before);
	}

	w = vh_thread_start(wp_writer, &c);
	if (vma) {
		vh_writer_vs_reader(w, &c.done, vma, &before, row->waits);
		vma_end_read(vma);
	}
	vh_event_wait(&c.opdone);

	/* The write section is open: what it touched is write-locked. */
	for (pg = row->probe[0]; pg < row->probe[1]; pg++) {
		struct vm_area_struct *r = lock_vma_under_rcu(c.mm, PG(pg));

		if (!r)
			continue;
		VH_FAIL("a reader read-locked [%#lx-%#lx) (page %lu) while the mmap write section that made it is open: it is not write-locked",
			r->vm_start, r->vm_end, pg);
		vma_end_read(r);
		break;
	}
	vh_event_signal(&c.probed);
	vh_thread_join(w);

	VH_EXPECT_EQ(c.ret, 0);
	VH_EXPECT_EQ(c.mm->map_count, row->map_count);
	for (i = 0; i < 3 && row->sites[i]; i++) {
		if (!vh_site_exists(row->sites[i]))
			vh_diag("this tree has no vma_start_write() site %s",
				row->sites[i]);
		else if (!vh_site_reached(row->sites[i]))
			VH_FAIL("did not reach vma_start_write() in %s",
				row->sites[i]);
	}
}

#define WP_RULE "every mm/vma.c path that changes or creates a VMA write-locks it first: a reader holding it makes the writer wait and sees no change, and a reader trying it before the write section ends gets nothing"

VH_TABLE(write_path, WP_RULE, wp_rows, wp_body);

/* The same with vma_start_read_unlocked() as the reader. */
static const struct wp_row wp_unlocked_rows[] = {
	{
		.desc = "brk_expand",
		.map = { { .start = 0, .end = 4, .how = WP_HOW_BRK } },
		.reader = WP_READER_UNLOCKED, .read_at = 1,
		.op = WP_OP_BRK, .a = 4, .b = 4, .waits = true,
		.probe = { 0, 8 },
		.sites = { "vma_expand(target)" },
		.map_count = 1,
	},
	{
		.desc = "stack_grows_down",
		.map = { { .start = 8, .end = 16, .how = WP_HOW_STACK } },
		.reader = WP_READER_UNLOCKED, .read_at = 12,
		.op = WP_OP_STACK_GROW, .a = 8, .b = 4, .waits = true,
		.probe = { 4, 16 },
		.sites = { "expand_downwards(vma)" },
		.map_count = 1,
	},
	{
		.desc = "take_all_locks",
		.map = {
			{ .start = 0, .end = 4 },
			{ .start = 6, .end = 8 },
			{ .start = 10, .end = 12 },
		},
		.reader = WP_READER_UNLOCKED, .read_at = 11,
		.op = WP_OP_TAKE_ALL, .a = 0, .b = 0, .waits = true,
		.probe = { 0, 12 },
		.sites = { "mm_take_all_locks(vma)" },
		.map_count = 3,
	},
	{
		.desc = "mremap_copy_merges",
		.map = {
			{ .start = 0, .end = 4 },
			{ .start = 12, .end = 16 },
		},
		.reader = WP_READER_UNLOCKED, .read_at = 13,
		.op = WP_OP_COPY, .a = 0, .b = 16, .waits = true,
		.probe = { 12, 20 },
		.sites = { "vma_expand(target)" },
		.map_count = 2,
	},
};

VH_TABLE_SKIP(write_path_unlocked, WP_RULE, wp_unlocked_rows, wp_body,
	      VH_UNLOCKED_SKIP);

static void wp_declare_table(const char *table, const struct wp_row *rows,
			     size_t nr)
{
	char name[128];
	size_t r;
	int i;

	for (r = 0; r < nr; r++) {
		snprintf(name, sizeof(name), "%s.%s", table, rows[r].desc);
		for (i = 0; i < 3 && rows[r].sites[i]; i++)
			vh_site_declare(rows[r].sites[i], name);
	}
}

static void __attribute__((constructor)) wp_declare(void)
{
	wp_declare_table("write_path", wp_rows,
			 ARRAY_SIZE(wp_rows));
#ifdef VH_HAVE_START_READ_UNLOCKED
	wp_declare_table("write_path_unlocked", wp_unlocked_rows,
			 ARRAY_SIZE(wp_unlocked_rows));
#endif
}
