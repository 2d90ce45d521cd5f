// SPDX-License-Identifier: GPL-2.0
/*
 * ./vma's command line: options, usage, and what it runs.
 */
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
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
#include "test.h"
#include "ktap.h"
#include "mode.h"
#include "runner.h"
#include "../env/env.h"
#include "../env/deadlock.h"
#include "parallel.h"
#include "../env/room.h"
#include "../env/lockdep.h"

VH_ROOM(kunit, "env",
	"the test runner and its API: tables, assertions, deferred clean-up, threads, breakpoints, KTAP, workers (-j), run modes' registry");

#ifndef VH_KTREE
#define VH_KTREE "?"
#endif
#ifndef VH_KVERSION
#define VH_KVERSION "?"
#endif

struct vh_run_opts vh_opts = {
	.threads = 4,
	.seconds = 10,
	.timeout_s = 30,
	.tree = VH_KTREE " (Linux " VH_KVERSION ")",
};

static void vh_usage(FILE *f)
{
	int i;

	fprintf(f,
"usage: vma [options]\n"
"  -t, --test PATTERN   run the tests whose name matches the glob PATTERN\n"
"                       (repeatable; comma-separated lists work too)\n"
"  -l, --list           list the tests (with -v, the rule each checks, and\n"
"                       the vma_start_write() call sites each row drives)\n"
"      --sites          after the run, the vma_start_write() call sites of\n"
"                       mm/vma.c and the tests that reached each\n"
"  -s, --seed N         seed for randomised tests (default: time)\n"
"  -v, --verbose        print diagnostics of passing tests too\n"
"      --timeout S      per-test watchdog in seconds (default 30)\n"
"      --durations      print each test's wall time (# duration: S)\n"
"  -j, --jobs N         run tests in N worker processes (default: the number\n"
"                       of CPUs; 1: all in this process)\n"
"      --threads N      threads of --torture and --bench (default 4)\n"
"      --seconds S      duration of --torture and --bench (default 10)\n");
	for (i = 0; i < vh_nr_modes; i++)
		fputs(vh_modes[i]->usage, f);
	fprintf(f, "  -h, --help           this text\n");
}

/* getopt values of the runner's own options, and of the mode flags. */
enum { VH_OPT_TIMEOUT = 256, VH_OPT_THREADS, VH_OPT_SECONDS, VH_OPT_DURATIONS,
       VH_OPT_SITES, VH_OPT_MODE };

static const struct option vh_options[] = {
	{ "test", required_argument, NULL, 't' },
	{ "list", no_argument, NULL, 'l' },
	{ "seed", required_argument, NULL, 's' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "timeout", required_argument, NULL, VH_OPT_TIMEOUT },
	{ "jobs", required_argument, NULL, 'j' },
	{ "durations", no_argument, NULL, VH_OPT_DURATIONS },
	{ "threads", required_argument, NULL, VH_OPT_THREADS },
	{ "seconds", required_argument, NULL, VH_OPT_SECONDS },
	{ "sites", no_argument, NULL, VH_OPT_SITES },
	{ "help", no_argument, NULL, 'h' },
};

#define VH_MAX_OPTIONS	64
static struct option vh_all_options[VH_MAX_OPTIONS];
static const struct vh_mode *vh_option_mode[VH_MAX_OPTIONS];

/* The runner's options, then each mode's flag and options: one table. */
static void vh_build_options(void)
{
	size_t n = 0, i, k;
	int m;

	for (i = 0; i < sizeof(vh_options) / sizeof(vh_options[0]); i++)
		vh_all_options[n++] = vh_options[i];
	for (m = 0; m < vh_nr_modes; m++) {
		const struct option *o = vh_modes[m]->options;

		vh_all_options[n++] = (struct option){ vh_modes[m]->name,
			no_argument, NULL, VH_OPT_MODE + m };
		for (; o && o->name; o++) {
			for (k = 0; k < n; k++)
				if (vh_all_options[k].val == o->val)
					abort();	/* clashing modes */
			vh_option_mode[n] = vh_modes[m];
			vh_all_options[n++] = *o;
		}
	}
	vh_all_options[n] = (struct option){ };
}

static const struct vh_mode *vh_mode_of(int c)
{
	size_t k;

	for (k = 0; vh_all_options[k].name; k++)
		if (vh_all_options[k].val == c)
			return vh_option_mode[k];
	return NULL;
}

static bool vh_number(const char *arg, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(arg, &end, 0);
	if (errno || *end || !*arg) {
		fprintf(stderr, "vma: option needs a number: '%s'\n", arg);
		return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	const struct vh_mode *mode = NULL, *used = NULL;
	const char *used_opt = NULL;
	bool list = false, selected = false, summary = false;
	unsigned long v;
	int c, ret, idx = -1;
	size_t i;

	vh_run_seed = (unsigned long)time(NULL);
	vh_build_options();
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":t:ls:vhj:", vh_all_options,
				&idx)) != -1) {
		switch (c) {
		case 't':
			selected |= vh_select(optarg);
			break;
		case 'l':
			list = true;
			break;
		case 's':
			if (!vh_number(optarg, &vh_run_seed))
				return 2;
			break;
		case VH_OPT_TIMEOUT:
		case VH_OPT_THREADS:
		case VH_OPT_SECONDS:
			if (!vh_number(optarg, &v))
				return 2;
			if (c == VH_OPT_TIMEOUT)
				vh_opts.timeout_s = v;
			else if (c == VH_OPT_THREADS)
				vh_opts.threads = v;
			else
				vh_opts.seconds = v;
			vh_opts.seconds_set |= c == VH_OPT_SECONDS;
			break;
		case 'j':
			if (!vh_number(optarg, &v))
				return 2;
			if (!v || v > 64) {
				fprintf(stderr, "vma: --jobs needs a number from 1 to 64\n");
				return 2;
			}
			vh_jobs = v;
			break;
		case VH_OPT_DURATIONS:
			vh_durations = true;
			break;
		case 'v':
			vh_verbose++;
			break;
		case VH_OPT_SITES:
			summary = true;
			break;
		case 'h':
			vh_usage(stdout);
			return 0;
		case ':':
			fprintf(stderr, "vma: option '%s' needs an argument (try --help)\n",
				argv[optind - 1]);
			return 2;
		case '?':
			fprintf(stderr, "vma: unknown option '%s' (try --help)\n",
				argv[optind - 1]);
			return 2;
		default:
			if (c >= VH_OPT_MODE && c < VH_OPT_MODE + vh_nr_modes) {
				if (mode && mode != vh_modes[c - VH_OPT_MODE]) {
					fprintf(stderr, "vma: --%s and --%s cannot be combined\n",
						mode->name,
						vh_modes[c - VH_OPT_MODE]->name);
					return 2;
				}
				mode = vh_modes[c - VH_OPT_MODE];
				break;
			}
			used = vh_mode_of(c);
			used_opt = vh_all_options[idx].name;
			if (!used || used->option(c, optarg))
				return 2;
			break;
		}
	}
	if (used && used != mode) {
		fprintf(stderr, "vma: option '--%s' needs --%s\n", used_opt,
			used->name);
		return 2;
	}
	if (optind < argc && !mode) {
		fprintf(stderr, "vma: unexpected argument '%s' (try --help)\n",
			argv[optind]);
		return 2;
	}

	if (list) {
		if (vh_verbose)
			vh_list_rooms();
		for (i = 0; i < vh_nr_tests; i++) {
			if (selected && !vh_tests[i].selected)
				continue;
			if (vh_verbose)
				printf("%s\t%s\n", vh_tests[i].name,
				       vh_tests[i].rule);
			else
				printf("%s\n", vh_tests[i].name);
		}
		if (vh_verbose && vh_summary_list)
			vh_summary_list();
		fflush(stdout);
		return 0;
	}

	/*
	 * Workers bring the environment up themselves.  --sites needs every
	 * test in this process (the sites each reached are counted here).
	 */
	vh_ktap_setup(vh_opts.tree, vh_run_seed);
	if (!mode && !summary && vh_parallel(selected))
		return vh_run_parallel();
	rcu_register_thread();
	vh_env_init();
	if (mode)
		return mode->run(argv + optind, argc - optind);
	ret = vh_run_tests(selected, summary);
	vh_thread_pool_drain();
	vh_env_exit();
	rcu_unregister_thread();
	return ret;
}

