// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target (make FUZZ=1): the input is a sequence of address-space
 * operations on one mm, each run through the tree's own mm/vma.c entry
 * points, and after each the maple tree is checked against an independent
 * reference model of the address space.
 *
 * An input is read four bytes at a time: op, page, length, argument.  The
 * window is FZ_PAGES pages from VH_BASE.  Operations:
 *
 *	map	mmap(MAP_FIXED) anonymous (mmap_region()), RW or RO, possibly
 *		MAP_GROWSDOWN
 *	file	mmap(MAP_FIXED) of one of two files, private or shared, from a
 *		file page given by the argument
 *	unmap	munmap() (do_vmi_munmap())
 *	prot	mprotect() of a fully mapped range, VMA by VMA
 *		(vma_modify_flags(), as mprotect_fixup())
 *	madv	madvise(MADV_DONTDUMP/DODUMP, MADV_SEQUENTIAL/NORMAL) of a fully
 *		mapped range: vma_modify_flags(), as madvise_update_vma()
 *	brk	brk() growing a heap into free pages (do_brk_flags())
 *	grow	a stack fault below a MAP_GROWSDOWN VMA (expand_downwards())
 *	fault	a first write fault on a page: anon_vma_prepare()
 *	mremap, fork: reserved op codes (FZ_OP_MREMAP, FZ_OP_FORK), decoded
 *		and skipped until mm/mremap.c and dup_mmap() build here.
 *
 * The model (fz_model below) is a page array: for each page of the window,
 * whether it is mapped, the flags the operations asked for, the file and
 * the file page it maps (for anonymous memory, its linear page index), and
 * its anon_vma identity class.  Its merge rule is the one
 * Documentation/mm/process_addrs.rst and the mmap(2)/mprotect(2)/madvise(2)
 * pages imply, not mm/vma.c's code: two adjacent VMAs could be one when
 * they have the same flags (but VM_SOFTDIRTY), the same file and vm_ops,
 * page offsets that continue, and anon_vmas that do not differ (the same,
 * or at least one has none).  Checked after every operation:
 *
 *  - the tree holds exactly the model's mapped pages, each with the model's
 *    flags, file and file page;
 *  - no two adjacent VMAs could have been one (fz_tolerated[] lists where
 *    the kernel may legitimately decline a merge);
 *  - pages of one anon_vma class are in VMAs of one anon_vma, pages of
 *    different classes never share one;
 *  - mt_validate(), map_count, no VMA write-locked once mmap_write_unlock()
 *    ran, every VMA's vm_refcnt at rest (attached, no reader), the file's
 *    references and i_mmap agreeing with the VMAs that map it.
 *
 * A finding abort()s with the operation sequence and the layout before and
 * after as pictures (shared/vma/layout.c's syntax: a letter per VMA, upper
 * case writable).  FZ_PRINT=1 in the environment prints every input's
 * decoded sequence (scripts/fuzz_decode.sh).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/mm.h>
#include <linux/fs.h>
#include <linux/rmap.h>
#include "../shared/env/env.h"
#include "../shared/env/report.h"
#include "../shared/kunit/mode.h"
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"
#include "fuzz.h"

/* lib/maple_tree.c under CONFIG_DEBUG_MAPLE_TREE (tools/testing/shared). */
void mt_validate(struct maple_tree *mt);

#define FZ_CTRL	(VM_READ | VM_WRITE | VM_EXEC | VM_SHARED | VM_GROWSDOWN | \
		 VM_DONTDUMP | VM_SEQ_READ)

/*
 * Where the kernel may legitimately leave two VMAs apart that the model's
 * rule would allow to be one.  One line each.
 */
static const char *const fz_tolerated[] = {
	/* mprotect(2) charges a private mapping made writable (VM_ACCOUNT) and
	 * never uncharges it: the flags then differ outside what ops ask.
	 */
	"VM_ACCOUNT differs (mprotect_fixup() charges, never uncharges)",
	/* expand_downwards() grows a stack without merging with what is below
	 * (the guard gap keeps them apart anyway).
	 */
	"a stack grown down is never merged",
	/* anon_vma_prepare() gives a VMA an anon_vma without merging it with
	 * a neighbour that shares it (a fault does not merge).
	 */
	"a fault prepares an anon_vma but does not merge",
	/* vma_modify() of the middle of three: when prev and next have
	 * different anon_vmas, only one side can merge.
	 */
	"three-way merge across two different anon_vmas",
	/* do_brk_flags() extends the heap below only: a brk() that reaches a
	 * mapping just above is not merged with it (brk ops stop short).
	 */
	"brk() never merges with the mapping above",
};

static struct fz_file {
	struct address_space mapping;
	struct file file;
} fz_files[2];

static const struct vm_operations_struct fz_vm_ops;

static int fz_mmap_prepare(struct vm_area_desc *desc)
{
	desc->vm_ops = &fz_vm_ops;
	return 0;
}

static const struct file_operations fz_fops = {
	.mmap_prepare = fz_mmap_prepare,
};

/* The model: one entry per page of the window. */
struct fz_page {
	bool mapped;
	vm_flags_t flags;	/* FZ_CTRL bits asked for */
	int file;		/* 0 anonymous, 1 or 2 */
	unsigned long pgoff;	/* file page, or linear page index */
	int anon;		/* anon_vma class, 0 none */
};

static struct fz_model {
	struct fz_page pg[FZ_PAGES];
	struct anon_vma *cls[FZ_PAGES * 2 + 1];	/* class -> anon_vma */
	int nr_cls;
} fz_m;

static struct mm_struct *fz_mm;
static const uint8_t *fz_in;
static size_t fz_in_len, fz_in_done;
static bool fz_print;

static const char *const fz_op_names[FZ_NR_OPS] = {
	[FZ_OP_MAP] = "map", [FZ_OP_FILE] = "file", [FZ_OP_UNMAP] = "unmap",
	[FZ_OP_PROT] = "prot", [FZ_OP_MADV] = "madv", [FZ_OP_BRK] = "brk",
	[FZ_OP_GROW] = "grow", [FZ_OP_FAULT] = "fault",
	[FZ_OP_MREMAP] = "mremap", [FZ_OP_FORK] = "fork",
};

static unsigned long fz_addr(int pg)
{
	return VH_BASE + VH_PG(pg);
}

static void fz_draw(char *buf)
{
	VMA_ITERATOR(vmi, fz_mm, 0);
	struct vm_area_struct *vma;
	char name = 'A';
	int i;

	memset(buf, '-', FZ_PAGES);
	buf[FZ_PAGES] = 0;
	for_each_vma(vmi, vma) {
		for (i = 0; i < FZ_PAGES; i++) {
			unsigned long a = fz_addr(i);

			if (a >= vma->vm_start && a < vma->vm_end)
				buf[i] = vma->vm_flags & VM_WRITE ? name :
					 name - 'A' + 'a';
		}
		name = name == 'Z' ? 'A' : name + 1;
	}
}

/* Print the decoded sequence up to the op being run. */
void fz_describe(FILE *f, const uint8_t *in, size_t len, size_t upto)
{
	size_t i;

	for (i = 0; i + 4 <= len && i < upto; i += 4) {
		struct fz_op op;

		fz_decode(in + i, &op);
		fprintf(f, "  %zu: %s page %d len %d arg %#x\n", i / 4,
			fz_op_names[op.op], op.page, op.len, op.arg);
	}
}

static char fz_before[FZ_PAGES + 1];

static void __noreturn fz_finding(const char *fmt, ...)
{
	char after[FZ_PAGES + 1];
	va_list ap;

	fprintf(stderr, "FUZZ FINDING: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nops:\n");
	fz_describe(stderr, fz_in, fz_in_len, fz_in_done + 4);
	rcu_read_lock();
	fz_draw(after);
	rcu_read_unlock();
	fprintf(stderr, "before: \"%s\"\nafter:  \"%s\"\n", fz_before, after);
	abort();
}

/* The anon_vma class of @av, made on first sight. */
static int fz_class_of(struct anon_vma *av)
{
	int i;

	if (!av)
		return 0;
	for (i = 1; i <= fz_m.nr_cls; i++)
		if (fz_m.cls[i] == av)
			return i;
	fz_m.cls[++fz_m.nr_cls] = av;
	return fz_m.nr_cls;
}

static bool fz_range_mapped(int a, int b)
{
	int i;

	for (i = a; i < b; i++)
		if (!fz_m.pg[i].mapped)
			return false;
	return true;
}

static bool fz_range_free(int a, int b)
{
	int i;

	for (i = a; i < b; i++)
		if (fz_m.pg[i].mapped)
			return false;
	return true;
}

/* Model: what mmap(MAP_FIXED) makes of [a, b). */
static void fz_model_map(int a, int b, vm_flags_t flags, int file,
			 unsigned long pgoff)
{
	int i;

	for (i = a; i < b; i++)
		fz_m.pg[i] = (struct fz_page){
			.mapped = true, .flags = flags & FZ_CTRL,
			.file = file,
			.pgoff = file ? pgoff + (i - a) :
				 fz_addr(i) >> PAGE_SHIFT,
		};
}

/* Apply @set/@clear to every VMA of [start, end), as mprotect()/madvise(). */
static int fz_modify(unsigned long start, unsigned long end, vm_flags_t clear,
		     vm_flags_t set)
{
	unsigned long s = start, e;

	/* VMA by VMA, each positioned afresh as vh_protect() positions it. */
	while (s < end) {
		VMA_ITERATOR(vmi, fz_mm, s);
		struct vm_area_struct *vma, *prev;
		vm_flags_t oldflags, newflags;
		vma_flags_t vf;

		vma = vma_find(&vmi, end);
		if (!vma || vma->vm_start > s)
			return -ENOMEM;
		prev = vma_prev(&vmi);
		if (s > vma->vm_start)
			prev = vma;
		vma = vma_find(&vmi, end);
		e = min(end, vma->vm_end);
		oldflags = vma->vm_flags;
		newflags = (oldflags & ~clear) | set;
		if ((newflags & VM_WRITE) &&
		    !(oldflags & (VM_ACCOUNT | VM_WRITE | VM_SHARED |
				  VM_NORESERVE)))
			newflags |= VM_ACCOUNT;
		if (newflags != oldflags) {
			vf = legacy_to_vma_flags(newflags);
			vma = vma_modify_flags(&vmi, prev, vma, s, e, &vf);
			if (IS_ERR(vma))
				return PTR_ERR(vma);
			vma_start_write(vma);
			vma_flags_reset_once(vma, &vf);
			vm_stat_account(fz_mm, oldflags,
					-(long)((e - s) >> PAGE_SHIFT));
			vm_stat_account(fz_mm, newflags, (e - s) >> PAGE_SHIFT);
		}
		s = e;
	}
	return 0;
}

static unsigned long fz_brk_flags;

static void fz_op(const struct fz_op *op)
{
	int a = op->page, b = min(FZ_PAGES, op->page + op->len), i;
	unsigned long start = fz_addr(a), end = fz_addr(b);
	struct vm_area_struct *vma;
	vm_flags_t flags;
	int err;

	switch (op->op) {
	case FZ_OP_MAP:
		flags = (op->arg & 1 ? VH_RO : VH_RW) |
			(op->arg & 2 ? VM_GROWSDOWN : 0);
		err = vh_map(fz_mm, start, end, flags);
		if (err)
			fz_finding("mmap anon [%d, %d) failed: %d", a, b, err);
		fz_model_map(a, b, flags, 0, 0);
		break;
	case FZ_OP_FILE:
		flags = (op->arg & 1 ? VH_RO : VH_RW) |
			(op->arg & 2 ? VM_SHARED | VM_MAYSHARE : 0);
		err = vh_map_file(fz_mm, &fz_files[(op->arg >> 2) & 1].file,
				  start, end, flags, op->arg >> 3);
		if (err)
			fz_finding("mmap file [%d, %d) failed: %d", a, b, err);
		fz_model_map(a, b, flags, 1 + ((op->arg >> 2) & 1),
			     op->arg >> 3);
		break;
	case FZ_OP_UNMAP:
		err = vh_unmap(fz_mm, start, end);
		if (err)
			fz_finding("munmap [%d, %d) failed: %d", a, b, err);
		for (i = a; i < b; i++)
			fz_m.pg[i] = (struct fz_page){ 0 };
		break;
	case FZ_OP_PROT:
	case FZ_OP_MADV:
		/* A range with a hole: -ENOMEM, and we change nothing. */
		if (!fz_range_mapped(a, b))
			break;
		if (op->op == FZ_OP_PROT) {
			vm_flags_t prot = op->arg & 1 ? VM_READ :
					  VM_READ | VM_WRITE;

			/* mprotect(PROT_WRITE) of a read-only file: -EACCES */
			for (i = a; i < b; i++)
				if ((prot & VM_WRITE) && fz_m.pg[i].file &&
				    !(fz_m.pg[i].flags & VM_WRITE) &&
				    (fz_m.pg[i].flags & VM_SHARED))
					return;
			err = fz_modify(start, end, VM_READ | VM_WRITE, prot);
			for (i = a; i < b && !err; i++)
				fz_m.pg[i].flags = (fz_m.pg[i].flags &
						    ~(VM_READ | VM_WRITE)) | prot;
		} else {
			vm_flags_t f = op->arg & 1 ? VM_DONTDUMP : VM_SEQ_READ;
			bool on = op->arg & 2;

			err = fz_modify(start, end, on ? 0 : f, on ? f : 0);
			for (i = a; i < b && !err; i++)
				fz_m.pg[i].flags = on ? fz_m.pg[i].flags | f :
						   fz_m.pg[i].flags & ~f;
		}
		if (err)
			fz_finding("%s [%d, %d) failed: %d",
				   fz_op_names[op->op], a, b, err);
		break;
	case FZ_OP_BRK:
		/* brk grows into free pages only (do_brk_flags()'s callers
		 * check), the heap being the VMA below.
		 */
		if (!fz_range_free(a, b) || (b < FZ_PAGES && fz_m.pg[b].mapped))
			break;
		err = vh_brk(fz_mm, start, end - start);
		if (err)
			fz_finding("brk [%d, %d) failed: %d", a, b, err);
		vma = vma_lookup(fz_mm, start);
		if (!vma)
			fz_finding("brk [%d, %d) mapped nothing", a, b);
		fz_model_map(a, b, fz_brk_flags, 0, 0);
		break;
	case FZ_OP_GROW:
		/* The stack at or above page a, grown down to page a. */
		vma = find_vma(fz_mm, start);
		if (!vma || !(vma->vm_flags & VM_GROWSDOWN) ||
		    vma->vm_start <= start)
			break;
		{
			int top = (vma->vm_start - VH_BASE) / PAGE_SIZE;
			bool ok = true;

			/* The guard gap (one page here) below must be free. */
			for (i = a - 1; i < top; i++)
				if (i >= 0 && fz_m.pg[i].mapped)
					ok = false;
			if (a == 0)
				ok = false;	/* keep the window's bound */
			if (!ok)
				break;
			err = expand_downwards(vma, start);
			if (err)
				fz_finding("expand_downwards() to page %d failed: %d",
					   a, err);
			for (i = a; i < top; i++) {
				fz_m.pg[i] = fz_m.pg[top];
				fz_m.pg[i].pgoff = fz_addr(i) >> PAGE_SHIFT;
			}
			/* expand_downwards() prepared the stack's anon_vma. */
			fz_m.pg[top].anon = fz_m.pg[top].anon ?:
					    fz_class_of(vma->anon_vma);
			for (i = a; i < (int)((vma->vm_end - VH_BASE) / PAGE_SIZE)
			     && i < FZ_PAGES; i++)
				fz_m.pg[i].anon = fz_m.pg[top].anon;
		}
		break;
	case FZ_OP_FAULT:
		vma = vma_lookup(fz_mm, start);
		if (!vma || vma->vm_file)
			break;
		vma_start_write(vma);
		err = anon_vma_prepare(vma);
		if (err)
			fz_finding("anon_vma_prepare() failed: %d", err);
		/* The VMA's pages take its anon_vma (maybe a neighbour's). */
		{
			int cls = fz_class_of(vma->anon_vma);

			for (i = 0; i < FZ_PAGES; i++)
				if (fz_addr(i) >= vma->vm_start &&
				    fz_addr(i) < vma->vm_end)
					fz_m.pg[i].anon = cls;
		}
		break;
	default:	/* mremap, fork: not built here yet */
		break;
	}
}

/* Could VMAs @p and @n (adjacent) have been one, by the model's rule? */
static bool fz_could_be_one(struct vm_area_struct *p, struct vm_area_struct *n)
{
	if ((p->vm_flags ^ n->vm_flags) & ~VM_SOFTDIRTY)
		return false;
	if (p->vm_flags & VM_SPECIAL)
		return false;
	if (p->vm_file != n->vm_file || p->vm_ops != n->vm_ops)
		return false;
	if (p->vm_pgoff + vma_pages(p) != n->vm_pgoff)
		return false;
	if (p->anon_vma && n->anon_vma && p->anon_vma != n->anon_vma)
		return false;
	/* A grown stack is never merged (fz_tolerated[1]). */
	if (p->vm_flags & VM_GROWSDOWN)
		return false;
	return true;
}

static void fz_check(void)
{
	VMA_ITERATOR(vmi, fz_mm, 0);
	struct vm_area_struct *vma, *prev = NULL;
	int nr = 0, nfile[2] = { 0, 0 }, i, f;
	bool covered[FZ_PAGES] = { false };

	mt_validate(&fz_mm->mm_mt);
	for_each_vma(vmi, vma) {
		int cls = fz_class_of(vma->anon_vma);
		int merged_cls = 0;

		nr++;
		if (vma->vm_start < VH_BASE || vma->vm_end > fz_addr(FZ_PAGES))
			fz_finding("VMA [%#lx-%#lx) outside the window",
				   vma->vm_start, vma->vm_end);
		if (vma->vm_lock_seq == fz_mm->mm_lock_seq.sequence)
			fz_finding("VMA [%#lx-%#lx) still write-locked after mmap_write_unlock()",
				   vma->vm_start, vma->vm_end);
		if (refcount_read(&vma->vm_refcnt) != 1)
			fz_finding("VMA [%#lx-%#lx) vm_refcnt %u at rest",
				   vma->vm_start, vma->vm_end,
				   refcount_read(&vma->vm_refcnt));
		for (f = 0; f < 2; f++)
			nfile[f] += vma->vm_file == &fz_files[f].file;
		for (i = 0; i < FZ_PAGES; i++) {
			unsigned long a = fz_addr(i);
			struct fz_page *pg = &fz_m.pg[i];
			unsigned long pgoff;
			int file;

			if (a < vma->vm_start || a >= vma->vm_end)
				continue;
			covered[i] = true;
			pgoff = vma->vm_pgoff + ((a - vma->vm_start) >> PAGE_SHIFT);
			file = vma->vm_file ? 1 + (vma->vm_file ==
						   &fz_files[1].file) : 0;
			if (!pg->mapped)
				fz_finding("page %d mapped, the model has it free", i);
			if ((vma->vm_flags & FZ_CTRL) != pg->flags)
				fz_finding("page %d: flags %#lx, the model %#lx", i,
					   vma->vm_flags & FZ_CTRL, pg->flags);
			if (file != pg->file || pgoff != pg->pgoff)
				fz_finding("page %d maps file %d page %#lx, the model file %d page %#lx (page offsets no longer map the same pages)",
					   i, file, pgoff, pg->file, pg->pgoff);
			/* A page with no anon_vma yet may take one by merge. */
			if (!pg->anon)
				pg->anon = cls;
			else if (pg->anon != cls)
				fz_finding("page %d is in anon_vma class %d, the model %d (anon_vmas merged that must differ)",
					   i, cls, pg->anon);
			if (merged_cls && pg->anon != merged_cls)
				fz_finding("VMA [%#lx-%#lx) spans anon_vma classes %d and %d",
					   vma->vm_start, vma->vm_end,
					   merged_cls, pg->anon);
			merged_cls = pg->anon;
		}
		if (prev && prev->vm_end == vma->vm_start &&
		    fz_could_be_one(prev, vma))
			fz_finding("VMAs [%#lx-%#lx) and [%#lx-%#lx) could be one but are not merged",
				   prev->vm_start, prev->vm_end,
				   vma->vm_start, vma->vm_end);
		prev = vma;
	}
	for (i = 0; i < FZ_PAGES; i++)
		if (fz_m.pg[i].mapped && !covered[i])
			fz_finding("page %d: the model has it mapped, the tree not",
				   i);
	if (nr != fz_mm->map_count)
		fz_finding("map_count %d, %d VMAs in the tree",
			   fz_mm->map_count, nr);
	for (f = 0; f < 2; f++) {
		if (atomic_read(&fz_files[f].file.vh_count) != 1 + nfile[f])
			fz_finding("file %d: %d references, %d VMAs map it",
				   f + 1,
				   atomic_read(&fz_files[f].file.vh_count) - 1,
				   nfile[f]);
		if (fz_files[f].mapping.vh_nr_i_mmap != (unsigned int)nfile[f])
			fz_finding("file %d: %u VMAs in i_mmap, %d map it", f + 1,
				   fz_files[f].mapping.vh_nr_i_mmap, nfile[f]);
	}
	if (vh_test_failed())
		fz_finding("the kernel code warned (see above)");
}

int LLVMFuzzerInitialize(int *argc __always_unused,
			 char ***argv __always_unused)
{
	int f;

	rcu_register_thread();
	vh_env_init();
	fz_print = getenv("FZ_PRINT") != NULL;
	stack_guard_gap = PAGE_SIZE;
	for (f = 0; f < 2; f++) {
		init_rwsem(&fz_files[f].mapping.i_mmap_rwsem);
		fz_files[f].file.f_mapping = &fz_files[f].mapping;
		fz_files[f].file.f_op = &fz_fops;
		atomic_set(&fz_files[f].file.vh_count, 1);
	}
	/* The flags brk() gives (VMA_DATA_DEFAULT_FLAGS): a configuration
	 * constant, read once from a heap of a scratch mm.
	 */
	fz_mm = vh_mm_new();
	current->mm = fz_mm;
	mmap_write_lock(fz_mm);
	if (!vh_brk(fz_mm, VH_BASE, PAGE_SIZE))
		fz_brk_flags = vma_lookup(fz_mm, VH_BASE)->vm_flags & FZ_CTRL;
	mmap_write_unlock(fz_mm);
	vh_mm_clear(fz_mm);
	vh_mm_put(fz_mm);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i;

	vh_test_reset();
	memset(&fz_m, 0, sizeof(fz_m));
	fz_in = data;
	fz_in_len = size;
	fz_mm = vh_mm_new();
	current->mm = fz_mm;
	if (fz_print)
		fz_describe(stdout, data, size, size);
	for (i = 0; i + 4 <= size && i < 4 * FZ_MAX_OPS; i += 4) {
		struct fz_op op;

		fz_in_done = i;
		fz_decode(data + i, &op);
		mmap_write_lock(fz_mm);
		fz_draw(fz_before);
		fz_op(&op);
		mmap_write_unlock(fz_mm);
		mmap_read_lock(fz_mm);
		fz_check();
		mmap_read_unlock(fz_mm);
	}
	vh_mm_clear(fz_mm);
	if (vh_test_failed())
		fz_finding("the kernel code warned at teardown");
	vh_mm_put(fz_mm);
	return 0;
}
