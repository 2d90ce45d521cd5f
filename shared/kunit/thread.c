// SPDX-License-Identifier: GPL-2.0
/* Harness threads, handshakes and sleep detection (shared/test.h). */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>
#include <urcu.h>
#include <linux/sched.h>
#include "../env/report.h"
#include "test.h"
#include "mode.h"
#include "../env/env.h"
#include "../env/sched_point.h"


struct vh_thread {
	pthread_t tid;
	void (*fn)(void *arg);
	void *arg;
	void (*done)(void);
	struct task_struct *task;
	int started;
	struct vh_ex_thread *ex;	/* slot, when run by the explorer */
};

static void vh_thread_cleanup(void *arg)
{
	struct vh_thread *t = arg;

	if (t->ex)
		vh_explore_thread_exiting();
	vh_task_exit();
	rcu_unregister_thread();
	if (t->ex)
		vh_explore_thread_exit();
	if (t->done)
		t->done();
}

static void *vh_thread_main(void *arg)
{
	struct vh_thread *t = arg;

	rcu_register_thread();
	vh_rcu_thread_init();
	__atomic_store_n(&t->task, current, __ATOMIC_RELEASE);
	__atomic_store_n(&t->started, 1, __ATOMIC_RELEASE);
	pthread_cleanup_push(vh_thread_cleanup, t);
	if (t->ex)
		vh_explore_thread_enter(t->ex);
	t->fn(t->arg);
	pthread_cleanup_pop(1);
	return NULL;
}

struct vh_thread *vh_thread_start_notify(void (*fn)(void *arg), void *arg,
					 void (*done)(void))
{
	struct vh_thread *t = calloc(1, sizeof(*t));

	if (!t)
		abort();
	t->fn = fn;
	t->arg = arg;
	t->done = done;
	if (vh_explorer_active)
		t->ex = vh_explore_thread_new(t);
	if (pthread_create(&t->tid, NULL, vh_thread_main, t))
		abort();
	while (!__atomic_load_n(&t->started, __ATOMIC_ACQUIRE))
		sched_yield();
	/* The explorer may let the new thread run first. */
	if (t->ex)
		vh_sched_point(t);
	return t;
}

struct vh_thread *vh_thread_start(void (*fn)(void *arg), void *arg)
{
	return vh_thread_start_notify(fn, arg, NULL);
}

void vh_thread_join(struct vh_thread *t)
{
	if (t->ex && vh_explored())
		vh_explore_join(t->ex);
	pthread_join(t->tid, NULL);
	vh_task_free(t->task);
	free(t);
}

void vh_thread_abandon(struct vh_thread *t)
{
	pthread_detach(t->tid);
}

struct task_struct *vh_thread_task(struct vh_thread *t)
{
	return t->task;
}

void vh_thread_exit_current(void)
{
	pthread_exit(NULL);
}

static bool vh_deadline_passed(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec - start->tv_sec >= (time_t)vh_opts.timeout_s;
}

static void vh_pause(void)
{
	struct timespec ts = { 0, 50000 };

	nanosleep(&ts, NULL);
}

/* Under the explorer: what vh_wait_blocked() waits for. */
struct vh_blocked_wait {
	struct task_struct *p;
	unsigned long nr_sleeps;
	const int *done;
};

static bool vh_task_asleep(struct task_struct *p, unsigned long nr_sleeps)
{
	return p->nr_sleeps > nr_sleeps && p->__state != TASK_RUNNING;
}

static bool vh_blocked_ready(const void *arg)
{
	const struct vh_blocked_wait *w = arg;

	return (w->done && *w->done) || vh_task_asleep(w->p, w->nr_sleeps);
}

static bool vh_event_ready(const void *arg)
{
	const struct vh_event *e = arg;

	return e->done;
}

bool vh_wait_blocked(struct task_struct *p, unsigned long nr_sleeps,
		     const int *done)
{
	struct timespec start;

	if (vh_explored()) {
		struct vh_blocked_wait w = { p, nr_sleeps, done };

		vh_explore_block(vh_blocked_ready, &w, __func__);
		return !(done && *done) && vh_task_asleep(p, nr_sleeps);
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		bool asleep;

		if (done && __atomic_load_n(done, __ATOMIC_ACQUIRE))
			return false;
		pthread_mutex_lock(&p->sleep_lock);
		asleep = p->nr_sleeps > nr_sleeps &&
			 p->__state != TASK_RUNNING;
		pthread_mutex_unlock(&p->sleep_lock);
		if (asleep)
			return true;
		if (vh_deadline_passed(&start))
			return false;
		vh_pause();
	}
}

bool vh_wait_until_sleeping(struct task_struct *p, unsigned long nr_sleeps)
{
	return vh_wait_blocked(p, nr_sleeps, NULL);
}

void vh_event_signal(struct vh_event *e)
{
	vh_sched_point(e);
	__atomic_store_n(&e->done, 1, __ATOMIC_RELEASE);
}

void vh_event_wait(struct vh_event *e)
{
	if (vh_explored()) {
		vh_explore_block(vh_event_ready, e, __func__);
		return;
	}
	while (!__atomic_load_n(&e->done, __ATOMIC_ACQUIRE))
		vh_pause();
}
