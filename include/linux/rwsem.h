/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/rwsem.h.  The model (shared/env/rwsem.c) records the
 * writer and the tasks holding it for read, so that rwsem_assert_held() and
 * rwsem_assert_held_write(), and through them mmap_assert_locked() and
 * mmap_assert_write_locked(), check that the *current* task holds the lock.
 * A zero-filled rw_semaphore is a valid unlocked one.
 */
#ifndef _LINUX_RWSEM_H
#define _LINUX_RWSEM_H

#include <linux/types.h>
#include <linux/lockdep_types.h>
#include <pthread.h>

struct task_struct;

struct rw_semaphore {
	pthread_mutex_t lock;
	pthread_cond_t wait;
	int readers;			/* tasks holding it for read */
	int writers_waiting;
	struct task_struct *owner;	/* writer, or NULL */
	struct lockdep_map dep_map;	/* lockdep (linux/lockdep.h) */
};

#define __RWSEM_INITIALIZER(name)					\
	{ .lock = PTHREAD_MUTEX_INITIALIZER,				\
	  .wait = PTHREAD_COND_INITIALIZER,				\
	  .dep_map = { .name = #name, .vh_kind = VH_LOCK_RWSEM } }
#define DECLARE_RWSEM(name) struct rw_semaphore name = __RWSEM_INITIALIZER(name)

void __init_rwsem(struct rw_semaphore *sem, const char *name,
		  struct lock_class_key *key);
#define init_rwsem(sem)	__init_rwsem((sem), #sem, NULL)
void down_read(struct rw_semaphore *sem);
int down_read_killable(struct rw_semaphore *sem);
int down_read_trylock(struct rw_semaphore *sem);
void up_read(struct rw_semaphore *sem);
void down_write(struct rw_semaphore *sem);
int down_write_killable(struct rw_semaphore *sem);
int down_write_trylock(struct rw_semaphore *sem);
void up_write(struct rw_semaphore *sem);
void downgrade_write(struct rw_semaphore *sem);
int rwsem_is_locked(struct rw_semaphore *sem);
int rwsem_is_contended(struct rw_semaphore *sem);
void vh_rwsem_assert_held(const struct rw_semaphore *sem, bool write,
			  const char *file, int line);

#define down_read_nested(sem, subclass)		down_read(sem)
#define down_write_nested(sem, subclass)	down_write(sem)
#define down_write_nest_lock(sem, nest)		down_write(sem)
#define up_read_non_owner(sem)			up_read(sem)
#define rwsem_assert_held(sem)						\
	vh_rwsem_assert_held(sem, false, __FILE__, __LINE__)
#define rwsem_assert_held_write(sem)					\
	vh_rwsem_assert_held(sem, true, __FILE__, __LINE__)
#define rwsem_assert_held_nolockdep		rwsem_assert_held
#define rwsem_assert_held_write_nolockdep	rwsem_assert_held_write

#endif /* _LINUX_RWSEM_H */
