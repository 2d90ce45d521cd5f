// SPDX-License-Identifier: GPL-2.0
/*
 * How the explorer makes its choices.  A decision with one runnable
 * thread is forced; one with several is a choice, and the schedule is the
 * sequence of the threads chosen at choices.  Three ways to choose:
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
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* Each way's state. */
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

static uint64_t ex_rand(uint64_t *state)	/* xorshift64* */
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* Replay. */

static int ex_replay_pick(unsigned int enabled, int self __always_unused,
			  int prev)
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

/* PCT. */

/* Change points count every step, not only choices. */
static void ex_pct_step(int self)
{
	unsigned long i;

	for (i = 0; i + 1 < pct.depth; i++)
		if (ex.steps == pct.change[i] && self >= 0)
			pct.prio[self] = i + 1;
}

static int ex_pct_pick(unsigned int enabled, int self __always_unused,
		       int prev __always_unused)
{
	int c, best = -1;

	for (c = 0; c < EX_MAX_THREADS; c++) {
		if (!(enabled & (1u << c)))
			continue;
		if (best < 0 || pct.prio[c] > pct.prio[best])
			best = c;
	}
	return best;
}

/* DFS. */

static unsigned long dfs_cost(const struct dfs_node *nd, int c)
{
	return nd->prev >= 0 && c != nd->prev;
}

static int ex_dfs_pick(unsigned int enabled, int self __always_unused, int prev)
{
	struct dfs_node *nd;

	if (dfs.pos < dfs.len) {
		/* Replaying the prefix chosen by ex_dfs_next(). */
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


static const struct ex_strategy ex_replay = { .pick = ex_replay_pick };
static const struct ex_strategy ex_pct = {
	.step = ex_pct_step,
	.pick = ex_pct_pick,
};
static const struct ex_strategy ex_dfs = { .pick = ex_dfs_pick };

void ex_replay_start(unsigned char *choice, size_t len)
{
	ex_strategy = &ex_replay;
	rp.choice = choice;
	rp.len = len;
	rp.pos = 0;
	rp.diverged = -1;
}

long ex_replay_diverged(void)
{
	return rp.diverged;
}

size_t ex_replay_followed(void)
{
	return rp.pos;
}

void ex_pct_setup(unsigned long depth, unsigned long k)
{
	pct.depth = depth;
	pct.k = k ? k : 1;
}

void ex_pct_start(uint64_t seed, const char *name, unsigned long run)
{
	uint64_t rng = ex_mix(seed ^ ex_mix(run ^
			ex_hash(name, strlen(name), EX_HASH_INIT)));
	unsigned long i, j;

	ex_strategy = &ex_pct;
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
static bool dfs_mine(unsigned long shard, unsigned long nr_shards, size_t len)
{
	uint64_t h = EX_HASH_INIT;
	size_t i, n = 0;

	if (nr_shards == 1)
		return true;
	for (i = 0; i < len && n < EX_SHARD_KEY; i++) {
		uint64_t where[2] = { i, dfs.node[i].chosen };

		if (dfs_is_default(&dfs.node[i]))
			continue;
		h = ex_hash(where, sizeof(where), h);
		n++;
	}
	return ex_mix(h) % nr_shards == shard;
}

void ex_dfs_round(unsigned long bound)
{
	dfs.len = 0;
	dfs.bound = bound;
}

void ex_dfs_start(void)
{
	ex_strategy = &ex_dfs;
	dfs.pos = 0;
	dfs.diverged = false;
}

unsigned long ex_dfs_preemptions(void)
{
	const struct dfs_node *last;

	if (!dfs.len)
		return 0;
	last = &dfs.node[dfs.len - 1];
	return last->preempt + dfs_cost(last, last->chosen);
}

bool ex_dfs_diverged(void)
{
	return dfs.diverged;
}

bool ex_dfs_mine(unsigned long shard, unsigned long nr_shards)
{
	return dfs_mine(shard, nr_shards, dfs.len);
}

bool ex_dfs_next(unsigned long shard, unsigned long nr_shards)
{
	while (dfs.len) {
		size_t i = dfs.len - 1;
		struct dfs_node *nd = &dfs.node[i];
		size_t dev = dfs_deviations(i);
		int c;

		/* The key is complete above: the whole subtree is one shard's. */
		if (dev == EX_SHARD_KEY && !dfs_mine(shard, nr_shards, i)) {
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
			if (dev == EX_SHARD_KEY - 1 && !dfs_mine(shard, nr_shards, i + 1))
				continue;
			dfs.pos = 0;
			return true;
		}
		dfs.len--;
	}
	return false;
}
