/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The explorer's rooms and what they share.  Arrows run one way:
 *
 *	cli.c       ./vma --explore: options, scenario selection, --replay
 *	  |
 *	campaign.c  scenarios, and many runs of one: budgets, accounting,
 *	  |         schedules as strings, the explore.* KTAP tests
 *	  |
 *	strategy.c  how choices are made: replay, PCT, DFS (and sharding)
 *	  |
 *	core.c      one run: threads, token passing, blocking, RCU grace
 *	            periods, deadlock and livelock; it asks the strategy
 *	            of the run (struct ex_strategy) at each choice
 */
#ifndef _VH_EXPLORE_INTERNAL_H
#define _VH_EXPLORE_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/compiler.h>
#include "explore.h"

#define EX_MAX_THREADS	8	/* threads in a scenario (a bit in a mask) */
#define EX_MAX_STEPS	100000	/* decisions in a run: more is a livelock */
#define EX_MAX_DEPTH	8	/* PCT depth */

/* The options of ./vma --explore, and of each explore.* test. */
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

void vh_explore_opts_init(struct vh_explore_opts *o, unsigned long seed);

/* Scenarios (campaign.c). */
struct ex_scenario {
	char *name;		/* "<table>.<desc>" */
	const char *desc;
	const char *rule;
	const char *skip;
	const void *row;
	const struct vh_explore_ops *ops;
};

extern struct ex_scenario *ex_scenarios;
extern size_t ex_nr_scenarios;

/* The state of one run (core.c). */
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

struct ex_run_state {
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
};

/* Protects ex; strategies are called with it held. */
extern pthread_mutex_t ex_lock;
extern struct ex_run_state ex;
/* Threads are stuck for good: the program must end with _exit(). */
extern bool ex_hung;
/* Print each decision (--replay with -v). */
extern bool ex_trace;

bool ex_run(const struct ex_scenario *s);
/* A failure found by the explorer itself; called with ex_lock held. */
__printf(2, 3) void ex_failf(int thread, const char *fmt, ...);

/*
 * How the choices of a run are made (strategy.c).  At every decision the
 * core calls step() (may be NULL) with the deciding thread; at a choice
 * (more than one runnable thread) pick() with the runnable threads
 * @enabled (one bit each), the deciding thread @self, and @prev, the same
 * if it could go on, else -1.  Both are called with ex_lock held.
 */
struct ex_strategy {
	void (*step)(int self);
	int (*pick)(unsigned int enabled, int self, int prev);
};

/* The strategy of the run; set by the ex_*_start() functions below. */
extern const struct ex_strategy *ex_strategy;

/* Follow @choice, then default choices. */
void ex_replay_start(unsigned char *choice, size_t len);
/* The choice that could not be followed (-1: none), the choices followed. */
long ex_replay_diverged(void);
size_t ex_replay_followed(void);

/* PCT with bug depth @depth over runs of about @k steps. */
void ex_pct_setup(unsigned long depth, unsigned long k);
/* Run @run of scenario @name: its priorities and change points. */
void ex_pct_start(uint64_t seed, const char *name, unsigned long run);

/* DFS: the schedules with exactly @bound preemptions, run by run. */
void ex_dfs_round(unsigned long bound);
void ex_dfs_start(void);
/* After a run: its preemptions; did it diverge from its prefix? */
unsigned long ex_dfs_preemptions(void);
bool ex_dfs_diverged(void);
/* Does the run belong to shard @shard of @nr_shards? */
bool ex_dfs_mine(unsigned long shard, unsigned long nr_shards);
/* Set up the next run of the round: false when every schedule was run. */
bool ex_dfs_next(unsigned long shard, unsigned long nr_shards);

/* Schedules as strings (campaign.c). */
char *ex_encode(const unsigned char *c, size_t n);
bool ex_decode(const char *s, unsigned char **out, size_t *n);

/* Campaigns: many runs of one scenario (campaign.c). */
struct ex_result {
	unsigned long runs;		/* schedules run and counted */
	unsigned long extra;		/* ... run again, or another shard's */
	unsigned long distinct;		/* distinct schedules among all */
	unsigned long max_steps;
	double seconds;
	/* Of the counted schedules, in any order: the sum of their mixed
	 * hashes, so that the shards of a campaign (--shard) add up to the
	 * digest of the campaign run whole (scripts/campaign.sh).
	 */
	uint64_t digest;
	bool failed;
	bool exhausted;			/* DFS: every schedule within bound */
	const char *strategy;
};

void ex_campaign(const struct ex_scenario *s,
		 const struct vh_explore_opts *o, struct ex_result *r);
void ex_print_result(const struct ex_scenario *s,
		     const struct vh_explore_opts *o,
		     const struct ex_result *r);
/* Replay @choice once: true if the run failed. */
bool ex_replay_once(const struct ex_scenario *s,
		    const struct vh_explore_opts *o, unsigned char *choice,
		    size_t len);
double ex_now(void);

/* Small helpers: hashing, random numbers, bit masks. */

static inline uint64_t ex_mix(uint64_t x)	/* splitmix64's finaliser */
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

#define EX_HASH_INIT	0xcbf29ce484222325ULL

static inline uint64_t ex_hash(const void *p, size_t n, uint64_t h) /* FNV-1a */
{
	const unsigned char *s = p;

	while (n--)
		h = (h ^ *s++) * 0x100000001b3ULL;
	return h;
}

static inline int ex_lowest(unsigned int mask)
{
	return __builtin_ctz(mask);
}

/* The default choice: the running thread goes on if it can. */
static inline int ex_default(unsigned int enabled, int prev)
{
	if (prev >= 0 && (enabled & (1u << prev)))
		return prev;
	return ex_lowest(enabled);
}

#endif /* _VH_EXPLORE_INTERNAL_H */
