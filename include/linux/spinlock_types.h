/* SPDX-License-Identifier: GPL-2.0 */
/* Shadows include/linux/spinlock_types.h: tools/ spinlocks are mutexes. */
#ifndef __LINUX_SPINLOCK_TYPES_H
#define __LINUX_SPINLOCK_TYPES_H

#include <linux/spinlock.h>

typedef pthread_mutex_t raw_spinlock_t;
typedef pthread_rwlock_t rwlock_t;

/*
 * What seqlock.h's lock-associated seqcounts use under CONFIG_LOCKDEP
 * (nothing under test takes such locks).
 */
#define raw_spin_lock(l)		pthread_mutex_lock(l)
#define raw_spin_unlock(l)		pthread_mutex_unlock(l)
#define read_lock(l)			pthread_rwlock_rdlock(l)
#define read_unlock(l)			pthread_rwlock_unlock(l)
#ifndef local_irq_save
#define local_irq_save(flags)		do { (flags) = 0; } while (0)
#define local_irq_restore(flags)	((void)(flags))
#endif

#endif /* __LINUX_SPINLOCK_TYPES_H */
