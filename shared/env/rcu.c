// SPDX-License-Identifier: GPL-2.0
/*
 * RCU over liburcu (memb flavour), with per-task read-side nesting so that
 * rcu_read_lock_held() answers for the calling task.
 *
 * Under the explorer (shared/explore/core.c), synchronize_rcu() must not enter
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
#include <pthread.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/bug.h>
#include "env.h"
#include "report.h"
#include "sched_point.h"
#include "deadlock.h"
#include "kcsan.h"
#include "rcu.h"

void rcu_read_lock(void)
{
	struct task_struct *t = current;

	vh_sched_point(NULL);
	urcu_memb_read_lock();
	if (!t->rcu_depth++)
		t->rcu_sections++;
	vh_kcsan_rcu_read_lock();
}

void rcu_read_unlock(void)
{
	struct task_struct *t = current;

	vh_sched_point(NULL);
	if (WARN_ON(t->rcu_depth <= 0))
		return;
	t->rcu_depth--;
	vh_kcsan_rcu_read_unlock();
	urcu_memb_read_unlock();
	if (!t->rcu_depth && vh_explored())
		vh_explore_rcu_qs();
}

int rcu_read_lock_held(void)
{
	return current->rcu_depth > 0;
}

static const struct vh_rcu_gp_ops *vh_gp_ops;

void vh_rcu_gp_register(const struct vh_rcu_gp_ops *ops)
{
	vh_gp_ops = ops;
}

void synchronize_rcu(void)
{
	struct vh_wait w = { .what = "synchronize_rcu()" };
	struct vh_kcsan_gp gp;

	/* A grace period cannot end inside our own read-side section. */
	if (current->rcu_depth > 0) {
		RCU_LOCKDEP_WARN(1, "Illegal synchronize_rcu() in RCU read-side critical section");
		return;
	}
	might_sleep();
	vh_sched_point(NULL);
	vh_kcsan_gp_begin(&gp);
	if (vh_gp_ops)
		vh_gp_ops->begin();
	if (!vh_explored() || vh_explore_rcu_sync()) {
		/* Deadlock detection: who the grace period waits for. */
		vh_wait_rcu_begin(&w);
		urcu_memb_synchronize_rcu();
		vh_wait_end();
	}
	if (vh_gp_ops)
		vh_gp_ops->end();
	vh_kcsan_gp_end(&gp);
}

/*
 * RCU callbacks (the maple tree frees its nodes with call_rcu()) run on one
 * liburcu callback thread of ours, which every harness thread uses
 * (vh_rcu_thread_init()).  vh_rcu_exit() runs every pending callback, then
 * stops and joins that thread, so that nothing of RCU outlives the
 * environment (liburcu's default callback thread is never joined, and
 * Valgrind then reports its thread-local storage as possibly lost).  Its
 * thread id is learnt from a first callback, which runs on it.
 */
static struct call_rcu_data *vh_crdp;
static pthread_t vh_crdp_thread;
static int vh_crdp_known;

static void vh_crdp_probe(struct rcu_head *head __always_unused)
{
	vh_crdp_thread = pthread_self();
	__atomic_store_n(&vh_crdp_known, 1, __ATOMIC_RELEASE);
}

void vh_rcu_init(void)
{
	static struct rcu_head probe;

	vh_crdp = create_call_rcu_data(0, -1);
	if (!vh_crdp)
		BUG();
	vh_rcu_thread_init();
	call_rcu(&probe, vh_crdp_probe);
	rcu_barrier();
	if (!__atomic_load_n(&vh_crdp_known, __ATOMIC_ACQUIRE))
		BUG();
}

void vh_rcu_thread_init(void)
{
	set_thread_call_rcu_data(vh_crdp);
}

void vh_rcu_exit(void)
{
	rcu_barrier();
	set_thread_call_rcu_data(NULL);
	call_rcu_data_free(vh_crdp);
	pthread_join(vh_crdp_thread, NULL);
	vh_crdp = NULL;
}
