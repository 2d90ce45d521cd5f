/* SPDX-License-Identifier: GPL-2.0 */
/* Shadows include/linux/sched/signal.h: pending signals of a harness task. */
#ifndef _LINUX_SCHED_SIGNAL_H
#define _LINUX_SCHED_SIGNAL_H

#include <linux/sched.h>

static inline int fatal_signal_pending(struct task_struct *p)
{
	return __atomic_load_n(&p->fatal_signal, __ATOMIC_ACQUIRE);
}

static inline int signal_pending(struct task_struct *p)
{
	return fatal_signal_pending(p) ||
	       __atomic_load_n(&p->sigpending, __ATOMIC_ACQUIRE);
}

static inline int signal_pending_state(unsigned int state,
				       struct task_struct *p)
{
	if (!(state & (TASK_INTERRUPTIBLE | TASK_WAKEKILL)))
		return 0;
	if (!signal_pending(p))
		return 0;
	return (state & TASK_INTERRUPTIBLE) || fatal_signal_pending(p);
}

/* Resource limits (shared/env/kernel_callbacks.c). */
unsigned long rlimit(unsigned int limit);
unsigned long rlimit_max(unsigned int limit);

#endif /* _LINUX_SCHED_SIGNAL_H */
