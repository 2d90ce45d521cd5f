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
 * (fuzz/fuzz.h).  The window is FZ_PAGES pages from VH_BASE.  A map, file,
 * unmap, prot, madv, uffd or special op may cover the whole VMA or hole
 * its page is in rather than the pages from it (the page byte's bit 5:
 * fz_place()).
 * Operations:
 *
 *	map	mmap(MAP_FIXED) anonymous (mmap_region()), RW or RO, possibly
 *		MAP_GROWSDOWN; .aux bit 0 MAP_LOCKED (VM_LOCKED, locked_vm),
 *		bit 1 adds PROT_EXEC, bit 2 first turns on the mm's MDWE
 *		(prctl(PR_SET_MDWE)), which refuses a new writable executable
 *		mapping with -EACCES
 *	file	mmap(MAP_FIXED) of one of two files, private or shared, from a
 *		file page given by the argument; .aux bits 0-1 the files'
 *		kind (enum fz_file_kind: ->mmap_prepare() setting vm_ops, a
 *		legacy ->mmap() (failing for file 1), ->mmap_prepare() adding
 *		VM_DONTEXPAND or VM_DONTDUMP, ->mmap_prepare() failing), bit 2
 *		MAP_LOCKED; bit 3 the kind instead a driver's whose vm_ops
 *		have open() and close()
 *	unmap	munmap() (do_vmi_munmap(); with arg bit 0, vm_munmap(), which
 *		takes mmap_lock itself); .aux bit 0 gives it an address off a
 *		page boundary (-EINVAL), bit 1 a length a byte short of the
 *		pages (all of them go)
 *	prot	mprotect() of a fully mapped range, VMA by VMA
 *		(vma_modify_flags(), as mprotect_fixup())
 *	madv	madvise(MADV_DONTDUMP/DODUMP, MADV_SEQUENTIAL/NORMAL) of a fully
 *		mapped range: vma_modify_flags(), as madvise_update_vma()
 *	brk	brk() growing a heap into free pages (do_brk_flags())
 *	grow	a stack fault below a VMA (expand_downwards(), which refuses
 *		one that does not grow down, or one that would come closer
 *		than the guard gap to a mapping below)
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
 *	fail	arms a failure for the next operation (then lifted): arg
 *		bits 0-1 what (enum fz_fail_kind), bits 2-7 n: the VMA
 *		allocation 1 + (n & 3) from now fails (vh_failslab(), as
 *		CONFIG_FAILSLAB; with n bit 2, the anon_vma_chain's); vm.max_map_count = map_count + (n & 3) - 1;
 *		RLIMIT_AS = the pages mapped + (n & 7) - 1; RLIMIT_STACK = n
 *		pages.  The model predicts the outcome from the man pages
 *		(fz_fail below): an rlimit's exactly where the call is exact,
 *		an allocation's and map_count's either way, and what a call
 *		that failed leaves.  Before a lockall, any kind is a fatal
 *		signal pending (mm_take_all_locks()'s -EINTR); a fault or
 *		fork runs without it.  A maple node preallocation does not
 *		fail: the environment's maple allocator (tools/testing/
 *		shared's) cannot make a GFP_KERNEL one fail
 *	uffd	userfaultfd: UFFDIO_REGISTER (MODE_MISSING, MODE_WP),
 *		UFFDIO_UNREGISTER or close() of one of two contexts (arg
 *		bit 0), the action in bits 1-3 (enum fz_uffd_action), through
 *		mm/userfaultfd.c's handlers (vma_modify_flags_uffd()); the
 *		model has each page's context and modes (fz_uffd())
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
 * page offsets that continue, anon_vmas that do not differ (the same,
 * or at least one has none), and the same userfaultfd context (faults are
 * delivered to one; ioctl_userfaultfd(2), Documentation/admin-guide/mm/
 * userfaultfd.rst).  Checked after every operation:
 *
 *  - the tree holds exactly the model's mapped pages, each with the model's
 *    flags, file and file page, userfaultfd context and modes;
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
#include <uapi/linux/userfaultfd.h>
#include "../shared/env/env.h"
#include "../shared/env/report.h"
#include "../shared/kunit/test.h"
#include "probes.h"		/* VH_HAVE_*: the tree's API, probed */
#include "../shared/vma/vma.h"
#include "../shared/env/uffd_api.h"
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
	/* An operation that fails with ENOMEM after a split (the first of a
	 * munmap()'s two, mprotect()'s, a MAP_FIXED mmap()'s) does not undo
	 * it: the two parts stay apart until an operation merges them; nor
	 * does one that succeeded without the merge a failed allocation cost
	 * it (a new VMA rather than an expanded one).
	 */
	"a split made before an operation failed stays",
	/* mremap(2) that moved a range but could not unmap the old one (a
	 * split failed) keeps both, and says it succeeded (mm/mremap.c:
	 * "OOM: unable to split vma, just get accounts right").
	 */
	"a move whose old range could not be unmapped keeps it",
	/* A driver with vm_ops->close() counts its VMAs (open() and close()
	 * pair up, include/linux/mm.h): a merge must not remove one, so two
	 * that exist stay apart (a new mapping may still extend one).
	 */
	"two VMAs whose vm_ops have close() are never merged",
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

/*
 * Kernel warnings the fuzzer found on clean trees, each with why it is
 * the kernel's (README "Findings on clean trees").  As syzkaller's known
 * bugs, an input that provokes one is not a finding again, so that a
 * campaign goes on to others: it is counted (fz_known_hits(), printed at
 * the target's end).  Its row of tests/fuzz_regress.c (.known) wants the
 * warning, so that a tree that fixes it fails the row and says so.
 */
const struct fz_known fz_known[FZ_NR_KNOWN] = {
	{ .warn = "mas_is_active(mas) && (mas->index > start",
	  .why = "vma_merge_new_range() leaves the VMA iterator on prev when vma_expand() fails (anon_vma_clone() out of memory); __mmap_region() then makes a new VMA, and __mmap_new_vma()'s vma_iter_config() sets a range outside the iterator's slot: __mas_set_range()'s MAS_WARN_ON(), a WARN_ON() where CONFIG_DEBUG_MAPLE_TREE is off" },
};
static unsigned long fz_known_count[FZ_NR_KNOWN];

unsigned long fz_known_hits(int k)
{
	return fz_known_count[k];
}

/* Two files of each kind (enum fz_file_kind): model file 1 + index. */
#define FZ_NR_FILES	(2 * FZ_NR_FILE_KINDS)

static struct fz_file {
	struct address_space mapping;
	struct file file;
} fz_files[FZ_NR_FILES];

static const struct vm_operations_struct fz_vm_ops;

static int fz_file_index(const struct file *file)
{
	return container_of(file, struct fz_file, file) - fz_files;
}

/*
 * FZ_FILE_CLOSE's files are a driver's, whose vm_ops have open() and
 * close().  include/linux/mm.h: close() is called when a VMA is removed
 * from the mm, open() when one is made by copying or splitting another;
 * so the VMAs that have them are the mmap()s that made a VMA of their
 * own, plus the open()s, less the close()s.  fz_check() counts.
 */
static int fz_opens, fz_closes;

static void fz_vm_open(struct vm_area_struct *vma)
{
	fz_opens++;
}

static void fz_vm_close(struct vm_area_struct *vma)
{
	fz_closes++;
}

static const struct vm_operations_struct fz_close_vm_ops = {
	.open = fz_vm_open,
	.close = fz_vm_close,
};

static int fz_mmap_prepare(struct vm_area_desc *desc)
{
	desc->vm_ops = &fz_vm_ops;
	return 0;
}

static int fz_close_mmap_prepare(struct vm_area_desc *desc)
{
	desc->vm_ops = &fz_close_vm_ops;
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
	[FZ_FILE_CLOSE] = { .mmap_prepare = fz_close_mmap_prepare },
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

/* A file op's kind (enum fz_file_kind). */
static int fz_file_kind(const struct fz_op *op)
{
	return op->aux & FZ_AUX_CLOSE ? FZ_FILE_CLOSE : op->aux & 3;
}

/* The file it maps (fz_files[]; the model's file is one more). */
static int fz_file_of(const struct fz_op *op)
{
	return 2 * fz_file_kind(op) + ((op->arg >> 2) & 1);
}

/* The model: one entry per page of the window. */
struct fz_page {
	bool mapped;
	vm_flags_t flags;	/* FZ_CTRL bits asked for */
	int file;		/* 0 anonymous, else 1 + its fz_files[] index */
	unsigned long pgoff;	/* file page, or linear page index */
	unsigned long apgoff;	/* its anonymous pages' linear page index */
	int anon;		/* anon_vma class, 0 none */
	uint64_t src, dst;	/* MREMAP_DONTUNMAPs' source VMA, copy */
	bool fseam;		/* a failed op may have split at its left */
	int uffd;		/* userfaultfd registered with, 0 none, 1, 2 */
	vm_flags_t uflags;	/* its VM_UFFD_* modes */
	int special;		/* its special mapping (an instance), 0 none */
	int spec;		/* that mapping's fz_specs[] index + 1 */
};

#define FZ_MAX_CLS	(4 * FZ_PAGES)

static struct fz_model {
	struct fz_page pg[FZ_PAGES];
	struct anon_vma *cls[FZ_MAX_CLS];	/* class -> anon_vma */
	bool forked[FZ_MAX_CLS];		/* made by a fork */
	int seams;				/* MREMAP_DONTUNMAPs so far */
	int nr_close;				/* VMAs with close(), last seen */
	int specials;				/* special mappings so far */
} fz_m;

static struct mm_struct *fz_mm;
static struct mm_struct *fz_saved_mm;
static const struct fz_op *fz_ops;
static int fz_nr_ops, fz_done;
static fz_report_fn fz_report;
static struct userfaultfd_ctx *fz_uctx[2];	/* uffd's two contexts */
static unsigned long fz_brk_flags;
static char fz_before[FZ_PAGES + 1];

const char *const fz_op_names[FZ_NR_OPS] = {
	[FZ_OP_MAP] = "map", [FZ_OP_FILE] = "file", [FZ_OP_UNMAP] = "unmap",
	[FZ_OP_PROT] = "prot", [FZ_OP_MADV] = "madv", [FZ_OP_BRK] = "brk",
	[FZ_OP_GROW] = "grow", [FZ_OP_FAULT] = "fault",
	[FZ_OP_MREMAP] = "mremap", [FZ_OP_FORK] = "fork",
	[FZ_OP_LOCKALL] = "lockall", [FZ_OP_FAIL] = "fail",
	[FZ_OP_UFFD] = "uffd", [FZ_OP_SPECIAL] = "special",
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

/* The operations a whole VMA or hole may be given to (fz_op.whole). */
static bool fz_whole(const struct fz_op *op)
{
	return op->op == FZ_OP_MAP || op->op == FZ_OP_FILE ||
	       op->op == FZ_OP_UNMAP || op->op == FZ_OP_PROT ||
	       op->op == FZ_OP_MADV || op->op == FZ_OP_UFFD ||
	       op->op == FZ_OP_SPECIAL;
}

/* FZ_OP_FAIL's argument, decoded (fuzz/fuzz.h: enum fz_fail_kind). */
static int fz_fail_kind(const struct fz_op *op)
{
	return op->arg & 3;
}

static int fz_fail_n(const struct fz_op *op)
{
	return op->arg >> 2;
}

static void fz_fail_describe(const struct fz_op *op, char *buf, size_t len)
{
	int n = fz_fail_n(op);

	switch (fz_fail_kind(op)) {
	case FZ_FAIL_SLAB:
		snprintf(buf, len, "fail: %s allocation %d from now fails, in the next op",
			 n & 4 ? "anon_vma_chain" : "VMA", 1 + (n & 3));
		break;
	case FZ_FAIL_MAP_COUNT:
		snprintf(buf, len, "fail: vm.max_map_count = map_count %+d, in the next op",
			 (n & 3) - 1);
		break;
	case FZ_FAIL_AS:
		snprintf(buf, len, "fail: RLIMIT_AS = the pages mapped %+d, in the next op",
			 (n & 7) - 1);
		break;
	default:
		snprintf(buf, len, "fail: RLIMIT_STACK = %d pages, in the next op",
			 n);
	}
}

static void fz_describe_uffd(const struct fz_op *op, char *buf, size_t len)
{
	int a = op->page, b = min(FZ_PAGES, op->page + op->len);
	static const char *const act[] = {
		[FZ_UF_MISSING] = "UFFDIO_REGISTER MODE_MISSING",
		[FZ_UF_MISSING2] = "UFFDIO_REGISTER MODE_MISSING",
		[FZ_UF_MISSING3] = "UFFDIO_REGISTER MODE_MISSING",
		[FZ_UF_MISSING_WP] = "UFFDIO_REGISTER MODE_MISSING|MODE_WP",
		[FZ_UF_UNREG] = "UFFDIO_UNREGISTER",
		[FZ_UF_UNREG2] = "UFFDIO_UNREGISTER",
		[FZ_UF_WP] = "UFFDIO_REGISTER MODE_WP",
	};
	int u = 1 + (op->arg & 1);

	if (((op->arg >> 1) & 7) == FZ_UF_CLOSE)
		snprintf(buf, len, "close userfaultfd %d", u);
	else
		snprintf(buf, len, "userfaultfd %d %s [%d, %d)", u,
			 act[(op->arg >> 1) & 7], a, b);
}

void fz_describe_op(const struct fz_op *op, char *buf, size_t len)
{
	int a = op->page, b = min(FZ_PAGES, op->page + op->len);
	static const char *const kind[] = {
		[FZ_FILE_PREPARE] = "",
		[FZ_FILE_LEGACY] = " (legacy ->mmap())",
		[FZ_FILE_FLAGS] = " (->mmap_prepare() sets flags)",
		[FZ_FILE_FAILS] = " (->mmap_prepare() fails)",
		[FZ_FILE_CLOSE] = " (vm_ops->close())",
	};
	static const char *const form[] = {
		[FZ_MR_INPLACE] = "in place", [FZ_MR_FIXED] = "MREMAP_FIXED",
		[FZ_MR_DONTUNMAP] = "MREMAP_DONTUNMAP",
		[FZ_MR_MOVE] = "MREMAP_FIXED, same length",
	};

	switch (op->op) {
	case FZ_OP_MAP:
		snprintf(buf, len, "%smmap anon %s%s%s%s [%d, %d)",
			 op->aux & FZ_AUX_MDWE ? "prctl(PR_SET_MDWE), then " : "",
			 op->arg & 1 ? "ro" : "rw",
			 op->aux & FZ_AUX_EXEC ? "x" : "",
			 op->arg & 2 ? " MAP_GROWSDOWN" : "",
			 op->aux & FZ_AUX_LOCKED ? " MAP_LOCKED" : "", a, b);
		break;
	case FZ_OP_FILE:
		snprintf(buf, len, "mmap file %d%s %s %s%s from page %d [%d, %d)",
			 1 + fz_file_of(op), kind[fz_file_kind(op)],
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
		snprintf(buf, len, "%s [%d, %d)%s%s",
			 op->arg & 1 ? "vm_munmap" : "munmap", a, b,
			 op->aux & 1 ? ", from 16 bytes in" : "",
			 op->aux & 2 ? ", a byte short" : "");
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
	case FZ_OP_FAIL:
		fz_fail_describe(op, buf, len);
		break;
	case FZ_OP_UFFD:
		fz_describe_uffd(op, buf, len);
		break;
	default:
		snprintf(buf, len, "%s [%d, %d)", fz_op_names[op->op], a, b);
	}
	/* Not yet run (scripts/fuzz_decode.sh): its range is still to find. */
	if (op->whole && fz_whole(op) && strlen(buf) < len)
		snprintf(buf + strlen(buf), len - strlen(buf),
			 " -> the whole VMA or hole at page %d", a);
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

static int fz_mapped_pages(void)
{
	int i, n = 0;

	for (i = 0; i < FZ_PAGES; i++)
		n += fz_m.pg[i].mapped;
	return n;
}

/*
 * FZ_OP_FAIL: a failure armed for the next operation, lifted after it.
 * Which calls may then fail, and how, by the man pages:
 *
 *  - a VMA allocation (FZ_FAIL_SLAB) or vm.max_map_count (FZ_FAIL_MAP_COUNT;
 *    "the process's maximum number of mappings would have been
 *    exceeded"): mmap(2), munmap(2), mprotect(2), madvise(2), brk(2) and
 *    mremap(2) may fail with ENOMEM (whether they do depends on how many
 *    VMAs they make, which the model does not say);
 *  - RLIMIT_AS (getrlimit(2): "calls to brk(2), mmap(2), and mremap(2)
 *    fail with ENOMEM upon exceeding this limit", and a stack that would
 *    grow beyond it): an mmap(), brk() or stack growth fails exactly when
 *    the pages mapped afterwards would exceed it; an mremap() may fail
 *    short of it but never grows the mapped pages beyond it;
 *  - RLIMIT_STACK ("the maximum size of the process stack"): a stack
 *    fails to grow exactly when it would be larger.
 *
 * What a failed call leaves: munmap(), brk(), stack growth and mremap()'s
 * old range unchanged (the splits made before the failure stay:
 * fz_tolerated[]); mprotect()/madvise() may have changed some of the
 * range (POSIX mprotect: "the protections on some of the pages in the
 * range may have been changed"), VMA by VMA; an mmap(MAP_FIXED)
 * (POSIX mmap: "some of the mappings in the address range ... may have
 * been unmapped") and mremap()'s destination either unchanged or
 * unmapped, the range whole.
 */
static struct fz_fail {
	bool armed;		/* by FZ_OP_FAIL, for the next op */
	bool active;		/* in force for the op running */
	int kind;		/* enum fz_fail_kind */
	int n;			/* its argument */
	long limit;		/* FZ_FAIL_AS, FZ_FAIL_STACK: in pages */
	int saved_max_map_count;
} fz_fail;

/* Could the armed failure make @op fail? */
static bool fz_fail_may(int kind, int op)
{
	if (op == FZ_OP_LOCKALL)
		return true;	/* any kind: a signal pending */
	switch (kind) {
	case FZ_FAIL_SLAB:
	case FZ_FAIL_MAP_COUNT:
		return op == FZ_OP_MAP || op == FZ_OP_FILE ||
		       op == FZ_OP_UNMAP || op == FZ_OP_PROT ||
		       op == FZ_OP_MADV || op == FZ_OP_BRK ||
		       op == FZ_OP_MREMAP;
	case FZ_FAIL_AS:
		return op == FZ_OP_MAP || op == FZ_OP_FILE ||
		       op == FZ_OP_BRK || op == FZ_OP_GROW ||
		       op == FZ_OP_MREMAP;
	default:
		return op == FZ_OP_GROW;
	}
}

/*
 * FZ_FAIL_SLAB's cache: the VMAs', or (n bit 2) the anon_vma_chains'
 * that anon_vma_clone() allocates when a split or copy_vma() duplicates a
 * VMA with an anon_vma.
 */
static struct kmem_cache *fz_fail_cache(void)
{
	static struct kmem_cache *avc;

	if (!(fz_fail.n & 4))
		return vh_vma_cache();
	if (!avc)
		avc = vh_kmem_cache_find("anon_vma_chain");
	return avc;
}

static void fz_fail_arm(const struct fz_op *op)
{
	fz_fail = (struct fz_fail){
		.armed = true, .kind = fz_fail_kind(op), .n = fz_fail_n(op),
	};
}

/*
 * Put the armed failure in force for @op.  An operation it cannot make
 * fail (a fault, fork, mm_take_all_locks()) runs without it: fork's
 * dup_mmap() failing is not modelled.
 */
static void fz_fail_apply(const struct fz_op *op)
{
	if (!fz_fail.armed)
		return;
	fz_fail.armed = false;
	if (!fz_fail_may(fz_fail.kind, op->op))
		return;
	fz_fail.active = true;
	fz_fail.saved_max_map_count = sysctl_max_map_count;
	if (op->op == FZ_OP_LOCKALL) {
		/* mm_take_all_locks() "can fail if it's interrupted by
		 * signals": a fatal one pending (a kill of the task).
		 */
		vh_task_kill(current);
		return;
	}
	switch (fz_fail.kind) {
	case FZ_FAIL_SLAB:
		vh_failslab(fz_fail_cache(), 1 + (fz_fail.n & 3));
		break;
	case FZ_FAIL_MAP_COUNT:
		sysctl_max_map_count = max(0, fz_mm->map_count +
					      (fz_fail.n & 3) - 1);
		break;
	case FZ_FAIL_AS:
		fz_fail.limit = max(0, fz_mapped_pages() + (fz_fail.n & 7) - 1);
		vh_set_rlimit(RLIMIT_AS, VH_PG(fz_fail.limit));
		break;
	default:
		fz_fail.limit = fz_fail.n;
		vh_set_rlimit(RLIMIT_STACK, VH_PG(fz_fail.limit));
	}
}

/*
 * The environment as it was, the failure no longer in force: after the
 * op, or before what the fuzzer does itself once the call under test
 * returned (the model still knows the failure was there).
 */
static void fz_fail_env_off(void)
{
	if (!fz_fail.active)
		return;
	vh_task_clear_signals(current);
	if (fz_fail.kind == FZ_FAIL_SLAB)
		vh_failslab(fz_fail_cache(), 0);
	sysctl_max_map_count = fz_fail.saved_max_map_count;
	vh_set_rlimit(RLIMIT_AS, RLIM_INFINITY);
	vh_set_rlimit(RLIMIT_STACK, RLIM_INFINITY);
}

static void fz_fail_lift(void)
{
	fz_fail.armed = false;
	fz_fail_env_off();
	fz_fail.active = false;
}

/* @err is what the armed failure allows: ENOMEM while one is in force. */
static bool fz_fail_excuses(int err)
{
	return fz_fail.active && err == -ENOMEM;
}

/*
 * RLIMIT_AS: an op that succeeded leaves at most the limit mapped;
 * where @exact, one that failed would have exceeded it (@after: the pages
 * it would leave mapped).
 */
static void fz_fail_check_as(const char *what, int err, int after, bool exact)
{
	if (!fz_fail.active || fz_fail.kind != FZ_FAIL_AS)
		return;
	if (!err && after > fz_fail.limit)
		fz_finding("%s succeeded beyond RLIMIT_AS: %d pages mapped, the limit %ld",
			   what, after, fz_fail.limit);
	if (err && exact && after <= fz_fail.limit)
		fz_finding("%s failed (%d) within RLIMIT_AS: %d pages would be mapped, the limit %ld",
			   what, err, after, fz_fail.limit);
}

/* A failed op may have left a split at page @i's left edge. */
static void fz_fail_seam(int i)
{
	if (i > 0 && i < FZ_PAGES)
		fz_m.pg[i].fseam = true;
}

static void fz_model_unmap(int a, int b);

/*
 * A failed mmap(MAP_FIXED) or mremap() destination [a, b): unchanged or
 * unmapped, whole (fz_check() then holds the tree to it).  Under
 * mmap_lock.
 */
static void fz_fail_kept_or_gone(int a, int b)
{
	int i;

	for (i = a; i < b; i++)
		if (vma_lookup(fz_mm, fz_addr(i)))
			break;
	if (i == b)
		fz_model_unmap(a, b);
	fz_fail_seam(a);
	fz_fail_seam(b);
}

/* RLIMIT_STACK: a stack fails to grow to @size pages exactly beyond it. */
static void fz_fail_check_stack(int err, long size)
{
	if (!fz_fail.active || fz_fail.kind != FZ_FAIL_STACK)
		return;
	if (!err && size > fz_fail.limit)
		fz_finding("a stack grew to %ld pages beyond RLIMIT_STACK (%ld pages)",
			   size, fz_fail.limit);
	if (err && size <= fz_fail.limit)
		fz_finding("a stack failed (%d) to grow to %ld pages within RLIMIT_STACK (%ld pages)",
			   err, size, fz_fail.limit);
}

static int fz_mapped_in(int a, int b)
{
	int i, n = 0;

	for (i = a; i < b; i++)
		n += fz_m.pg[i].mapped;
	return n;
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

/* sys_mremap() ran and succeeded, for fz_run()'s RLIMIT_AS check. */
static bool fz_mremap_moved;

/*
 * Moved with a failure in force: the old range stays when it could not be
 * unmapped ([9]), with what it held.
 */
static bool fz_fail_source_kept(int a, int b, int t, int newn)
{
	struct vm_area_struct *vma;
	int s = a, e = b;

	if (!fz_fail.active)
		return false;
	mmap_read_lock(fz_mm);
	vma = vma_lookup(fz_mm, fz_addr(a));
	/* mm/mremap.c takes VM_ACCOUNT off the old VMA for the move and
	 * gives it back only in part when the unmap fails ("just get
	 * accounts right"): that VMA's edges may stay apart too.
	 */
	if (vma) {
		s = (max(vma->vm_start, VH_BASE) - VH_BASE) >> PAGE_SHIFT;
		e = (min(vma->vm_end, fz_addr(FZ_PAGES)) - VH_BASE) >> PAGE_SHIFT;
	}
	mmap_read_unlock(fz_mm);
	if (vma) {
		fz_fail_seam(a);
		fz_fail_seam(b);
		fz_fail_seam(s);
		fz_fail_seam(e);
		fz_fail_seam(t);
		fz_fail_seam(t + newn);
	}
	return vma;
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
	/* A registration does not go along without EVENT_REMAP (fz_uffd()). */
	for (i = a; i < b; i++)
		if (fz_m.pg[i].uffd)
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
	fz_mremap_moved = !IS_ERR_VALUE(ret);
	if (IS_ERR_VALUE(ret) && fz_fail_excuses((long)ret)) {
		/* Failed: the old range as it was (what a shrink would have
		 * unmapped first may be gone), the destination's old
		 * mappings kept or unmapped.
		 */
		mmap_read_lock(fz_mm);
		if (newn < oldn)
			fz_fail_kept_or_gone(a + newn, b);
		if (form != FZ_MR_INPLACE)
			fz_fail_kept_or_gone(t, t + newn);
		fz_fail_seam(a);
		fz_fail_seam(b);
		mmap_read_unlock(fz_mm);
		return;
	}
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
			fz_fail_env_off();	/* the fuzzer's own munmap */
			mmap_write_lock(fz_mm);
			if (vh_unmap(fz_mm, ret, ret + VH_PG(newn)))
				fz_finding("munmap of the moved [%#lx, +%d pages) failed",
					   ret, newn);
			mmap_write_unlock(fz_mm);
			if (!fz_fail_source_kept(a, b, a, 0))
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
	} else if (!fz_fail_source_kept(a, b, t, newn)) {
		fz_model_unmap(a, b);
	} else if (newn < oldn) {
		/* A move that shrinks unmaps the tail first (mremap(2): the
		 * range is shrunk, then moved), whatever the move's unmap of
		 * the rest then left.
		 */
		fz_model_unmap(a + newn, b);
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
 * userfaultfd(2): the VM_UFFD_* modes that ioctl_userfaultfd(2)'s
 * UFFDIO_REGISTER modes give a mapping (Documentation/admin-guide/mm/
 * userfaultfd.rst); MODE_WP only where the architecture has uffd-wp.
 */
#define FZ_UFFD_FLAGS	(VM_UFFD_MISSING | VM_UFFD_WP | VM_UFFD_MINOR)
#define FZ_HAVE_UFFD_WP	IS_ENABLED(CONFIG_HAVE_ARCH_USERFAULTFD_WP)

/* Close userfaultfd @c (its release unregisters every mapping). */
static void fz_uffd_close(int c)
{
	int i;

	if (!fz_uctx[c])
		return;
	vh_uffd_release(fz_uctx[c]);
	fz_uctx[c] = NULL;
	for (i = 0; i < FZ_PAGES; i++)
		if (fz_m.pg[i].uffd == c + 1) {
			fz_m.pg[i].uffd = 0;
			fz_m.pg[i].uflags = 0;
		}
}

/*
 * UFFDIO_REGISTER/UFFDIO_UNREGISTER of [a, b) on one of two userfaultfds
 * (the tree's mm/userfaultfd.c, as userfaultfd_ioctl() calls it), or the
 * userfaultfd's close().  Their errors, as ioctl_userfaultfd(2) gives
 * them, are the model's: EINVAL for a range that maps nothing or a
 * mapping that cannot be registered (the fuzzer's files and special
 * mappings have no userfaultfd support: only anonymous memory can), for a mode the
 * architecture lacks (MODE_WP) and for a re-registration that would drop
 * MODE_WP; EBUSY for a mapping registered with the other userfaultfd
 * (UNREGISTER: EINVAL).  A mapping registered already with all the modes
 * asked is left as it is.  Without UFFD_FEATURE_EVENT_FORK or
 * EVENT_REMAP, neither fork(2) nor mremap(2) carry a registration along
 * (the fuzzer closes both userfaultfds before a fork and does not mremap
 * a registered range).
 */
static void fz_uffd(const struct fz_op *op)
{
	int a = op->page, b = min(FZ_PAGES, op->page + op->len);
	int c = op->arg & 1, act = (op->arg >> 1) & 7, want = 0, err, i;
	unsigned long start = fz_addr(a), len = VH_PG(b - a);
	unsigned int umode = 0;
	vm_flags_t mode = 0;
	bool any = false;

	if (act == FZ_UF_CLOSE) {
		fz_uffd_close(c);
		return;
	}
	/* A user mm's size (validate_range() checks it), as exec sets it. */
	fz_mm->task_size = TASK_SIZE;
	if (!fz_uctx[c])
		fz_uctx[c] = vh_uffd_new(fz_mm, 0);
	current->mm = fz_mm;
	for (i = a; i < b; i++)
		any |= fz_m.pg[i].mapped;
	if (act == FZ_UF_UNREG || act == FZ_UF_UNREG2) {
		want = any ? 0 : -EINVAL;
		for (i = a; i < b && !want; i++)
			if (fz_m.pg[i].mapped &&
			    (fz_m.pg[i].file || fz_m.pg[i].special ||
			     (fz_m.pg[i].uffd && fz_m.pg[i].uffd != c + 1)))
				want = -EINVAL;
		err = vh_uffd_unregister(fz_uctx[c], start, len);
		if (err != want)
			fz_finding("UFFDIO_UNREGISTER [%d, %d) of userfaultfd %d: %d, the model %d",
				   a, b, c + 1, err, want);
		for (i = a; i < b && !err; i++)
			if (fz_m.pg[i].mapped) {
				fz_m.pg[i].uffd = 0;
				fz_m.pg[i].uflags = 0;
			}
		return;
	}
	if (act != FZ_UF_WP) {
		umode |= UFFDIO_REGISTER_MODE_MISSING;
		mode |= VM_UFFD_MISSING;
	}
	if (act == FZ_UF_WP || act == FZ_UF_MISSING_WP) {
		umode |= UFFDIO_REGISTER_MODE_WP;
		mode |= VM_UFFD_WP;
	}
	want = (mode & VM_UFFD_WP) && !FZ_HAVE_UFFD_WP ? -EINVAL :
	       any ? 0 : -EINVAL;
	/* The first mapping that cannot be registered gives the error. */
	for (i = a; i < b && !want; i++) {
		struct fz_page *pg = &fz_m.pg[i];

		if (!pg->mapped)
			continue;
		if (pg->file || pg->special)	/* not anonymous memory */
			want = -EINVAL;
		else if (pg->uffd && pg->uffd != c + 1)
			want = -EBUSY;
		else if (pg->uffd && (pg->uflags & VM_UFFD_WP & ~mode))
			want = -EINVAL;
	}
	err = vh_uffd_register(fz_uctx[c], start, len, umode);
	if (err != want)
		fz_finding("UFFDIO_REGISTER [%d, %d) of userfaultfd %d, mode %#x: %d, the model %d",
			   a, b, c + 1, umode, err, want);
	for (i = a; i < b && !err; i++) {
		struct fz_page *pg = &fz_m.pg[i];

		if (!pg->mapped ||
		    (pg->uffd == c + 1 && (pg->uflags & mode) == mode))
			continue;
		pg->uffd = c + 1;
		pg->uflags = mode;
	}
}

static void fz_check(void);

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

	/* Without UFFD_FEATURE_EVENT_FORK the child is not registered:
	 * close both userfaultfds first, and check what their release
	 * merged (a page may take an anon_vma by merge).
	 */
	if (fz_uctx[0] || fz_uctx[1]) {
		fz_uffd_close(0);
		fz_uffd_close(1);
		mmap_read_lock(parent);
		fz_check();
		mmap_read_unlock(parent);
	}
	child->mmap_base = parent->mmap_base;
	child->brk = parent->brk;
	/* As fork(2) inherits the mm's MDWE (prctl(2)). */
	if (mm_flags_test(MMF_HAS_MDWE, parent))
		mm_flags_set(MMF_HAS_MDWE, child);
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
	if (err == -EINTR && fz_fail.active) {
		/* Interrupted: it dropped what it took (fz_check() says). */
		mmap_write_unlock(fz_mm);
		return;
	}
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
/*
 * munmap(2)'s arguments for an unmap op (.aux bit 0: an address off a page
 * boundary, which fails with -EINVAL and unmaps nothing; bit 1: a length
 * one byte short of the pages, which unmaps them all, "all pages
 * containing a part of the indicated range").
 */
static int fz_unmap_args(const struct fz_op *op, unsigned long *start,
			 size_t *len)
{
	int a = op->page, b = min(FZ_PAGES, op->page + op->len);

	*start = fz_addr(a) + (op->aux & 1 ? 16 : 0);
	*len = VH_PG(b - a) - (op->aux & 2 ? 1 : 0);
	return op->aux & 1 ? -EINVAL : 0;
}

/* Its effect, once the call returned @err. */
static void fz_unmap_done(const struct fz_op *op, int err, int want)
{
	int a = op->page, b = min(FZ_PAGES, op->page + op->len);

	if (err != want && !(err && fz_fail_excuses(err)))
		fz_finding("%s [%d, %d) returned %d, want %d",
			   op->arg & 1 ? "vm_munmap" : "munmap", a, b, err, want);
	if (err && err != want) {
		/* munmap(2) failed: nothing unmapped. */
		fz_fail_seam(a);
		fz_fail_seam(b);
	}
	if (!err)
		fz_model_unmap(a, b);
}

static void fz_vm_munmap(const struct fz_op *op)
{
	int a = op->page, b = min(FZ_PAGES, op->page + op->len), sp;
	unsigned long start;
	size_t len;
	int want = fz_unmap_args(op, &start, &len);

	mmap_read_lock(fz_mm);
	sp = fz_splits_special(a, b);
	mmap_read_unlock(fz_mm);
	if (sp < 0)
		return;
	current->mm = fz_mm;
	if (sp && !want)
		want = -EINVAL;	/* a special mapping is not split */
	fz_unmap_done(op, vm_munmap(start, len), want);
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
	int kind = fz_file_kind(op), idx = (op->arg >> 2) & 1;
	int f = fz_file_of(op);
	vm_flags_t flags = (op->arg & 1 ? VH_RO : VH_RW) |
			   (op->arg & 2 ? VM_SHARED | VM_MAYSHARE : 0) |
			   (op->aux & FZ_AUX_FILE_LOCKED ? VM_LOCKED : 0);
	int sp = fz_splits_special(a, b), want = 0, err, after;

	if (sp < 0)
		return;
	if (sp)
		want = -EINVAL;
	else if (kind == FZ_FILE_FAILS)
		want = idx ? -ENOMEM : -EINVAL;
	else if (kind == FZ_FILE_LEGACY && !idx)
		want = -ENODEV;
	after = fz_mapped_pages() + (b - a) - fz_mapped_in(a, b);
	err = vh_map_file(fz_mm, &fz_files[f].file, fz_addr(a), fz_addr(b),
			  flags, op->arg >> 3);
	if (err != want && !(err && fz_fail_excuses(err)))
		fz_finding("mmap file %d [%d, %d): %d, the model %d%s", f + 1, a,
			   b, err, want, sp ? " (over part of a special mapping)" : "");
	if (sp)
		return;
	if (!want)
		fz_fail_check_as("mmap", err, after, true);
	if (err && fz_fail_excuses(err)) {
		/* The armed failure, or the hook's: kept, or gone whole. */
		fz_fail_kept_or_gone(a, b);
		return;
	}
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
	       op->op == FZ_OP_FAIL ||
	       op->op == FZ_OP_UFFD ||
	       (op->op == FZ_OP_UNMAP && (op->arg & 1));
}

/*
 * A stack fault at page @a: expand_downwards() of the VMA above it, as the
 * fault path calls it (find_vma()'s answer, whatever it is; there is
 * nothing between).  Refused, with nothing changed: a VMA that does not
 * grow down (-EFAULT), and one whose growth would come closer than
 * stack_guard_gap (one page here) to an accessible mapping below that is
 * not a stack (-ENOMEM; Documentation/admin-guide/kernel-parameters.txt,
 * stack_guard_gap=).
 */
static void fz_grow(int a)
{
	unsigned long start = fz_addr(a);
	struct vm_area_struct *vma = find_vma(fz_mm, start);
	int top, i, err, want = 0, after;
	struct fz_page *below = a ? &fz_m.pg[a - 1] : NULL;

	if (!vma || vma->vm_start <= start || vma->vm_start >= fz_addr(FZ_PAGES))
		return;
	top = (vma->vm_start - VH_BASE) / PAGE_SIZE;
	if (!(vma->vm_flags & VM_GROWSDOWN))
		want = -EFAULT;
	else if (below && below->mapped && !(below->flags & VM_GROWSDOWN) &&
		 (below->flags & (VM_READ | VM_WRITE | VM_EXEC)))
		want = -ENOMEM;
	after = fz_mapped_pages() + top - a;
	err = expand_downwards(vma, start);
	if (err != want && !(err && fz_fail_excuses(err)))
		fz_finding("expand_downwards() of [%d, ...) to page %d: %d, want %d",
			   top, a, err, want);
	if (!want) {
		fz_fail_check_as("a stack's growth", err, after, true);
		fz_fail_check_stack(err, (vma->vm_end - start) >> PAGE_SHIFT);
	}
	if (err)
		return;	/* the stack as it was */
	for (i = a; i < top; i++) {
		fz_m.pg[i] = fz_m.pg[top];
		fz_m.pg[i].pgoff -= top - i;
		fz_m.pg[i].apgoff -= top - i;
	}
	/* expand_downwards() prepared the stack's anon_vma. */
	fz_m.pg[top].anon = fz_m.pg[top].anon ?: fz_class_of(vma->anon_vma);
	for (i = a; i < (int)((vma->vm_end - VH_BASE) / PAGE_SIZE) &&
	     i < FZ_PAGES; i++)
		fz_m.pg[i].anon = fz_m.pg[top].anon;
}

/* An operation of mm/vma.c's, under mmap_lock for write. */
static void fz_op(const struct fz_op *op)
{
	int a = op->page, b = min(FZ_PAGES, op->page + op->len), i;
	unsigned long start = fz_addr(a), end = fz_addr(b);
	struct vm_area_struct *vma;
	vm_flags_t flags, want[FZ_PAGES];
	int err, after, expect, sp;

	switch (op->op) {
	case FZ_OP_MAP:
		flags = (op->arg & 1 ? VH_RO : VH_RW) |
			(op->arg & 2 ? VM_GROWSDOWN : 0) |
			(op->aux & FZ_AUX_LOCKED ? VM_LOCKED : 0) |
			(op->aux & FZ_AUX_EXEC ? VM_EXEC | VM_MAYEXEC : 0);
		/* prctl(2): PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN (for good). */
		if (op->aux & FZ_AUX_MDWE)
			mm_flags_set(MMF_HAS_MDWE, fz_mm);
		sp = fz_splits_special(a, b);
		if (sp < 0)
			break;
		expect = mm_flags_test(MMF_HAS_MDWE, fz_mm) &&
			 (flags & VM_EXEC) && (flags & VM_WRITE) ? -EACCES :
			 sp ? -EINVAL : 0;
		after = fz_mapped_pages() + (b - a) - fz_mapped_in(a, b);
		err = vh_map(fz_mm, start, end, flags);
		if (err != expect && !(err && fz_fail_excuses(err)))
			fz_finding("mmap anon [%d, %d) returned %d, want %d%s", a,
				   b, err, expect,
				   expect == -EACCES ? " (MDWE: no new writable executable mapping)" :
				   expect ? " (over part of a special mapping)" : "");
		if (expect)
			break;	/* refused before anything was done */
		fz_fail_check_as("mmap", err, after, true);
		if (err) {
			fz_fail_kept_or_gone(a, b);
			break;
		}
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
	case FZ_OP_UNMAP: {
		size_t ulen;
		int want = fz_unmap_args(op, &start, &ulen);

		sp = fz_splits_special(a, b);
		if (sp < 0)
			break;
		if (sp && !want)
			want = -EINVAL;	/* a special mapping is not split */
		fz_unmap_done(op, vh_unmap(fz_mm, start, start + ulen), want);
		break;
	}
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
			for (i = a; i < b; i++)
				want[i] = (fz_m.pg[i].flags &
					   ~(VM_READ | VM_WRITE)) | prot;
			err = fz_modify(start, end, VM_READ | VM_WRITE, prot);
		} else {
			vm_flags_t f = op->arg & 1 ? VM_DONTDUMP : VM_SEQ_READ;
			bool on = op->arg & 2;

			for (i = a; i < b; i++)
				want[i] = on ? fz_m.pg[i].flags | f :
					  fz_m.pg[i].flags & ~f;
			err = fz_modify(start, end, on ? 0 : f, on ? f : 0);
		}
		if (err && !fz_fail_excuses(err))
			fz_finding("%s [%d, %d) failed: %d",
				   fz_op_names[op->op], a, b, err);
		/* Failed, some of the range may have changed: a page has
		 * either flags (fz_check() holds the others to the old).
		 */
		for (i = a; i < b; i++) {
			vma = err ? vma_lookup(fz_mm, fz_addr(i)) : NULL;
			if (!err || (vma && (vma->vm_flags & FZ_CTRL) == want[i]))
				fz_m.pg[i].flags = want[i];
		}
		if (err) {
			fz_fail_seam(a);
			fz_fail_seam(b);
		}
		break;
	case FZ_OP_BRK:
		/* brk grows into free pages only (do_brk_flags()'s callers
		 * check), the heap being the VMA below.
		 */
		if (!fz_range_free(a, b) || (b < FZ_PAGES && fz_m.pg[b].mapped))
			break;
		after = fz_mapped_pages() + (b - a);
		err = vh_brk(fz_mm, start, end - start);
		if (err && !fz_fail_excuses(err))
			fz_finding("brk [%d, %d) failed: %d", a, b, err);
		fz_fail_check_as("brk", err, after, true);
		if (err)
			break;	/* brk(2) failed: the break unchanged */
		vma = vma_lookup(fz_mm, start);
		if (!vma)
			fz_finding("brk [%d, %d) mapped nothing", a, b);
		fz_model_map(a, b, fz_brk_flags, 0, 0);
		break;
	case FZ_OP_GROW:
		fz_grow(a);
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
	/* Two VMAs with close() are never made one ([10]). */
	if (p->vm_ops && p->vm_ops->close)
		return false;
	if (p->vm_pgoff + vma_pages(p) != n->vm_pgoff)
		return false;
	if (p->anon_vma && n->anon_vma && p->anon_vma != n->anon_vma)
		return false;
	/* Faults go to one userfaultfd per mapping (its VM_UFFD_* modes are
	 * flags, compared above): registered with two, they stay apart.
	 */
	if (vh_uffd_vma_ctx(p) != vh_uffd_vma_ctx(n))
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
		/* A split a failed operation left ([8]). */
		if (r->fseam)
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
 * @nr VMAs have the driver's vm_ops now: as many as before, plus its
 * open()s, less its close()s since, plus one if the operation was an
 * mmap() of the driver's file that made a VMA rather than extending one.
 * Fewer: a merge removed a VMA without its close().
 */
static void fz_check_close(int nr)
{
	const struct fz_op *op = &fz_ops[fz_done];
	int want = fz_m.nr_close + fz_opens - fz_closes;
	bool mapped = op->op == FZ_OP_FILE && (op->aux & FZ_AUX_CLOSE);

	if (nr != want && !(mapped && nr == want + 1))
		fz_finding("%d VMAs with vm_ops->close(), want %d%s (%d open()s, %d close()s: a VMA removed without its close()?)",
			   nr, want, mapped ? " or one more" : "",
			   fz_opens, fz_closes);
	fz_m.nr_close = nr;
	fz_opens = fz_closes = 0;
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
	int nr = 0, nfile[FZ_NR_FILES] = { 0 }, nr_close = 0, i, f, file;
	int nlocked = 0;
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
		nr_close += vma->vm_ops == &fz_close_vm_ops;
		for (i = 0; i < FZ_PAGES; i++) {
			unsigned long a = fz_addr(i);
			struct fz_page *pg = &fz_m.pg[i];
			unsigned long pgoff;

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
			if ((vma->vm_flags & FZ_UFFD_FLAGS) != pg->uflags ||
			    vh_uffd_vma_ctx(vma) !=
			    (pg->uffd ? fz_uctx[pg->uffd - 1] : NULL))
				fz_finding("page %d: registered with userfaultfd %s, modes %#lx; the model userfaultfd %d, %#lx",
					   i, !vh_uffd_vma_ctx(vma) ? "none" :
					   vh_uffd_vma_ctx(vma) == fz_uctx[0] ? "1" :
					   vh_uffd_vma_ctx(vma) == fz_uctx[1] ? "2" :
					   "unknown", vma->vm_flags & FZ_UFFD_FLAGS,
					   pg->uffd, pg->uflags);
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
	fz_check_close(nr_close);
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

/*
 * @op as it runs: with @whole, its range is the VMA or the hole that its
 * page is in (the tree's, which the last check found as the model has
 * it).  Partial ranges make splits; whole ones make what the merge rules
 * are about: a mapping that fills a hole exactly, an mprotect() of one
 * whole VMA between two others.
 */
static void fz_place(const struct fz_op *in, struct fz_op *op)
{
	unsigned long addr = fz_addr(in->page), start, end;
	struct vm_area_struct *vma, *prev;

	*op = *in;
	op->whole = false;
	/* The bits of .aux an op reads (a row shows those alone). */
	if (op->op == FZ_OP_FILE)
		op->aux &= 3 | FZ_AUX_FILE_LOCKED | FZ_AUX_CLOSE;
	else if (op->op == FZ_OP_MAP)
		op->aux &= FZ_AUX_LOCKED | FZ_AUX_EXEC | FZ_AUX_MDWE;
	else if (op->op == FZ_OP_UNMAP)
		op->aux &= 3;
	else if (op->op != FZ_OP_MREMAP)
		op->aux = 0;
	if (!in->whole || !fz_whole(in))
		return;
	mmap_read_lock(fz_mm);
	vma = find_vma_prev(fz_mm, addr, &prev);
	if (vma && vma->vm_start <= addr) {
		start = vma->vm_start;
		end = vma->vm_end;
	} else {
		start = prev ? prev->vm_end : VH_BASE;
		end = vma ? vma->vm_start : fz_addr(FZ_PAGES);
	}
	mmap_read_unlock(fz_mm);
	start = clamp(start, VH_BASE, fz_addr(FZ_PAGES));
	end = clamp(end, VH_BASE, fz_addr(FZ_PAGES));
	op->page = (start - VH_BASE) >> PAGE_SHIFT;
	op->len = (end - start) >> PAGE_SHIFT;
}

void fz_run(const struct fz_op *in, int n, struct fz_trace *trace)
{
	static struct fz_op ran[FZ_MAX_OPS];
	struct fz_op *ops = ran;
	int i, mapped, k;

	if (trace)
		memset(trace->known, 0, sizeof(trace->known));
	memset(&fz_m, 0, sizeof(fz_m));
	fz_opens = fz_closes = 0;
	fz_fail = (struct fz_fail){ 0 };
	fz_ops = ops;
	fz_nr_ops = n;
	fz_saved_mm = current->mm;
	fz_mm = vh_mm_new();
	current->mm = fz_mm;
	memset(fz_before, '-', FZ_PAGES);
	fz_before[FZ_PAGES] = 0;
	for (i = 0; i < n && i < FZ_MAX_OPS && in[i].op != FZ_OP_END; i++) {
		fz_done = i;
		mmap_read_lock(fz_mm);
		fz_draw(fz_mm, fz_before);
		mmap_read_unlock(fz_mm);
		if (in[i].op < 0 || in[i].op >= FZ_NR_OPS) {
			fz_done = i - 1;	/* the ops before it */
			fz_finding("op %d: no such operation %d", i, in[i].op);
		}
		fz_place(&in[i], &ops[i]);
		mapped = fz_mapped_pages();
		if (ops[i].op == FZ_OP_FAIL)
			fz_fail_arm(&ops[i]);
		else
			fz_fail_apply(&ops[i]);
		for (k = 0; k < FZ_NR_KNOWN; k++)
			vh_expect_warn_maybe(fz_known[k].warn);
		if (ops[i].op == FZ_OP_MREMAP)
			fz_mremap(&ops[i]);
		else if (ops[i].op == FZ_OP_FORK)
			fz_fork();
		else if (ops[i].op == FZ_OP_FAULT)
			fz_fault(&ops[i]);
		else if (ops[i].op == FZ_OP_LOCKALL)
			fz_lockall();
		else if (ops[i].op == FZ_OP_UFFD)
			fz_uffd(&ops[i]);
		else if (ops[i].op == FZ_OP_UNMAP && (ops[i].arg & 1))
			fz_vm_munmap(&ops[i]);
		if (!fz_op_locks(&ops[i])) {
			mmap_write_lock(fz_mm);
			fz_op(&ops[i]);
			mmap_write_unlock(fz_mm);
		}
		for (k = FZ_NR_KNOWN - 1; k >= 0; k--) {
			int n = vh_expect_warn_end();

			fz_known_count[k] += n;
			if (trace)
				trace->known[k] += n;
		}
		/* An mremap() that leaves more mapped than before never
		 * exceeds RLIMIT_AS (one that does not grow is not checked).
		 */
		if (ops[i].op == FZ_OP_MREMAP && fz_mremap_moved &&
		    fz_mapped_pages() > mapped)
			fz_fail_check_as("mremap", 0, fz_mapped_pages(), false);
		fz_mremap_moved = false;
		/* A merge an allocation failure cost an op that succeeded
		 * (a new VMA made instead, vmg->give_up_on_oom) leaves the
		 * VMAs apart at its range's ends ([8]).
		 */
		if (fz_fail.active && fz_whole(&ops[i])) {
			fz_fail_seam(ops[i].page);
			fz_fail_seam(min(FZ_PAGES, ops[i].page + ops[i].len));
		}
		if (ops[i].op != FZ_OP_FAIL)
			fz_fail_lift();
		mmap_read_lock(fz_mm);
		fz_check();
		mmap_read_unlock(fz_mm);
	}
	if (trace) {
		memcpy(trace->ran, ran, i * sizeof(*ran));
		trace->nr_ran = i;
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
	int c;

	fz_fail_lift();	/* a finding may have ended the run under one */
	if (!mm)
		return;
	/* After a finding mmap_lock may be held: the contexts are left. */
	for (c = 0; c < 2; c++) {
		if (fz_uctx[c] && !rwsem_is_locked(&mm->mmap_lock))
			vh_uffd_release(fz_uctx[c]);
		fz_uctx[c] = NULL;
	}
	fz_mm = NULL;
	vh_mm_clear(mm);
	vh_mm_put(mm);
	current->mm = fz_saved_mm;
}
