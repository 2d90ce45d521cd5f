/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/rmap.h: a model of anon_vma, for the code under test
 * to link VMAs to and lock.  The fields are the kernel's that mm/vma.c and
 * the real mm/internal.h helpers use (anon_vma_lock_write() takes
 * anon_vma->root->rwsem, an rwsem of the harness); the reverse map itself
 * (mm/rmap.c, the interval trees) is not modelled.  The operations are in
 * shared/env/kernel_stubs.c.
 */
#ifndef _LINUX_RMAP_H
#define _LINUX_RMAP_H

#include <linux/list.h>
#include <linux/rbtree.h>
#include <linux/rwsem.h>
#include <linux/atomic.h>

struct anon_vma {
	struct anon_vma *root;
	struct rw_semaphore rwsem;
	atomic_t refcount;
	unsigned long num_children;
	unsigned long num_active_vmas;
	struct anon_vma *parent;
	struct rb_root_cached rb_root;

	/*
	 * What anon_vma_clone() and unlink_anon_vmas() did to it: the
	 * observations the tree's tools/testing/vma tests make.
	 */
	bool was_cloned;
	bool was_unlinked;
};

struct anon_vma_chain {
	struct vm_area_struct *vma;
	struct anon_vma *anon_vma;
	struct list_head same_vma;
};

/* The reverse-map trees are not modelled (7.3 names, then older ones). */
#define anon_rmap_tree_insert(avc, anon_vma) \
	do { (void)(avc); (void)(anon_vma); } while (0)
#define anon_rmap_tree_remove(avc, anon_vma) \
	do { (void)(avc); (void)(anon_vma); } while (0)
#define anon_vma_interval_tree_insert(avc, root) \
	do { (void)(avc); (void)(root); } while (0)
#define anon_vma_interval_tree_remove(avc, root) \
	do { (void)(avc); (void)(root); } while (0)

#endif /* _LINUX_RMAP_H */
