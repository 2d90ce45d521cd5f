/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/rmap.h, which cannot be included in userspace
 * (folios, page walks).  The anon_vma code itself is the tree's:
 * anon_vma_clone(), anon_vma_fork(), unlink_anon_vmas(),
 * __anon_vma_prepare() and their helpers are taken from mm/rmap.c
 * (scripts/build/rmap.names), get_anon_vma()/put_anon_vma() from rmap.h
 * (scripts/build/env.names), the anon_vma interval tree from
 * mm/interval_tree.c (scripts/build/interval_tree.names), with real slab
 * caches (anon_vma is SLAB_TYPESAFE_BY_RCU, as there).
 *
 * What stays hand-written is the two structures, with the kernel's fields
 * and two more that the tree's tools/testing/vma tests observe on their
 * own anon_vmas (their stubs set them), and the check that the interval
 * tree changes only under the root anon_vma's rwsem held for write
 * (shared/env/kernel_stubs.c), around the tree's insert and remove.
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

	/* Set by the stubs of the tree's tools/testing/vma tests only. */
	bool was_cloned;
	bool was_unlinked;
};

struct anon_vma_chain {
	struct vm_area_struct *vma;
	struct anon_vma *anon_vma;
	struct list_head same_vma;
	struct rb_node rb;
	unsigned long rb_subtree_last;
};

void anon_vma_init(void);
void __put_anon_vma(struct anon_vma *anon_vma);

/*
 * The interval tree's insert and remove (7.3 names, then older ones), with
 * the check of their lock first (shared/env/kernel_stubs.c); the unit
 * that compiles the tree's own (VH_RMAP_TREE_UNIT) names them
 * vh_real_*.
 */
#ifndef VH_RMAP_TREE_UNIT
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
#endif

#endif /* _LINUX_RMAP_H */
