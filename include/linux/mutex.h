/* SPDX-License-Identifier: GPL-2.0 */
/* Shadows include/linux/mutex.h: a mutex is a pthread mutex. */
#ifndef __LINUX_MUTEX_H
#define __LINUX_MUTEX_H

#include <linux/mutex_types.h>
#include <stdbool.h>

#define DEFINE_MUTEX(name) \
	struct mutex name = { .m = PTHREAD_MUTEX_INITIALIZER }
#define mutex_init(l)		pthread_mutex_init(&(l)->m, NULL)
#define mutex_lock(l)		pthread_mutex_lock(&(l)->m)
#define mutex_unlock(l)		pthread_mutex_unlock(&(l)->m)
#define mutex_trylock(l)	(pthread_mutex_trylock(&(l)->m) == 0)

static inline bool mutex_is_locked(struct mutex *l)
{
	if (pthread_mutex_trylock(&l->m))
		return true;
	pthread_mutex_unlock(&l->m);
	return false;
}

#endif /* __LINUX_MUTEX_H */
