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
 * Each row runs through shared/vma/under_reader.h, with a file this table
 * makes ('p' and 's' pages of .kind map it) and its own two ops: mmap()
 * that counts the file's hook runs, and mm_take_all_locks() that looks at
 * what it holds before mm_drop_all_locks().
 *
 * An anon_vma is given to a VMA as a page fault gives it
 * (anon_vma_prepare(), under mmap_lock for read: no VMA write lock, which
 * is why a reader must not be holding that VMA: its anon_vma goes from
 * NULL to set under it, published with release semantics).
 */
#include "../shared/kunit/test.h"
#include "../shared/vma/under_reader.h"
#include <errno.h>
#include <string.h>

/* The file's mmap hook (struct vh_ur_row's .hook). */
enum fm_hook {
	FM_HOOK_MMAP,		/* ->mmap(file, vma) */
	FM_HOOK_PREPARE,	/* ->mmap_prepare(desc) */
	FM_HOOK_MMAP_FAILS,	/* ->mmap() that returns -ENODEV */
};

struct fm_file {
	struct address_space mapping;
	struct file file;
	int hook_runs;
	/* fm_op_take_all: what was held between take and drop. */
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

static struct fm_file *fm_of(struct vh_ur *u)
{
	return u->priv;
}

/* mmap() of the file: its hook runs once for the new VMA. */
static int fm_op_map_run(struct vh_ur *u)
{
	fm_of(u)->hook_runs = 0;
	return vh_op_map.run(u);
}
static const struct vh_op fm_op_map = {
	"mmap()", VH_OP_MMAP_WRITE, fm_op_map_run
};

/* mm_take_all_locks(): what it holds, looked at before the drop. */
static int fm_op_take_all_run(struct vh_ur *u)
{
	struct fm_file *f = fm_of(u);
	struct vm_area_struct *vma;
	struct anon_vma_chain *avc;
	int ret = mm_take_all_locks(u->mm);

	if (ret)
		return ret;
	f->mapping_locked = f->mapping.i_mmap_rwsem.owner == current &&
			    test_bit(AS_MM_ALL_LOCKS, &f->mapping.flags);
	f->anon_locked = true;
	for (vma = find_vma(u->mm, 0); vma; vma = find_vma(u->mm, vma->vm_end))
		list_for_each_entry(avc, &vma->anon_vma_chain, same_vma)
			f->anon_locked &= avc->anon_vma->root->rwsem.owner ==
					  current;
	mm_drop_all_locks(u->mm);
	return 0;
}
static const struct vh_op fm_op_take_all = {
	"mm_take_all_locks()", VH_OP_MMAP_WRITE, fm_op_take_all_run
};

static const struct vh_ur_row file_map_rows[] = {
	/* mmap() of a file: a new VMA, linked into the file's i_mmap tree. */
	{ .desc = "map_private_new_vma", .op = &fm_op_map,
	  .hook = FM_HOOK_MMAP,
	  .why = "control: a new VMA next to nothing the reader holds",
	  .before  = "AAAA",
	  .read_at = " ^  ",
	  .range   = "        ****",
	  .probe   = "        ####",
	  .after   = "AAAA----BBBB" },
	{ .desc = "map_shared_prepare_new_vma", .op = &fm_op_map,
	  .hook = FM_HOOK_PREPARE, .shared = true,
	  .why = "->mmap_prepare() sets the VMA's vm_ops; shared and writable, the file counts it in i_mmap_writable and it is write-notified",
	  .before  = "AAAA",
	  .read_at = " ^  ",
	  .range   = "        ****",
	  .probe   = "        ####",
	  .after   = "AAAA----BBBB" },
	{ .desc = "map_merges_adjacent_pgoff", .op = &fm_op_map,
	  .hook = FM_HOOK_MMAP, .waits = true,
	  .why = "the next pages of the file next to its VMA: that VMA expands (vma_expand()), no new VMA",
	  .before  = "FFFF----",
	  .kind    = "pppp    ",
	  .read_at = "  ^     ",
	  .range   = "    ****",
	  .probe   = "########",
	  .after   = "FFFFFFFF" },
	{ .desc = "map_prepare_merges_into_next", .op = &fm_op_map,
	  .hook = FM_HOOK_PREPARE, .shared = true, .waits = true,
	  .before  = "----SSSS",
	  .kind    = "    ssss",
	  .read_at = "     ^  ",
	  .range   = "****    ",
	  .probe   = "########",
	  .after   = "SSSSSSSS" },
	{ .desc = "map_pgoff_not_adjacent", .op = &fm_op_map,
	  .hook = FM_HOOK_MMAP, .pgoff_delta = 100,
	  .why = "control: other pages of the file do not merge, so the reader's VMA is not touched",
	  .before  = "FFFF----",
	  .kind    = "pppp    ",
	  .read_at = "  ^     ",
	  .range   = "    ****",
	  .probe   = "    ####",
	  .after   = "FFFFGGGG" },
	{ .desc = "map_over_file_vma", .op = &fm_op_map,
	  .hook = FM_HOOK_MMAP, .waits = true,
	  .why = "MAP_FIXED over the reader's file VMA: unmapped (and unlinked from i_mmap) for the new one",
	  .before  = "FFFFFFFF",
	  .kind    = "pppppppp",
	  .read_at = "   ^    ",
	  .range   = "  ****  ",
	  .pgoff_delta = 100,
	  .probe   = "########",
	  .after   = "AABBBBCC" },
	{ .desc = "map_hook_fails", .op = &fm_op_map,
	  .hook = FM_HOOK_MMAP_FAILS, .ret = -ENODEV,
	  .why = "->mmap() fails: the new VMA is freed before it is in the tree, and its file reference dropped",
	  .before  = "AAAA",
	  .read_at = " ^  ",
	  .range   = "        ****",
	  .after   = "AAAA" },
	/* munmap() and mprotect() of file VMAs. */
	{ .desc = "unmap_whole", .op = &vh_op_unmap, .waits = true,
	  .before  = "FFFFFFFF",
	  .kind    = "pppppppp",
	  .read_at = "   ^    ",
	  .range   = "********",
	  .after   = "" },
	{ .desc = "unmap_shared_middle_split", .op = &vh_op_unmap,
	  .waits = true,
	  .why = "the split links the new VMA into i_mmap (and i_mmap_writable) before the middle goes",
	  .before  = "SSSSSSSS",
	  .kind    = "ssssssss",
	  .read_at = "      ^ ",
	  .range   = "  **    ",
	  .probe   = "########",
	  .after   = "SS--TTTT" },
	{ .desc = "protect_split", .op = &vh_op_protect,
	  .flags = VH_PROT_RO, .waits = true,
	  .before  = "FFFFFFFF",
	  .kind    = "pppppppp",
	  .read_at = "      ^ ",
	  .range   = "    ****",
	  .probe   = "########",
	  .after   = "FFFFgggg" },
	{ .desc = "protect_merge_removes_next", .op = &vh_op_protect,
	  .flags = VH_PROT_RW, .waits = true,
	  .why = "two VMAs of adjacent pages of the file merge: the reader's one is unlinked from i_mmap and freed",
	  .before  = "FFFFgggg",
	  .kind    = "pppppppp",
	  .read_at = "     ^  ",
	  .range   = "    ****",
	  .probe   = "########",
	  .after   = "FFFFFFFF" },
	{ .desc = "protect_shared_merge_both", .op = &vh_op_protect,
	  .flags = VH_PROT_RW, .waits = true,
	  .why = "prev expands over the middle and next: two VMAs leave i_mmap and i_mmap_writable",
	  .before  = "SSttttUU",
	  .kind    = "ssssssss",
	  .read_at = "       ^",
	  .range   = "  ****  ",
	  .probe   = "########",
	  .after   = "SSSSSSSS" },
	{ .desc = "copy_new_vma", .op = &vh_op_copy, .to = 8,
	  .why = "mremap's copy is a new VMA: a new file reference, linked into i_mmap",
	  .before  = "FFFF",
	  .kind    = "pppp",
	  .read_at = " ^  ",
	  .range   = "****",
	  .probe   = "        ####",
	  .after   = "FFFF----GGGG" },
	/* anon_vmas: reused, duplicated, cloned. */
	{ .desc = "fault_reuses_neighbours_anon_vma", .op = &vh_op_fault,
	  .why = "the VMA split off by mprotect() differs only in access flags: it gets its neighbour's anon_vma (find_mergeable_anon_vma())",
	  .before  = "AAAAbbbb",
	  .anon    = "1111    ",
	  .read_at = " ^      ",
	  .range   = "    ****",
	  .after   = "AAAAbbbb",
	  .anon_after = "11111111" },
	{ .desc = "fault_file_reuses_neighbours_anon_vma", .op = &vh_op_fault,
	  .why = "a COW fault in a private file VMA: its neighbour maps the next pages of the same file",
	  .before  = "FFFFgggg",
	  .kind    = "pppppppp",
	  .anon    = "    1111",
	  .read_at = "     ^  ",
	  .range   = "****    ",
	  .after   = "FFFFgggg",
	  .anon_after = "11111111" },
	{ .desc = "fault_next_to_file_new_anon_vma", .op = &vh_op_fault,
	  .why = "control: anonymous memory next to a file VMA cannot share the file VMA's anon_vma",
	  .before  = "FFFFBBBB",
	  .kind    = "pppp    ",
	  .anon    = "1111    ",
	  .read_at = " ^      ",
	  .range   = "    ****",
	  .after   = "FFFFBBBB",
	  .anon_after = "11112222" },
	{ .desc = "protect_merge_shared_anon_vma", .op = &vh_op_protect,
	  .flags = VH_PROT_RW, .waits = true,
	  .before  = "AAAAbbbb",
	  .anon    = "11111111",
	  .read_at = "     ^  ",
	  .range   = "    ****",
	  .probe   = "########",
	  .after   = "AAAAAAAA",
	  .anon_after = "11111111" },
	{ .desc = "protect_merge_dups_anon_vma", .op = &vh_op_protect,
	  .flags = VH_PROT_RW, .waits = true,
	  .why = "prev has no anon_vma: it takes the one of the VMA it absorbs (dup_anon_vma())",
	  .before  = "AAAAbbbb",
	  .anon    = "    1111",
	  .read_at = " ^      ",
	  .range   = "    ****",
	  .probe   = "########",
	  .after   = "AAAAAAAA",
	  .anon_after = "11111111" },
	{ .desc = "protect_split_clones_anon_vma", .op = &vh_op_protect,
	  .flags = VH_PROT_RO, .waits = true,
	  .before  = "AAAAAAAA",
	  .anon    = "11111111",
	  .read_at = "^       ",
	  .range   = "  ****  ",
	  .probe   = "########",
	  .after   = "AAbbbbCC",
	  .anon_after = "11111111" },
	{ .desc = "unmap_unlinks_anon_vma", .op = &vh_op_unmap, .waits = true,
	  .before  = "AAAAbbbb",
	  .anon    = "11111111",
	  .read_at = "     ^  ",
	  .range   = "    ****",
	  .after   = "AAAA",
	  .anon_after = "1111" },
	{ .desc = "copy_clones_anon_vma", .op = &vh_op_copy, .to = 8,
	  .before  = "AAAA",
	  .anon    = "1111",
	  .read_at = " ^  ",
	  .range   = "****",
	  .probe   = "        ####",
	  .after   = "AAAA----BBBB",
	  .anon_after = "1111    1111" },
	{ .desc = "copy_file_with_anon_vma", .op = &vh_op_copy, .to = 8,
	  .before  = "FFFF",
	  .kind    = "pppp",
	  .anon    = "1111",
	  .read_at = " ^  ",
	  .range   = "****",
	  .probe   = "        ####",
	  .after   = "FFFF----GGGG",
	  .anon_after = "1111    1111" },
	/* mm_take_all_locks(): every VMA, every mapping, every anon_vma. */
	{ .desc = "take_all_locks", .op = &fm_op_take_all, .waits = true,
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

/*
 * What the file's reverse map must say of @mm's VMAs: i_mmap holds exactly
 * the VMAs that map the file, i_mmap_writable counts the shared writable
 * ones, the file has a reference per VMA and its opener's, and a shared
 * writable VMA of a file that writes back is write-notified (its page
 * protection is a private one's, so that the first write to a page faults)
 * and needs dirty tracking (others do not).
 */
static void fm_check_file(struct vh_ur *u, struct fm_file *f)
{
	struct address_space *mapping = &f->mapping;
	struct vm_area_struct *vma;
	VMA_ITERATOR(vmi, u->mm, 0);
	unsigned int nr = 0, writable = 0, i;

	mmap_read_lock(u->mm);
	for_each_vma(vmi, vma) {
		bool in = false;

		for (i = 0; i < mapping->vh_nr_i_mmap; i++)
			in |= mapping->vh_i_mmap[i] == vma;
		if (vma->vm_file != &f->file) {
			if (in)
				VH_FAIL("[%#lx-%#lx) does not map the file but is in its i_mmap tree",
					vma->vm_start, vma->vm_end);
			continue;
		}
		nr++;
		if (!in)
			VH_FAIL("[%#lx-%#lx) maps the file but is not in its i_mmap tree",
				vma->vm_start, vma->vm_end);
		if (vma->vm_ops != &fm_vm_ops)
			VH_FAIL("[%#lx-%#lx) lost the vm_ops its file's mmap hook gave it",
				vma->vm_start, vma->vm_end);
		if (vma_is_shared_maywrite(vma))
			writable++;
		/* What GUP asks before it pins pages for writing. */
		if (vma_needs_dirty_tracking(vma) !=
		    ((vma->vm_flags & (VM_SHARED | VM_WRITE)) ==
		     (VM_SHARED | VM_WRITE)))
			VH_FAIL("[%#lx-%#lx): vma_needs_dirty_tracking() is %d: only a shared writable mapping of a file that writes back needs it",
				vma->vm_start, vma->vm_end,
				vma_needs_dirty_tracking(vma));
		if ((vma->vm_flags & (VM_SHARED | VM_WRITE)) ==
		    (VM_SHARED | VM_WRITE) &&
		    (pgprot_val(vma->vm_page_prot) & VM_SHARED))
			VH_FAIL("[%#lx-%#lx) is a shared writable mapping of a file that writes back, but is not write-notified",
				vma->vm_start, vma->vm_end);
	}
	mmap_read_unlock(u->mm);
	VH_EXPECT_EQ_MSG(mapping->vh_nr_i_mmap, nr,
			 "i_mmap holds exactly the VMAs that map the file");
	VH_EXPECT_EQ_MSG(atomic_read(&mapping->i_mmap_writable), writable,
			 "i_mmap_writable counts the shared writable VMAs");
	VH_EXPECT_EQ_MSG(atomic_read(&f->file.vh_count), 1 + nr,
			 "the file has a reference per VMA, and its opener's");
}

static void fm_body(const struct vh_ur_row *row)
{
	/* The file outlives the address space that maps it. */
	struct fm_file *f = fm_file_new(row->hook);
	struct vh_ur *u = vh_ur_run(row, &f->file, f);

	fm_check_file(u, f);
	if (row->op == &fm_op_take_all) {
		if (!f->mapping_locked)
			VH_FAIL("mm_take_all_locks() returned without the file's i_mmap_rwsem held (and AS_MM_ALL_LOCKS set)");
		if (!f->anon_locked)
			VH_FAIL("mm_take_all_locks() returned without every anon_vma's root rwsem held");
		VH_EXPECT_FALSE(test_bit(AS_MM_ALL_LOCKS, &f->mapping.flags));
		VH_EXPECT_FALSE(rwsem_is_locked(&f->mapping.i_mmap_rwsem));
	}
	if (row->op == &fm_op_map && !row->waits)
		VH_EXPECT_EQ(f->hook_runs, 1);
}

VH_TABLE(file_map,
	 "mm/vma.c, mm/mmap.c: file-backed and anon_vma VMAs under a lockless reader: every mm/vma.c path that changes one write-locks it first, and leaves the file's i_mmap tree, i_mmap_writable and references and the anon_vmas' links as the kernel promises",
	 file_map_rows, fm_body);
