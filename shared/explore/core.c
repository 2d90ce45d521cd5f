// SPDX-License-Identifier: GPL-2.0
/*
 * The explorer's core: one run of a scenario under a schedule.  The
 * explorer runs a scenario (explore.h) many times (campaign.c), each time
 * under a schedule its strategy (strategy.c) chooses, and checks its
 * invariants every time.
 *
 *
 * Token passing.  The threads of a scenario (its main thread, started by
 * the explorer, and every thread an explored thread starts with
 * vh_thread_start()) each get a slot, numbered in the order they are
 * started; since only one of them runs at a time, that order, and so every
 * number below, is the same on every run.  One thread at a time holds the
 * right to run (ex.running); all others wait on their own condition
 * variable.  At each scheduling point the running thread decides who runs
 * next: itself, or another runnable thread, to which it hands the right and
 * then waits for its own turn.  Everything the explorer shares is
 * protected by ex_lock; the hand-over through it also orders the threads'
 * memory accesses, so the code under test sees a sequentially consistent
 * interleaving of its scheduling points.
 *
 * Blocking.  A thread that would block (rwsem, schedule(), synchronize_rcu(),
 * joins and test handshakes, see sched_point.h) instead marks its slot
 * blocked with a predicate and makes a decision as at a scheduling point.
 * Decisions consider a blocked thread runnable when its predicate is true,
 * so wake-ups need no bookkeeping: whatever the waker changed is seen at the
 * next decision.  When no live thread is runnable, every one is blocked:
 * the schedule fails as a deadlock (a lost wake-up looks like this).  Too
 * many steps fail it as a livelock.  A failed schedule that cannot finish
 * is aborted: every thread leaves its read-side critical sections and
 * exits (pthread_exit()), and the scenario's state, which may hold locks of
 * threads that are gone, is left alone (not torn down nor freed; the
 * program then ends with _exit()).  synchronize_rcu() blocks until the
 * explored threads that were in read-side critical sections have left
 * them (see shared/env/rcu.c for why liburcu's own wait cannot be used then).
 *
 *
 * Decisions.  At a decision with more than one runnable thread (a choice)
 * the strategy of the run (struct ex_strategy) chooses, and the choice is
 * recorded in the run's schedule.  Every run with the same schedule is the
 * same run: nothing else (time, addresses, thread ids) enters a decision.
 *
 *
 * Accesses.  In a make KCSAN=1 build, --access-points N makes the first N
 * accesses of each thread of a run, by kernel code to memory outside the
 * thread's stack (plain, READ_ONCE(), WRITE_ONCE()), scheduling points as
 * well (shared/kcsan/kcsan.c); the race detector then reports any two
 * conflicting accesses that happens-before does not order, on whatever
 * schedule they occur.
 *
 * Limits.  Only scheduling points interleave: plain, READ_ONCE() and
 * WRITE_ONCE() accesses (beyond the --access-points budget), seqcounts and
 * whole maple tree operations run without a switch between them, and
 * memory is sequentially consistent (no weak-memory reordering; the race
 * detector checks the ordering the code asks for instead).  A thread that
 * busy-waits for another without a blocking stub is a livelock here, as
 * PCT is not fair.
 */
#include <errno.h>
#include <fnmatch.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <urcu.h>
#include <linux/sched.h>
#include "../env/report.h"
#include "../kunit/mode.h"
#include "../kunit/test.h"
#include "internal.h"
#include "../env/room.h"

VH_ROOM(explore, "kunit env",
	"the deterministic interleaving explorer: core (one run), strategy (replay, PCT, DFS), campaign, cli (--explore)");

pthread_mutex_t ex_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ex_done = PTHREAD_COND_INITIALIZER;
/* Thread i waits on ex_turn[i] until it may run. */
static pthread_cond_t ex_turn[EX_MAX_THREADS] = {
	[0 ... EX_MAX_THREADS - 1] = PTHREAD_COND_INITIALIZER
};

struct ex_run_state ex;
const struct ex_strategy *ex_strategy;
bool ex_hung;
bool ex_trace;

void ex_failf(int thread, const char *fmt, ...)
{
	va_list ap;

	if (ex.why[0])
		return;
	va_start(ap, fmt);
	vsnprintf(ex.why, sizeof(ex.why), fmt, ap);
	va_end(ap);
	if (ex.fail_step < 0) {
		ex.fail_step = ex.steps;
		ex.fail_thread = thread;
	}
}

static void ex_note_failure(void)
{
	struct vh_ex_thread *me = vh_ex_self;

	if (!ex.in_run)
		return;
	pthread_mutex_lock(&ex_lock);
	if (ex.fail_step < 0) {
		ex.fail_step = me && vh_explorer_active ? (long)ex.steps : 0;
		ex.fail_thread = me && vh_explorer_active ? me->id : -1;
	}
	pthread_mutex_unlock(&ex_lock);
}

/* Choosing: replay, PCT and DFS. */

/*
 * Tracing a replay (--replay with -v): one line per decision, with where
 * the deciding thread is.  The sanitizers' symbolizer, when linked in,
 * names the place and the functions inlined there, innermost first.
 */
void __sanitizer_symbolize_pc(void *pc, const char *fmt, char *out,
			      size_t size) __weak;

static void ex_where(void *pc, char *buf, size_t size)
{
	char frames[1024];
	const char *f = frames;
	size_t n = 0;
	int i;

	if (!__sanitizer_symbolize_pc) {
		snprintf(buf, size, "%p", pc);
		return;
	}
	/* One NUL-terminated string per frame, then an empty one. */
	memset(frames, 0, sizeof(frames));
	__sanitizer_symbolize_pc((char *)pc - 1, "%f %s:%l", frames,
				 sizeof(frames) - 1);
	buf[0] = 0;
	for (i = 0; *f && i < 4 && n < size; f += strlen(f) + 1) {
		const char *file = strrchr(f, '/');
		const char *fn_end = strchr(f, ' ');
		int fn_len = fn_end ? fn_end - f : (int)strlen(f);

		if (strstr(f, "sched_point.h:"))
			continue;
		n += snprintf(buf + n, size - n, "%s%.*s (%s)", i++ ? " < " : "",
			      fn_len, f, file ? file + 1 : "?");
	}
}

static void ex_trace_decision(int self, unsigned int enabled, int next)
{
	const struct vh_ex_thread *t = &ex.thr[self];
	char where[512], runnable[64] = "";
	size_t n = 0;
	int i;

	if (t->state == EX_BLOCKED)
		snprintf(where, sizeof(where), "blocks in %s", t->what);
	else if (t->state == EX_EXITED)
		snprintf(where, sizeof(where), "exits");
	else
		ex_where(t->pc, where, sizeof(where));
	for (i = 0; i < ex.nr; i++)
		if (enabled & (1u << i))
			n += snprintf(runnable + n, sizeof(runnable) - n,
				      " T%d", i);
	if (next < 0)
		vh_diag("step %lu: T%d %s; no thread can run", ex.steps, self,
			where);
	else
		vh_diag("step %lu: T%d %s -> T%d (runnable:%s)", ex.steps,
			self, where, next, runnable);
}

/*
 * Choose among the runnable threads @enabled (one bit each): @self is the
 * deciding thread, @prev the same if it could go on, else -1.  A choice
 * (more than one runnable thread) is recorded in the schedule.
 */
static int ex_pick(unsigned int enabled, int self, int prev)
{
	int next;

	if (!enabled)
		return -1;
	if (ex_strategy->step)
		ex_strategy->step(self);
	if (__builtin_popcount(enabled) == 1)
		return ex_lowest(enabled);
	next = ex_strategy->pick(enabled, self, prev);
	if (ex.nr_choices == ex.cap_choices) {
		ex.cap_choices = ex.cap_choices ? 2 * ex.cap_choices : 256;
		ex.choice = realloc(ex.choice, ex.cap_choices);
		if (!ex.choice)
			abort();
	}
	ex.choice[ex.nr_choices++] = next;
	return next;
}

/*
 * A decision by thread @self, which holds the right to run and has set its
 * own state: who runs next, or -1 if no thread can.
 */
static int ex_decide(int self)
{
	unsigned int enabled = 0;
	int i, next, prev = -1;

	for (i = 0; i < ex.nr; i++) {
		struct vh_ex_thread *t = &ex.thr[i];

		if (t->state == EX_RUNNABLE ||
		    (t->state == EX_BLOCKED && t->ready(t->ready_arg)))
			enabled |= 1u << i;
	}
	if (ex.thr[self].state == EX_RUNNABLE)
		prev = self;
	ex.steps++;
	next = ex_pick(enabled, self, prev);
	if (ex_trace)
		ex_trace_decision(self, enabled, next);
	return next;
}

/* Token passing. */

static void ex_abort(void)
{
	int i;

	ex.abort = true;
	for (i = 0; i < ex.nr; i++)
		pthread_cond_signal(&ex_turn[i]);
	pthread_cond_signal(&ex_done);
}

/*
 * The run is aborted: leave the read-side critical sections (so that grace
 * periods elsewhere can end) and exit; thread.c's clean-up then calls
 * vh_explore_thread_exit().  A thread already in that clean-up (its
 * synchronize_rcu() in vh_task_exit() can block) is not exited again: it
 * returns, unwinding, and finishes its clean-up.  Called with ex_lock held;
 * returns (with it held) only then.
 */
static void ex_unwind(struct vh_ex_thread *me)
{
	struct task_struct *t = me->task;

	me->unwinding = true;
	while (t && t->rcu_depth > 0) {
		t->rcu_depth--;
		urcu_memb_read_unlock();
	}
	/* What it holds is abandoned with the run (no lockdep report). */
	if (t)
		t->lockdep_depth = 0;
	if (me->exiting)
		return;
	pthread_mutex_unlock(&ex_lock);
	vh_thread_exit_current();
}

static void ex_wait_turn(struct vh_ex_thread *me)
{
	while (ex.running != me->id && !ex.abort)
		pthread_cond_wait(&ex_turn[me->id], &ex_lock);
	if (ex.abort)
		ex_unwind(me);
}

static bool ex_in_reader(const struct vh_ex_thread *t);

static void ex_deadlock(int self)
{
	char buf[sizeof(ex.why)];
	size_t n;
	int i;

	n = snprintf(buf, sizeof(buf),
		     "deadlock: every live thread is blocked:");
	for (i = 0; i < ex.nr && n < sizeof(buf); i++) {
		struct vh_ex_thread *t = &ex.thr[i];

		if (t->state == EX_BLOCKED)
			n += snprintf(buf + n, sizeof(buf) - n, " T%d in %s",
				      i, t->what);
	}
	/* Who a synchronize_rcu() waits for. */
	for (i = 0; i < ex.nr && n < sizeof(buf); i++)
		if (ex_in_reader(&ex.thr[i]))
			n += snprintf(buf + n, sizeof(buf) - n,
				      "; T%d holds the RCU read lock (depth %d)",
				      i, ex.thr[i].task->rcu_depth);
	ex_failf(self, "%s", buf);
}

/*
 * The running thread @me, its state set, hands over the right to run and,
 * unless it exited, waits until it gets it back.  Called with ex_lock held.
 */
static void ex_switch(struct vh_ex_thread *me)
{
	int next;

	if (ex.steps >= EX_MAX_STEPS) {
		ex_failf(me->id, "livelock: no end after %d steps",
			 EX_MAX_STEPS);
		ex_abort();
	} else {
		next = ex_decide(me->id);
		if (next >= 0) {
			ex.running = next;
			ex.thr[next].state = EX_RUNNABLE;
			if (next != me->id)
				pthread_cond_signal(&ex_turn[next]);
		} else if (ex.live) {
			ex_deadlock(me->id);
			ex_abort();
		} else {
			ex.finished = true;
			pthread_cond_signal(&ex_done);
		}
	}
	if (me->state != EX_EXITED)
		ex_wait_turn(me);
}

static void ex_point(struct vh_ex_thread *me)
{
	pthread_mutex_lock(&ex_lock);
	if (!me->unwinding && ex.abort)
		ex_unwind(me);
	if (!me->unwinding)
		ex_switch(me);
	pthread_mutex_unlock(&ex_lock);
}

static void ex_sched_point(const volatile void *addr __always_unused, void *pc)
{
	struct vh_ex_thread *me = vh_ex_self;

	me->pc = pc;
	ex_point(me);
}

static void ex_block(vh_ready_t ready, const void *arg, const char *what)
{
	struct vh_ex_thread *me = vh_ex_self;

	pthread_mutex_lock(&ex_lock);
	if (!me->unwinding && ex.abort)
		ex_unwind(me);
	if (!me->unwinding) {
		me->state = EX_BLOCKED;
		me->ready = ready;
		me->ready_arg = arg;
		me->what = what;
		ex_switch(me);
	}
	pthread_mutex_unlock(&ex_lock);
}

/* The grace period of synchronize_rcu() (see shared/env/rcu.c). */
struct ex_grace_period {
	unsigned int readers;	/* threads inside a read-side section */
	unsigned long qs[EX_MAX_THREADS];
};

static bool ex_in_reader(const struct vh_ex_thread *t)
{
	return t->state != EX_EXITED && t->task && t->task->rcu_depth > 0;
}

static bool ex_grace_period_over(const void *arg)
{
	const struct ex_grace_period *gp = arg;
	int i;

	for (i = 0; i < ex.nr; i++) {
		const struct vh_ex_thread *t = &ex.thr[i];

		if ((gp->readers & (1u << i)) && ex_in_reader(t) &&
		    t->rcu_qs == gp->qs[i])
			return false;
	}
	return true;
}

static bool ex_rcu_sync(void)
{
	struct vh_ex_thread *me = vh_ex_self;
	struct ex_grace_period gp = { 0 };
	bool readers = false;
	int i;

	pthread_mutex_lock(&ex_lock);
	if (me->unwinding) {
		pthread_mutex_unlock(&ex_lock);
		return false;
	}
	for (i = 0; i < ex.nr; i++) {
		if (i != me->id && ex_in_reader(&ex.thr[i]))
			gp.readers |= 1u << i;
		gp.qs[i] = ex.thr[i].rcu_qs;
	}
	pthread_mutex_unlock(&ex_lock);

	if (gp.readers)
		ex_block(ex_grace_period_over, &gp, "synchronize_rcu");

	pthread_mutex_lock(&ex_lock);
	for (i = 0; i < ex.nr; i++)
		if (i != me->id && ex_in_reader(&ex.thr[i]))
			readers = true;
	pthread_mutex_unlock(&ex_lock);
	return !readers;
}

static void ex_rcu_qs(void)
{
	/* Read by deciding threads after the hand-over through ex_lock. */
	vh_ex_self->rcu_qs++;
}

/* Thread life cycle. */

static struct vh_ex_thread *ex_thread_new(void *handle)
{
	struct vh_ex_thread *x = NULL;

	pthread_mutex_lock(&ex_lock);
	/* An explored thread's child, or a run's main thread. */
	if (vh_ex_self || (ex.in_run && !ex.nr)) {
		if (ex.nr == EX_MAX_THREADS) {
			fprintf(stderr, "vma: explorer: more than %d threads in a scenario\n",
				EX_MAX_THREADS);
			abort();
		}
		x = &ex.thr[ex.nr];
		x->id = ex.nr++;
		x->state = EX_RUNNABLE;
		x->handle = handle;
		ex.live++;
	}
	pthread_mutex_unlock(&ex_lock);
	return x;
}

static void ex_thread_enter(struct vh_ex_thread *x)
{
	pthread_mutex_lock(&ex_lock);
	vh_ex_self = x;
	x->task = current;
	ex_wait_turn(x);
	pthread_mutex_unlock(&ex_lock);
}

static void ex_thread_exiting(void)
{
	struct vh_ex_thread *me = vh_ex_self;

	pthread_mutex_lock(&ex_lock);
	if (me)
		me->exiting = true;
	pthread_mutex_unlock(&ex_lock);
}

static void ex_thread_exit(void)
{
	struct vh_ex_thread *me = vh_ex_self;

	pthread_mutex_lock(&ex_lock);
	me->state = EX_EXITED;
	ex.live--;
	vh_ex_self = NULL;
	if (ex.abort) {
		if (!ex.live)
			pthread_cond_signal(&ex_done);
	} else {
		ex_switch(me);
	}
	pthread_mutex_unlock(&ex_lock);
}

static bool ex_exited(const void *arg)
{
	const struct vh_ex_thread *x = arg;

	return x->state == EX_EXITED;
}

static void ex_join(struct vh_ex_thread *x)
{
	ex_block(ex_exited, x, "vh_thread_join");
	pthread_mutex_lock(&ex_lock);
	x->joined = true;
	pthread_mutex_unlock(&ex_lock);
}

/* One run. */

struct ex_main_arg {
	const struct ex_scenario *s;
	void *ctx;
};

static void ex_main_thread(void *arg)
{
	struct ex_main_arg *a = arg;

	a->s->ops->main(a->ctx);
}

/*
 * Set when a run was aborted: its state, which may hold the locks of the
 * threads that were unwound, is not freed (nor are what those threads held
 * on their stacks); the program ends with _exit(), so that LeakSanitizer
 * does not report them.
 */

static void ex_reset(void)
{
	memset(ex.thr, 0, sizeof(ex.thr));
	ex.nr = 0;
	ex.live = 0;
	ex.running = 0;
	ex.finished = false;
	ex.abort = false;
	ex.steps = 0;
	ex.nr_choices = 0;
	ex.fail_step = -1;
	ex.fail_thread = -1;
	ex.why[0] = 0;
}

/* Wait for the run's threads; false if they hang outside the explorer. */
static bool ex_wait_run(void)
{
	struct timespec deadline;
	int err = 0, round;
	bool over = false;

	pthread_mutex_lock(&ex_lock);
	for (round = 0; round < 2 && !over; round++) {
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_sec += round ? 2 : vh_opts.timeout_s;
		err = 0;
		while (!(over = ex.finished || (ex.abort && !ex.live)) &&
		       err != ETIMEDOUT)
			err = pthread_cond_timedwait(&ex_done, &ex_lock,
						     &deadline);
		if (!over && !round) {
			ex_failf(ex.running, "hang: the run did not end within %us (a thread blocks outside the explorer's control?)",
				 vh_opts.timeout_s);
			ex_abort();
		}
	}
	pthread_mutex_unlock(&ex_lock);
	return over;
}

/* Run @s once under the current mode; true if the run failed. */
bool ex_run(const struct ex_scenario *s)
{
	const struct vh_explore_ops *ops = s->ops;
	struct ex_main_arg arg = { .s = s };
	int i;

	ex_reset();
	ex.in_run = true;
	arg.ctx = calloc(1, ops->ctx_size);
	if (!arg.ctx)
		abort();
	ops->setup(arg.ctx, s->row);
	if (vh_test_failed()) {
		pthread_mutex_lock(&ex_lock);
		ex_failf(-1, "the scenario's setup failed");
		pthread_mutex_unlock(&ex_lock);
		vh_abandon();
		ex.in_run = false;
		return true;
	}

	vh_explorer_active = true;
	vh_thread_start(ex_main_thread, &arg);
	if (!ex_wait_run()) {
		vh_explorer_active = false;
		ex_hung = true;
		vh_abandon();
		ex.in_run = false;
		return true;
	}
	vh_explorer_active = false;

	for (i = 0; i < ex.nr; i++)
		if (!ex.thr[i].joined)
			vh_thread_join(ex.thr[i].handle);
	if (ex.abort) {
		vh_abandon();
	} else {
		ops->check(arg.ctx);
		ops->teardown(arg.ctx);
		free(arg.ctx);
	}
	ex.in_run = false;
	return ex.why[0] || vh_test_failed();
}

static const struct vh_sched_ops ex_sched_ops = {
	.point = ex_sched_point,
	.block = ex_block,
	.rcu_sync = ex_rcu_sync,
	.rcu_qs = ex_rcu_qs,
	.thread_new = ex_thread_new,
	.thread_enter = ex_thread_enter,
	.thread_exiting = ex_thread_exiting,
	.thread_exit = ex_thread_exit,
	.join = ex_join,
};

static void __attribute__((constructor)) ex_core_init(void)
{
	vh_on_failure(ex_note_failure);
	vh_sched_register(&ex_sched_ops);
}
