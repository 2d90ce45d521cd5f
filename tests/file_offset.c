// SPDX-License-Identifier: GPL-2.0
/*
 * File offsets past 4 GiB.  mmap() of a regular file at page @pgoff goes
 * through do_mmap(): the offset must not wrap (pgoff + pages), and the
 * mapping's end in bytes must not pass MAX_LFS_FILESIZE (file_mmap_ok(),
 * in u64); PROCMAP_QUERY then reports the VMA's offset in bytes
 * (do_procmap_query(): vm_pgoff widened to __u64 before the shift).
 *
 * On a 64-bit kernel every offset here fits in unsigned long; on a 32-bit
 * one a byte offset of 4 GiB and more does not, and only the 64-bit
 * arithmetic of both places gets it right: an unsigned long there
 * truncates the 4 GiB row (rows "offset_4g", "offset_last_page", in the
 * i386 configuration).
 *
 *	page:	 0        0xfffff    0x100000   MAX_LFS_FILESIZE >> PAGE_SHIFT
 *	file:	 |----------|-----4 GiB-|----...----------|
 *	maps:	 [F]        [F]         [F]          [F]| -EOVERFLOW
 */
#include <errno.h>
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"
#include "../shared/env/maps.h"

struct fo_row {
	const char *desc;
	const char *why;
	unsigned long pgoff;	/* the file page mapped at VH_BASE */
	unsigned long pages;	/* the mapping's length */
	int err;		/* what do_mmap() returns; 0: the address */
};

#define FO_4G_PAGE	((unsigned long)(0x100000000ULL >> PAGE_SHIFT))
#define FO_LAST_PAGE	((unsigned long)(MAX_LFS_FILESIZE >> PAGE_SHIFT))

static const struct fo_row fo_rows[] = {
	{ .desc = "offset_zero", .pgoff = 0, .pages = 2,
	  .why = "control" },
	{ .desc = "offset_below_4g", .pgoff = FO_4G_PAGE - 1, .pages = 1,
	  .why = "control: the last page whose byte offset fits in 32 bits" },
	{ .desc = "offset_4g", .pgoff = FO_4G_PAGE, .pages = 2,
	  .why = "byte offset 4 GiB: past 32 bits, so a 32-bit kernel must compute it (MAX_LFS_FILESIZE, vma_offset) in 64 bits" },
	{ .desc = "offset_last_page", .pgoff = FO_LAST_PAGE - 1, .pages = 1,
	  .why = "the mapping ends exactly at MAX_LFS_FILESIZE's last whole page" },
	{ .desc = "offset_past_max", .pgoff = FO_LAST_PAGE, .pages = 1,
	  .err = -EOVERFLOW,
	  .why = "the mapping would end past MAX_LFS_FILESIZE (on 32-bit the page offset itself wraps)" },
	{ .desc = "offset_wraps", .pgoff = ULONG_MAX, .pages = 2,
	  .err = -EOVERFLOW,
	  .why = "pgoff + pages wraps around unsigned long" },
};

struct fo_file {
	struct super_block sb;
	struct inode inode;
	struct address_space mapping;
	struct file file;
};

/* What the file's ->mmap() gives a VMA: a filesystem's vm_ops. */
static const struct vm_operations_struct fo_vm_ops;

static int fo_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_ops = &fo_vm_ops;
	vma->vm_private_data = file;
	return 0;
}

static const struct file_operations fo_fops = { .mmap = fo_mmap };

/* A regular file opened for reading (file_mmap_size_max(): S_ISREG). */
static struct fo_file *fo_file_new(void)
{
	struct fo_file *f = vh_test_alloc(sizeof(*f));

	f->inode.i_mode = S_IFREG | 0644;
	f->inode.i_sb = &f->sb;
	f->inode.i_ino = 19;
	f->mapping.host = &f->inode;
	init_rwsem(&f->mapping.i_mmap_rwsem);
	f->file.f_mapping = &f->mapping;
	f->file.f_inode = &f->inode;
	f->file.f_op = &fo_fops;
	f->file.f_mode = FMODE_READ;
	atomic_set(&f->file.vh_count, 1);	/* the opener's */
	return f;
}

/* mmap(VH_BASE, pages, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, pgoff). */
static long fo_do_mmap(struct mm_struct *mm, struct file *file,
		       unsigned long pgoff, unsigned long len)
{
	unsigned long populate, addr;

	current->mm = mm;
	mmap_write_lock(mm);
#ifdef VH_HAVE_DO_MMAP_VMA_FLAGS
	addr = do_mmap(file, VH_BASE, len, PROT_READ, MAP_PRIVATE | MAP_FIXED,
		       EMPTY_VMA_FLAGS, pgoff, &populate, NULL);
#else
	addr = do_mmap(file, VH_BASE, len, PROT_READ, MAP_PRIVATE | MAP_FIXED,
		       0, pgoff, &populate, NULL);
#endif
	mmap_write_unlock(mm);
	return IS_ERR_VALUE(addr) ? (long)addr : 0;
}

static void fo_body(const struct fo_row *row)
{
	/* The file first: the address space is torn down before it goes. */
	struct fo_file *f = fo_file_new();
	struct mm_struct *mm = vh_test_mm();
	unsigned long long want = (unsigned long long)row->pgoff << PAGE_SHIFT;
	struct vh_procmap_query q = { .addr = VH_BASE };
	struct vm_area_struct *vma;
	long ret;

	vh_why(row->why);
	ret = fo_do_mmap(mm, &f->file, row->pgoff, VH_PG(row->pages));
	if (ret != row->err)
		vh_fail(__FILE__, __LINE__,
			"do_mmap() of file page %#lx (byte offset %#llx, %lu pages) returned %ld, want %d",
			row->pgoff, want, row->pages, ret, row->err);
	vma = vma_lookup(mm, VH_BASE);
	if (row->err) {
		VH_CHECK(!vma);
		return;
	}
	VH_ASSERT(vma);
	VH_CHECK(vma->vm_file == &f->file);
	VH_CHECK_EQ(vma->vm_end, VH_BASE + VH_PG(row->pages));
	if (vma->vm_pgoff != row->pgoff)
		vh_fail(__FILE__, __LINE__, "the VMA maps file page %#lx, want %#lx",
			vma->vm_pgoff, row->pgoff);

	VH_ASSERT_EQ(vh_procmap_query(mm, &q), 0);
	VH_CHECK_EQ(q.start, VH_BASE);
	if (q.offset != want)
		vh_fail(__FILE__, __LINE__,
			"PROCMAP_QUERY's vma_offset is %#llx, want %#llx (file page %#lx)",
			q.offset, want, row->pgoff);
}

VH_TABLE(file_offset,
	 "mm/mmap.c, fs/proc/task_mmu.c: mmap() of a regular file maps any page whose mapping ends within MAX_LFS_FILESIZE, past 4 GiB on 32-bit too, refuses one that wraps or ends past it (-EOVERFLOW), and PROCMAP_QUERY reports the VMA's offset in bytes as 64 bits",
	 fo_rows, fo_body);
