/* SPDX-License-Identifier: GPL-2.0 */
/* Shadows include/linux/spinlock_types.h: tools/ spinlocks are mutexes. */
#ifndef __LINUX_SPINLOCK_TYPES_H
#define __LINUX_SPINLOCK_TYPES_H

#include <linux/spinlock.h>

typedef pthread_mutex_t raw_spinlock_t;
typedef pthread_rwlock_t rwlock_t;

#endif /* __LINUX_SPINLOCK_TYPES_H */
