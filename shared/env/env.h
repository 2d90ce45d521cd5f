/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel environment seen from above: what the runner, the run modes and
 * the test helpers may start, stop, inject and observe.  Kernel code never
 * sees this header; it sees the stub headers under include/.
 */
#ifndef _VH_ENV_H
#define _VH_ENV_H

#include <linux/types.h>
#include <linux/vmstat.h>

struct task_struct;
struct kmem_cache;
struct mm_struct;
struct rw_semaphore;

/**
 * vh_env_init() - bring the environment up (maple tree, VMA slab cache)
 *
 * Called once by the runner, on the initial task, before any test.
 */
void vh_env_init(void);
/**
 * vh_env_exit() - tear the environment down (slab caches, the initial task)
 */
void vh_env_exit(void);

/*
 * RCU (shared/env/rcu.c): the callback thread, started and ended with the
 * environment; every thread of the harness calls vh_rcu_thread_init() once
 * it is registered with liburcu.
 */
void vh_rcu_init(void);
void vh_rcu_thread_init(void);
void vh_rcu_exit(void);

/*
 * Address spaces (shared/env/describe.c): vh_mm_track() makes @mm known to
 * vh_env_describe() (and vh_mm_tracked()) until __mmdrop() frees it.
 */
void vh_mm_track(struct mm_struct *mm);
void vh_mm_untrack(struct mm_struct *mm);
bool vh_mm_tracked(const struct mm_struct *mm);
/**
 * vh_env_describe() - name what @addr is (a field of a VMA or an mm)
 *
 * Writes one line into @buf for the race detector's reports; returns false
 * when @addr is in no object the environment knows.
 */
bool vh_env_describe(const void *addr, char *buf, size_t size);

/* Tasks (shared/env/task.c). */
/** vh_task_pid() - the calling thread's task's pid; 0 before it has one */
int vh_task_pid(void);
struct task_struct *vh_task_exit(void);
void vh_task_free(struct task_struct *t);
/** vh_task_kill() - deliver SIGKILL to @p, waking it if it sleeps killably */
void vh_task_kill(struct task_struct *p);
/** vh_task_clear_signals() - forget the signals pending for @p */
void vh_task_clear_signals(struct task_struct *p);
/**
 * vh_set_rlimit() - set the soft limit @limit (RLIMIT_*) that rlimit() reads
 * @limit:	the resource
 * @cur:	its limit, in the resource's unit (bytes for RLIMIT_AS and
 *		RLIMIT_STACK); RLIM_INFINITY lifts it
 */
void vh_set_rlimit(unsigned int limit, unsigned long cur);

/* VMA_LOCK_* event counters (shared/env/vmstat.c), summed over tasks. */
unsigned long vh_vm_event(enum vm_event_item item);
void vh_vm_events_reset(void);

/* The anon_vmas __anon_vma_prepare() made (shared/env/kernel_stubs.c). */

/* Slab caches (shared/env/slab.c). */
struct kmem_cache *vh_kmem_cache_find(const char *name);
/**
 * vh_failslab() - make an allocation from @s fail, as CONFIG_FAILSLAB does
 * @s:		the cache (vh_kmem_cache_find(), or vh_vma_cache())
 * @nth:	the allocation that fails, counted from now (1: the next one,
 *		by any task); 0 cancels
 */
void vh_failslab(struct kmem_cache *s, unsigned int nth);
/** vh_kmem_cache_reused() - how often @s handed out a freed object again */
unsigned long vh_kmem_cache_reused(struct kmem_cache *s);
/*
 * vh_kmem_cache_object() - the object of a SLAB_TYPESAFE_BY_RCU cache that
 * holds @addr: its cache's name and its address.  False if none does.
 */
bool vh_kmem_cache_object(const void *addr, const char **name,
			  const void **base);
void vh_slab_teardown(void);

/*
 * vma_start_write() call sites (shared/env/write_site.c): @fn gets the file and
 * line of every vma_start_write() the code under test reaches.
 */
void vh_write_site_register(void (*fn)(const char *file, int line));

/* The configuration (shared/env/config.c, configs/NAME). */
/** vh_config_name() - the configuration's name ("debug", "production") */
const char *vh_config_name(void);
/** vh_config_desc() - its one-line description */
const char *vh_config_desc(void);
/** vh_config_symbols() - its CONFIG_ symbols, space-separated */
const char *vh_config_symbols(void);
/**
 * vh_config_has() - is CONFIG_@sym set in this build?
 * @sym:	the symbol, with or without its CONFIG_ prefix ("LOCKDEP")
 *
 * The runtime IS_ENABLED() of the test API.
 */
bool vh_config_has(const char *sym);
/**
 * vh_config_needs() - why a test needing CONFIG_@sym is skipped
 * @sym:	as for vh_config_has()
 *
 * Return: NULL when the configuration has @sym, else the reason, for
 * VH_TABLE_SKIP().
 */
const char *vh_config_needs(const char *sym);

/*
 * Called by up_write() of an mm's mmap_lock, before the lock is released
 * (CONFIG_DEBUG_VM_MAPLE_TREE: shared/env/mm.c validates the tree).
 */
extern void (*vh_rwsem_up_write_hook)(struct rw_semaphore *sem);
/*
 * vh_rwsem_read_held_by_me() - whether the calling task holds @sem for
 * read, by the rwsem's own record of its readers: it answers in every
 * configuration, where lockdep_is_held() is always true without LOCKDEP.
 */
bool vh_rwsem_read_held_by_me(const struct rw_semaphore *sem);

/*
 * Called by copy_page_range() (a stand-in: there are no page tables to
 * copy), where fork's dup_mmap() would copy @src's page tables into @dst:
 * a test sees which VMA fork copies, and when.
 */
struct vm_area_struct;
extern void (*vh_copy_page_range_hook)(struct vm_area_struct *dst,
				       struct vm_area_struct *src);

#endif /* _VH_ENV_H */
