/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/rmap.h: a model of anon_vma, for the code under test
 * to link VMAs to and lock.  The fields are the kernel's that mm/vma.c and
 * the real mm/internal.h helpers use (anon_vma_lock_write() takes
 * anon_vma->root->rwsem, an rwsem of the harness).  The anon_vmas that
 * __anon_vma_prepare() makes are modelled as mm/rmap.c keeps them: each VMA
 * links to them by anon_vma_chains, which anon_vma_clone() copies and
 * unlink_anon_vmas() frees, and the interval tree of an anon_vma is
 * modelled by the number of chains in it, changed under the root's rwsem
 * held for write (checked).  The operations are in
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

	/* Made by the environment's __anon_vma_prepare(), and modelled. */
	bool vh_env;
	/* The model of its interval tree: the anon_vma_chains in it. */
	unsigned long vh_nr_avcs;
};

struct anon_vma_chain {
	struct vm_area_struct *vma;
	struct anon_vma *anon_vma;
	struct list_head same_vma;
};

/* The reverse-map trees (7.3 names, then older ones): kernel_stubs.c. */
void vh_anon_rmap_insert(struct anon_vma_chain *avc,
			 struct anon_vma *anon_vma, const char *file, int line);
void vh_anon_rmap_remove(struct anon_vma_chain *avc,
			 struct anon_vma *anon_vma, const char *file, int line);
#define vh_anon_vma_of(root)	container_of(root, struct anon_vma, rb_root)
#define anon_rmap_tree_insert(avc, anon_vma) \
	vh_anon_rmap_insert(avc, anon_vma, __FILE__, __LINE__)
#define anon_rmap_tree_remove(avc, anon_vma) \
	vh_anon_rmap_remove(avc, anon_vma, __FILE__, __LINE__)
#define anon_vma_interval_tree_insert(avc, root) \
	vh_anon_rmap_insert(avc, vh_anon_vma_of(root), __FILE__, __LINE__)
#define anon_vma_interval_tree_remove(avc, root) \
	vh_anon_rmap_remove(avc, vh_anon_vma_of(root), __FILE__, __LINE__)

#endif /* _LINUX_RMAP_H */
