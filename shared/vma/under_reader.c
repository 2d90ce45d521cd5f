// SPDX-License-Identifier: GPL-2.0
/*
 * The engine of shared/vma/under_reader.h: an operation on a writer
 * thread against a lockless reader, its open write section probed.
 */
#include <errno.h>
#include <string.h>
#include <linux/mm.h>
#include "../env/report.h"
#include "../kunit/test.h"
#include "under_reader.h"
#include "sites.h"

/* The character of @pic for the page at @addr (' ' past its end). */
static char vh_ur_pic(const char *pic, unsigned long addr)
{
	size_t i = (addr - VH_BASE) / PAGE_SIZE;

	return pic && i < strlen(pic) ? pic[i] : ' ';
}

#define VH_SHARED	(VM_SHARED | VM_MAYSHARE)

/* Map one VMA of the picture read-write, as its kind says. */
static int vh_ur_map_one(struct vh_ur *u, const struct vh_layout_vma *v)
{
	char kind = vh_ur_pic(u->row->kind, v->start);
	struct vm_area_struct *vma;
	int err;

	switch (kind) {
	case 'b':
		return vh_brk(u->mm, v->start, v->end - v->start);
	case 'p':
	case 's':
		if (!u->file) {
			vh_diag("picture \"%s\": kind '%c' needs a file",
				u->row->before, kind);
			return -EINVAL;
		}
		return vh_map_file(u->mm, u->file, v->start, v->end,
				   VH_RW | (kind == 's' ? VH_SHARED : 0),
				   (v->start - VH_BASE) >> PAGE_SHIFT);
	case 'g':
		err = vh_map(u->mm, v->start, v->end, VH_RW | VM_GROWSDOWN);
		vma = err ? NULL : vma_lookup(u->mm, v->start);
		if (!vma)
			return err ?: -ENOMEM;
		/* A stack has been faulted in: it has its anon_vma. */
		vma_start_write(vma);
		return anon_vma_prepare(vma);
	default:
		return vh_map(u->mm, v->start, v->end, VH_RW);
	}
}

/* The row's picture, as a program would make it. */
static int vh_ur_setup(struct vh_ur *u)
{
	const struct vh_ur_row *row = u->row;
	struct vh_layout_vma v[VH_LAYOUT_MAX];
	int n = vh_layout_parse(row->before, v, VH_LAYOUT_MAX), i, err = 0;
	char digit;

	if (n < 0)
		return n;
	mmap_write_lock(u->mm);
	current->mm = u->mm;
	for (i = 0; i < n && !err; i++)
		err = vh_ur_map_one(u, &v[i]);
	for (i = 0; i < n && !err; i++)
		if (!(v[i].flags & VM_WRITE))
			err = vh_protect(u->mm, v[i].start, v[i].end,
					 VH_PROT_RO);
	for (digit = '1'; digit <= '9' && !err; digit++) {
		for (i = 0; i < n && !err; i++) {
			struct vm_area_struct *vma;

			if (vh_ur_pic(row->anon, v[i].start) != digit)
				continue;
			vma = vma_lookup(u->mm, v[i].start);
			err = vma ? anon_vma_prepare(vma) : -ENOMEM;
		}
	}
	mmap_write_unlock(u->mm);
	if (err)
		vh_diag("setting up \"%s\" failed (%d)", row->before, err);
	return err;
}

/*
 * Do the VMAs of @mm have the anon_vmas of @pic (struct vh_ur_row's
 * @anon)?  And does each count its VMAs and chains as mm/rmap.c keeps
 * them?  Each difference is a diagnostic line.
 */
static bool vh_ur_anon_is(struct mm_struct *mm, const char *pic)
{
	struct anon_vma *seen[10] = { NULL };
	struct vm_area_struct *vma, *w;
	VMA_ITERATOR(vmi, mm, 0);
	bool same = true;

	mmap_read_lock(mm);
	for_each_vma(vmi, vma) {
		char d = vh_ur_pic(pic, vma->vm_start);
		struct anon_vma *av = vma->anon_vma;
		struct anon_vma_chain *avc;
		unsigned long vmas = 0, avcs = 0, in_tree = 0;
		struct rb_node *n;
		VMA_ITERATOR(wi, mm, 0);
		int k;

		if (d < '1' || d > '9') {
			if (av) {
				vh_diag("[%#lx-%#lx) has an anon_vma, expected none",
					vma->vm_start, vma->vm_end);
				same = false;
			}
			continue;
		}
		if (!av) {
			vh_diag("[%#lx-%#lx) has no anon_vma, expected anon_vma %c",
				vma->vm_start, vma->vm_end, d);
			same = false;
			continue;
		}
		for (k = 0; k < 10; k++) {
			if (seen[k] == av && k != d - '0') {
				vh_diag("[%#lx-%#lx): anon_vma %c is also anon_vma %d",
					vma->vm_start, vma->vm_end, d, k);
				same = false;
			}
		}
		if (seen[d - '0'] && seen[d - '0'] != av) {
			vh_diag("[%#lx-%#lx) does not share anon_vma %c",
				vma->vm_start, vma->vm_end, d);
			same = false;
		}
		seen[d - '0'] = av;
		/* Each VMA is linked to its anon_vma by one chain. */
		if (!list_is_singular(&vma->anon_vma_chain) ||
		    list_first_entry(&vma->anon_vma_chain,
				     struct anon_vma_chain,
				     same_vma)->anon_vma != av) {
			vh_diag("[%#lx-%#lx): not one anon_vma_chain to its anon_vma",
				vma->vm_start, vma->vm_end);
			same = false;
		}
		for_each_vma(wi, w) {
			vmas += w->anon_vma == av;
			list_for_each_entry(avc, &w->anon_vma_chain, same_vma)
				avcs += avc->anon_vma == av;
		}
		for (n = rb_first_cached(&av->rb_root); n; n = rb_next(n))
			in_tree++;
		if (av->num_active_vmas != vmas || in_tree != avcs) {
			vh_diag("anon_vma %c: num_active_vmas %lu, %lu chains in its tree; %lu VMAs and %lu chains link to it",
				d, av->num_active_vmas, in_tree, vmas, avcs);
			same = false;
		}
	}
	mmap_read_unlock(mm);
	return same;
}

/* The reader: hold the VMA containing @addr, the row's way. */
static struct vm_area_struct *vh_ur_read(struct vh_ur *u, unsigned long addr)
{
	struct vm_area_struct *vma = NULL, *v;
	unsigned long from = 0;
	VMA_ITERATOR(vmi, u->mm, 0);

	switch (u->row->reader) {
	case VH_READER_LOOKUP:
		return lock_vma_under_rcu(u->mm, addr);
	case VH_READER_UNLOCKED:
		return vh_start_read_unlocked(u->mm, addr);
	case VH_READER_NEXT:
		/* As /proc/PID/maps: each VMA released before the next. */
		rcu_read_lock();
		while ((v = lock_next_vma(u->mm, &vmi, from)) && !IS_ERR(v)) {
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

static void vh_ur_writer(void *arg)
{
	struct vh_ur *u = arg;
	enum vh_op_lock lock = u->row->op->lock;

	if (lock == VH_OP_MMAP_WRITE)
		mmap_write_lock(u->mm);
	else if (lock == VH_OP_MMAP_READ)
		mmap_read_lock(u->mm);
	current->mm = u->mm;
	u->ret = u->row->op->run(u);
	vh_flag_set(&u->done, 1);
	vh_event_signal(&u->opdone);
	if (lock == VH_OP_OWN_LOCK)
		return;
	/* The write section stays open while the test tries the VMAs. */
	vh_event_wait(&u->probed);
	if (lock == VH_OP_MMAP_WRITE)
		mmap_write_unlock(u->mm);
	else
		mmap_read_unlock(u->mm);
}

/* Whatever ended the test: release the reader, let the writer end. */
static void vh_ur_unwind(void *arg)
{
	struct vh_ur *u = arg;

	if (u->held) {
		vma_end_read(u->held);
		u->held = NULL;
	}
	if (u->writer) {
		vh_event_signal(&u->probed);
		vh_thread_join(u->writer);
		u->writer = NULL;
	}
}

/* While the write section is open: no reader gets a page of .probe. */
static void vh_ur_probe(struct vh_ur *u)
{
	const char *probe = u->row->probe;
	size_t pg;

	for (pg = 0; probe && probe[pg]; pg++) {
		struct vm_area_struct *r;

		if (probe[pg] != '#')
			continue;
		r = lock_vma_under_rcu(u->mm, VH_BASE + VH_PG(pg));
		if (!r)
			continue;
		VH_FAIL("a reader read-locked [%#lx-%#lx) (page %zu) while the mmap write section that made or changed it is open: it is not write-locked",
			r->vm_start, r->vm_end, pg);
		vma_end_read(r);
		break;
	}
}

struct vh_ur *vh_ur_run(const struct vh_ur_row *row, struct file *file,
			void *priv)
{
	struct vh_ur *u = vh_test_alloc(sizeof(*u));
	struct vh_vma_snap before;
	unsigned long addr, unused;
	int i;

	u->row = row;
	u->file = file;
	u->priv = priv;
	u->mm = vh_test_mm();
	VH_ASSERT_TRUE_MSG(vh_layout_span(row->read_at, '^', &addr, &unused),
			   "the row's reader page");
	if (!vh_layout_span(row->range, '*', &u->start, &u->end))
		u->start = u->end = VH_BASE;
	VH_ASSERT_EQ(vh_ur_setup(u), 0);
	VH_ASSERT_TRUE(vh_layout_is(u->mm, row->before));
	if (row->anon)
		VH_ASSERT_TRUE(vh_ur_anon_is(u->mm, row->anon));

	vh_defer(vh_ur_unwind, u);
	u->held = vh_ur_read(u, addr);
	VH_ASSERT_NOT_NULL_MSG(u->held, "the reader's VMA at page %lu",
			       (addr - VH_BASE) >> PAGE_SHIFT);
	vh_vma_snap(u->held, &before);

	u->writer = vh_thread_start(vh_ur_writer, u);
	vh_writer_vs_reader(u->writer, &u->done, u->held, &before,
			    row->waits);
	vma_end_read(u->held);
	u->held = NULL;
	vh_event_wait(&u->opdone);

	/* The write section is open: what it made or changed is locked. */
	vh_ur_probe(u);
	vh_event_signal(&u->probed);
	vh_thread_join(u->writer);
	u->writer = NULL;

	VH_EXPECT_EQ_MSG(u->ret, row->ret, "what %s returned", row->op->name);
	VH_EXPECT_TRUE(vh_layout_is(u->mm, row->after));
	if (row->anon_after)
		VH_EXPECT_TRUE(vh_ur_anon_is(u->mm, row->anon_after));
	for (i = 0; i < 3 && row->sites[i]; i++) {
		if (!vh_site_exists(row->sites[i]))
			vh_diag("this tree has no vma_start_write() site %s",
				row->sites[i]);
		else if (!vh_site_reached(row->sites[i]))
			VH_FAIL("did not reach vma_start_write() in %s",
				row->sites[i]);
	}
	return u;
}

void vh_ur_body(const struct vh_ur_row *row)
{
	vh_ur_run(row, NULL, NULL);
}

void vh_ur_declare(const char *table, const struct vh_ur_row *rows,
		   size_t nr_rows)
{
	char name[128];
	size_t r;
	int i;

	for (r = 0; r < nr_rows; r++) {
		snprintf(name, sizeof(name), "%s.%s", table, rows[r].desc);
		for (i = 0; i < 3 && rows[r].sites[i]; i++)
			vh_site_declare(rows[r].sites[i], name);
	}
}
