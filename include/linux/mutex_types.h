/* SPDX-License-Identifier: GPL-2.0 */
/* Shadows include/linux/mutex_types.h: a mutex is a pthread mutex. */
#ifndef __LINUX_MUTEX_TYPES_H
#define __LINUX_MUTEX_TYPES_H

#include <pthread.h>

struct mutex {
	pthread_mutex_t m;
};

#endif /* __LINUX_MUTEX_TYPES_H */
