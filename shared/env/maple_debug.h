/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Included (make: -include) in front of tools/testing/shared/maple-shim.c,
 * the translation unit of lib/maple_tree.c, so that the maple tree is built
 * as in a debug kernel, with CONFIG_LOCKDEP like the rest of the code under
 * test (struct ma_state and struct maple_tree must agree between them):
 *
 *  - mt_locked()/mt_write_locked() ask lockdep whether the calling task
 *    holds the tree's external lock (the mm's mmap_lock, which
 *    mt_set_external_lock() named), and mas_lock_check() compares
 *    lock_sequence()s (shared/env/lockdep.c);
 *  - rcu_dereference_check() and rcu_dereference_protected() evaluate their
 *    condition as with CONFIG_PROVE_RCU ("WARNING: suspicious RCU usage");
 *  - rcu_read_lock()/rcu_read_unlock() are the harness's (shared/env/rcu.c), so
 *    that the tree's own read-side sections count for the calling task.
 *
 * tools/'s spinlock_t is a bare pthread mutex; the maple tree names the
 * lockdep map of its internal lock, so here it is a union of the two (same
 * size and layout as elsewhere); such locks are not tracked.
 */
#ifndef _VH_MAPLE_DEBUG_H
#define _VH_MAPLE_DEBUG_H

#define CONFIG_LOCKDEP 1

#include <pthread.h>
#include <urcu.h>
#include <linux/spinlock.h>

/* tools/'s kernel.h has its own (the tree calls none). */
#undef synchronize_rcu

struct lock_class_key;

/* As include/linux/lockdep_types.h of the harness. */
struct lockdep_map {
	struct lock_class_key *key;
	const char *name;
	int vh_kind;
};

int lock_is_held_type(const struct lockdep_map *lock, int read);
/* Held by RCU callbacks: liburcu runs them, so lockdep cannot say. */
extern struct lockdep_map rcu_callback_map;
unsigned int lock_sequence(struct lockdep_map *lock);

static inline int lock_is_held(const struct lockdep_map *lock)
{
	return lock_is_held_type(lock, -1);
}

typedef union {
	pthread_mutex_t m;
	struct lockdep_map dep_map;
} vh_maple_spinlock_t;

#undef spinlock_t
#undef spin_lock_init
#undef spin_lock
#undef spin_lock_nested
#undef spin_unlock
#undef spin_lock_bh
#undef spin_unlock_bh
#undef spin_lock_irq
#undef spin_unlock_irq
#undef spin_lock_irqsave
#undef spin_unlock_irqrestore
#undef DEFINE_SPINLOCK
#undef __SPIN_LOCK_UNLOCKED
#define spinlock_t			vh_maple_spinlock_t
#define DEFINE_SPINLOCK(x)		spinlock_t x = { .m = PTHREAD_MUTEX_INITIALIZER }
#define __SPIN_LOCK_UNLOCKED(x)		(spinlock_t){ .m = PTHREAD_MUTEX_INITIALIZER }
#define spin_lock_init(x)		pthread_mutex_init(&(x)->m, NULL)
#define spin_lock(x)			pthread_mutex_lock(&(x)->m)
#define spin_lock_nested(x, subclass)	pthread_mutex_lock(&(x)->m)
#define spin_unlock(x)			pthread_mutex_unlock(&(x)->m)
#define spin_lock_bh(x)			pthread_mutex_lock(&(x)->m)
#define spin_unlock_bh(x)		pthread_mutex_unlock(&(x)->m)
#define spin_lock_irq(x)		pthread_mutex_lock(&(x)->m)
#define spin_unlock_irq(x)		pthread_mutex_unlock(&(x)->m)
#define spin_lock_irqsave(x, f)		(void)f, pthread_mutex_lock(&(x)->m)
#define spin_unlock_irqrestore(x, f)	(void)f, pthread_mutex_unlock(&(x)->m)

/* In place of tools/testing/shared/linux/rcupdate.h (its guard). */
#define _RCUPDATE_H
#undef rcu_read_lock
#undef rcu_read_unlock
void rcu_read_lock(void);
void rcu_read_unlock(void);
int rcu_read_lock_held(void);
void lockdep_rcu_suspicious(const char *file, const int line, const char *s);

#define rcu_dereference_raw(p)		rcu_dereference(p)
#define RCU_INIT_POINTER(p, v)		do { (p) = (v); } while (0)
#define rcu_dereference_check(p, c) ({					\
	if (__builtin_expect(!rcu_read_lock_held() && !(c), 0))	\
		lockdep_rcu_suspicious(__FILE__, __LINE__,		\
			"suspicious rcu_dereference_check() usage");	\
	rcu_dereference(p);						\
})
#define rcu_dereference_protected(p, c) ({				\
	if (__builtin_expect(!(c), 0))					\
		lockdep_rcu_suspicious(__FILE__, __LINE__,		\
			"suspicious rcu_dereference_protected() usage");	\
	rcu_dereference(p);						\
})

#endif /* _VH_MAPLE_DEBUG_H */
