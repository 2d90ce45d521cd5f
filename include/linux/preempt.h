/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/preempt.h (tools/testing/shared's counts in one
 * global): preemption is disabled per task, so that might_sleep() with
 * preemption disabled is caught for the task that did it
 * (shared/env/lockdep.c).
 */
#ifndef __LINUX_PREEMPT_H
#define __LINUX_PREEMPT_H

#include <linux/compiler.h>
#include <linux/sched.h>

#define preempt_count()			(current->preempt_count)
#define preempt_disable()		do { current->preempt_count++; barrier(); } while (0)
#define preempt_enable()		do { barrier(); current->preempt_count--; } while (0)
#define preempt_enable_no_resched()	preempt_enable()
#define preempt_disable_notrace()	preempt_disable()
#define preempt_enable_notrace()	preempt_enable()
#define preemptible()			(preempt_count() == 0)
#define in_atomic()			(preempt_count() != 0)

static inline int in_interrupt(void)
{
	return 0;
}

#endif /* __LINUX_PREEMPT_H */
