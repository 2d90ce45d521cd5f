// SPDX-License-Identifier: GPL-2.0
/*
 * The slow path of scheduling points (shared/sched_point.h): breakpoints,
 * and the deterministic interleaving explorer.
 *
 * Breakpoints stop a thread right before its next operation on a given
 * address, so that a test can run another thread in exactly that window
 * (shared/test.h).
 *
 * The explorer runs a scenario (shared/explore.h) many times, each time
 * under a different schedule, and checks its invariants every time.
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
 * them (see shared/rcu.c for why liburcu's own wait cannot be used then).
 *
 * Decisions and schedules.  A decision with one runnable thread is forced;
 * one with several is a choice, and the schedule is the sequence of the
 * threads chosen at choices.  Every run with the same schedule is the same
 * run: nothing else (time, addresses, thread ids) enters a decision.
 * Three ways to choose:
 *
 *  - replay: follow a given schedule, then the default choice (the running
 *    thread goes on if it can, else the lowest-numbered runnable thread);
 *    a schedule that names a thread that cannot run is abandoned there.
 *    The explorer's first run of a scenario replays the empty schedule.
 *
 *  - PCT (Burckhardt et al., "A randomized scheduler with probabilistic
 *    guarantees of finding bugs", ASPLOS 2010): each thread gets a random
 *    distinct priority >= d, d - 1 change points are chosen uniformly among
 *    the first k steps (k: the length of the first run), and the highest-
 *    priority runnable thread always runs; at the i-th change point the
 *    thread taking that step drops to priority i.  A bug of depth d is
 *    found with probability at least 1/(n k^(d-1)) per run.  Each run's
 *    random numbers come from the seed, the scenario and the run's number.
 *
 *  - DFS: stateless depth-first search of the choices, bounded in
 *    preemptions (choosing another thread while the running one could go
 *    on) and by iterative context bounding as in CHESS: all schedules with
 *    0 preemptions, then 1, up to the bound, so that the simplest failing
 *    schedules come first.  Each run replays the prefix of its predecessor
 *    up to the deepest choice with an untried alternative, takes it and
 *    goes on with default choices; the same prefix yielding different
 *    choices is reported as a nondeterministic scenario.
 *
 * Sharding (--shard i/n) splits a campaign with no coordinator: PCT runs
 * are numbered and shard i runs those with number % n == i; a DFS schedule
 * belongs to the shard given by a hash of where its first two non-default
 * choices are and what they chose, and a shard skips the subtrees whose
 * key is another shard's (it still runs the schedules that lead to them,
 * but does not count them).  The shards of a campaign together count each
 * schedule exactly once.
 *
 * Encoding.  A schedule is written as runs of the same choice: a letter for
 * the thread (a = thread 0, b = thread 1, ...) followed by the run length
 * when it is more than 1, e.g. "a3ba12"; "-" is the empty schedule.
 * Replaying the string runs exactly the same interleaving, failure
 * included, so it can be debugged under gdb; with -v each decision is
 * printed, with where the deciding thread stands.
 *
 * Accesses.  In a make KCSAN=1 build, --access-points N makes the first N
 * accesses of each thread of a run, by kernel code to memory outside the
 * thread's stack (plain, READ_ONCE(), WRITE_ONCE()), scheduling points as
 * well (shared/env/kcsan.c); the race detector then reports any two
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
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <urcu.h>
#include <linux/sched.h>
#include "../env/kcsan.h"
#include "../env/report.h"
#include "../kunit/ktap.h"
#include "../kunit/mode.h"
#include "../kunit/test.h"
#include "explore.h"

/* The options of ./vma --explore. */
enum vh_strategy { VH_PCT, VH_DFS };

struct vh_explore_opts {
	enum vh_strategy strategy;
	unsigned long depth;		/* PCT: bug depth d */
	unsigned long preemptions;	/* DFS: preemption bound */
	unsigned long schedules;	/* budget per scenario (0: none) */
	unsigned long seconds;		/* budget per scenario (0: none) */
	unsigned long seed;
	unsigned long shard, nr_shards;	/* this is shard i of n */
	unsigned long access_points;	/* KCSAN: accesses per thread */
	const char *replay;		/* replay this schedule only */
	bool set;			/* an option above was given */
};

static void vh_explore_opts_init(struct vh_explore_opts *o,
				 unsigned long seed);

#define EX_MAX_THREADS	8	/* threads in a scenario (a bit in a mask) */
#define EX_MAX_STEPS	100000	/* decisions in a run: more is a livelock */
#define EX_MAX_DEPTH	8	/* PCT depth */

/* The budget of each explore.<scenario> test in a normal ./vma run. */
#define EX_KTAP_DFS_PREEMPTIONS	2
#define EX_KTAP_DFS_RUNS	300
#define EX_KTAP_PCT_RUNS	150
/* ... with a seed of their own: every run explores the same schedules. */
#define EX_KTAP_SEED		1
/* ... and of ./vma --explore with neither --schedules nor --seconds. */
#define EX_DEFAULT_RUNS		2000

/* The explorer's state during one run. */

enum ex_state { EX_RUNNABLE, EX_BLOCKED, EX_EXITED };

struct vh_ex_thread {
	int id;
	enum ex_state state;
	vh_ready_t ready;		/* EX_BLOCKED: may it go on? */
	const void *ready_arg;
	const char *what;		/* EX_BLOCKED: the wait, for reports */
	void *handle;			/* its struct vh_thread */
	struct task_struct *task;	/* NULL until it runs */
	void *pc;			/* where it last decided (tracing) */
	bool joined;			/* vh_thread_join() took care of it */
	bool unwinding;			/* exiting because the run aborted */
	bool exiting;			/* in its clean-up (thread.c) */
	unsigned long rcu_qs;		/* read-side critical sections left */
};

static pthread_mutex_t ex_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ex_done = PTHREAD_COND_INITIALIZER;
/* Thread i waits on ex_turn[i] until it may run. */
static pthread_cond_t ex_turn[EX_MAX_THREADS] = {
	[0 ... EX_MAX_THREADS - 1] = PTHREAD_COND_INITIALIZER
};

static struct {
	bool in_run;		/* a run is being set up, run or checked */
	struct vh_ex_thread thr[EX_MAX_THREADS];
	int nr;			/* slots handed out */
	int live;		/* ... whose thread has not exited */
	int running;		/* the thread that may run */
	bool finished;		/* every thread exited */
	bool abort;		/* every thread must unwind */
	unsigned long steps;	/* decisions so far */
	/* The schedule: the thread chosen at each choice. */
	unsigned char *choice;
	size_t nr_choices, cap_choices;
	/* The first failure: where, and the explorer's own diagnosis. */
	long fail_step;		/* -1: none; 0: outside the run's threads */
	int fail_thread;
	char why[512];
} ex;

/* How decisions are made in this run, and each way's state. */
static enum ex_mode { EX_REPLAY, EX_PCT, EX_DFS } ex_mode;

static struct {
	unsigned char *choice;
	size_t len, pos;
	long diverged;		/* the choice that could not be followed */
} rp;

static struct {
	unsigned long depth, k;
	unsigned long change[EX_MAX_DEPTH];
	unsigned long prio[EX_MAX_THREADS];
} pct;

struct dfs_node {
	unsigned int enabled;	/* the threads that could run */
	int prev;		/* the thread that could go on, or -1 */
	int chosen;
	unsigned int tried;	/* the alternatives taken so far */
	unsigned long preempt;	/* preemptions before this choice */
};

static struct {
	struct dfs_node *node;
	size_t len, cap, pos;
	unsigned long bound;
	bool diverged;
} dfs;

/* Small helpers: hashing, random numbers, bit masks. */

static uint64_t ex_mix(uint64_t x)	/* splitmix64's finaliser */
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t ex_hash(const void *p, size_t n, uint64_t h)	/* FNV-1a */
{
	const unsigned char *s = p;

	while (n--)
		h = (h ^ *s++) * 0x100000001b3ULL;
	return h;
}

#define EX_HASH_INIT	0xcbf29ce484222325ULL

static uint64_t ex_rand(uint64_t *state)	/* xorshift64* */
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static int ex_nr_bits(unsigned int mask)
{
	return __builtin_popcount(mask);
}

static int ex_lowest(unsigned int mask)
{
	return __builtin_ctz(mask);
}

/* The default choice: the running thread goes on if it can. */
static int ex_default(unsigned int enabled, int prev)
{
	if (prev >= 0 && (enabled & (1u << prev)))
		return prev;
	return ex_lowest(enabled);
}

/* Failures found by the explorer itself; called with ex_lock held. */
static __printf(2, 3) void ex_failf(int thread, const char *fmt, ...);

static void ex_failf(int thread, const char *fmt, ...)
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

static int ex_replay_pick(unsigned int enabled, int prev)
{
	int c;

	if (rp.pos >= rp.len)
		return ex_default(enabled, prev);
	c = rp.choice[rp.pos++];
	if (enabled & (1u << c))
		return c;
	/* Not this scenario's schedule (or not this tree's): stop here. */
	rp.diverged = rp.pos - 1;
	rp.pos = rp.len;
	return ex_default(enabled, prev);
}

static int ex_pct_pick(unsigned int enabled, int self)
{
	unsigned long i;
	int c, best = -1;

	for (i = 0; i + 1 < pct.depth; i++)
		if (ex.steps == pct.change[i] && self >= 0)
			pct.prio[self] = i + 1;
	for (c = 0; c < EX_MAX_THREADS; c++) {
		if (!(enabled & (1u << c)))
			continue;
		if (best < 0 || pct.prio[c] > pct.prio[best])
			best = c;
	}
	return best;
}

static unsigned long dfs_cost(const struct dfs_node *nd, int c)
{
	return nd->prev >= 0 && c != nd->prev;
}

static int ex_dfs_pick(unsigned int enabled, int prev)
{
	struct dfs_node *nd;

	if (dfs.pos < dfs.len) {
		/* Replaying the prefix chosen by dfs_backtrack(). */
		nd = &dfs.node[dfs.pos++];
		if (nd->enabled == enabled && nd->prev == prev)
			return nd->chosen;
		dfs.diverged = true;
		ex_failf(prev, "the scenario is not deterministic: choice %zu offers threads %#x (thread %d running) where an earlier run offered %#x (thread %d running)",
			 dfs.pos - 1, enabled, prev, nd->enabled, nd->prev);
		return ex_default(enabled, prev);
	}
	if (dfs.len == dfs.cap) {
		dfs.cap = dfs.cap ? 2 * dfs.cap : 256;
		dfs.node = realloc(dfs.node, dfs.cap * sizeof(*dfs.node));
		if (!dfs.node)
			abort();
	}
	nd = &dfs.node[dfs.len];
	nd->enabled = enabled;
	nd->prev = prev;
	nd->chosen = ex_default(enabled, prev);
	nd->tried = 1u << nd->chosen;
	nd->preempt = 0;
	if (dfs.len) {
		struct dfs_node *up = nd - 1;

		nd->preempt = up->preempt + dfs_cost(up, up->chosen);
	}
	dfs.len++;
	dfs.pos++;
	return nd->chosen;
}

/*
 * Tracing a replay (--replay with -v): one line per decision, with where
 * the deciding thread is.  The sanitizers' symbolizer, when linked in,
 * names the place and the functions inlined there, innermost first.
 */
static bool ex_trace;

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
	if (ex_nr_bits(enabled) == 1) {
		if (ex_mode == EX_PCT)	/* change points count every step */
			ex_pct_pick(enabled, self);
		return ex_lowest(enabled);
	}
	switch (ex_mode) {
	case EX_PCT:
		next = ex_pct_pick(enabled, self);
		break;
	case EX_DFS:
		next = ex_dfs_pick(enabled, prev);
		break;
	default:
		next = ex_replay_pick(enabled, prev);
		break;
	}
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

static void ex_sched_point(const volatile void *addr, void *pc)
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

/* The grace period of synchronize_rcu() (see shared/rcu.c). */
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

/* Scenarios. */

struct ex_scenario {
	char *name;		/* "<table>.<desc>" */
	const char *desc;
	const char *rule;
	const char *skip;
	const void *row;
	const struct vh_explore_ops *ops;
};

static struct ex_scenario *ex_scenarios;
static size_t ex_nr_scenarios;

static void ex_ktap_body(const void *row);

void vh_explore_register_table(const char *name, const char *rule,
			       const void *rows, size_t nr_rows,
			       size_t row_size, size_t desc_offset,
			       const struct vh_explore_ops *ops,
			       const char *skip)
{
	size_t i;

	ex_scenarios = realloc(ex_scenarios, (ex_nr_scenarios + nr_rows) *
			       sizeof(*ex_scenarios));
	if (!ex_scenarios)
		abort();
	for (i = 0; i < nr_rows; i++) {
		const char *row = (const char *)rows + i * row_size;
		struct ex_scenario *s = &ex_scenarios[ex_nr_scenarios++];

		s->desc = *(const char * const *)(row + desc_offset);
		if (asprintf(&s->name, "%s.%s", name, s->desc) < 0)
			abort();
		s->rule = rule;
		s->skip = skip;
		s->row = row;
		s->ops = ops;
	}
	vh_register_table(name, rule, rows, nr_rows, row_size, desc_offset,
			  ex_ktap_body, skip);
}

static const struct ex_scenario *ex_find(const void *row)
{
	size_t i;

	for (i = 0; i < ex_nr_scenarios; i++)
		if (ex_scenarios[i].row == row)
			return &ex_scenarios[i];
	return NULL;
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

static bool ex_hung;	/* threads are stuck for good: exit with _exit() */

/* Run @s once under the current mode; true if the run failed. */
static bool ex_run(const struct ex_scenario *s)
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

/* Schedules as strings. */

static char *ex_encode(const unsigned char *c, size_t n)
{
	size_t i = 0, len = 0, cap = 16;
	char *s = malloc(cap);

	if (!s)
		abort();
	if (!n)
		snprintf(s, cap, "-");
	while (i < n) {
		size_t run = 1;

		while (i + run < n && c[i + run] == c[i])
			run++;
		while (len + 24 > cap) {
			cap *= 2;
			s = realloc(s, cap);
			if (!s)
				abort();
		}
		s[len++] = 'a' + c[i];
		s[len] = 0;
		if (run > 1)
			len += sprintf(s + len, "%zu", run);
		i += run;
	}
	return s;
}

/* Returns false if @s is not a schedule. */
static bool ex_decode(const char *s, unsigned char **out, size_t *n)
{
	size_t len = 0, cap = 0;
	unsigned char *c = NULL;

	if (!strcmp(s, "-")) {
		*out = NULL;
		*n = 0;
		return true;
	}
	if (!*s)
		return false;
	while (*s) {
		unsigned long run = 1;
		int t = *s++ - 'a';
		char *end;

		if (t < 0 || t >= EX_MAX_THREADS)
			goto bad;
		if (*s >= '0' && *s <= '9') {
			run = strtoul(s, &end, 10);
			if (run < 2 || run > EX_MAX_STEPS)
				goto bad;
			s = end;
		}
		if (len + run > cap) {
			cap = 2 * (len + run);
			c = realloc(c, cap);
			if (!c)
				abort();
		}
		memset(c + len, t, run);
		len += run;
	}
	*out = c;
	*n = len;
	return true;
bad:
	free(c);
	return false;
}

/* Campaigns: many runs of one scenario. */

struct ex_result {
	unsigned long runs;		/* schedules run and counted */
	unsigned long extra;		/* ... run again, or another shard's */
	unsigned long distinct;		/* distinct schedules among all */
	unsigned long max_steps;
	double seconds;
	uint64_t digest;		/* of the counted schedules, in order */
	bool failed;
	bool exhausted;			/* DFS: every schedule within bound */
	const char *strategy;
};

/* The distinct schedules seen, as a set of hashes. */
static struct {
	uint64_t *slot;
	size_t cap, nr;
} ex_seen;

static bool ex_seen_add(uint64_t h)
{
	size_t i;

	if (!h)
		h = 1;
	if (2 * (ex_seen.nr + 1) > ex_seen.cap) {
		uint64_t *old = ex_seen.slot;
		size_t j, cap = ex_seen.cap;

		ex_seen.cap = cap ? 2 * cap : 1024;
		ex_seen.slot = calloc(ex_seen.cap, sizeof(*ex_seen.slot));
		if (!ex_seen.slot)
			abort();
		ex_seen.nr = 0;
		for (j = 0; j < cap; j++)
			if (old[j])
				ex_seen_add(old[j]);
		free(old);
	}
	for (i = h & (ex_seen.cap - 1); ex_seen.slot[i];
	     i = (i + 1) & (ex_seen.cap - 1))
		if (ex_seen.slot[i] == h)
			return false;
	ex_seen.slot[i] = h;
	ex_seen.nr++;
	return true;
}

static void ex_seen_clear(void)
{
	free(ex_seen.slot);
	memset(&ex_seen, 0, sizeof(ex_seen));
}

static double ex_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct ex_campaign {
	const struct ex_scenario *s;
	const struct vh_explore_opts *o;
	struct ex_result *r;
	double start;
};

static bool ex_budget_left(const struct ex_campaign *c)
{
	const struct vh_explore_opts *o = c->o;

	if (c->r->failed)
		return false;
	if (o->schedules && c->r->runs >= o->schedules)
		return false;
	return !o->seconds || ex_now() - c->start < o->seconds;
}

/* After a run: count it, and report it if it failed. */
static void ex_account(struct ex_campaign *c, bool failed, bool counted,
		       const char *which)
{
	struct ex_result *r = c->r;
	uint64_t h = ex_hash(ex.choice, ex.nr_choices, EX_HASH_INIT);
	char *enc;

	if (counted) {
		r->distinct += ex_seen_add(h);
		r->runs++;
		r->digest = ex_mix(r->digest ^ h);
	} else {
		r->extra++;
	}
	if (ex.steps > r->max_steps)
		r->max_steps = ex.steps;
	if (vh_verbose > 1 && counted) {
		enc = ex_encode(ex.choice, ex.nr_choices);
		vh_diag("schedule %s: %s", which, enc);
		free(enc);
	}
	if (!failed)
		return;
	r->failed = true;
	if (ex.why[0])
		vh_report("EXPLORER", __FILE__, __LINE__, "%s", ex.why);
	if (ex.fail_step > 0)
		vh_diag("schedule %s failed at step %ld, in thread %d",
			which, ex.fail_step, ex.fail_thread);
	else
		vh_diag("schedule %s failed after its threads ended (in the scenario's check)",
			which);
	enc = ex_encode(ex.choice, ex.nr_choices);
	if (c->o->access_points)
		vh_diag("reproduce: ./vma --explore %s --access-points %lu --replay %s",
			c->s->name, c->o->access_points, enc);
	else
		vh_diag("reproduce: ./vma --explore %s --replay %s",
			c->s->name, enc);
	free(enc);
}

static void ex_start_replay(unsigned char *choice, size_t len)
{
	ex_mode = EX_REPLAY;
	rp.choice = choice;
	rp.len = len;
	rp.pos = 0;
	rp.diverged = -1;
}

static void ex_pct_start(const struct ex_campaign *c, unsigned long run)
{
	uint64_t rng = ex_mix(c->o->seed ^ ex_mix(run ^
			ex_hash(c->s->name, strlen(c->s->name), EX_HASH_INIT)));
	unsigned long i, j;

	ex_mode = EX_PCT;
	rng |= 1;
	/* Distinct priorities depth .. depth + EX_MAX_THREADS - 1, shuffled. */
	for (i = 0; i < EX_MAX_THREADS; i++)
		pct.prio[i] = pct.depth + i;
	for (i = EX_MAX_THREADS - 1; i > 0; i--) {
		unsigned long t;

		j = ex_rand(&rng) % (i + 1);
		t = pct.prio[i];
		pct.prio[i] = pct.prio[j];
		pct.prio[j] = t;
	}
	/* depth - 1 distinct change points in [1, k]. */
	for (i = 0; i + 1 < pct.depth; i++) {
		bool dup;

		do {
			pct.change[i] = 1 + ex_rand(&rng) % pct.k;
			dup = false;
			for (j = 0; j < i; j++)
				dup |= pct.change[j] == pct.change[i];
		} while (dup && pct.k >= pct.depth);
	}
}

static void ex_pct(struct ex_campaign *c)
{
	const struct vh_explore_opts *o = c->o;
	unsigned long run;
	char which[64];
	bool failed;

	c->r->strategy = "pct";
	/* Run 0: the default schedule, whose length is PCT's k. */
	ex_start_replay(NULL, 0);
	failed = ex_run(c->s);
	ex_account(c, failed, o->shard == 0, "0 (the default schedule)");
	pct.depth = o->depth;
	pct.k = ex.steps ? ex.steps : 1;
	for (run = 1; ex_budget_left(c); run++) {
		if (run % o->nr_shards != o->shard)
			continue;
		ex_pct_start(c, run);
		failed = ex_run(c->s);
		snprintf(which, sizeof(which), "%lu (pct, depth %lu, k %lu)",
			 run, pct.depth, pct.k);
		ex_account(c, failed, true, which);
		if (ex_hung)
			break;
	}
}

/*
 * DFS sharding.  A schedule's key is where its first EX_SHARD_KEY
 * non-default choices are and which threads they chose; the key's hash
 * picks the shard.  All the schedules below a prefix with that many
 * non-default choices have its key, so a shard can skip such subtrees.
 */
#define EX_SHARD_KEY	2

static bool dfs_is_default(const struct dfs_node *nd)
{
	return nd->chosen == ex_default(nd->enabled, nd->prev);
}

/* Non-default choices among the first @len, up to EX_SHARD_KEY. */
static size_t dfs_deviations(size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len && n < EX_SHARD_KEY; i++)
		n += !dfs_is_default(&dfs.node[i]);
	return n;
}

/* Does the key of the first @len choices belong to this shard? */
static bool dfs_mine(const struct vh_explore_opts *o, size_t len)
{
	uint64_t h = EX_HASH_INIT;
	size_t i, n = 0;

	if (o->nr_shards == 1)
		return true;
	for (i = 0; i < len && n < EX_SHARD_KEY; i++) {
		uint64_t where[2] = { i, dfs.node[i].chosen };

		if (dfs_is_default(&dfs.node[i]))
			continue;
		h = ex_hash(where, sizeof(where), h);
		n++;
	}
	return ex_mix(h) % o->nr_shards == o->shard;
}

/* Set up the next run: false when every schedule was run. */
static bool dfs_backtrack(const struct vh_explore_opts *o)
{
	while (dfs.len) {
		size_t i = dfs.len - 1;
		struct dfs_node *nd = &dfs.node[i];
		size_t dev = dfs_deviations(i);
		int c;

		/* The key is complete above: the whole subtree is one shard's. */
		if (dev == EX_SHARD_KEY && !dfs_mine(o, i)) {
			dfs.len--;
			continue;
		}
		for (c = 0; c < EX_MAX_THREADS; c++) {
			unsigned int bit = 1u << c;

			if (!(nd->enabled & bit) || (nd->tried & bit))
				continue;
			nd->tried |= bit;
			if (nd->preempt + dfs_cost(nd, c) > dfs.bound)
				continue;
			nd->chosen = c;
			/* This choice completes the key. */
			if (dev == EX_SHARD_KEY - 1 && !dfs_mine(o, i + 1))
				continue;
			dfs.pos = 0;
			return true;
		}
		dfs.len--;
	}
	return false;
}

static void ex_dfs(struct ex_campaign *c)
{
	const struct vh_explore_opts *o = c->o;
	unsigned long bound;
	char which[64];

	c->r->strategy = "dfs";
	for (bound = 0; bound <= o->preemptions; bound++) {
		dfs.len = 0;
		dfs.bound = bound;
		do {
			unsigned long preempt = 0;
			bool failed, counted;

			ex_mode = EX_DFS;
			dfs.pos = 0;
			dfs.diverged = false;
			failed = ex_run(c->s);
			if (dfs.len) {
				struct dfs_node *last = &dfs.node[dfs.len - 1];

				preempt = last->preempt +
					  dfs_cost(last, last->chosen);
			}
			/* Fewer preemptions: run in an earlier round. */
			counted = (!bound || preempt == bound) &&
				  dfs_mine(o, dfs.len);
			snprintf(which, sizeof(which),
				 "%lu (dfs, %lu preemption%s)",
				 c->r->runs + c->r->extra, preempt,
				 preempt == 1 ? "" : "s");
			ex_account(c, failed, counted, which);
			if (failed || ex_hung || dfs.diverged ||
			    !ex_budget_left(c))
				return;
		} while (dfs_backtrack(o));
	}
	c->r->exhausted = true;
}

static void ex_campaign(const struct ex_scenario *s,
			const struct vh_explore_opts *o, struct ex_result *r)
{
	struct ex_campaign c = { .s = s, .o = o, .r = r, .start = ex_now() };

	memset(r, 0, sizeof(*r));
	ex_seen_clear();
	if (o->strategy == VH_DFS)
		ex_dfs(&c);
	else
		ex_pct(&c);
	r->seconds = ex_now() - c.start;
}

static void ex_print_result(const struct ex_scenario *s,
			    const struct vh_explore_opts *o,
			    const struct ex_result *r)
{
	char bound[48];

	if (o->strategy == VH_DFS)
		snprintf(bound, sizeof(bound), "preemptions <= %lu%s",
			 o->preemptions, r->exhausted ? ", all explored" : "");
	else
		snprintf(bound, sizeof(bound), "depth %lu", o->depth);
	vh_diag("%s: %s %s: %lu schedules (%lu distinct, %lu more run) in %.2fs, %.0f/s, up to %lu steps, digest %016llx",
		s->name, r->strategy, bound, r->runs, r->distinct, r->extra,
		r->seconds, (r->runs + r->extra) / (r->seconds ? r->seconds : 1),
		r->max_steps, (unsigned long long)r->digest);
}

/* The explore.<scenario> tests of a normal run: a small fixed budget. */
static void ex_ktap_body(const void *row)
{
	const struct ex_scenario *s = ex_find(row);
	struct vh_explore_opts o;
	struct ex_result r;

	vh_explore_opts_init(&o, EX_KTAP_SEED);
	o.strategy = VH_DFS;
	o.preemptions = EX_KTAP_DFS_PREEMPTIONS;
	o.schedules = EX_KTAP_DFS_RUNS;
	ex_campaign(s, &o, &r);
	ex_print_result(s, &o, &r);
	if (!r.failed && !ex_hung && !r.exhausted)
		vh_diag("%s: dfs did NOT exhaust preemptions <= %lu within %lu schedules",
			s->name, o.preemptions, o.schedules);
	if (r.failed || ex_hung)
		return;
	o.strategy = VH_PCT;
	o.schedules = EX_KTAP_PCT_RUNS;
	ex_campaign(s, &o, &r);
	if (vh_verbose)
		ex_print_result(s, &o, &r);
}

static void vh_explore_opts_init(struct vh_explore_opts *o,
				 unsigned long seed)
{
	memset(o, 0, sizeof(*o));
	o->strategy = VH_PCT;
	o->depth = 3;
	o->preemptions = 2;
	o->seed = seed;
	o->nr_shards = 1;
}

static bool ex_number(const char *arg, unsigned long *v, char **end)
{
	errno = 0;
	*v = strtoul(arg, end, 0);
	return !errno && *end != arg && *arg != '-';
}

/*
 * Parse the value of --strategy (c 'y'), --depth ('d'), --preemptions
 * ('P'), --schedules ('n'), --access-points ('A'), --shard ('H') or
 * --replay ('R'); on error, print one line and return -1.
 */
static int vh_explore_option(struct vh_explore_opts *o, int c,
			     const char *arg)
{
	unsigned long v = 0;
	char *end = NULL;

	o->set = true;
	switch (c) {
	case 'y':
		if (!strcmp(arg, "pct"))
			o->strategy = VH_PCT;
		else if (!strcmp(arg, "dfs"))
			o->strategy = VH_DFS;
		else
			goto bad;
		return 0;
	case 'H':
		if (!ex_number(arg, &o->shard, &end) || *end != '/' ||
		    !ex_number(end + 1, &o->nr_shards, &end) || *end ||
		    !o->nr_shards || o->shard >= o->nr_shards)
			goto bad;
		return 0;
	case 'R':
		o->replay = arg;
		return 0;
	}
	if (!ex_number(arg, &v, &end) || *end)
		goto bad;
	if (c == 'd' && (v < 1 || v > EX_MAX_DEPTH))
		goto bad;
	if (c == 'd')
		o->depth = v;
	else if (c == 'P')
		o->preemptions = v;
	else if (c == 'A')
		o->access_points = v;
	else
		o->schedules = v;
#ifndef VH_KCSAN
	if (c == 'A' && v) {
		fprintf(stderr, "vma: --access-points needs the race detector (make KCSAN=1)\n");
		return -1;
	}
#endif
	return 0;
bad:
	fprintf(stderr, "vma: bad value '%s' for --%s (try --help)\n", arg,
		c == 'y' ? "strategy" : c == 'H' ? "shard" : c == 'd' ?
		"depth" : c == 'P' ? "preemptions" : c == 'A' ?
		"access-points" : "schedules");
	return -1;
}

/* ./vma --explore [PATTERN...] */

static bool ex_matches(const struct ex_scenario *s, char **patterns, int nr)
{
	int i;

	if (!nr)
		return true;
	for (i = 0; i < nr; i++)
		if (!fnmatch(patterns[i], s->name, 0) ||
		    !fnmatch(patterns[i], s->desc, 0))
			return true;
	return false;
}

/* The schedule given with --replay. */
static unsigned char *ex_replay;
static size_t ex_replay_len;

static int ex_replay_main(const struct ex_scenario *s,
			  const struct vh_explore_opts *o)
{
	struct ex_campaign c;
	struct ex_result r = { .strategy = "replay" };
	bool failed;

	vh_ktap_begin(1);
	c = (struct ex_campaign){ .s = s, .o = o, .r = &r, .start = ex_now() };
	ex_seen_clear();
	ex_start_replay(ex_replay, ex_replay_len);
	ex_trace = vh_verbose > 0;
	failed = ex_run(s);
	ex_account(&c, failed, true, "replayed");
	if (rp.diverged >= 0)
		vh_diag("replay: at choice %ld the thread given cannot run; the run went on with default choices",
			rp.diverged);
	else if (rp.pos < rp.len)
		vh_diag("replay: the run ended after %zu of the %zu choices given",
			rp.pos, rp.len);
	vh_diag("%s: replayed %zu choices, %lu steps", s->name, ex.nr_choices,
		ex.steps);
	vh_ktap_result(failed ? VH_KTAP_FAIL : VH_KTAP_PASS, s->name, NULL);
	failed = vh_ktap_end();
	if (vh_abandoned())
		_exit(failed);
	return failed;
}

static struct vh_explore_opts ex_opts;

static int ex_option(int c, const char *arg)
{
	return vh_explore_option(&ex_opts, c, arg);
}

static int vh_explore_main(char **patterns, int nr_patterns)
{
	const struct vh_explore_opts *opts = &ex_opts;
	unsigned long runs = 0, distinct = 0, n = 0;
	int failed, i;
	struct vh_explore_opts budget = *opts, *o = &budget;
	uint64_t digest = 0;
	double start = ex_now();
	size_t k;

	o->seed = vh_seed();
	o->seconds = vh_opts.seconds_set ? vh_opts.seconds : 0;
	vh_kcsan_set_access_points(o->access_points);
	if (!o->schedules && !o->seconds)
		o->schedules = EX_DEFAULT_RUNS;

	for (i = 0; i < nr_patterns; i++) {
		bool hit = false;

		for (k = 0; k < ex_nr_scenarios; k++)
			hit |= ex_matches(&ex_scenarios[k], &patterns[i], 1);
		if (!hit) {
			fprintf(stderr, "vma: no scenario matches '%s' (see ./vma --list -t 'explore*')\n",
				patterns[i]);
			return 2;
		}
	}
	for (k = 0; k < ex_nr_scenarios; k++)
		n += ex_matches(&ex_scenarios[k], patterns, nr_patterns);

	if (o->replay && n != 1) {
		fprintf(stderr, "vma: --replay needs exactly one scenario (%lu match)\n",
			n);
		return 2;
	}
	if (o->replay && !ex_decode(o->replay, &ex_replay, &ex_replay_len)) {
		fprintf(stderr, "vma: --replay: '%s' is not a schedule (letters a-%c, each optionally followed by a count)\n",
			o->replay, 'a' + EX_MAX_THREADS - 1);
		return 2;
	}

	vh_ktap_begin(o->replay ? 1 : n);
	if (o->replay) {
		for (k = 0; k < ex_nr_scenarios; k++)
			if (ex_matches(&ex_scenarios[k], patterns, nr_patterns))
				return ex_replay_main(&ex_scenarios[k], o);
	}

	if (o->strategy == VH_DFS)
		printf("# explore: dfs, preemptions <= %lu", o->preemptions);
	else
		printf("# explore: pct, depth %lu", o->depth);
	printf(", shard %lu/%lu; per scenario at most", o->shard,
	       o->nr_shards);
	if (o->schedules)
		printf(" %lu schedules%s", o->schedules,
		       o->seconds ? " and" : "");
	if (o->seconds)
		printf(" %lus", o->seconds);
	printf("\n");
	fflush(stdout);
	n = 0;
	for (k = 0; k < ex_nr_scenarios; k++) {
		const struct ex_scenario *s = &ex_scenarios[k];
		struct ex_result r;

		if (!ex_matches(s, patterns, nr_patterns))
			continue;
		n++;
		if (s->skip) {
			vh_ktap_result(VH_KTAP_SKIP, s->name, s->skip);
			continue;
		}
		vh_test_reset();
		ex_campaign(s, o, &r);
		ex_print_result(s, o, &r);
		runs += r.runs;
		distinct += r.distinct;
		digest = ex_mix(digest ^ r.digest);
		vh_ktap_result(r.failed ? VH_KTAP_FAIL : VH_KTAP_PASS, s->name,
			       NULL);
		if (ex_hung)
			break;
	}
	printf("# explore: %lu schedules (%lu distinct) in %.1fs, digest %016llx\n",
	       runs, distinct, ex_now() - start, (unsigned long long)digest);
	fflush(stdout);
	failed = vh_ktap_end();
	if (vh_abandoned())
		_exit(failed);
	return failed;
}

static const struct option ex_options[] = {
	{ "strategy", required_argument, NULL, 'y' },
	{ "depth", required_argument, NULL, 'd' },
	{ "preemptions", required_argument, NULL, 'P' },
	{ "schedules", required_argument, NULL, 'n' },
	{ "access-points", required_argument, NULL, 'A' },
	{ "shard", required_argument, NULL, 'H' },
	{ "replay", required_argument, NULL, 'R' },
	{ }
};

static struct vh_mode explore_mode = {
	.name = "explore",
	.usage =
"      --explore [PATTERN...]  run the interleaving explorer over the\n"
"                       scenarios matching PATTERN (see --list -t 'explore*');\n"
"                       --seconds is then the time budget of each scenario\n"
"      --strategy S     explorer strategy: pct (default) or dfs\n"
"      --depth D        PCT bug depth (default 3)\n"
"      --preemptions N  DFS preemption bound (default 2)\n"
"      --schedules N    schedules per scenario (default 2000 unless --seconds)\n"
"      --access-points N  (make KCSAN=1) the first N accesses of kernel code\n"
"                       to shared memory in each thread of a run are\n"
"                       scheduling points too (default 0)\n"
"      --shard I/N      explore shard I (0..N-1) of N of a campaign\n"
"      --replay STR     replay one schedule (printed with each failure;\n"
"                       with -v, trace its decisions)\n",
	.options = ex_options,
	.option = ex_option,
	.run = vh_explore_main,
};
VH_MODE(explore_mode);

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

static void __attribute__((constructor)) ex_init(void)
{
	vh_explore_opts_init(&ex_opts, 0);
	vh_on_failure(ex_note_failure);
	vh_sched_register(&ex_sched_ops);
}
