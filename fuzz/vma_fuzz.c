// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzz engine: a sequence of address-space operations on one mm, each
 * run through the tree's own entry points (mm/vma.c, mm/mmap.c,
 * mm/mremap.c, mm/memory.c's __vmf_anon_prepare()), and after each the
 * maple tree is checked against an independent reference model of the
 * address space.  The libFuzzer target (fuzz/libfuzzer.c, make FUZZ=1)
 * and the regression table (tests/fuzz_regress.c, run by ./vma) call it.
 *
 * An input is read four bytes at a time: op, page, length, argument
 * (fuzz/fuzz.h).  The window is FZ_PAGES pages from VH_BASE.  Operations:
 *
 *	map	mmap(MAP_FIXED) anonymous (mmap_region()), RW or RO, possibly
 *		MAP_GROWSDOWN; .aux bit 0 MAP_LOCKED (VM_LOCKED, locked_vm)
 *	file	mmap(MAP_FIXED) of one of two files, private or shared, from a
 *		file page given by the argument; .aux bits 0-1 the files'
 *		kind (enum fz_file_kind: ->mmap_prepare() setting vm_ops, a
 *		legacy ->mmap() (failing for file 1), ->mmap_prepare() adding
 *		VM_DONTEXPAND or VM_DONTDUMP, ->mmap_prepare() failing), bit 2
 *		MAP_LOCKED
 *	unmap	munmap() (do_vmi_munmap(); with arg bit 0, vm_munmap(), which
 *		takes mmap_lock itself)
 *	prot	mprotect() of a fully mapped range, VMA by VMA
 *		(vma_modify_flags(), as mprotect_fixup())
 *	madv	madvise(MADV_DONTDUMP/DODUMP, MADV_SEQUENTIAL/NORMAL) of a fully
 *		mapped range: vma_modify_flags(), as madvise_update_vma()
 *	brk	brk() growing a heap into free pages (do_brk_flags())
 *	grow	a stack fault below a MAP_GROWSDOWN VMA (expand_downwards())
 *	fault	a first write fault on a page (a write through ptrace's
 *		FOLL_FORCE on a read-only one): the fault path's
 *		vmf_anon_prepare() (mm/memory.c's __vmf_anon_prepare()) under
 *		the VMA lock (lock_vma_under_rcu(), FAULT_FLAG_VMA_LOCK; arg
 *		bit 0 clear) or under mmap_lock for read (bit 0 set); not on
 *		a shared file mapping (no anonymous pages there)
 *	mremap	sys_mremap() of [page, page + len): arg bits 0-1 the form
 *		(enum fz_mremap_form: in place, MREMAP_FIXED to page .aux,
 *		with MREMAP_DONTUNMAP, a plain move), bits 2-4 the new length
 *		- 1; in place, bit 5 adds MREMAP_MAYMOVE (a VMA that cannot
 *		grow where it is moves where get_unmapped_area() finds room,
 *		bottom-up from the window's base or, once bit 6 made the mm
 *		top-down, from its top; a move out of the window is unmapped
 *		there); only calls
 *		mremap(2) accepts (one VMA, no overlap)
 *	fork	dup_mmap() into a new mm, which the operations after it
 *		work on (the parent is torn down, exit_mmap() style)
 *	lockall	mm_take_all_locks(), as mmu_notifier_register() takes it:
 *		every VMA write-locked while held, then mm_drop_all_locks()
 *	special	_install_special_mapping() of a free range (a vdso-like or
 *		vvar-like mapping, backed by pages or by .fault/.mremap
 *		hooks), or (arg bit 0) insert_vm_struct() of an anonymous
 *		VMA as exec's first stack (FZ_SP_* in fuzz/fuzz.h); a range
 *		not free is refused
 *	relocate exec's relocate_vma_down() (mm/vma_exec.c: vma_expand(),
 *		then vma_shrink()) of the faulted private anonymous VMA at
 *		page, len pages down into free room
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
 *    references and i_mmap agreeing with the VMAs that map it;
 *  - each special mapping is one VMA of its own, with its vm_ops, and
 *    mm->locked_vm counts the model's VM_LOCKED pages.
 *
 * The operations' effects on the model come from their man pages:
 * mremap(2) moves the pages with their contents (file pages and anonymous
 * identity go along; a moved range that never had anonymous pages is a
 * fresh mapping at its new address), grows a mapping with the pages that
 * continue it, and with MREMAP_DONTUNMAP leaves the old range mapped but
 * empty; fork(2) gives the child the parent's mappings, its anonymous
 * memory identities of its own (copy-on-write), and the merge rule there
 * has one more tolerated exception (fz_tolerated[]).
 *
 * A finding calls the report function fz_init() was given (the target
 * abort()s, a regression row fails) with the broken rule, the operation
 * sequence and the layout before and after as pictures (a letter per
 * VMA, upper case writable).
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
#include "../shared/kunit/test.h"
#include "probes.h"		/* VH_HAVE_*: the tree's API, probed */
#include "../shared/vma/vma.h"
#include "fuzz.h"

/* lib/maple_tree.c under CONFIG_DEBUG_MAPLE_TREE (tools/testing/shared). */
void mt_validate(struct maple_tree *mt);
/* mm/mmap.c's (include/linux/mm.h, which the environment shadows). */
int vm_munmap(unsigned long start, size_t len);
struct vm_area_struct *_install_special_mapping(struct mm_struct *mm,
		unsigned long addr, unsigned long len, vm_flags_t vm_flags,
		const struct vm_special_mapping *spec);
bool vma_is_special_mapping(const struct vm_area_struct *vma,
			    const struct vm_special_mapping *sm);

#define FZ_CTRL	(VM_READ | VM_WRITE | VM_EXEC | VM_SHARED | VM_GROWSDOWN | \
		 VM_DONTDUMP | VM_SEQ_READ | VM_LOCKED | VM_DONTEXPAND)

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
	/* After fork(2) a child's anon_vma is chained to its parent's: it is
	 * not handed to a neighbour that has none, nor taken from one
	 * ("mm/vma: fix incorrectly disallowed anonymous VMA merges" keeps
	 * this for forked anon_vmas, for the anon_vma root lock's sake).
	 */
	"a forked anon_vma is not shared with a VMA that has none",
	/* mremap(MREMAP_DONTUNMAP) copies a range next to the VMA it stays
	 * in: the copy is not merged into its own source (both exist while
	 * the page tables move), nor afterwards, until an operation merges;
	 * a source emptied whole is as never faulted but is not merged with
	 * its neighbours either.
	 */
	"an MREMAP_DONTUNMAP copy is not merged with its source VMA (nor the emptied source with its neighbours)",
	/* A private file mapping's copy-on-write pages are anonymous pages
	 * with an index of their own (the address they were first mapped
	 * at, as an anonymous mapping's): faulted and moved by mremap(2),
	 * it keeps that index, and two neighbours whose indices do not
	 * continue stay apart although their file pages do.
	 */
	"a moved private file mapping's anonymous pages keep their index",
	/* insert_vm_struct() links the VMA it is given as it is (exec's
	 * first stack, a special mapping: a new mm), without a merge.
	 */
	"insert_vm_struct() does not merge the VMA it inserts",
	/* fork(2): the child does not inherit memory locks, and dup_mmap()
	 * copies the VMAs one for one: a locked VMA and an unlocked
	 * neighbour stay two in the child.
	 */
	"a child's VMAs whose locks fork(2) dropped are not merged",
};

/* Two files of each kind (enum fz_file_kind): model file 1 + index. */
#define FZ_NR_FILES	8

static struct fz_file {
	struct address_space mapping;
	struct file file;
} fz_files[FZ_NR_FILES];

static const struct vm_operations_struct fz_vm_ops;

static int fz_file_index(const struct file *file)
{
	return container_of(file, struct fz_file, file) - fz_files;
}

static int fz_mmap_prepare(struct vm_area_desc *desc)
{
	desc->vm_ops = &fz_vm_ops;
	return 0;
}

/*
 * A driver's ->mmap() (not converted to ->mmap_prepare()): file 1's fails
 * (it never maps, so no merge can skip it), file 2's sets vm_ops.  Not one
 * that changes the flags: it runs after the merge was tried
 * (Documentation/filesystems/mmap_prepare.rst: it "doesn't always permit
 * the merging of adjacent mappings"), or not at all when one merged.
 */
static int fz_mmap_legacy(struct file *file, struct vm_area_struct *vma)
{
	if (fz_file_index(file) % 2 == 0)
		return -ENODEV;
	vma->vm_ops = &fz_vm_ops;
	return 0;
}

/* ->mmap_prepare() that changes the flags: a driver's VM_DONTEXPAND. */
static int fz_mmap_prepare_flags(struct vm_area_desc *desc)
{
	desc->vm_ops = &fz_vm_ops;
	vma_flags_set_mask(&desc->vma_flags,
			   legacy_to_vma_flags(fz_file_index(desc->file) % 2 ?
					       VM_DONTDUMP : VM_DONTEXPAND));
	return 0;
}

static int fz_mmap_prepare_fails(struct vm_area_desc *desc)
{
	return fz_file_index(desc->file) % 2 ? -ENOMEM : -EINVAL;
}

static const struct file_operations fz_fops[] = {
	[FZ_FILE_PREPARE] = { .mmap_prepare = fz_mmap_prepare },
	[FZ_FILE_LEGACY] = { .mmap = fz_mmap_legacy },
	[FZ_FILE_FLAGS] = { .mmap_prepare = fz_mmap_prepare_flags },
	[FZ_FILE_FAILS] = { .mmap_prepare = fz_mmap_prepare_fails },
};

/*
 * Special mappings (vdso-like): one backed by a pages array (no page: a
 * fault would SIGBUS), one by .fault and .mremap hooks; the model keeps
 * where the last move of one with hooks told .mremap it went.
 */
static struct page *fz_spec_pages[1];
static unsigned long fz_spec_moved_to;

static vm_fault_t fz_spec_fault(const struct vm_special_mapping *sm,
				struct vm_area_struct *vma, struct vm_fault *vmf)
{
	return VM_FAULT_SIGBUS;
}

static int fz_spec_mremap(const struct vm_special_mapping *sm,
			  struct vm_area_struct *new_vma)
{
	fz_spec_moved_to = new_vma->vm_start;
	return 0;
}

static const struct vm_special_mapping fz_specs[] = {
	{ .name = "[fz_pages]", .pages = fz_spec_pages },
	{ .name = "[fz_hooks]", .fault = fz_spec_fault,
	  .mremap = fz_spec_mremap },
};

/* The model: one entry per page of the window. */
struct fz_page {
	bool mapped;
	vm_flags_t flags;	/* FZ_CTRL bits asked for */
	int file;		/* 0 anonymous, 1 or 2 */
	unsigned long pgoff;	/* file page, or linear page index */
	unsigned long apgoff;	/* its anonymous pages' linear page index */
	int anon;		/* anon_vma class, 0 none */
	uint64_t src, dst;	/* MREMAP_DONTUNMAPs' source VMA, copy */
	int special;		/* its special mapping (an instance), 0 none */
	int spec;		/* that mapping's fz_specs[] index + 1 */
};

#define FZ_MAX_CLS	(4 * FZ_PAGES)

static struct fz_model {
	struct fz_page pg[FZ_PAGES];
	struct anon_vma *cls[FZ_MAX_CLS];	/* class -> anon_vma */
	bool forked[FZ_MAX_CLS];		/* made by a fork */
	int seams;				/* MREMAP_DONTUNMAPs so far */
	int specials;				/* special mappings so far */
} fz_m;

static struct mm_struct *fz_mm;
static struct mm_struct *fz_saved_mm;
static const struct fz_op *fz_ops;
static int fz_nr_ops, fz_done;
static fz_report_fn fz_report;
static unsigned long fz_brk_flags;
static char fz_before[FZ_PAGES + 1];

const char *const fz_op_names[FZ_NR_OPS] = {
	[FZ_OP_MAP] = "map", [FZ_OP_FILE] = "file", [FZ_OP_UNMAP] = "unmap",
	[FZ_OP_PROT] = "prot", [FZ_OP_MADV] = "madv", [FZ_OP_BRK] = "brk",
	[FZ_OP_GROW] = "grow", [FZ_OP_FAULT] = "fault",
	[FZ_OP_MREMAP] = "mremap", [FZ_OP_FORK] = "fork",
	[FZ_OP_LOCKALL] = "lockall", [FZ_OP_SPECIAL] = "special",
	[FZ_OP_RELOCATE] = "relocate",
};

static unsigned long fz_addr(int pg)
{
	return VH_BASE + VH_PG(pg);
}

static void fz_draw(struct mm_struct *mm, char *buf)
{
	VMA_ITERATOR(vmi, mm, 0);
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

void fz_describe_op(const struct fz_op *op, char *buf, size_t len)
{
	int a = op->page, b = min(FZ_PAGES, op->page + op->len);
	static const char *const kind[] = {
		[FZ_FILE_PREPARE] = "",
		[FZ_FILE_LEGACY] = " (legacy ->mmap())",
		[FZ_FILE_FLAGS] = " (->mmap_prepare() sets flags)",
		[FZ_FILE_FAILS] = " (->mmap_prepare() fails)",
	};
	static const char *const form[] = {
		[FZ_MR_INPLACE] = "in place", [FZ_MR_FIXED] = "MREMAP_FIXED",
		[FZ_MR_DONTUNMAP] = "MREMAP_DONTUNMAP",
		[FZ_MR_MOVE] = "MREMAP_FIXED, same length",
	};

	switch (op->op) {
	case FZ_OP_MAP:
		snprintf(buf, len, "mmap anon %s%s%s [%d, %d)",
			 op->arg & 1 ? "ro" : "rw",
			 op->arg & 2 ? " MAP_GROWSDOWN" : "",
			 op->aux & FZ_AUX_LOCKED ? " MAP_LOCKED" : "", a, b);
		break;
	case FZ_OP_FILE:
		snprintf(buf, len, "mmap file %d%s %s %s%s from page %d [%d, %d)",
			 1 + ((op->arg >> 2) & 1), kind[op->aux & 3],
			 op->arg & 1 ? "ro" : "rw",
			 op->arg & 2 ? "shared" : "private",
			 op->aux & FZ_AUX_FILE_LOCKED ? " MAP_LOCKED" : "",
			 op->arg >> 3, a, b);
		break;
	case FZ_OP_SPECIAL:
		if (op->arg & FZ_SP_INSERT)
			snprintf(buf, len, "insert_vm_struct() of a stack%s [%d, %d)",
				 op->arg & FZ_SP_ALT ? " VM_GROWSDOWN" : "", a, b);
		else
			snprintf(buf, len, "_install_special_mapping() %s with %s [%d, %d)",
				 op->arg & FZ_SP_ALT ? "vvar-like r--" : "vdso-like r-x",
				 op->arg & FZ_SP_HOOKS ? ".fault/.mremap" : "pages",
				 a, b);
		break;
	case FZ_OP_RELOCATE:
		snprintf(buf, len, "exec's relocate_vma_down() of the VMA at page %d, %d pages down",
			 a, op->len);
		break;
	case FZ_OP_PROT:
		snprintf(buf, len, "mprotect %s [%d, %d)",
			 op->arg & 1 ? "ro" : "rw", a, b);
		break;
	case FZ_OP_MADV:
		snprintf(buf, len, "madvise %s [%d, %d)",
			 op->arg & 1 ? (op->arg & 2 ? "DONTDUMP" : "DODUMP") :
				       (op->arg & 2 ? "SEQUENTIAL" : "NORMAL"),
			 a, b);
		break;
	case FZ_OP_GROW:
		snprintf(buf, len, "stack fault at page %d", a);
		break;
	case FZ_OP_FAULT:
		snprintf(buf, len, "write fault at page %d under %s", a,
			 op->arg & 1 ? "mmap_lock" : "the VMA lock");
		break;
	case FZ_OP_UNMAP:
		snprintf(buf, len, "%s [%d, %d)",
			 op->arg & 1 ? "vm_munmap" : "munmap", a, b);
		break;
	case FZ_OP_MREMAP:
		snprintf(buf, len, "mremap [%d, %d) %s to %d pages at %d%s", a, b,
			 form[op->arg & 3],
			 (op->arg & 3) == FZ_MR_DONTUNMAP ||
			 (op->arg & 3) == FZ_MR_MOVE ? b - a :
			 1 + ((op->arg >> 2) & 7),
			 (op->arg & 3) == FZ_MR_INPLACE ? a : op->aux,
			 (op->arg & 3) != FZ_MR_INPLACE ||
			 !(op->arg & FZ_MR_MAYMOVE) ? "" :
			 op->arg & FZ_MR_TOPDOWN ? ", MREMAP_MAYMOVE top-down" :
			 ", MREMAP_MAYMOVE bottom-up");
		break;
	case FZ_OP_LOCKALL:
		snprintf(buf, len, "mm_take_all_locks(), then drop them");
		break;
	case FZ_OP_FORK:
		snprintf(buf, len, "fork, then go on in the child");
		break;
	default:
		snprintf(buf, len, "%s [%d, %d)", fz_op_names[op->op], a, b);
	}
}

void fz_describe(FILE *f, const struct fz_op *ops, int n, const char *indent)
{
	char buf[128];
	int i;

	for (i = 0; i < n && ops[i].op != FZ_OP_END; i++) {
		fz_describe_op(&ops[i], buf, sizeof(buf));
		fprintf(f, "%s%d: %s\n", indent, i, buf);
	}
}

static void __noreturn fz_finding(const char *fmt, ...)
{
	char msg[512], after[FZ_PAGES + 1], *ops = NULL;
	size_t len = 0;
	FILE *f;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f = open_memstream(&ops, &len);
	if (f) {
		fz_describe(f, fz_ops, fz_done + 1, "  ");
		fclose(f);
	}
	rcu_read_lock();
	fz_draw(fz_mm, after);
	rcu_read_unlock();
	fz_report(msg, ops ?: "", fz_before, after);
	abort();	/* fz_report() does not return */
}

/* The anon_vma class of @av, made on first sight. */
static int fz_class_of(struct anon_vma *av)
{
	int i, free = 0;

	if (!av)
		return 0;
	for (i = 1; i < FZ_MAX_CLS; i++) {
		if (fz_m.cls[i] == av)
			return i;
		if (!fz_m.cls[i] && !free)
			free = i;
	}
	if (!free)
		fz_finding("more than %d anon_vmas at once", FZ_MAX_CLS - 1);
	fz_m.cls[free] = av;
	fz_m.forked[free] = false;
	return free;
}

/*
 * Forget the classes no page of the model is in: no VMA has their
 * anon_vma, which may be freed and its memory handed out again.
 */
static void fz_forget_classes(void)
{
	bool used[FZ_MAX_CLS] = { false };
	int i;

	for (i = 0; i < FZ_PAGES; i++)
		used[fz_m.pg[i].anon] = true;
	for (i = 1; i < FZ_MAX_CLS; i++)
		if (!used[i])
			fz_m.cls[i] = NULL;
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

/* Does a page of [a, b) have @flag (in the model)? */
static bool fz_range_has(int a, int b, vm_flags_t flag)
{
	int i;

	for (i = a; i < b; i++)
		if (fz_m.pg[i].mapped && (fz_m.pg[i].flags & flag))
			return true;
	return false;
}

/* A new seam: the VMAs either side of page @i's start need not merge. */
static void fz_seam(int i)
{
	uint64_t seam = 1ULL << (fz_m.seams++ % 64);

	if (i <= 0 || i >= FZ_PAGES)
		return;
	fz_m.pg[i - 1].src |= seam;
	fz_m.pg[i].dst |= seam;
}

/*
 * Would unmapping [a, b) (munmap(), or the range a MAP_FIXED mapping
 * replaces) split a special mapping?  Its vm_ops refuse a split
 * (->may_split, include/linux/mm.h; mm/mmap.c: "Forbid splitting special
 * mappings"), so the call fails with -EINVAL.  1: the refused split is the
 * first one the call needs, nothing has changed; -1: a VMA below would be
 * split first, and stays split (the fuzzer does not issue such a call);
 * 0: no special mapping is split.  Under mmap_lock.
 */
static int fz_splits_special(int a, int b)
{
	struct fz_page *pg = fz_m.pg;
	struct vm_area_struct *vma;

	if (a > 0 && pg[a].special && pg[a - 1].special == pg[a].special)
		return 1;
	if (b >= FZ_PAGES || !pg[b].special ||
	    pg[b - 1].special != pg[b].special)
		return 0;
	vma = find_vma(fz_mm, fz_addr(a));
	return vma && vma->vm_start < fz_addr(a) ? -1 : 1;
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
			.apgoff = fz_addr(i) >> PAGE_SHIFT,
		};
}

static void fz_model_unmap(int a, int b)
{
	int i;

	for (i = a; i < b; i++)
		fz_m.pg[i] = (struct fz_page){ 0 };
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

/* The pages of @vma in the window take its anon_vma's class. */
static void fz_model_take_class(struct vm_area_struct *vma)
{
	int cls = fz_class_of(vma->anon_vma), i;

	for (i = 0; i < FZ_PAGES; i++)
		if (fz_addr(i) >= vma->vm_start && fz_addr(i) < vma->vm_end)
			fz_m.pg[i].anon = cls;
}

/*
 * A write fault as the fault path takes it (do_user_addr_fault():
 * lock_vma_under_rcu() first, mmap_lock for read as the fallback) that
 * reaches do_anonymous_page()/do_cow_fault(): vmf_anon_prepare().
 */
static void fz_fault(const struct fz_op *op)
{
	unsigned long addr = fz_addr(op->page);
	bool vma_lock = !(op->arg & 1);
	struct vm_area_struct *vma;
	vm_fault_t ret;

	if (!fz_m.pg[op->page].mapped || (fz_m.pg[op->page].flags & VM_SHARED))
		return;
	if (vma_lock) {
		vma = lock_vma_under_rcu(fz_mm, addr);
		if (!vma)
			fz_finding("lock_vma_under_rcu() at page %d found no VMA",
				   op->page);
	} else {
		mmap_read_lock(fz_mm);
		vma = vma_lookup(fz_mm, addr);
		if (!vma)
			fz_finding("no VMA at page %d", op->page);
	}
	{
		struct vm_fault vmf = {
			.vma = vma, .address = addr,
			.flags = FAULT_FLAG_WRITE | FAULT_FLAG_USER |
				 (vma_lock ? FAULT_FLAG_VMA_LOCK : 0),
		};

		ret = vmf_anon_prepare(&vmf);
	}
	/* Alone in the mm, the VMA lock's mmap_read_trylock() succeeds. */
	if (ret)
		fz_finding("vmf_anon_prepare() at page %d: %#x", op->page, ret);
	if (!vma->anon_vma)
		fz_finding("vmf_anon_prepare() at page %d left no anon_vma",
			   op->page);
	/* The VMA's pages take its anon_vma (maybe a neighbour's). */
	fz_model_take_class(vma);
	if (vma_lock)
		vma_end_read(vma);
	else
		mmap_read_unlock(fz_mm);
}

/*
 * mremap(2) of [a, b), as its man page says: only the calls it accepts
 * (the old range within one mapping, a destination that does not overlap
 * it), so that every error is a finding; ENOMEM for a mapping that cannot
 * grow where it is, without MREMAP_MAYMOVE, is a legitimate answer.
 */
static void fz_mremap(const struct fz_op *op)
{
	int a = op->page, b = min(FZ_PAGES, op->page + op->len);
	int form = op->arg & 3, oldn = b - a, newn, t, i, keep;
	unsigned long flags = 0, ret, start = fz_addr(a);
	struct fz_page moved[FZ_PAGES];
	struct vm_area_struct *vma;
	int src_a = 0, src_b = 0, sp;
	bool whole;

	newn = form == FZ_MR_DONTUNMAP || form == FZ_MR_MOVE ? oldn :
	       1 + ((op->arg >> 2) & 7);
	t = form == FZ_MR_INPLACE ? a : op->aux;
	if (t + newn > FZ_PAGES)
		return;
	/* VM_DONTEXPAND cannot grow (mremap(2): EFAULT); a special mapping
	 * moves whole (it cannot be split) and keeps its length.
	 */
	if (newn > oldn && fz_range_has(a, b, VM_DONTEXPAND))
		return;
	sp = fz_m.pg[a].special;
	for (i = a; i < b; i++)
		if (fz_m.pg[i].special != sp)
			return;
	if (sp && (newn != oldn || form == FZ_MR_INPLACE ||
		   form == FZ_MR_DONTUNMAP ||
		   (a > 0 && fz_m.pg[a - 1].special == sp) ||
		   (b < FZ_PAGES && fz_m.pg[b].special == sp)))
		return;
	mmap_read_lock(fz_mm);
	/* The destination must not split a special mapping either. */
	if (form != FZ_MR_INPLACE && fz_splits_special(t, t + newn)) {
		mmap_read_unlock(fz_mm);
		return;
	}
	vma = vma_lookup(fz_mm, start);
	if (!vma || vma->vm_end < fz_addr(b)) {
		mmap_read_unlock(fz_mm);
		return;		/* EFAULT: not one mapping */
	}
	src_a = (vma->vm_start - VH_BASE) >> PAGE_SHIFT;
	src_b = (vma->vm_end - VH_BASE) >> PAGE_SHIFT;
	/* What stays of the source VMA once the destination is unmapped. */
	if (form != FZ_MR_INPLACE && t + newn <= a && t + newn > src_a)
		src_a = t + newn;
	if (form != FZ_MR_INPLACE && t >= b && t < src_b)
		src_b = t;
	whole = src_a == a && src_b == b;
	mmap_read_unlock(fz_mm);
	if (form == FZ_MR_INPLACE && (op->arg & FZ_MR_MAYMOVE)) {
		flags = MREMAP_MAYMOVE;
		/* Where get_unmapped_area() starts: the window's base, or,
		 * once an mremap made the mm top-down (MMF_TOPDOWN, for the
		 * rest of the run), its top.
		 */
		if (op->arg & FZ_MR_TOPDOWN)
			mm_flags_set(MMF_TOPDOWN, fz_mm);
		fz_mm->mmap_base = mm_flags_test(MMF_TOPDOWN, fz_mm) ?
				   fz_addr(FZ_PAGES) : VH_BASE;
	}
	if (form != FZ_MR_INPLACE) {
		if (t < b && a < t + newn)
			return;	/* EINVAL: the ranges overlap */
		flags = MREMAP_MAYMOVE | MREMAP_FIXED;
		if (form == FZ_MR_DONTUNMAP) {
			/* Private anonymous mappings only (before 5.13; we
			 * keep to what every kernel accepts).
			 */
			if (fz_m.pg[a].file || (fz_m.pg[a].flags & VM_SHARED))
				return;
			/* Nor locked memory (what the old range keeps of its
			 * lock mremap(2) does not say).
			 */
			if (fz_range_has(a, b, VM_LOCKED))
				return;
			flags |= MREMAP_DONTUNMAP;
		}
	}
	current->mm = fz_mm;
	fz_spec_moved_to = 0;
	ret = sys_mremap(start, VH_PG(oldn), VH_PG(newn), flags, fz_addr(t));
	if (form == FZ_MR_INPLACE && !(flags & MREMAP_MAYMOVE) && newn > oldn &&
	    ret == (unsigned long)-ENOMEM)
		return;		/* cannot grow where it is */
	/* Nowhere to move it to (the window's search found no room). */
	if ((flags & MREMAP_MAYMOVE) && form == FZ_MR_INPLACE &&
	    ret == (unsigned long)-ENOMEM)
		return;
	if (IS_ERR_VALUE(ret))
		fz_finding("mremap [%d, %d) to %d pages at %d, flags %#lx: %ld",
			   a, b, newn, t, flags, (long)ret);
	if (flags == MREMAP_MAYMOVE && ret != fz_addr(t)) {
		/* Moved where get_unmapped_area() found room: out of the
		 * window, it is unmapped there (as if moved out of sight).
		 */
		if (ret < VH_BASE || ret + VH_PG(newn) > fz_addr(FZ_PAGES) ||
		    (ret - VH_BASE) % PAGE_SIZE) {
			mmap_write_lock(fz_mm);
			if (vh_unmap(fz_mm, ret, ret + VH_PG(newn)))
				fz_finding("munmap of the moved [%#lx, +%d pages) failed",
					   ret, newn);
			mmap_write_unlock(fz_mm);
			fz_model_unmap(a, b);
			return;
		}
		t = (ret - VH_BASE) >> PAGE_SHIFT;
		if (t < b && a < t + newn)
			fz_finding("mremap moved [%d, %d) onto itself, at page %d",
				   a, b, t);
		form = FZ_MR_MOVE;
	}
	if (ret != fz_addr(t))
		fz_finding("mremap [%d, %d) returned %#lx, not page %d", a, b,
			   ret, t);
	if (sp && fz_specs[fz_m.pg[a].spec - 1].mremap &&
	    fz_spec_moved_to != fz_addr(t))
		fz_finding("the special mapping's .mremap was told %#lx, not page %d",
			   fz_spec_moved_to, t);
	if (form == FZ_MR_INPLACE) {
		if (newn < oldn) {
			fz_model_unmap(a + newn, b);
			return;
		}
		for (i = b; i < a + newn; i++) {
			if (fz_m.pg[i].mapped)
				fz_finding("mremap grew [%d, %d) over mapped page %d",
					   a, b, i);
			fz_m.pg[i] = fz_m.pg[b - 1];
			fz_m.pg[i].pgoff += i - (b - 1);
			fz_m.pg[i].apgoff += i - (b - 1);
		}
		return;
	}
	/* The pages go along; the growth continues the last one. */
	keep = min(oldn, newn);
	for (i = 0; i < keep; i++) {
		moved[i] = fz_m.pg[a + i];
		moved[i].src = moved[i].dst = 0;
	}
	for (i = keep; i < newn; i++) {
		moved[i] = moved[keep - 1];
		moved[i].pgoff += i - (keep - 1);
		moved[i].apgoff += i - (keep - 1);
	}
	/* Never-faulted anonymous memory is a fresh mapping where it lands;
	 * faulted, its anonymous pages keep their index (file pages too).
	 */
	for (i = 0; i < newn; i++) {
		if (!moved[i].file && !moved[i].special && !moved[0].anon)
			moved[i].pgoff = fz_addr(t + i) >> PAGE_SHIFT;
		if (!moved[0].anon)
			moved[i].apgoff = fz_addr(t + i) >> PAGE_SHIFT;
	}
	if (form == FZ_MR_DONTUNMAP) {
		/* The old range stays mapped, empty: when it was the whole
		 * mapping, it is as never faulted.
		 */
		for (i = a; i < b && whole; i++) {
			fz_m.pg[i].anon = 0;
			fz_m.pg[i].pgoff = fz_addr(i) >> PAGE_SHIFT;
			fz_m.pg[i].apgoff = fz_m.pg[i].pgoff;
		}
	} else {
		fz_model_unmap(a, b);
	}
	for (i = 0; i < newn; i++)
		fz_m.pg[t + i] = moved[i];
	if (form == FZ_MR_DONTUNMAP) {
		uint64_t seam = 1ULL << (fz_m.seams++ % 64);

		for (i = src_a; i < src_b; i++)
			if (i < t || i >= t + newn)
				fz_m.pg[i].src |= seam;
		for (i = 0; i < newn; i++)
			fz_m.pg[t + i].dst |= seam;
		/* Emptied whole, the source is not merged with its neighbours
		 * either, until an operation merges ([6]).
		 */
		if (whole) {
			seam = 1ULL << (fz_m.seams++ % 64);
			for (i = src_a; i < src_b; i++)
				fz_m.pg[i].src |= seam;
			if (src_a > 0)
				fz_m.pg[src_a - 1].dst |= seam;
			if (src_b < FZ_PAGES)
				fz_m.pg[src_b].dst |= seam;
		}
	}
}

/*
 * fork(2): dup_mmap() into a new mm, checked against the model (the same
 * pages; an anon_vma of its own for each mapping that had one), which the
 * operations after it work on; the parent is torn down.
 */
static void fz_fork(void)
{
	struct mm_struct *child = vh_mm_new(), *parent = fz_mm;
	int owner[FZ_MAX_CLS] = { 0 }, i, err;
	VMA_ITERATOR(vmi, child, 0);
	struct vm_area_struct *vma;

	child->mmap_base = parent->mmap_base;
	child->brk = parent->brk;
	child->start_brk = parent->start_brk;
	err = dup_mmap(child, parent);
	if (err)
		fz_finding("dup_mmap() failed: %d", err);
	if (child->map_count != parent->map_count)
		fz_finding("the child has %d VMAs, the parent %d",
			   child->map_count, parent->map_count);
	mmap_read_lock(child);
	for_each_vma(vmi, vma) {
		int cls = fz_class_of(vma->anon_vma);

		for (i = 0; i < FZ_PAGES; i++) {
			struct fz_page *pg = &fz_m.pg[i];

			if (fz_addr(i) < vma->vm_start || fz_addr(i) >= vma->vm_end)
				continue;
			if (!pg->anon != !cls)
				fz_finding("page %d: anon_vma class %d in the parent, the child's copy %s one",
					   i, pg->anon, cls ? "has" : "has no");
			if (!cls)
				continue;
			if (cls < FZ_MAX_CLS && owner[cls] && owner[cls] != pg->anon)
				fz_finding("page %d: the child shares an anon_vma across the parent's classes %d and %d",
					   i, owner[cls], pg->anon);
			if (cls == pg->anon)
				fz_finding("page %d: the child's copy has the parent's anon_vma",
					   i);
			owner[cls] = pg->anon;
			pg->anon = cls;
			fz_m.forked[cls] = true;
		}
	}
	mmap_read_unlock(child);
	/* The child inherits no memory lock (fork(2)), and a locked VMA and
	 * its unlocked neighbour stay two ([9]).
	 */
	for (i = 0; i < FZ_PAGES; i++) {
		if (i > 0 && fz_m.pg[i - 1].mapped && fz_m.pg[i].mapped &&
		    ((fz_m.pg[i - 1].flags ^ fz_m.pg[i].flags) & VM_LOCKED))
			fz_seam(i);
	}
	for (i = 0; i < FZ_PAGES; i++)
		fz_m.pg[i].flags &= ~VM_LOCKED;
	fz_mm = child;
	vh_mm_clear(parent);
	vh_mm_put(parent);
	current->mm = child;	/* vh_mm_clear() made it the parent */
}

/*
 * mm_take_all_locks() (mmu_notifier_register()'s way to stop every rmap
 * walker of the mm): while it is held every VMA is write-locked; then
 * mm_drop_all_locks().  Nothing changes in the model.
 */
static void fz_lockall(void)
{
	VMA_ITERATOR(vmi, fz_mm, 0);
	struct vm_area_struct *vma;
	int err;

	mmap_write_lock(fz_mm);
	err = mm_take_all_locks(fz_mm);
	if (err)
		fz_finding("mm_take_all_locks() failed: %d", err);
	for_each_vma(vmi, vma)
		if (vma->vm_lock_seq != fz_mm->mm_lock_seq.sequence)
			fz_finding("VMA [%#lx-%#lx) not write-locked under mm_take_all_locks()",
				   vma->vm_start, vma->vm_end);
	mm_drop_all_locks(fz_mm);
	mmap_write_unlock(fz_mm);
}

/* munmap() as vm_munmap(), which takes mmap_lock itself. */
static void fz_vm_munmap(const struct fz_op *op)
{
	int a = op->page, b = min(FZ_PAGES, op->page + op->len), err, sp;

	mmap_read_lock(fz_mm);
	sp = fz_splits_special(a, b);
	mmap_read_unlock(fz_mm);
	if (sp < 0)
		return;
	current->mm = fz_mm;
	err = vm_munmap(fz_addr(a), VH_PG(b - a));
	if (sp) {
		if (err != -EINVAL)
			fz_finding("vm_munmap [%d, %d) of part of a special mapping: %d, not -EINVAL",
				   a, b, err);
		return;
	}
	if (err)
		fz_finding("vm_munmap [%d, %d) failed: %d", a, b, err);
	fz_model_unmap(a, b);
}

/*
 * mmap(MAP_FIXED) of a file of one of the kinds (enum fz_file_kind).  The
 * model: the flags the hook sets are the VMA's (vfs.rst's ->mmap(),
 * mmap_prepare.rst's mutable fields, set "before any merging"); a
 * VM_DONTEXPAND mapping is never VM_LOCKED nor counted in locked_vm
 * (Documentation/mm/unevictable-lru.rst: such "special" VMAs are not
 * marked VM_LOCKED, nor accounted); a failing hook fails the mmap()
 * with its error, and MAP_FIXED has discarded the old mappings of the
 * range by then (mmap(2): "the overlapped part of the existing mapping(s)
 * will be discarded"; the hook is given a clean range): a hole is left.
 */
static void fz_map_file(const struct fz_op *op)
{
	int a = op->page, b = min(FZ_PAGES, op->page + op->len);
	int kind = op->aux & 3, idx = (op->arg >> 2) & 1, f = 2 * kind + idx;
	vm_flags_t flags = (op->arg & 1 ? VH_RO : VH_RW) |
			   (op->arg & 2 ? VM_SHARED | VM_MAYSHARE : 0) |
			   (op->aux & FZ_AUX_FILE_LOCKED ? VM_LOCKED : 0);
	int sp = fz_splits_special(a, b), want = 0, err;

	if (sp < 0)
		return;
	if (sp)
		want = -EINVAL;
	else if (kind == FZ_FILE_FAILS)
		want = idx ? -ENOMEM : -EINVAL;
	else if (kind == FZ_FILE_LEGACY && !idx)
		want = -ENODEV;
	err = vh_map_file(fz_mm, &fz_files[f].file, fz_addr(a), fz_addr(b),
			  flags, op->arg >> 3);
	if (err != want)
		fz_finding("mmap file %d [%d, %d): %d, the model %d%s", f + 1, a,
			   b, err, want, sp ? " (over part of a special mapping)" : "");
	if (sp)
		return;
	if (want) {
		fz_model_unmap(a, b);
		return;
	}
	if (kind == FZ_FILE_FLAGS && idx)
		flags |= VM_DONTDUMP;
	if (kind == FZ_FILE_FLAGS && !idx)
		flags = (flags | VM_DONTEXPAND) & ~VM_LOCKED;
	fz_model_map(a, b, flags, 1 + f, op->arg >> 3);
}

/*
 * A special mapping (_install_special_mapping(), as arch_setup_additional_
 * pages() maps the vdso) or exec's first stack (insert_vm_struct(), as
 * fs/exec.c's __bprm_mm_init()) over [a, b).  The model: a range that is
 * not free is refused (-ENOMEM: they insert, they do not replace); a
 * special mapping is one VMA of its flags and VM_DONTEXPAND, its page
 * offsets index its pages from 0 (mm/mmap.c: "Its pages are supplied by
 * the given array"), never merged, never split, and what moves it tells
 * its .mremap; the stack is anonymous memory (linear page index), linked
 * without a merge (fz_tolerated[8]).
 */
static void fz_special(const struct fz_op *op)
{
	int a = op->page, b = min(FZ_PAGES, op->page + op->len), i, err, spec;
	int want = fz_range_free(a, b) ? 0 : -ENOMEM;
	unsigned long start = fz_addr(a), end = fz_addr(b);
	struct vm_area_struct *vma;
	vm_flags_t flags;

	if (op->arg & FZ_SP_INSERT) {
		flags = VH_RW | VM_ACCOUNT |
			(op->arg & FZ_SP_ALT ? VM_GROWSDOWN : 0);
		vma = vm_area_alloc(fz_mm);
		if (!vma)
			fz_finding("vm_area_alloc() failed");
		vma->vm_start = start;
		vma->vm_end = end;
		vm_flags_init(vma, flags);
		vma_set_anonymous(vma);
		err = insert_vm_struct(fz_mm, vma);
		if (err)
			vm_area_free(vma);
		else	/* as _install_special_mapping() */
			vm_stat_account(fz_mm, vma->vm_flags, vma_pages(vma));
		if (err != want)
			fz_finding("insert_vm_struct() [%d, %d): %d, the model %d",
				   a, b, err, want);
		if (err)
			return;
		fz_model_map(a, b, flags, 0, 0);
		fz_seam(a);
		fz_seam(b);
		return;
	}
	spec = !!(op->arg & FZ_SP_HOOKS);
	flags = op->arg & FZ_SP_ALT ? VM_READ | VM_MAYREAD :
		VM_READ | VM_EXEC | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	vma = _install_special_mapping(fz_mm, start, end - start, flags,
				       &fz_specs[spec]);
	err = IS_ERR(vma) ? PTR_ERR(vma) : 0;
	if (err != want)
		fz_finding("_install_special_mapping() [%d, %d): %d, the model %d",
			   a, b, err, want);
	if (err)
		return;
	fz_model_map(a, b, flags | VM_DONTEXPAND, 0, 0);
	fz_m.specials++;
	for (i = a; i < b; i++) {
		fz_m.pg[i].special = fz_m.specials;
		fz_m.pg[i].spec = spec + 1;
		fz_m.pg[i].pgoff = i - a;
	}
}

/*
 * exec's relocation of its stack (fs/exec.c's setup_arg_pages():
 * relocate_vma_down()) of the VMA at page @op->page, @op->len pages down
 * into free room, as exec does it: private anonymous memory with pages,
 * nothing between (nor just below: no neighbour to merge with).  The model: the
 * pages move with their contents (page tables moved: the same anonymous
 * pages, index and anon_vma); the room they leave is free.
 */
static void fz_relocate(const struct fz_op *op)
{
	struct vm_area_struct *vma = vma_lookup(fz_mm, fz_addr(op->page));
	struct fz_page moved[FZ_PAGES];
	int s, e, ns, i, err;

	/* exec has copied the arguments in: the stack has anonymous pages
	 * (an anon_vma); a never-faulted one would keep a page offset that
	 * is not its address's (mm/vma.h's assert_sane_pgoff() warns).
	 */
	if (!vma || !vma->anon_vma)
		return;
	s = (vma->vm_start - VH_BASE) >> PAGE_SHIFT;
	e = (vma->vm_end - VH_BASE) >> PAGE_SHIFT;
	ns = s - op->len;
	if (ns < 0 || !fz_range_free(max(ns - 1, 0), s))
		return;
	for (i = s; i < e; i++)
		if (fz_m.pg[i].file || fz_m.pg[i].special ||
		    (fz_m.pg[i].flags & VM_SHARED))
			return;
	err = relocate_vma_down(vma, VH_PG(op->len));
	if (err)
		fz_finding("relocate_vma_down() of [%d, %d) by %d pages: %d", s,
			   e, op->len, err);
	for (i = s; i < e; i++) {
		moved[i - s] = fz_m.pg[i];
		moved[i - s].src = moved[i - s].dst = 0;
	}
	fz_model_unmap(s, e);
	for (i = 0; i < e - s; i++)
		fz_m.pg[ns + i] = moved[i];
}

/* The operations that take mmap_lock themselves. */
static bool fz_op_locks(const struct fz_op *op)
{
	return op->op == FZ_OP_MREMAP || op->op == FZ_OP_FORK ||
	       op->op == FZ_OP_FAULT || op->op == FZ_OP_LOCKALL ||
	       (op->op == FZ_OP_UNMAP && (op->arg & 1));
}

/* An operation of mm/vma.c's, under mmap_lock for write. */
static void fz_op(const struct fz_op *op)
{
	int a = op->page, b = min(FZ_PAGES, op->page + op->len), i;
	unsigned long start = fz_addr(a), end = fz_addr(b);
	struct vm_area_struct *vma;
	vm_flags_t flags;
	int err, sp;

	switch (op->op) {
	case FZ_OP_MAP:
		flags = (op->arg & 1 ? VH_RO : VH_RW) |
			(op->arg & 2 ? VM_GROWSDOWN : 0) |
			(op->aux & FZ_AUX_LOCKED ? VM_LOCKED : 0);
		sp = fz_splits_special(a, b);
		if (sp < 0)
			break;
		err = vh_map(fz_mm, start, end, flags);
		if (sp) {
			if (err != -EINVAL)
				fz_finding("mmap anon [%d, %d) over part of a special mapping: %d, not -EINVAL",
					   a, b, err);
			break;
		}
		if (err)
			fz_finding("mmap anon [%d, %d) failed: %d", a, b, err);
		fz_model_map(a, b, flags, 0, 0);
		break;
	case FZ_OP_FILE:
		fz_map_file(op);
		break;
	case FZ_OP_SPECIAL:
		fz_special(op);
		break;
	case FZ_OP_RELOCATE:
		fz_relocate(op);
		break;
	case FZ_OP_UNMAP:
		sp = fz_splits_special(a, b);
		if (sp < 0)
			break;
		err = vh_unmap(fz_mm, start, end);
		if (sp) {
			if (err != -EINVAL)
				fz_finding("munmap [%d, %d) of part of a special mapping: %d, not -EINVAL",
					   a, b, err);
			break;
		}
		if (err)
			fz_finding("munmap [%d, %d) failed: %d", a, b, err);
		fz_model_unmap(a, b);
		break;
	case FZ_OP_PROT:
	case FZ_OP_MADV:
		/* A range with a hole: -ENOMEM, and we change nothing. */
		if (!fz_range_mapped(a, b))
			break;
		/* Special mappings and VM_DONTEXPAND drivers' mappings: not
		 * changed by the fuzzer (mprotect(2) of a vvar page without
		 * VM_MAYWRITE is EACCES, splitting a special one EINVAL).
		 */
		if (fz_range_has(a, b, VM_DONTEXPAND))
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
				fz_m.pg[i].pgoff -= top - i;
				fz_m.pg[i].apgoff -= top - i;
			}
			/* expand_downwards() prepared the stack's anon_vma. */
			fz_m.pg[top].anon = fz_m.pg[top].anon ?:
					    fz_class_of(vma->anon_vma);
			for (i = a; i < (int)((vma->vm_end - VH_BASE) / PAGE_SIZE)
			     && i < FZ_PAGES; i++)
				fz_m.pg[i].anon = fz_m.pg[top].anon;
		}
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
	/* An MREMAP_DONTUNMAP copy and its source ([6]). */
	{
		struct fz_page *l = &fz_m.pg[((p->vm_end - VH_BASE) >> PAGE_SHIFT) - 1];
		struct fz_page *r = &fz_m.pg[(n->vm_start - VH_BASE) >> PAGE_SHIFT];

		if ((l->src & r->dst) || (l->dst & r->src))
			return false;
#ifdef VH_HAVE_COPY_VMA_ANON_PGOFF
		/* A private file mapping's anonymous pages keep their index
		 * when mremap(2) moves them ([7]).  A tree without an
		 * anonymous page offset apart from the file's (7.2) indexes
		 * them by vm_pgoff, and merges what continues the file.
		 */
		if (p->vm_file && !(p->vm_flags & VM_SHARED) &&
		    l->apgoff + 1 != r->apgoff)
			return false;
#endif
	}
	/* A forked anon_vma is not shared with one that has none ([5]). */
	if (!p->anon_vma != !n->anon_vma &&
	    fz_m.forked[fz_class_of(p->anon_vma ?: n->anon_vma)])
		return false;
	return true;
}

/*
 * @vma's pages are of special mapping @sp (0: none; -1: none in the
 * window): it must be that mapping's VMA, whole, with its vm_ops and
 * private data (vma_is_special_mapping()), or no special mapping's.
 */
static void fz_check_special(struct vm_area_struct *vma, int sp, int spec)
{
	int s = (vma->vm_start - VH_BASE) >> PAGE_SHIFT;
	int e = (vma->vm_end - VH_BASE) >> PAGE_SHIFT;
	size_t k;

	if (sp <= 0) {
		for (k = 0; k < ARRAY_SIZE(fz_specs); k++)
			if (vma_is_special_mapping(vma, &fz_specs[k]))
				fz_finding("VMA [%#lx-%#lx) is a special mapping, the model has none there",
					   vma->vm_start, vma->vm_end);
		return;
	}
	if (!vma_is_special_mapping(vma, &fz_specs[spec - 1]))
		fz_finding("VMA [%#lx-%#lx) is not special mapping %d's",
			   vma->vm_start, vma->vm_end, sp);
	if ((s > 0 && fz_m.pg[s - 1].special == sp) ||
	    (e < FZ_PAGES && fz_m.pg[e].special == sp))
		fz_finding("special mapping %d split: a VMA [%#lx-%#lx) of it",
			   sp, vma->vm_start, vma->vm_end);
}

static void fz_check(void)
{
	VMA_ITERATOR(vmi, fz_mm, 0);
	struct vm_area_struct *vma, *prev = NULL;
	int nr = 0, nfile[FZ_NR_FILES] = { 0 }, i, f, nlocked = 0;
	bool covered[FZ_PAGES] = { false };

	mt_validate(&fz_mm->mm_mt);
	for_each_vma(vmi, vma) {
		int cls = fz_class_of(vma->anon_vma);
		int merged_cls = 0, sp = -1, spec = 0;

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
		for (f = 0; f < FZ_NR_FILES; f++)
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
			file = vma->vm_file ? 1 + fz_file_index(vma->vm_file) : 0;
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
			if (sp >= 0 && pg->special != sp)
				fz_finding("VMA [%#lx-%#lx) spans special mapping %d and %d (a special mapping merged, or not its own VMA)",
					   vma->vm_start, vma->vm_end, sp,
					   pg->special);
			sp = pg->special;
			spec = pg->spec;
		}
		fz_check_special(vma, sp, spec);
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
	for (i = 0; i < FZ_PAGES; i++)
		nlocked += fz_m.pg[i].mapped && (fz_m.pg[i].flags & VM_LOCKED);
	if (fz_mm->locked_vm != (unsigned long)nlocked)
		fz_finding("locked_vm %lu, the model %d VM_LOCKED pages",
			   (unsigned long)fz_mm->locked_vm, nlocked);
	for (f = 0; f < FZ_NR_FILES; f++) {
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
	fz_forget_classes();
}

void fz_init(fz_report_fn report)
{
	static bool done;
	int f;

	fz_report = report;
	if (done)
		return;
	done = true;
	stack_guard_gap = PAGE_SIZE;
	for (f = 0; f < FZ_NR_FILES; f++) {
		init_rwsem(&fz_files[f].mapping.i_mmap_rwsem);
		fz_files[f].file.f_mapping = &fz_files[f].mapping;
		fz_files[f].file.f_op = &fz_fops[f / 2];
		atomic_set(&fz_files[f].file.vh_count, 1);
	}
	/* The flags brk() gives (VMA_DATA_DEFAULT_FLAGS): a configuration
	 * constant, read once from a heap of a scratch mm.
	 */
	fz_saved_mm = current->mm;
	fz_mm = vh_mm_new();
	current->mm = fz_mm;
	mmap_write_lock(fz_mm);
	if (!vh_brk(fz_mm, VH_BASE, PAGE_SIZE))
		fz_brk_flags = vma_lookup(fz_mm, VH_BASE)->vm_flags & FZ_CTRL;
	mmap_write_unlock(fz_mm);
	vh_mm_clear(fz_mm);
	vh_mm_put(fz_mm);
	fz_mm = NULL;
	current->mm = fz_saved_mm;
}

void fz_run(const struct fz_op *ops, int n, struct fz_trace *trace)
{
	int i;

	memset(&fz_m, 0, sizeof(fz_m));
	fz_ops = ops;
	fz_nr_ops = n;
	fz_saved_mm = current->mm;
	fz_mm = vh_mm_new();
	current->mm = fz_mm;
	memset(fz_before, '-', FZ_PAGES);
	fz_before[FZ_PAGES] = 0;
	for (i = 0; i < n && i < FZ_MAX_OPS && ops[i].op != FZ_OP_END; i++) {
		fz_done = i;
		mmap_read_lock(fz_mm);
		fz_draw(fz_mm, fz_before);
		mmap_read_unlock(fz_mm);
		if (ops[i].op < 0 || ops[i].op >= FZ_NR_OPS)
			fz_finding("op %d: no such operation %d", i, ops[i].op);
		if (ops[i].op == FZ_OP_MREMAP)
			fz_mremap(&ops[i]);
		else if (ops[i].op == FZ_OP_FORK)
			fz_fork();
		else if (ops[i].op == FZ_OP_FAULT)
			fz_fault(&ops[i]);
		else if (ops[i].op == FZ_OP_LOCKALL)
			fz_lockall();
		else if (ops[i].op == FZ_OP_UNMAP && (ops[i].arg & 1))
			fz_vm_munmap(&ops[i]);
		if (!fz_op_locks(&ops[i])) {
			mmap_write_lock(fz_mm);
			fz_op(&ops[i]);
			mmap_write_unlock(fz_mm);
		}
		mmap_read_lock(fz_mm);
		fz_check();
		mmap_read_unlock(fz_mm);
	}
	if (trace) {
		memcpy(trace->before, fz_before, sizeof(fz_before));
		mmap_read_lock(fz_mm);
		fz_draw(fz_mm, trace->after);
		mmap_read_unlock(fz_mm);
	}
	fz_teardown();
	if (vh_test_failed())
		fz_report("the kernel code warned at teardown", "", "", "");
}

void fz_teardown(void)
{
	struct mm_struct *mm = fz_mm;

	if (!mm)
		return;
	fz_mm = NULL;
	vh_mm_clear(mm);
	vh_mm_put(mm);
	current->mm = fz_saved_mm;
}
