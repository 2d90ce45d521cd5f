/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/fs.h: a model of a mapped file.  The harness's
 * tests map anonymous memory; a file needs only what mm/vma.c and the real
 * inline helpers extracted from fs.h (i_mmap_lock_write(),
 * mapping_map_writable(), vfs_mmap(), ...) look at: its address_space, with
 * its i_mmap_rwsem (a harness rwsem) and writable-mapping count, and its
 * mmap hooks.  Files are never freed (get_file()/fput() do not count).
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

struct address_space {
	struct inode *host;
	atomic_t i_mmap_writable;
	struct rb_root_cached i_mmap;
	unsigned long flags;
	struct rw_semaphore i_mmap_rwsem;
};

struct file_operations {
	int (*mmap)(struct file *file, struct vm_area_struct *vma);
	int (*mmap_prepare)(struct vm_area_desc *desc);
};

struct file {
	struct address_space *f_mapping;
	const struct file_operations *f_op;
};

static inline struct file *get_file(struct file *f)
{
	return f;
}

static inline void fput(struct file *f)
{
}

/* The VMA interval tree of a mapping is not modelled (7.3, then older). */
#define mapping_rmap_tree_insert(vma, mapping) \
	do { (void)(vma); (void)(mapping); } while (0)
#define mapping_rmap_tree_remove(vma, mapping) \
	do { (void)(vma); (void)(mapping); } while (0)
#define vma_interval_tree_insert(vma, root) \
	do { (void)(vma); (void)(root); } while (0)
#define vma_interval_tree_remove(vma, root) \
	do { (void)(vma); (void)(root); } while (0)

/* No DAX, no shmem, no writeback device. */
#define vma_is_dax(vma)			((void)(vma), false)
#define shmem_file(file)		((void)(file), false)
#define shmem_zero_setup(vma)		((void)(vma), 0)
#define mapping_can_writeback(mapping)	((void)(mapping), true)

#endif /* _LINUX_FS_H */
