// SPDX-License-Identifier: GPL-2.0
/*
 * The environment's start-up and shut-down (env.h), and the hooks it
 * registers in its lower files as it starts.
 */
#include <linux/mm.h>
#include "kcsan.h"
#include "env.h"
#include "report.h"
#include "lockdep.h"

void maple_tree_init(void);
void vma_state_init(void);

/* A task ends holding a VMA read lock: shared/env/lockdep.c releases it. */
static void vh_release_vma_lock(const struct lockdep_map *map, int read)
{
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	struct vm_area_struct *vma = container_of(map, struct vm_area_struct,
						  vmlock_dep_map);

	if (read)
		vma_end_read(vma);
#endif
}

#ifdef CONFIG_DEBUG_VM_MAPLE_TREE
/*
 * CONFIG_DEBUG_VM_MAPLE_TREE, after each operation of a test: whenever a
 * task releases an mm's mmap_lock for write, the mm's tree is checked
 * (mt_validate(), under the lock, as validate_mm() does), besides the
 * validate_mm() calls of mm/vma.c itself.  A broken tree is a BUG
 * reported by the maple tree's own checks (shared/env/maple_debug.h).
 */
static void vh_validate_on_unlock(struct rw_semaphore *sem)
{
	struct mm_struct *mm = container_of(sem, struct mm_struct, mmap_lock);

	if (vh_mm_tracked(mm))
		mt_validate(&mm->mm_mt);
}
#endif

void vh_env_init(void)
{
#ifdef CONFIG_DEBUG_VM_MAPLE_TREE
	vh_rwsem_up_write_hook = vh_validate_on_unlock;
#endif
	vh_lockdep_release_other = vh_release_vma_lock;
	vh_kcsan_set_describe(vh_env_describe);
	vh_rcu_init();
	maple_tree_init();
	vma_state_init();
	/* The boot-time set-up of the kernel files compiled (start_kernel()). */
	anon_vma_init();
	mmap_init();
}

void vh_env_exit(void)
{
	vh_rcu_exit();
	vh_slab_teardown();
	vh_task_free(vh_task_exit());
}

