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
struct inode;

#define VH_I_MMAP_MAX	16	/* VMAs a mapping's i_mmap tree holds */

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
	int (*mmap)(struct file *file, struct vm_area_struct *vma);
	int (*mmap_prepare)(struct vm_area_desc *desc);
	unsigned long (*get_unmapped_area)(struct file *, unsigned long,
					   unsigned long, unsigned long,
					   unsigned long);
};

struct file {
	struct address_space *f_mapping;
	const struct file_operations *f_op;
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
