// SPDX-License-Identifier: GPL-2.0
/* Harness threads, handshakes and sleep detection (shared/kunit/test.h). */
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
#include "../env/kcsan.h"

#define vh_container_of(ptr, type, member)				\
	((type *)((char *)(ptr) - offsetof(type, member)))


/*
 * A harness thread runs on a pthread of a pool: creating and ending a
 * pthread costs about a millisecond under the sanitizers (their per-thread
 * mappings), and the explorer starts two or three threads per schedule.  A
 * pthread whose function returned cleanly waits for the next one; one that
 * ended otherwise (pthread_exit() after a BUG or an aborted explorer run,
 * or an RCU read-side section left open) leaves the pool, unregistered from
 * liburcu, as a thread of its own would.  Each run of a function is a new
 * task with everything a new thread has (current, breakpoints, explorer
 * slot, deadlock registration).
 */
struct vh_thread {
	struct vh_pthread *pt;
	void (*fn)(void *arg);
	void *arg;
	void (*done)(void);
	struct task_struct *task;
	int started;
	int exited;			/* ran its clean-up (deadlock detection) */
	int finished;			/* ... all of it: may be joined */
	bool dirty;			/* ended inside a read-side section */
	pthread_mutex_t lock;		/* started, finished */
	pthread_cond_t cond;
	struct vh_ex_thread *ex;	/* slot, when run by the explorer */
	void *kcsan;			/* the race detector's token */
};

struct vh_pthread {
	pthread_t tid;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct vh_thread *job;		/* what to run next */
	bool quit;
	bool gone;			/* its pthread ended */
	struct vh_pthread *next_idle;
	struct vh_pthread *next;	/* every pthread of the pool */
};

static pthread_mutex_t vh_pool_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vh_pthread *vh_pool_idle, *vh_pool_all;

static void vh_thread_signal(struct vh_thread *t, int *flag)
{
	pthread_mutex_lock(&t->lock);
	__atomic_store_n(flag, 1, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&t->cond);
	pthread_mutex_unlock(&t->lock);
}

static void vh_thread_cleanup(void *arg)
{
	struct vh_thread *t = arg;

	if (t->ex)
		vh_explore_thread_exiting();
	t->dirty = t->task->rcu_depth > 0;
	vh_task_exit();
	vh_kcsan_thread_end(t->kcsan);
	/* Joiners may go on before the task leaves the registry. */
	__atomic_store_n(&t->exited, 1, __ATOMIC_RELEASE);
	vh_dl_task_exit();
	if (t->ex)
		vh_explore_thread_exit();
	if (t->done)
		t->done();
}

static bool vh_pool_quitting;

/* Run @t on pthread @p (the caller); false if it did not end cleanly. */
static bool vh_thread_run(struct vh_pthread *p, struct vh_thread *t)
{
	bool dirty;

	vh_kcsan_thread_begin(t->kcsan);
	vh_break_armed = NULL;
	vh_dl_task_start(t->fn);
	__atomic_store_n(&t->task, current, __ATOMIC_RELEASE);
	vh_thread_signal(t, &t->started);
	pthread_cleanup_push(vh_thread_cleanup, t);
	if (t->ex)
		vh_explore_thread_enter(t->ex);
	/* A failed assertion in it ends it here, as a return would. */
	vh_catch(t->fn, t->arg);
	pthread_cleanup_pop(1);
	dirty = t->dirty;
	/* Not busy any more by the time the thread can be joined. */
	pthread_mutex_lock(&vh_pool_lock);
	p->job = NULL;
	pthread_mutex_unlock(&vh_pool_lock);
	vh_thread_signal(t, &t->finished);
	return !dirty;
}

/* A pthread of the pool leaves it: pthread_exit() in a job, or dirty. */
static void vh_pthread_gone(void *arg)
{
	struct vh_pthread *p = arg;
	struct vh_thread *t = p->job;

	rcu_unregister_thread();
	__atomic_store_n(&p->gone, true, __ATOMIC_RELEASE);
	if (t && !__atomic_load_n(&t->finished, __ATOMIC_ACQUIRE))
		vh_thread_signal(t, &t->finished);
}

static void *vh_pthread_main(void *arg)
{
	struct vh_pthread *p = arg;
	struct vh_thread *t;

	rcu_register_thread();
	vh_rcu_thread_init();
	pthread_cleanup_push(vh_pthread_gone, p);
	for (;;) {
		pthread_mutex_lock(&p->lock);
		while (!p->job && !p->quit)
			pthread_cond_wait(&p->cond, &p->lock);
		t = p->job;
		pthread_mutex_unlock(&p->lock);
		if (!t || !vh_thread_run(p, t))
			break;
		pthread_mutex_lock(&vh_pool_lock);
		if (vh_pool_quitting) {
			pthread_mutex_unlock(&vh_pool_lock);
			break;
		}
		p->next_idle = vh_pool_idle;
		vh_pool_idle = p;
		pthread_mutex_unlock(&vh_pool_lock);
	}
	pthread_cleanup_pop(1);
	return NULL;
}

struct vh_thread *vh_thread_start_notify(void (*fn)(void *arg), void *arg,
					 void (*done)(void))
{
	struct vh_thread *t = calloc(1, sizeof(*t));
	struct vh_pthread *p;

	if (!t)
		abort();
	t->fn = fn;
	t->arg = arg;
	t->done = done;
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->cond, NULL);
	if (vh_explorer_active)
		t->ex = vh_explore_thread_new(t);
	t->kcsan = vh_kcsan_thread_fork();
	pthread_mutex_lock(&vh_pool_lock);
	p = vh_pool_idle;
	if (p)
		vh_pool_idle = p->next_idle;
	pthread_mutex_unlock(&vh_pool_lock);
	if (p) {
		pthread_mutex_lock(&p->lock);
		p->job = t;
		pthread_cond_signal(&p->cond);
		pthread_mutex_unlock(&p->lock);
	} else {
		p = calloc(1, sizeof(*p));
		if (!p)
			abort();
		pthread_mutex_init(&p->lock, NULL);
		pthread_cond_init(&p->cond, NULL);
		p->job = t;
		if (pthread_create(&p->tid, NULL, vh_pthread_main, p))
			abort();
		pthread_mutex_lock(&vh_pool_lock);
		p->next = vh_pool_all;
		vh_pool_all = p;
		pthread_mutex_unlock(&vh_pool_lock);
	}
	t->pt = p;
	pthread_mutex_lock(&t->lock);
	while (!t->started)
		pthread_cond_wait(&t->cond, &t->lock);
	pthread_mutex_unlock(&t->lock);
	/* The explorer may let the new thread run first. */
	if (t->ex)
		vh_sched_point(t);
	return t;
}

struct vh_thread *vh_thread_start(void (*fn)(void *arg), void *arg)
{
	return vh_thread_start_notify(fn, arg, NULL);
}

/*
 * At the end of a run: end and join the pool's pthreads, but those still
 * running (abandoned by a test that hung; the process then ends with
 * _exit()).
 */
void vh_thread_pool_drain(void)
{
	struct vh_pthread *p, **pp;

	pthread_mutex_lock(&vh_pool_lock);
	vh_pool_quitting = true;
	vh_pool_idle = NULL;
	for (p = vh_pool_all; p; p = p->next) {
		pthread_mutex_lock(&p->lock);
		p->quit = true;
		pthread_cond_signal(&p->cond);
		pthread_mutex_unlock(&p->lock);
	}
	for (pp = &vh_pool_all; (p = *pp);) {
		if (p->job && !__atomic_load_n(&p->gone, __ATOMIC_ACQUIRE)) {
			pp = &p->next;
			continue;
		}
		*pp = p->next;
		pthread_mutex_unlock(&vh_pool_lock);
		pthread_join(p->tid, NULL);
		pthread_mutex_destroy(&p->lock);
		pthread_cond_destroy(&p->cond);
		free(p);
		pthread_mutex_lock(&vh_pool_lock);
	}
	pthread_mutex_unlock(&vh_pool_lock);
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
	} else {
		vh_wait_begin(&w);
	}
	pthread_mutex_lock(&t->lock);
	while (!t->finished)
		pthread_cond_wait(&t->cond, &t->lock);
	pthread_mutex_unlock(&t->lock);
	vh_wait_end();
	vh_kcsan_thread_join(t->kcsan);
	pthread_mutex_destroy(&t->lock);
	pthread_cond_destroy(&t->cond);
	vh_task_free(t->task);
	free(t);
}

void vh_thread_abandon(struct vh_thread *t __always_unused)
{
	/* Its pthread stays busy: vh_thread_pool_drain() leaves it. */
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
