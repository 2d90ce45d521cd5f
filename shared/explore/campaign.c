// SPDX-License-Identifier: GPL-2.0
/*
 * Scenarios, and campaigns: many runs of one scenario under a strategy,
 * within a budget, each counted, hashed and, when it fails, reported with
 * the string that replays it.
 *
 * Encoding.  A schedule is written as runs of the same choice: a letter for
 * the thread (a = thread 0, b = thread 1, ...) followed by the run length
 * when it is more than 1, e.g. "a3ba12"; "-" is the empty schedule.
 * Replaying the string runs exactly the same interleaving, failure
 * included, so it can be debugged under gdb; with -v each decision is
 * printed, with where the deciding thread stands.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../env/report.h"
#include "../kunit/ktap.h"
#include "../kunit/test.h"
#include "internal.h"

/* The budget of each explore.<scenario> test in a normal ./vma run. */
#define EX_KTAP_DFS_PREEMPTIONS	2
#define EX_KTAP_DFS_RUNS	300
#define EX_KTAP_PCT_RUNS	150
/* ... with a seed of their own: every run explores the same schedules. */
#define EX_KTAP_SEED		1

struct ex_scenario *ex_scenarios;
size_t ex_nr_scenarios;

static void ex_ktap_body(const void *row);

void vh_explore_register_table(const char *file, const char *name,
			       const char *rule,
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
	vh_register_table(file, name, rule, rows, nr_rows, row_size, desc_offset,
			  VH_NO_WHY, ex_ktap_body, skip);
}

static const struct ex_scenario *ex_find(const void *row)
{
	size_t i;

	for (i = 0; i < ex_nr_scenarios; i++)
		if (ex_scenarios[i].row == row)
			return &ex_scenarios[i];
	return NULL;
}

/* Schedules as strings. */

char *ex_encode(const unsigned char *c, size_t n)
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
bool ex_decode(const char *s, unsigned char **out, size_t *n)
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

double ex_now(void)
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
		r->digest += ex_mix(h);
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

static void ex_pct(struct ex_campaign *c)
{
	const struct vh_explore_opts *o = c->o;
	unsigned long run, k;
	char which[64];
	bool failed;

	c->r->strategy = "pct";
	/* Run 0: the default schedule, whose length is PCT's k. */
	ex_replay_start(NULL, 0);
	failed = ex_run(c->s);
	ex_account(c, failed, o->shard == 0, "0 (the default schedule)");
	k = ex.steps ? ex.steps : 1;
	ex_pct_setup(o->depth, k);
	for (run = 1; ex_budget_left(c); run++) {
		if (run % o->nr_shards != o->shard)
			continue;
		ex_pct_start(o->seed, c->s->name, run);
		failed = ex_run(c->s);
		snprintf(which, sizeof(which), "%lu (pct, depth %lu, k %lu)",
			 run, o->depth, k);
		ex_account(c, failed, true, which);
		if (ex_hung)
			break;
	}
}

static void ex_dfs(struct ex_campaign *c)
{
	const struct vh_explore_opts *o = c->o;
	unsigned long bound;
	char which[64];

	c->r->strategy = "dfs";
	for (bound = 0; bound <= o->preemptions; bound++) {
		ex_dfs_round(bound);
		do {
			unsigned long preempt;
			bool failed, counted;

			ex_dfs_start();
			failed = ex_run(c->s);
			preempt = ex_dfs_preemptions();
			/* Fewer preemptions: run in an earlier round. */
			counted = (!bound || preempt == bound) &&
				  ex_dfs_mine(o->shard, o->nr_shards);
			snprintf(which, sizeof(which),
				 "%lu (dfs, %lu preemption%s)",
				 c->r->runs + c->r->extra, preempt,
				 preempt == 1 ? "" : "s");
			ex_account(c, failed, counted, which);
			if (failed || ex_hung || ex_dfs_diverged() ||
			    !ex_budget_left(c))
				return;
		} while (ex_dfs_next(o->shard, o->nr_shards));
	}
	c->r->exhausted = true;
}

void ex_campaign(const struct ex_scenario *s,
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

void ex_print_result(const struct ex_scenario *s,
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

void vh_explore_opts_init(struct vh_explore_opts *o, unsigned long seed)
{
	memset(o, 0, sizeof(*o));
	o->strategy = VH_PCT;
	o->depth = 3;
	o->preemptions = 2;
	o->seed = seed;
	o->nr_shards = 1;
}

static unsigned char *ex_replay;
static size_t ex_replay_len;

/*
 * Replay @choice, @len choices long, once (--replay): true if the run
 * failed.  With -v, each decision is traced.
 */
bool ex_replay_once(const struct ex_scenario *s,
		    const struct vh_explore_opts *o, unsigned char *choice,
		    size_t len)
{
	struct ex_result r = { .strategy = "replay" };
	struct ex_campaign c = {
		.s = s, .o = o, .r = &r, .start = ex_now(),
	};
	bool failed;
	long diverged;

	ex_seen_clear();
	ex_replay_start(choice, len);
	ex_trace = vh_verbose > 0;
	failed = ex_run(s);
	ex_account(&c, failed, true, "replayed");
	diverged = ex_replay_diverged();
	if (diverged >= 0)
		vh_diag("replay: at choice %ld the thread given cannot run; the run went on with default choices",
			diverged);
	else if (ex_replay_followed() < len)
		vh_diag("replay: the run ended after %zu of the %zu choices given",
			ex_replay_followed(), len);
	vh_diag("%s: replayed %zu choices, %lu steps", s->name, ex.nr_choices,
		ex.steps);
	return failed;
}
