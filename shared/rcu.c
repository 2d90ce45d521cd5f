// SPDX-License-Identifier: GPL-2.0
/*
 * RCU over liburcu (memb flavour), with per-task read-side nesting so that
 * rcu_read_lock_held() answers for the calling task.
 */
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/bug.h>
#include "harness.h"
#include "sched_point.h"

void rcu_read_lock(void)
{
	vh_sched_point(NULL);
	urcu_memb_read_lock();
	current->rcu_depth++;
}

void rcu_read_unlock(void)
{
	struct task_struct *t = current;

	vh_sched_point(NULL);
	if (WARN_ON(t->rcu_depth <= 0))
		return;
	t->rcu_depth--;
	urcu_memb_read_unlock();
}

int rcu_read_lock_held(void)
{
	return current->rcu_depth > 0;
}

void synchronize_rcu(void)
{
	/* A grace period cannot end inside our own read-side section. */
	if (WARN_ON(current->rcu_depth > 0))
		return;
	vh_sched_point(NULL);
	urcu_memb_synchronize_rcu();
}
