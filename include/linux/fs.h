/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/fs.h: a model of a mapped file.  A file needs only
 * what mm/vma.c and the real inline helpers extracted from fs.h
 * (i_mmap_lock_write(), mapping_map_writable(), vfs_mmap(), ...) look at:
 * its address_space, with its i_mmap_rwsem (a harness rwsem), its
 * writable-mapping count and its i_mmap tree, and its mmap hooks.
 *
 * The i_mmap tree (mm/interval_tree.c) is modelled as the set of VMAs in
 * it; inserting or removing a VMA checks the rule of the tree's lock (the
 * caller holds i_mmap_rwsem for write) and that the VMA is not, or is, in
 * it (shared/env/kernel_stubs.c).  A file counts its references
 * (get_file(), fput()); it is never freed: the test that made it owns it.
 */
#ifndef _LINUX_FS_H
#define _LINUX_FS_H

#include <linux/types.h>
#include <linux/rbtree.h>
#include <linux/rwsem.h>
#include <linux/atomic.h>

struct vm_area_struct;
struct vm_area_desc;

/* An inode: a regular file's mode, no flags (not append-only, no swap). */
struct super_block {
	dev_t s_dev;
};

struct inode {
	unsigned short i_mode;
	unsigned int i_flags;
	struct super_block *i_sb;
	unsigned long i_ino;
	struct task_struct *vh_task;	/* the task a proc inode is of */
};

/*
 * No mounts: no path is on a noexec mount (path_noexec() is false); a
 * path is its name (d_path() in shared/env/procfs.h).
 */
struct path {
	void *mnt;
	const char *vh_name;
};

/*
 * VMAs a mapping's i_mmap tree holds: the fuzzer's 32-page window, each
 * page its own VMA of one file, twice while fork copies it.
 */
#define VH_I_MMAP_MAX	64

struct address_space {
	struct inode *host;
	atomic_t i_mmap_writable;
	struct rb_root_cached i_mmap;
	unsigned long flags;
	struct rw_semaphore i_mmap_rwsem;

	/* The model of the i_mmap tree: the VMAs in it, in no order. */
	struct vm_area_struct *vh_i_mmap[VH_I_MMAP_MAX];
	unsigned int vh_nr_i_mmap;
};

struct file_operations {
	unsigned int fop_flags;
	unsigned long (*get_unmapped_area)(struct file *file,
					   unsigned long addr,
					   unsigned long len,
					   unsigned long pgoff,
					   unsigned long flags);
	int (*mmap)(struct file *file, struct vm_area_struct *vma);
	int (*mmap_prepare)(struct vm_area_desc *desc);
};

struct file {
	struct address_space *f_mapping;
	const struct file_operations *f_op;
	struct inode *f_inode;
	unsigned int f_mode;		/* FMODE_READ, FMODE_WRITE */
	struct path f_path;
	void *private_data;
	atomic_t vh_count;		/* references: get_file(), fput() */
};

static inline struct file *get_file(struct file *f)
{
	atomic_inc(&f->vh_count);
	return f;
}

/* include/linux/file.h: drops a reference (warns when there is none). */
void fput(struct file *f);
/* No file descriptors: fget() finds none (remap_file_pages()). */
#define fget(fd)			((void)(fd), (struct file *)NULL)
#define path_noexec(path)		((void)(path), false)

/* The i_mmap tree (7.3 names, then older ones): shared/env/kernel_stubs.c. */
void vh_i_mmap_insert(struct vm_area_struct *vma,
		      struct address_space *mapping, const char *file,
		      int line);
void vh_i_mmap_remove(struct vm_area_struct *vma,
		      struct address_space *mapping, const char *file,
		      int line);
#define vh_i_mmap_of(root)	container_of(root, struct address_space, i_mmap)
#define mapping_rmap_tree_insert(vma, mapping) \
	vh_i_mmap_insert(vma, mapping, __FILE__, __LINE__)
#define mapping_rmap_tree_remove(vma, mapping) \
	vh_i_mmap_remove(vma, mapping, __FILE__, __LINE__)
#define mapping_rmap_tree_insert_after(vma, prev, mapping) \
	((void)(prev), vh_i_mmap_insert(vma, mapping, __FILE__, __LINE__))
#define vma_interval_tree_insert_after(vma, prev, root) \
	((void)(prev), vh_i_mmap_insert(vma, vh_i_mmap_of(root), __FILE__, \
					__LINE__))
#define vma_interval_tree_insert(vma, root) \
	vh_i_mmap_insert(vma, vh_i_mmap_of(root), __FILE__, __LINE__)
#define vma_interval_tree_remove(vma, root) \
	vh_i_mmap_remove(vma, vh_i_mmap_of(root), __FILE__, __LINE__)

/* No DAX, no shmem; every mapping can write back (a disk file's). */
#define vma_is_dax(vma)			((void)(vma), false)
#define shmem_file(file)		((void)(file), false)
#define shmem_zero_setup(vma)		((void)(vma), 0)
#define mapping_can_writeback(mapping)	((void)(mapping), true)

#endif /* _LINUX_FS_H */
