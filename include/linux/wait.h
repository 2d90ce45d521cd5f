/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/wait.h: a wait queue head as a type only, for the
 * wait queues of struct userfaultfd_ctx (include/linux/userfaultfd_k.h).
 * Nothing under test sleeps on one: userfaultfd's fault and event
 * delivery (handle_userfault(), the event queues) is not compiled.
 */
#ifndef _VH_LINUX_WAIT_H
#define _VH_LINUX_WAIT_H

#include <linux/list.h>
#include <linux/spinlock.h>

struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
};
typedef struct wait_queue_head wait_queue_head_t;

struct wait_queue_entry;
typedef int (*wait_queue_func_t)(struct wait_queue_entry *wq_entry,
				 unsigned int mode, int flags, void *key);
struct wait_queue_entry {
	unsigned int flags;
	void *private;
	wait_queue_func_t func;
	struct list_head entry;
};
typedef struct wait_queue_entry wait_queue_entry_t;

/* tools/'s spinlocks are mutexes: a lock another thread holds is locked. */
#ifndef spin_is_locked
static inline bool spin_is_locked(spinlock_t *lock)
{
	if (pthread_mutex_trylock(lock))
		return true;
	pthread_mutex_unlock(lock);
	return false;
}
#endif

static inline int waitqueue_active(struct wait_queue_head *wq_head)
{
	return !list_empty(&wq_head->head);
}

static inline void init_waitqueue_head(struct wait_queue_head *wq_head)
{
	spin_lock_init(&wq_head->lock);
	INIT_LIST_HEAD(&wq_head->head);
}

#endif /* _VH_LINUX_WAIT_H */
