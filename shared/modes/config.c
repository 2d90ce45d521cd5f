// SPDX-License-Identifier: GPL-2.0
/*
 * ./vma --config: what this build is.  The configuration (configs/NAME:
 * its name and CONFIG_ symbols), the architecture's word size, and the
 * layout of the structures the per-VMA lock lives in, as the tree's
 * mm_types.h defines them in this configuration: sizeof(struct
 * vm_area_struct) and sizeof(struct mm_struct), and the offsets of the lock
 * fields.  The sizes are this environment's, not a kernel's: our rwsem,
 * lockdep map and the stubbed members of mm_struct differ (README
 * "Configurations").  run_tests.sh prints the VMA's size of every row, so
 * that a patch that grows it in some configuration shows.
 */
#include <stddef.h>
#include <stdio.h>
#include "../env/env.h"
#include "../kunit/mode.h"
#include "../vma/vma.h"

static int vh_config_run(char **args __always_unused,
			 int nr_args __always_unused)
{
	printf("configuration: %s (%s)\n", vh_config_name(), vh_config_desc());
	printf("symbols: %s\n", vh_config_symbols());
	printf("unsigned long: %zu bits, pointer: %zu bits\n",
	       8 * sizeof(unsigned long), 8 * sizeof(void *));
	printf("sizeof(struct vm_area_struct): %zu\n",
	       sizeof(struct vm_area_struct));
	printf("sizeof(struct mm_struct): %zu\n", sizeof(struct mm_struct));
	printf("offsetof(struct vm_area_struct, vm_refcnt): %zu\n",
	       offsetof(struct vm_area_struct, vm_refcnt));
	printf("offsetof(struct vm_area_struct, vm_lock_seq): %zu\n",
	       offsetof(struct vm_area_struct, vm_lock_seq));
	printf("offsetof(struct mm_struct, mm_lock_seq): %zu\n",
	       offsetof(struct mm_struct, mm_lock_seq));
	printf("offsetof(struct mm_struct, mmap_lock): %zu\n",
	       offsetof(struct mm_struct, mmap_lock));
	printf("sizeof(struct rw_semaphore): %zu (the harness's model)\n",
	       sizeof(struct rw_semaphore));
	vh_env_exit();
	return 0;
}

static struct vh_mode config_mode = {
	.name = "config",
	.usage =
"      --config         the build's configuration (make CONFIG=), its\n"
"                       CONFIG_ symbols and the sizes and lock-field\n"
"                       offsets of vm_area_struct and mm_struct\n",
	.run = vh_config_run,
};
VH_MODE(config_mode);
