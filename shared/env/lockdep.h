/* SPDX-License-Identifier: GPL-2.0 */
/* The harness side of shared/env/lockdep.c. */
#ifndef _VH_ENV_LOCKDEP_H
#define _VH_ENV_LOCKDEP_H

#include <stdbool.h>
#include <stddef.h>

struct task_struct;
struct lockdep_map;

/*
 * Append a description of what @t holds (RCU nesting, held locks) to @buf
 * (@size bytes, @len used); returns the new length.
 */
size_t vh_lockdep_describe(struct task_struct *t, char *buf, size_t size,
			   size_t len);
/* A task ends: report what it still holds, then release it. */
void vh_lockdep_task_exit(struct task_struct *t);
/*
 * Release a lock a task still held when it ended, by the layer that owns
 * that kind of lock: rwsem.c for rwsems, mm.c for a VMA read lock.
 */
extern void (*vh_lockdep_release_rwsem)(const struct lockdep_map *map,
					int read);
extern void (*vh_lockdep_release_other)(const struct lockdep_map *map,
					int read);

#endif /* _VH_ENV_LOCKDEP_H */
