/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/lockdep.h as with CONFIG_LOCKDEP and
 * CONFIG_DEBUG_LOCK_ALLOC (without them, make BENCH=1, as without lockdep): lock_acquire()/lock_release() keep each task's
 * record of the locks it holds (the mmap_lock rwsem, and the VMA read and
 * exclusive "locks" that mmap_lock.h annotates), and lock_is_held(),
 * lockdep_is_held() and lockdep_assert_held*() answer from it.  A lock of a
 * type the harness does not track (tools/'s spinlocks) counts as held, as
 * the kernel's LOCK_STATE_UNKNOWN does.  Implementation:
 * shared/env/lockdep.c.
 */
#ifndef _LINUX_LOCKDEP_H
#define _LINUX_LOCKDEP_H

#include <linux/lockdep_types.h>
#include <linux/types.h>
#include <stdbool.h>

struct rw_semaphore;

#ifdef CONFIG_LOCKDEP

#define LOCK_STATE_UNKNOWN	-1
#define LOCK_STATE_NOT_HELD	0
#define LOCK_STATE_HELD		1
#define SINGLE_DEPTH_NESTING	1

void lockdep_init_map(struct lockdep_map *lock, const char *name,
		      struct lock_class_key *key, int subclass);
void lock_acquire(struct lockdep_map *lock, unsigned int subclass,
		  int trylock, int read, int check,
		  struct lockdep_map *nest_lock, unsigned long ip);
void lock_release(struct lockdep_map *lock, unsigned long ip);
void lock_downgrade(struct lockdep_map *lock, unsigned long ip);
int lock_is_held_type(const struct lockdep_map *lock, int read);
u32 lock_sequence(struct lockdep_map *lock);

static inline int lock_is_held(const struct lockdep_map *lock)
{
	return lock_is_held_type(lock, -1);
}

#define lock_acquire_shared(l, s, t, n, i)	lock_acquire(l, s, t, 1, 1, n, i)
#define lock_acquire_shared_recursive(l, s, t, n, i) \
	lock_acquire(l, s, t, 2, 1, n, i)
#define lock_acquire_exclusive(l, s, t, n, i)	lock_acquire(l, s, t, 0, 1, n, i)
#define lock_acquired(l, i)			((void)(l))
#define lock_contended(l, i)			((void)(l))
#define lockdep_set_class(l, k)			do { } while (0)
#define lockdep_set_class_and_name(l, k, n)	do { } while (0)
#define lockdep_set_novalidate_class(l)		do { } while (0)
#define seqcount_acquire(m, s, t, i)		lock_acquire_exclusive(m, s, t, NULL, i)
#define seqcount_acquire_read(m, s, t, i)	lock_acquire_shared_recursive(m, s, t, NULL, i)
#define seqcount_release(m, i)			lock_release(m, i)
#define rwsem_acquire(m, s, t, i)		lock_acquire_exclusive(m, s, t, NULL, i)
#define rwsem_acquire_read(m, s, t, i)		lock_acquire_shared(m, s, t, NULL, i)
#define rwsem_release(m, i)			lock_release(m, i)
#define lockdep_off()				do { } while (0)
#define lockdep_on()				do { } while (0)
#define STATIC_LOCKDEP_MAP_INIT(n, k)		{ .name = (n), .key = (k) }
#define might_lock(l)				do { } while (0)
#define might_lock_read(l)			do { } while (0)
#define lockdep_assert_irqs_disabled()		do { } while (0)
#define lockdep_assert_irqs_enabled()		do { } while (0)
#define lockdep_assert_preemption_disabled()	do { } while (0)
#define lockdep_assert_preemption_enabled()	do { } while (0)
#define lockdep_depth(tsk)			((tsk)->lockdep_depth)

/*
 * The map of a lock the harness tracks, NULL for the others.  Only the
 * rwsem model (linux/rwsem.h) has one: tools/'s spinlocks and mutexes are
 * plain pthread mutexes.
 */
const struct lockdep_map *vh_rwsem_map(const struct rw_semaphore *sem);
#define vh_lock_map(l)							\
	(__builtin_types_compatible_p(__typeof__(*(l)), struct rw_semaphore) ? \
	 vh_rwsem_map((const struct rw_semaphore *)(l)) :		\
	 (const struct lockdep_map *)0)

static inline int vh_lock_is_held_type(const struct lockdep_map *map, int read)
{
	return map ? lock_is_held_type(map, read) : LOCK_STATE_UNKNOWN;
}

#define lockdep_is_held(l)		vh_lock_is_held_type(vh_lock_map(l), -1)
#define lockdep_is_held_type(l, r)	vh_lock_is_held_type(vh_lock_map(l), (r))

/* lockdep_assert(): WARN_ON() with the condition as the kernel spells it. */
void vh_lockdep_assert_failed(const char *cond, const char *file, int line);
#define lockdep_assert(cond) do {					\
	if (__builtin_expect(!(cond), 0))				\
		vh_lockdep_assert_failed(#cond, __FILE__, __LINE__);	\
} while (0)
#define lockdep_assert_once(cond)	lockdep_assert(cond)
#define lockdep_assert_held(l)						\
	lockdep_assert(lockdep_is_held(l) != LOCK_STATE_NOT_HELD)
#define lockdep_assert_not_held(l)					\
	lockdep_assert(lockdep_is_held(l) != LOCK_STATE_HELD)
#define lockdep_assert_held_write(l)	lockdep_assert(lockdep_is_held_type(l, 0))
#define lockdep_assert_held_read(l)	lockdep_assert(lockdep_is_held_type(l, 1))
#define lockdep_assert_held_once(l)	lockdep_assert_held(l)

#else /* !CONFIG_LOCKDEP (make BENCH=1) */

/* As the kernel's: no lock argument is evaluated. */
#define LOCK_STATE_UNKNOWN	-1
#define LOCK_STATE_NOT_HELD	0
#define LOCK_STATE_HELD		1
#define SINGLE_DEPTH_NESTING	1
#define lockdep_init_map(m, n, k, s)		do { (void)(n); (void)(k); } while (0)
#define lock_acquire(l, s, t, r, c, n, i)	do { } while (0)
#define lock_release(l, i)			do { } while (0)
#define lock_downgrade(l, i)			do { } while (0)
#define lock_acquire_shared(l, s, t, n, i)	do { } while (0)
#define lock_acquire_shared_recursive(l, s, t, n, i) do { } while (0)
#define lock_acquire_exclusive(l, s, t, n, i)	do { } while (0)
#define lock_acquired(l, i)			do { } while (0)
#define lock_contended(l, i)			do { } while (0)
#define lock_is_held(l)				1
#define lock_is_held_type(l, r)			1
#define lockdep_is_held(l)			1
#define lockdep_is_held_type(l, r)		1
#define lockdep_set_class(l, k)			do { } while (0)
#define lockdep_set_class_and_name(l, k, n)	do { } while (0)
#define lockdep_set_novalidate_class(l)		do { } while (0)
#define seqcount_acquire(m, s, t, i)		do { } while (0)
#define seqcount_acquire_read(m, s, t, i)	do { } while (0)
#define seqcount_release(m, i)			do { } while (0)
#define rwsem_acquire(m, s, t, i)		do { } while (0)
#define rwsem_acquire_read(m, s, t, i)		do { } while (0)
#define rwsem_release(m, i)			do { } while (0)
#define lockdep_off()				do { } while (0)
#define lockdep_on()				do { } while (0)
#define STATIC_LOCKDEP_MAP_INIT(n, k)		{ .name = (n), .key = (k) }
#define might_lock(l)				do { } while (0)
#define might_lock_read(l)			do { } while (0)
#define lockdep_assert(c)			do { } while (0)
#define lockdep_assert_once(c)			do { } while (0)
#define lockdep_assert_held(l)			do { } while (0)
#define lockdep_assert_not_held(l)		do { } while (0)
#define lockdep_assert_held_write(l)		do { } while (0)
#define lockdep_assert_held_read(l)		do { } while (0)
#define lockdep_assert_held_once(l)		do { } while (0)
#define lockdep_assert_irqs_disabled()		do { } while (0)
#define lockdep_assert_irqs_enabled()		do { } while (0)
#define lockdep_assert_preemption_disabled()	do { } while (0)
#define lockdep_assert_preemption_enabled()	do { } while (0)
#define lockdep_depth(tsk)			0

#endif /* CONFIG_LOCKDEP */

#endif /* _LINUX_LOCKDEP_H */
