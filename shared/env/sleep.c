// SPDX-License-Identifier: GPL-2.0
/*
 * What tasks do: sleeping, wake-ups and fatal signals (linux/sched.h,
 * linux/sched/signal.h), the out-of-line half of rcuwait (kernel/exit.c's
 * rcuwait_wake_up() and finish_rcuwait()), written from the kernel's
 * documented contract, and a task's end.  For the race detector, a wake-up
 * that wakes a task (or a fatal signal) is a release the task acquires
 * when schedule() returns.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <linux/atomic.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/rcupdate.h>
#include <linux/rcuwait.h>
#include "env.h"
#include "report.h"
#include "sched_point.h"
#include "deadlock.h"
#include "kcsan.h"
#include "lockdep.h"
#include "task.h"

/*
 * Called by a thread before it exits: it runs no more kernel code.  Its task
 * stays allocated (tests may still look at it) until vh_task_free(), from
 * vh_thread_join() or at exit for the main thread.
 */
struct task_struct *vh_task_exit(void)
{
	struct task_struct *t = vh_task_pid() ? current : NULL;

	/* What it still holds is a bug, reported and released here. */
	vh_lockdep_task_exit(t);
	/* Wakers look tasks up under RCU (rcuwait_wake_up()). */
	if (t)
		synchronize_rcu();
	return vh_task_detach_current();
}

/*
 * set_current_state() implies a full barrier, as in the kernel;
 * __set_current_state() (@mb false) does not.
 */
void vh_set_current_state(int state, bool mb)
{
	struct task_struct *t = current;

	vh_sched_point(t);
	pthread_mutex_lock(&t->sleep_lock);
	t->__state = state;
	pthread_mutex_unlock(&t->sleep_lock);
	if (mb)
		vh_mb();
}

static bool vh_signal_wakes(struct task_struct *t)
{
	return signal_pending_state(t->__state, t);
}

/* Under the explorer: may a task sleeping in schedule() go on? */
static bool vh_task_awake(const void *arg)
{
	struct task_struct *t = (struct task_struct *)arg;

	return t->__state == TASK_RUNNING || vh_signal_wakes(t);
}

/* Deadlock detection: may a task sleeping in schedule() go on? */
static bool vh_sleep_ready(const struct vh_wait *w)
{
	struct task_struct *t = (struct task_struct *)w->obj;
	bool ready;

	if (pthread_mutex_trylock(&t->sleep_lock))
		return true;
	ready = vh_task_awake(t);
	pthread_mutex_unlock(&t->sleep_lock);
	return ready;
}

static void vh_sleep_describe(const struct vh_wait *w, char *buf,
			      size_t size)
{
	const struct task_struct *t = w->obj;
	int s = t->__state;

	snprintf(buf, size, " (%s) with no wake-up pending",
		 s == TASK_KILLABLE ? "TASK_KILLABLE" :
		 s == TASK_UNINTERRUPTIBLE ? "TASK_UNINTERRUPTIBLE" :
		 s == TASK_INTERRUPTIBLE ? "TASK_INTERRUPTIBLE" : "?");
}

void schedule(void)
{
	struct task_struct *t = current;
	struct vh_wait w = {
		.what = "schedule()", .ready = vh_sleep_ready,
		.describe = vh_sleep_describe, .obj = t,
	};
	bool waited = false;

	might_sleep();
	vh_sched_point(t);
	pthread_mutex_lock(&t->sleep_lock);
	if (t->__state != TASK_RUNNING && !vh_signal_wakes(t)) {
		t->nr_sleeps++;
		if (!vh_explored()) {
			vh_wait_begin(&w);
			waited = true;
		}
	}
	while (t->__state != TASK_RUNNING && !vh_signal_wakes(t)) {
		if (!vh_explored()) {
			pthread_cond_wait(&t->sleep_cond, &t->sleep_lock);
			continue;
		}
		pthread_mutex_unlock(&t->sleep_lock);
		vh_explore_block(vh_task_awake, t, __func__);
		pthread_mutex_lock(&t->sleep_lock);
	}
	t->__state = TASK_RUNNING;
	vh_kcsan_acquire(t);
	if (waited)
		vh_wait_end();
	pthread_mutex_unlock(&t->sleep_lock);
}

int wake_up_process(struct task_struct *p)
{
	int woken = 0;

	vh_sched_point(p);
	pthread_mutex_lock(&p->sleep_lock);
	if (p->__state & TASK_NORMAL) {
		vh_kcsan_release(p);
		p->__state = TASK_RUNNING;
		pthread_cond_signal(&p->sleep_cond);
		woken = 1;
	}
	pthread_mutex_unlock(&p->sleep_lock);
	return woken;
}

void vh_task_kill(struct task_struct *p)
{
	pthread_mutex_lock(&p->sleep_lock);
	vh_kcsan_release(p);
	__atomic_store_n(&p->fatal_signal, true, __ATOMIC_RELEASE);
	__atomic_store_n(&p->sigpending, true, __ATOMIC_RELEASE);
	/* signal_wake_up(): a killable sleeper rechecks its wait. */
	pthread_cond_signal(&p->sleep_cond);
	pthread_mutex_unlock(&p->sleep_lock);
}

void vh_task_clear_signals(struct task_struct *p)
{
	__atomic_store_n(&p->fatal_signal, false, __ATOMIC_RELEASE);
	__atomic_store_n(&p->sigpending, false, __ATOMIC_RELEASE);
}

/*
 * kernel/exit.c: the full barrier orders the waker's condition update
 * before its read of w->task, pairing with set_current_state() in the
 * waiter's loop.
 */
int rcuwait_wake_up(struct rcuwait *w)
{
	struct task_struct *task;
	int ret = 0;

	vh_mb();
	rcu_read_lock();
	task = rcu_dereference(w->task);
	if (task)
		ret = wake_up_process(task);
	rcu_read_unlock();
	return ret;
}

void finish_rcuwait(struct rcuwait *w)
{
	/* rcuwait_wait_event() may sleep, whether or not it did. */
	might_sleep();
	rcu_assign_pointer(w->task, NULL);
	__set_current_state(TASK_RUNNING);
}

