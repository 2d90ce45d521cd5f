// SPDX-License-Identifier: GPL-2.0
/*
 * File-backed mappings and anon_vmas under a lockless reader.  A reader
 * holds a VMA read-locked (lock_vma_under_rcu()) while a writer maps,
 * unmaps, splits, merges, copies or locks everything through mm/vma.c, on
 * VMAs that map a file (through its ->mmap or ->mmap_prepare hook) or
 * have anon_vmas:
 *
 *  - an operation that changes the reader's VMA waits for it, and the VMA
 *    (range, offset, flags, anon_vma, mm, file) does not change under it;
 *  - until the write section ends, the VMAs the operation made or changed
 *    are write-locked: a reader trying them gets nothing;
 *  - afterwards the reverse maps are what the kernel promises: the file's
 *    i_mmap tree holds exactly the VMAs that map it, its i_mmap_writable
 *    counts its shared writable VMAs, the file has one reference per VMA
 *    (plus its opener's), a shared writable mapping is write-notified, and
 *    each anon_vma counts the VMAs and chains linked to it.
 *
 * An anon_vma is given to a VMA as a page fault gives it
 * (anon_vma_prepare(), under mmap_lock for read: no VMA write lock, which
 * is why a reader must not be holding that VMA: its anon_vma goes from
 * NULL to set under it, published with release semantics).
 */
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"
#include <errno.h>
#include <string.h>

enum fm_op {
	FM_OP_MAP,		/* mmap() of the file over the range */
	FM_OP_UNMAP,		/* munmap() of the range */
	FM_OP_PROTECT,		/* mprotect() of the range */
	FM_OP_COPY,		/* copy_vma() of the range's VMA to .to (mremap) */
	FM_OP_FAULT,		/* a page fault in the range: anon_vma_prepare() */
	FM_OP_TAKE_ALL,		/* mm_take_all_locks(), mm_drop_all_locks() */
};

/* The file's mmap hook. */
enum fm_hook {
	FM_HOOK_MMAP,		/* ->mmap(file, vma) */
	FM_HOOK_PREPARE,	/* ->mmap_prepare(desc) */
	FM_HOOK_MMAP_FAILS,	/* ->mmap() that returns -ENODEV */
};

/*
 * Layouts are pictures (shared/vma/vma.h), with two more of the same
 * pages: .kind says what each VMA maps ('p' the file MAP_PRIVATE, 's' the
 * file MAP_SHARED, ' ' anonymous memory; the file's page offset is the
 * page's number in the picture), and .anon which VMAs have an anon_vma, by
 * a digit: VMAs with the same digit share one, different digits differ.
 * A picture is set up as a program would: each VMA mapped read-write, the
 * lower-case ones then made read-only with mprotect(), then the VMAs of
 * .anon faulted in the order of their digits.
 */
struct fm_row {
	const char *desc;
	const char *why;
	enum fm_hook hook;
	const char *before;
	const char *kind;
	const char *anon;
	const char *read_at;		/* the page the reader holds: '^' */
	enum fm_op op;
	const char *range;		/* the pages the op covers: '*' */
	bool shared;			/* FM_OP_MAP: MAP_SHARED */
	long pgoff_delta;		/* FM_OP_MAP: file offset - page */
	vm_flags_t prot;		/* FM_OP_PROTECT: VH_PROT_RW or _RO */
	unsigned long to;		/* FM_OP_COPY: destination page */
	bool waits;			/* the op must wait for the reader */
	const char *probe;		/* write-locked until mmap_write_unlock() */
	int ret;			/* what the op returns */
	const char *after;
	const char *anon_after;		/* NULL: not checked */
};

static const struct fm_row fm_rows[] = {
	/* mmap() of a file: a new VMA, linked into the file's i_mmap tree. */
	{ .desc = "map_private_new_vma", .op = FM_OP_MAP,
	  .hook = FM_HOOK_MMAP,
	  .why = "control: a new VMA next to nothing the reader holds",
	  .before  = "AAAA",
	  .read_at = " ^  ",
	  .range   = "        ****",
	  .probe   = "        ####",
	  .after   = "AAAA----BBBB" },
	{ .desc = "map_shared_prepare_new_vma", .op = FM_OP_MAP,
	  .hook = FM_HOOK_PREPARE, .shared = true,
	  .why = "->mmap_prepare() sets the VMA's vm_ops; shared and writable, the file counts it in i_mmap_writable and it is write-notified",
	  .before  = "AAAA",
	  .read_at = " ^  ",
	  .range   = "        ****",
	  .probe   = "        ####",
	  .after   = "AAAA----BBBB" },
	{ .desc = "map_merges_adjacent_pgoff", .op = FM_OP_MAP,
	  .hook = FM_HOOK_MMAP, .waits = true,
	  .why = "the next pages of the file next to its VMA: that VMA expands (vma_expand()), no new VMA",
	  .before  = "FFFF----",
	  .kind    = "pppp    ",
	  .read_at = "  ^     ",
	  .range   = "    ****",
	  .probe   = "########",
	  .after   = "FFFFFFFF" },
	{ .desc = "map_prepare_merges_into_next", .op = FM_OP_MAP,
	  .hook = FM_HOOK_PREPARE, .shared = true, .waits = true,
	  .before  = "----SSSS",
	  .kind    = "    ssss",
	  .read_at = "     ^  ",
	  .range   = "****    ",
	  .probe   = "########",
	  .after   = "SSSSSSSS" },
	{ .desc = "map_pgoff_not_adjacent", .op = FM_OP_MAP,
	  .hook = FM_HOOK_MMAP, .pgoff_delta = 100,
	  .why = "control: other pages of the file do not merge, so the reader's VMA is not touched",
	  .before  = "FFFF----",
	  .kind    = "pppp    ",
	  .read_at = "  ^     ",
	  .range   = "    ****",
	  .probe   = "    ####",
	  .after   = "FFFFGGGG" },
	{ .desc = "map_over_file_vma", .op = FM_OP_MAP,
	  .hook = FM_HOOK_MMAP, .waits = true,
	  .why = "MAP_FIXED over the reader's file VMA: unmapped (and unlinked from i_mmap) for the new one",
	  .before  = "FFFFFFFF",
	  .kind    = "pppppppp",
	  .read_at = "   ^    ",
	  .range   = "  ****  ",
	  .pgoff_delta = 100,
	  .probe   = "########",
	  .after   = "AABBBBCC" },
	{ .desc = "map_hook_fails", .op = FM_OP_MAP,
	  .hook = FM_HOOK_MMAP_FAILS, .ret = -ENODEV,
	  .why = "->mmap() fails: the new VMA is freed before it is in the tree, and its file reference dropped",
	  .before  = "AAAA",
	  .read_at = " ^  ",
	  .range   = "        ****",
	  .after   = "AAAA" },
	/* munmap() and mprotect() of file VMAs. */
	{ .desc = "unmap_whole", .op = FM_OP_UNMAP, .waits = true,
	  .before  = "FFFFFFFF",
	  .kind    = "pppppppp",
	  .read_at = "   ^    ",
	  .range   = "********",
	  .after   = "" },
	{ .desc = "unmap_shared_middle_split", .op = FM_OP_UNMAP,
	  .waits = true,
	  .why = "the split links the new VMA into i_mmap (and i_mmap_writable) before the middle goes",
	  .before  = "SSSSSSSS",
	  .kind    = "ssssssss",
	  .read_at = "      ^ ",
	  .range   = "  **    ",
	  .probe   = "########",
	  .after   = "SS--TTTT" },
	{ .desc = "protect_split", .op = FM_OP_PROTECT,
	  .prot = VH_PROT_RO, .waits = true,
	  .before  = "FFFFFFFF",
	  .kind    = "pppppppp",
	  .read_at = "      ^ ",
	  .range   = "    ****",
	  .probe   = "########",
	  .after   = "FFFFgggg" },
	{ .desc = "protect_merge_removes_next", .op = FM_OP_PROTECT,
	  .prot = VH_PROT_RW, .waits = true,
	  .why = "two VMAs of adjacent pages of the file merge: the reader's one is unlinked from i_mmap and freed",
	  .before  = "FFFFgggg",
	  .kind    = "pppppppp",
	  .read_at = "     ^  ",
	  .range   = "    ****",
	  .probe   = "########",
	  .after   = "FFFFFFFF" },
	{ .desc = "protect_shared_merge_both", .op = FM_OP_PROTECT,
	  .prot = VH_PROT_RW, .waits = true,
	  .why = "prev expands over the middle and next: two VMAs leave i_mmap and i_mmap_writable",
	  .before  = "SSttttUU",
	  .kind    = "ssssssss",
	  .read_at = "       ^",
	  .range   = "  ****  ",
	  .probe   = "########",
	  .after   = "SSSSSSSS" },
	{ .desc = "copy_new_vma", .op = FM_OP_COPY, .to = 8,
	  .why = "mremap's copy is a new VMA: a new file reference, linked into i_mmap",
	  .before  = "FFFF",
	  .kind    = "pppp",
	  .read_at = " ^  ",
	  .range   = "****",
	  .probe   = "        ####",
	  .after   = "FFFF----GGGG" },
	/* anon_vmas: reused, duplicated, cloned. */
	{ .desc = "fault_reuses_neighbours_anon_vma", .op = FM_OP_FAULT,
	  .why = "the VMA split off by mprotect() differs only in access flags: it gets its neighbour's anon_vma (find_mergeable_anon_vma())",
	  .before  = "AAAAbbbb",
	  .anon    = "1111    ",
	  .read_at = " ^      ",
	  .range   = "    ****",
	  .after   = "AAAAbbbb",
	  .anon_after = "11111111" },
	{ .desc = "fault_file_reuses_neighbours_anon_vma", .op = FM_OP_FAULT,
	  .why = "a COW fault in a private file VMA: its neighbour maps the next pages of the same file",
	  .before  = "FFFFgggg",
	  .kind    = "pppppppp",
	  .anon    = "    1111",
	  .read_at = "     ^  ",
	  .range   = "****    ",
	  .after   = "FFFFgggg",
	  .anon_after = "11111111" },
	{ .desc = "fault_next_to_file_new_anon_vma", .op = FM_OP_FAULT,
	  .why = "control: anonymous memory next to a file VMA cannot share the file VMA's anon_vma",
	  .before  = "FFFFBBBB",
	  .kind    = "pppp    ",
	  .anon    = "1111    ",
	  .read_at = " ^      ",
	  .range   = "    ****",
	  .after   = "FFFFBBBB",
	  .anon_after = "11112222" },
	{ .desc = "protect_merge_shared_anon_vma", .op = FM_OP_PROTECT,
	  .prot = VH_PROT_RW, .waits = true,
	  .before  = "AAAAbbbb",
	  .anon    = "11111111",
	  .read_at = "     ^  ",
	  .range   = "    ****",
	  .probe   = "########",
	  .after   = "AAAAAAAA",
	  .anon_after = "11111111" },
	{ .desc = "protect_merge_dups_anon_vma", .op = FM_OP_PROTECT,
	  .prot = VH_PROT_RW, .waits = true,
	  .why = "prev has no anon_vma: it takes the one of the VMA it absorbs (dup_anon_vma())",
	  .before  = "AAAAbbbb",
	  .anon    = "    1111",
	  .read_at = " ^      ",
	  .range   = "    ****",
	  .probe   = "########",
	  .after   = "AAAAAAAA",
	  .anon_after = "11111111" },
	{ .desc = "protect_split_clones_anon_vma", .op = FM_OP_PROTECT,
	  .prot = VH_PROT_RO, .waits = true,
	  .before  = "AAAAAAAA",
	  .anon    = "11111111",
	  .read_at = "^       ",
	  .range   = "  ****  ",
	  .probe   = "########",
	  .after   = "AAbbbbCC",
	  .anon_after = "11111111" },
	{ .desc = "unmap_unlinks_anon_vma", .op = FM_OP_UNMAP, .waits = true,
	  .before  = "AAAAbbbb",
	  .anon    = "11111111",
	  .read_at = "     ^  ",
	  .range   = "    ****",
	  .after   = "AAAA",
	  .anon_after = "1111" },
	{ .desc = "copy_clones_anon_vma", .op = FM_OP_COPY, .to = 8,
	  .before  = "AAAA",
	  .anon    = "1111",
	  .read_at = " ^  ",
	  .range   = "****",
	  .probe   = "        ####",
	  .after   = "AAAA----BBBB",
	  .anon_after = "1111    1111" },
	{ .desc = "copy_file_with_anon_vma", .op = FM_OP_COPY, .to = 8,
	  .before  = "FFFF",
	  .kind    = "pppp",
	  .anon    = "1111",
	  .read_at = " ^  ",
	  .range   = "****",
	  .probe   = "        ####",
	  .after   = "FFFF----GGGG",
	  .anon_after = "1111    1111" },
	/* mm_take_all_locks(): every VMA, every mapping, every anon_vma. */
	{ .desc = "take_all_locks", .op = FM_OP_TAKE_ALL, .waits = true,
	  .why = "the reader's file VMA is write-locked; the mappings' i_mmap_rwsem and the anon_vmas' roots are held until mm_drop_all_locks()",
	  .before  = "AAAA--FFFF--SS",
	  .kind    = "      pppp  ss",
	  .anon    = "1111  22      ",
	  .read_at = "        ^     ",
	  .range   = "**************",
	  .probe   = "##############",
	  .after   = "AAAA--FFFF--SS",
	  .anon_after = "1111  22      " },
};

struct fm_file {
	struct address_space mapping;
	struct file file;
	int hook_runs;
};

struct fm_ctx {
	const struct fm_row *row;
	struct mm_struct *mm;
	struct fm_file *f;
	unsigned long start, end;	/* the op's range */
	int ret;
	int done;			/* the operation returned */
	struct vh_event opdone;		/* ... likewise */
	struct vh_event probed;		/* the test tried the VMAs */
	/* FM_OP_TAKE_ALL: what was held between take and drop. */
	bool mapping_locked, anon_locked;
};

/* What the file's hooks give a VMA: a filesystem's vm_ops, no callbacks. */
static const struct vm_operations_struct fm_vm_ops;

static struct fm_file *fm_file_of(struct file *file)
{
	return container_of(file, struct fm_file, file);
}

/* A filesystem's ->mmap(), called with the new VMA not yet in the tree. */
static int fm_mmap(struct file *file, struct vm_area_struct *vma)
{
	mmap_assert_write_locked(vma->vm_mm);
	fm_file_of(file)->hook_runs++;
	vma->vm_ops = &fm_vm_ops;
	vma->vm_private_data = file;
	return 0;
}

static int fm_mmap_fails(struct file *file,
			 struct vm_area_struct *vma __always_unused)
{
	fm_file_of(file)->hook_runs++;
	return -ENODEV;
}

static int fm_mmap_prepare(struct vm_area_desc *desc)
{
	fm_file_of(desc->file)->hook_runs++;
	desc->vm_ops = &fm_vm_ops;
	desc->private_data = desc->file;
	return 0;
}

static const struct file_operations fm_fops[] = {
	[FM_HOOK_MMAP] = { .mmap = fm_mmap },
	[FM_HOOK_PREPARE] = { .mmap_prepare = fm_mmap_prepare },
	[FM_HOOK_MMAP_FAILS] = { .mmap = fm_mmap_fails },
};

static struct fm_file *fm_file_new(enum fm_hook hook)
{
	struct fm_file *f = vh_test_alloc(sizeof(*f));

	init_rwsem(&f->mapping.i_mmap_rwsem);
	f->file.f_mapping = &f->mapping;
	f->file.f_op = &fm_fops[hook];
	atomic_set(&f->file.vh_count, 1);	/* the opener's */
	return f;
}

static char fm_pic(const char *pic, unsigned long addr)
{
	size_t i = (addr - VH_BASE) / PAGE_SIZE;

	return pic && i < strlen(pic) ? pic[i] : ' ';
}

#define FM_SHARED	(VM_SHARED | VM_MAYSHARE)

/* Map [start, end) read-write as @kind says, the file at page @pgoff. */
static int fm_map(struct fm_ctx *c, char kind, unsigned long start,
		  unsigned long end, unsigned long pgoff)
{
	if (kind == 'p' || kind == 's')
		return vh_map_file(c->mm, &c->f->file, start, end,
				   VH_RW | (kind == 's' ? FM_SHARED : 0),
				   pgoff);
	return vh_map(c->mm, start, end, VH_RW);
}

static int fm_setup(struct fm_ctx *c)
{
	const struct fm_row *row = c->row;
	struct vh_layout_vma v[VH_LAYOUT_MAX];
	int n = vh_layout_parse(row->before, v, VH_LAYOUT_MAX), i, err = 0;
	char digit;

	if (n < 0)
		return n;
	mmap_write_lock(c->mm);
	for (i = 0; i < n && !err; i++)
		err = fm_map(c, fm_pic(row->kind, v[i].start), v[i].start,
			     v[i].end, (v[i].start - VH_BASE) >> PAGE_SHIFT);
	for (i = 0; i < n && !err; i++)
		if (!(v[i].flags & VM_WRITE))
			err = vh_protect(c->mm, v[i].start, v[i].end,
					 VH_PROT_RO);
	for (digit = '1'; digit <= '9' && !err; digit++) {
		for (i = 0; i < n && !err; i++) {
			struct vm_area_struct *vma;

			if (fm_pic(row->anon, v[i].start) != digit)
				continue;
			vma = vma_lookup(c->mm, v[i].start);
			err = vma ? anon_vma_prepare(vma) : -ENOMEM;
		}
	}
	mmap_write_unlock(c->mm);
	if (err)
		vh_diag("setting up \"%s\" failed (%d)", row->before, err);
	return err;
}

/*
 * Do the VMAs of @mm have the anon_vmas of @pic (see struct fm_row)?  And
 * does each count its VMAs and chains as mm/rmap.c keeps them?
 */
static bool fm_anon_is(struct mm_struct *mm, const char *pic)
{
	struct anon_vma *seen[10] = { NULL };
	struct vm_area_struct *vma, *w;
	VMA_ITERATOR(vmi, mm, 0);
	bool same = true;

	mmap_read_lock(mm);
	for_each_vma(vmi, vma) {
		char d = fm_pic(pic, vma->vm_start);
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

/*
 * What the file's reverse map must say of @mm's VMAs: i_mmap holds exactly
 * the VMAs that map the file, i_mmap_writable counts the shared writable
 * ones, the file has a reference per VMA and its opener's, and a shared
 * writable VMA of a file that writes back is write-notified (its page
 * protection is a private one's, so that the first write to a page faults)
 * and needs dirty tracking (others do not).
 */
static void fm_check_file(struct fm_ctx *c)
{
	struct address_space *mapping = &c->f->mapping;
	struct vm_area_struct *vma;
	VMA_ITERATOR(vmi, c->mm, 0);
	unsigned int nr = 0, writable = 0, i;

	mmap_read_lock(c->mm);
	for_each_vma(vmi, vma) {
		bool in = false;

		for (i = 0; i < mapping->vh_nr_i_mmap; i++)
			in |= mapping->vh_i_mmap[i] == vma;
		if (vma->vm_file != &c->f->file) {
			if (in)
				vh_fail(__FILE__, __LINE__,
					"[%#lx-%#lx) does not map the file but is in its i_mmap tree",
					vma->vm_start, vma->vm_end);
			continue;
		}
		nr++;
		if (!in)
			vh_fail(__FILE__, __LINE__,
				"[%#lx-%#lx) maps the file but is not in its i_mmap tree",
				vma->vm_start, vma->vm_end);
		if (vma->vm_ops != &fm_vm_ops)
			vh_fail(__FILE__, __LINE__,
				"[%#lx-%#lx) lost the vm_ops its file's mmap hook gave it",
				vma->vm_start, vma->vm_end);
		if (vma_is_shared_maywrite(vma))
			writable++;
		/* What GUP asks before it pins pages for writing. */
		if (vma_needs_dirty_tracking(vma) !=
		    ((vma->vm_flags & (VM_SHARED | VM_WRITE)) ==
		     (VM_SHARED | VM_WRITE)))
			vh_fail(__FILE__, __LINE__,
				"[%#lx-%#lx): vma_needs_dirty_tracking() is %d: only a shared writable mapping of a file that writes back needs it",
				vma->vm_start, vma->vm_end,
				vma_needs_dirty_tracking(vma));
		if ((vma->vm_flags & (VM_SHARED | VM_WRITE)) ==
		    (VM_SHARED | VM_WRITE) &&
		    (pgprot_val(vma->vm_page_prot) & VM_SHARED))
			vh_fail(__FILE__, __LINE__,
				"[%#lx-%#lx) is a shared writable mapping of a file that writes back, but is not write-notified",
				vma->vm_start, vma->vm_end);
	}
	mmap_read_unlock(c->mm);
	VH_CHECK_EQ(mapping->vh_nr_i_mmap, nr);
	VH_CHECK_EQ(atomic_read(&mapping->i_mmap_writable), (int)writable);
	VH_CHECK_EQ(atomic_read(&c->f->file.vh_count), (int)(1 + nr));
}

static int fm_op(struct fm_ctx *c)
{
	const struct fm_row *row = c->row;
	struct vm_area_struct *vma = vma_lookup(c->mm, c->start), *new;
	struct anon_vma_chain *avc;
	bool need_rmap_locks;
	int ret;

	switch (row->op) {
	case FM_OP_MAP:
		/* MAP_FIXED: mmap_region() unmaps what was there. */
		return vh_map_file(c->mm, &c->f->file, c->start, c->end,
				   VH_RW | (row->shared ? FM_SHARED : 0),
				   ((c->start - VH_BASE) >> PAGE_SHIFT) +
				   row->pgoff_delta);
	case FM_OP_UNMAP:
		return vh_unmap(c->mm, c->start, c->end);
	case FM_OP_PROTECT:
		return vh_protect(c->mm, c->start, c->end, row->prot);
	case FM_OP_COPY:
		new = vh_copy_vma(&vma, VH_BASE + VH_PG(row->to),
				  vma->vm_end - vma->vm_start, vma->vm_pgoff,
				  &need_rmap_locks);
		if (!new)
			return -ENOMEM;
		/* mremap's accounting (vrm_stat_account()). */
		vm_stat_account(c->mm, vma->vm_flags, vma_pages(vma));
		return 0;
	case FM_OP_FAULT:
		return anon_vma_prepare(vma);
	case FM_OP_TAKE_ALL:
		ret = mm_take_all_locks(c->mm);
		if (ret)
			return ret;
		c->mapping_locked =
			c->f->mapping.i_mmap_rwsem.owner == current &&
			test_bit(AS_MM_ALL_LOCKS, &c->f->mapping.flags);
		c->anon_locked = true;
		for (vma = find_vma(c->mm, 0); vma;
		     vma = find_vma(c->mm, vma->vm_end))
			list_for_each_entry(avc, &vma->anon_vma_chain, same_vma)
				c->anon_locked &=
					avc->anon_vma->root->rwsem.owner ==
					current;
		mm_drop_all_locks(c->mm);
		return 0;
	}
	return -EINVAL;
}

static void fm_writer(void *arg)
{
	struct fm_ctx *c = arg;
	bool fault = c->row->op == FM_OP_FAULT;

	/* A fault prepares its anon_vma under mmap_lock for read. */
	if (fault)
		mmap_read_lock(c->mm);
	else
		mmap_write_lock(c->mm);
	current->mm = c->mm;
	c->ret = fm_op(c);
	__atomic_store_n(&c->done, 1, __ATOMIC_SEQ_CST);
	vh_event_signal(&c->opdone);
	/* The write section stays open while the test tries the VMAs. */
	vh_event_wait(&c->probed);
	if (fault)
		mmap_read_unlock(c->mm);
	else
		mmap_write_unlock(c->mm);
}

static void fm_body(const struct fm_row *row)
{
	/* The file outlives the address space that maps it. */
	struct fm_ctx c = { .row = row, .f = fm_file_new(row->hook) };
	struct vh_vma_snap before;
	struct vm_area_struct *vma;
	unsigned long addr, unused;
	struct vh_thread *w;
	size_t pg;

	vh_why(row->why);
	c.mm = vh_test_mm();
	VH_ASSERT(vh_layout_span(row->read_at, '^', &addr, &unused));
	VH_ASSERT(vh_layout_span(row->range, '*', &c.start, &c.end));
	VH_ASSERT_EQ(fm_setup(&c), 0);
	c.f->hook_runs = 0;
	VH_ASSERT(vh_layout_is(c.mm, row->before));
	if (row->anon)
		VH_ASSERT(fm_anon_is(c.mm, row->anon));

	vma = lock_vma_under_rcu(c.mm, addr);
	VH_ASSERT(vma);
	vh_vma_snap(vma, &before);

	w = vh_thread_start(fm_writer, &c);
	vh_writer_vs_reader(w, &c.done, vma, &before, row->waits);
	vma_end_read(vma);
	vh_event_wait(&c.opdone);

	/* The write section is open: what it made or changed is locked. */
	for (pg = 0; row->probe && row->probe[pg]; pg++) {
		struct vm_area_struct *r;

		if (row->probe[pg] != '#')
			continue;
		r = lock_vma_under_rcu(c.mm, VH_BASE + VH_PG(pg));
		if (!r)
			continue;
		vh_fail(__FILE__, __LINE__,
			"a reader read-locked [%#lx-%#lx) (page %zu) while the mmap write section that made or changed it is open: it is not write-locked",
			r->vm_start, r->vm_end, pg);
		vma_end_read(r);
		break;
	}
	vh_event_signal(&c.probed);
	vh_thread_join(w);

	VH_CHECK_EQ(c.ret, row->ret);
	VH_CHECK(vh_layout_is(c.mm, row->after));
	if (row->anon_after)
		VH_CHECK(fm_anon_is(c.mm, row->anon_after));
	fm_check_file(&c);
	if (row->op == FM_OP_TAKE_ALL) {
		if (!c.mapping_locked)
			vh_fail(__FILE__, __LINE__,
				"mm_take_all_locks() returned without the file's i_mmap_rwsem held (and AS_MM_ALL_LOCKS set)");
		if (!c.anon_locked)
			vh_fail(__FILE__, __LINE__,
				"mm_take_all_locks() returned without every anon_vma's root rwsem held");
		VH_CHECK(!test_bit(AS_MM_ALL_LOCKS, &c.f->mapping.flags));
		VH_CHECK(!rwsem_is_locked(&c.f->mapping.i_mmap_rwsem));
	}
	if (row->op == FM_OP_MAP && !row->waits)
		VH_CHECK_EQ(c.f->hook_runs, 1);
}

VH_TABLE(file_map,
	 "file-backed and anon_vma VMAs under a lockless reader: every mm/vma.c path that changes one write-locks it first, and leaves the file's i_mmap tree, i_mmap_writable and references and the anon_vmas' links as the kernel promises",
	 fm_rows, fm_body);
