// SPDX-License-Identifier: GPL-2.0
/*
 * RCU over liburcu (memb flavour), with per-task read-side nesting so that
 * rcu_read_lock_held() answers for the calling task.
 *
 * Under the explorer (shared/explorer.c), synchronize_rcu() must not enter
 * liburcu's grace-period wait while another explored thread sits inside a
 * read-side critical section: that thread cannot run until the caller gives
 * up its turn, so the wait would never end.  There, the grace period is
 * modelled by the explorer: synchronize_rcu() blocks until each explored
 * thread that was inside a read-side critical section when it was called
 * has left that section (readers that begin later need not be waited for,
 * as in the kernel).  Only explored threads run code under test at that
 * time, so this is the whole grace period that matters; liburcu's own is
 * waited for as well when no explored thread is inside a read-side section
 * (it then has no reader of ours to wait for), and skipped otherwise.
 */
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/bug.h>
#include "env.h"
#include "report.h"
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
	if (!t->rcu_depth && vh_explored())
		vh_explore_rcu_qs();
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
	if (vh_explored() && !vh_explore_rcu_sync())
		return;
	urcu_memb_synchronize_rcu();
}

void vh_rcu_barrier(void)
{
	rcu_barrier();
}
