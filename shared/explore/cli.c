// SPDX-License-Identifier: GPL-2.0
/*
 * ./vma --explore [PATTERN...]: the explorer's mode, its options, and
 * --replay.
 */
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../env/kcsan.h"
#include "../kunit/ktap.h"
#include "../kunit/mode.h"
#include "../kunit/test.h"
#include "internal.h"

/* The budget of ./vma --explore with neither --schedules nor --seconds. */
#define EX_DEFAULT_RUNS		2000

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
/* The schedule given with --replay. */
static unsigned char *ex_replay;
static size_t ex_replay_len;

static int ex_replay_main(const struct ex_scenario *s,
			  const struct vh_explore_opts *o)
{
	bool failed = ex_replay_once(s, o, ex_replay, ex_replay_len);

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
		digest += r.digest;	/* as the shards' digests add up */
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

static void __attribute__((constructor)) ex_cli_init(void)
{
	vh_explore_opts_init(&ex_opts, 0);
}
