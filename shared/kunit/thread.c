// SPDX-License-Identifier: GPL-2.0
/* Harness threads, handshakes and sleep detection (shared/test.h). */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
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
#include "../env/deadlock.h"

#define vh_container_of(ptr, type, member)				\
	((type *)((char *)(ptr) - offsetof(type, member)))


struct vh_thread {
	pthread_t tid;
	void (*fn)(void *arg);
	void *arg;
	void (*done)(void);
	struct task_struct *task;
	int started;
	int exited;			/* ran its clean-up */
	struct vh_ex_thread *ex;	/* slot, when run by the explorer */
};

static void vh_thread_cleanup(void *arg)
{
	struct vh_thread *t = arg;

	if (t->ex)
		vh_explore_thread_exiting();
	vh_task_exit();
	vh_dl_task_exit();
	__atomic_store_n(&t->exited, 1, __ATOMIC_RELEASE);
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
	vh_dl_task_start(t->fn);
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

/* Deadlock detection: a join, a handshake, waiting for a task to sleep. */
static bool vh_join_ready(const struct vh_wait *w)
{
	const struct vh_thread *t = w->obj;

	return __atomic_load_n(&t->exited, __ATOMIC_ACQUIRE);
}

static void vh_join_describe(const struct vh_wait *w, char *buf, size_t size)
{
	const struct vh_thread *t = w->obj;
	char name[96];

	vh_dl_task_name(t->task, name, sizeof(name));
	snprintf(buf, size, " for %s", name);
}

static bool vh_event_ready_real(const struct vh_wait *w)
{
	const struct vh_event *e = w->obj;

	return __atomic_load_n(&e->done, __ATOMIC_ACQUIRE);
}

void vh_thread_join(struct vh_thread *t)
{
	struct vh_wait w = {
		.what = "vh_thread_join()", .ready = vh_join_ready,
		.describe = vh_join_describe, .obj = t,
	};

	if (t->ex && vh_explored()) {
		vh_explore_join(t->ex);
		pthread_join(t->tid, NULL);
	} else {
		vh_wait_begin(&w);
		pthread_join(t->tid, NULL);
		vh_wait_end();
	}
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
	struct vh_wait wait;	/* for deadlock detection */
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

/* Deadlock detection: has @p gone to sleep (or is the test done)? */
static bool vh_blocked_ready_real(const struct vh_wait *w)
{
	const struct vh_blocked_wait *bw =
		vh_container_of(w, const struct vh_blocked_wait, wait);
	bool ready;

	if (bw->done && __atomic_load_n(bw->done, __ATOMIC_ACQUIRE))
		return true;
	if (pthread_mutex_trylock(&bw->p->sleep_lock))
		return true;
	ready = vh_task_asleep(bw->p, bw->nr_sleeps);
	pthread_mutex_unlock(&bw->p->sleep_lock);
	return ready;
}

static void vh_blocked_describe(const struct vh_wait *w, char *buf,
				size_t size)
{
	const struct vh_blocked_wait *bw =
		vh_container_of(w, const struct vh_blocked_wait, wait);
	char name[96];

	vh_dl_task_name(bw->p, name, sizeof(name));
	snprintf(buf, size, " for %s to sleep in schedule()", name);
}

bool vh_wait_blocked(struct task_struct *p, unsigned long nr_sleeps,
		     const int *done)
{
	struct vh_blocked_wait dw = {
		.p = p, .nr_sleeps = nr_sleeps, .done = done,
		.wait = {
			.what = "vh_wait_blocked()",
			.ready = vh_blocked_ready_real,
			.describe = vh_blocked_describe,
			.can_give_up = true,
		},
	};
	struct timespec start;

	if (vh_explored()) {
		vh_explore_block(vh_blocked_ready, &dw, __func__);
		return !(done && *done) && vh_task_asleep(p, nr_sleeps);
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	vh_wait_begin(&dw.wait);
	for (;;) {
		bool asleep;

		if (done && __atomic_load_n(done, __ATOMIC_ACQUIRE))
			break;
		pthread_mutex_lock(&p->sleep_lock);
		asleep = vh_task_asleep(p, nr_sleeps);
		pthread_mutex_unlock(&p->sleep_lock);
		if (asleep) {
			vh_wait_end();
			return true;
		}
		/* Every task is blocked and @p will never sleep: give up. */
		if (vh_wait_gave_up(&dw.wait) || vh_deadline_passed(&start))
			break;
		vh_pause();
	}
	vh_wait_end();
	return false;
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
	struct vh_wait w = {
		.what = "vh_event_wait()", .ready = vh_event_ready_real,
		.obj = e,
	};

	if (vh_explored()) {
		vh_explore_block(vh_event_ready, e, __func__);
		return;
	}
	vh_wait_begin(&w);
	while (!__atomic_load_n(&e->done, __ATOMIC_ACQUIRE))
		vh_pause();
	vh_wait_end();
}
