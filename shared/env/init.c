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

void vh_env_init(void)
{
	vh_lockdep_release_other = vh_release_vma_lock;
	vh_kcsan_set_describe(vh_env_describe);
	vh_rcu_init();
	maple_tree_init();
	vma_state_init();
}

void vh_env_exit(void)
{
	vh_rcu_exit();
	vh_anon_vmas_free();
	vh_slab_teardown();
	vh_task_free(vh_task_exit());
}

