// SPDX-License-Identifier: GPL-2.0
/*
 * The test runner: registry, KTAP output, per-test watchdog, WARN/BUG
 * accounting and the command line of ./vma.
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
#include "harness.h"
#include "test.h"
#include "modes.h"
#include "explore.h"

#ifndef VH_KTREE
#define VH_KTREE "?"
#endif
#ifndef VH_KVERSION
#define VH_KVERSION "?"
#endif

struct vh_test {
	char *name;
	const char *rule;
	const void *row;
	vh_body_t body;
	const char *skip;
	bool selected;
};

static struct vh_test *vh_tests;
static size_t vh_nr_tests, vh_cap_tests;

void vh_register_table(const char *name, const char *rule, const void *rows,
		       size_t nr_rows, size_t row_size, size_t desc_offset,
		       vh_body_t body, const char *skip)
{
	size_t i;

	for (i = 0; i < nr_rows; i++) {
		const char *row = (const char *)rows + i * row_size;
		const char *desc = *(const char * const *)(row + desc_offset);
		struct vh_test *t;

		if (vh_nr_tests == vh_cap_tests) {
			vh_cap_tests = vh_cap_tests ? 2 * vh_cap_tests : 64;
			vh_tests = realloc(vh_tests,
					   vh_cap_tests * sizeof(*vh_tests));
			if (!vh_tests)
				abort();
		}
		t = &vh_tests[vh_nr_tests++];
		if (asprintf(&t->name, "%s.%s", name, desc) < 0)
			abort();
		t->rule = rule;
		t->row = row;
		t->body = body;
		t->skip = skip;
		t->selected = false;
	}
}

/* State of the running test, shared by all of its threads. */
static pthread_mutex_t vh_state_lock = PTHREAD_MUTEX_INITIALIZER;
static bool vh_failed;
static int vh_expect_depth;
static int vh_expected_warns;
static unsigned long vh_run_seed, vh_rand_state;
int vh_verbose;

static void vh_vdiag(const char *prefix, const char *fmt, va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	pthread_mutex_lock(&vh_state_lock);
	printf("    # %s%s\n", prefix, buf);
	fflush(stdout);
	pthread_mutex_unlock(&vh_state_lock);
}

void vh_diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vh_vdiag("", fmt, ap);
	va_end(ap);
}

/* Provided by the sanitizer runtimes; absent otherwise. */
void __sanitizer_print_stack_trace(void) __attribute__((weak));

void vh_report(const char *kind, const char *file, int line,
	       const char *fmt, ...)
{
	char msg[768], where[256];
	va_list ap;
	bool expected;

	pthread_mutex_lock(&vh_state_lock);
	expected = vh_expect_depth > 0;
	if (expected)
		vh_expected_warns++;
	else
		vh_failed = true;
	pthread_mutex_unlock(&vh_state_lock);
	if (!expected)
		vh_explore_note_failure();
	if (expected && !vh_verbose)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	msg[strcspn(msg, "\n")] = 0;
	snprintf(where, sizeof(where), "%s%s at %s:%d: ",
		 expected ? "expected " : "", kind, file, line);
	vh_diag("%s%s", where, msg);
	if (vh_verbose > 1 && __sanitizer_print_stack_trace)
		__sanitizer_print_stack_trace();
}

void vh_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&vh_state_lock);
	vh_failed = true;
	pthread_mutex_unlock(&vh_state_lock);
	vh_explore_note_failure();
	vh_diag("ASSERTION FAILED at %s:%d: %s", file, line, msg);
}

void vh_test_reset(void)
{
	pthread_mutex_lock(&vh_state_lock);
	vh_failed = false;
	vh_expect_depth = 0;
	pthread_mutex_unlock(&vh_state_lock);
}

bool vh_test_failed(void)
{
	bool f;

	pthread_mutex_lock(&vh_state_lock);
	f = vh_failed;
	pthread_mutex_unlock(&vh_state_lock);
	return f;
}

void vh_bug(const char *file, int line, const char *cond)
{
	vh_report("BUG", file, line, "%s", cond);
	/* The kernel would oops this task; end this thread. */
	vh_thread_exit_current();
}

void vh_expect_warn_begin(void)
{
	pthread_mutex_lock(&vh_state_lock);
	if (!vh_expect_depth++)
		vh_expected_warns = 0;
	pthread_mutex_unlock(&vh_state_lock);
}

bool vh_warn_expected(void)
{
	bool e;

	pthread_mutex_lock(&vh_state_lock);
	e = vh_expect_depth > 0;
	pthread_mutex_unlock(&vh_state_lock);
	return e;
}

int vh_expect_warn_end(void)
{
	int n;

	pthread_mutex_lock(&vh_state_lock);
	vh_expect_depth--;
	n = vh_expected_warns;
	pthread_mutex_unlock(&vh_state_lock);
	return n;
}

unsigned long vh_seed(void)
{
	return vh_run_seed;
}

/* xorshift64*, reseeded per test from the run seed and the test name. */
unsigned long vh_random(void)
{
	unsigned long x;

	pthread_mutex_lock(&vh_state_lock);
	x = vh_rand_state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	vh_rand_state = x;
	pthread_mutex_unlock(&vh_state_lock);
	return x * 0x2545F4914F6CDD1DUL;
}

static unsigned long vh_hash(const char *s)
{
	unsigned long h = 1469598103934665603UL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211UL;
	return h;
}

/* Running one test in its own thread under the watchdog. */
static pthread_mutex_t vh_done_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t vh_done_cond = PTHREAD_COND_INITIALIZER;
static bool vh_done;
unsigned int vh_timeout_s = 30;

static void vh_test_thread(void *arg)
{
	struct vh_test *t = arg;

	t->body(t->row);
}

static void vh_test_done(void)
{
	pthread_mutex_lock(&vh_done_lock);
	vh_done = true;
	pthread_cond_signal(&vh_done_cond);
	pthread_mutex_unlock(&vh_done_lock);
}

enum vh_result { VH_PASS, VH_FAIL, VH_HANG };

static enum vh_result vh_run_one(struct vh_test *t)
{
	struct timespec deadline;
	struct vh_thread *th;
	int err = 0;

	vh_failed = false;
	vh_expect_depth = 0;
	vh_rand_state = (vh_run_seed ^ vh_hash(t->name)) | 1;
	vh_done = false;
	th = vh_thread_start_notify(vh_test_thread, t, vh_test_done);

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += vh_timeout_s;
	pthread_mutex_lock(&vh_done_lock);
	while (!vh_done && err != ETIMEDOUT)
		err = pthread_cond_timedwait(&vh_done_cond, &vh_done_lock,
					     &deadline);
	pthread_mutex_unlock(&vh_done_lock);
	if (!vh_done) {
		vh_diag("watchdog: %s still running after %us (hang or lost wake-up)",
			t->name, vh_timeout_s);
		vh_thread_abandon(th);
		return VH_HANG;
	}
	vh_thread_join(th);
	return vh_test_failed() ? VH_FAIL : VH_PASS;
}

static void vh_usage(FILE *f)
{
	fprintf(f,
"usage: vma [options]\n"
"  -t, --test PATTERN   run the tests whose name matches the glob PATTERN\n"
"                       (repeatable; comma-separated lists work too)\n"
"  -l, --list           list the tests (with -v, the rule each checks)\n"
"  -s, --seed N         seed for randomised tests (default: time)\n"
"  -v, --verbose        print diagnostics of passing tests too\n"
"      --timeout S      per-test watchdog in seconds (default 30)\n"
"      --torture        free-running stress: see --threads, --seconds\n"
"      --threads N      torture reader threads (default 4)\n"
"      --seconds S      torture duration (default 10); with --explore,\n"
"                       the time budget of each scenario\n"
"      --bench          read-path benchmark (build with make BENCH=1)\n"
"      --explore [PATTERN...]  run the interleaving explorer over the\n"
"                       scenarios matching PATTERN (see --list -t 'explore*')\n"
"      --strategy S     explorer strategy: pct (default) or dfs\n"
"      --depth D        PCT bug depth (default 3)\n"
"      --preemptions N  DFS preemption bound (default 2)\n"
"      --schedules N    schedules per scenario (default 2000 unless --seconds)\n"
"      --shard I/N      explore shard I (0..N-1) of N of a campaign\n"
"      --replay STR     replay one schedule (printed with each failure;\n"
"                       with -v, trace its decisions)\n"
"  -h, --help           this text\n");
}

static bool vh_select(const char *patterns)
{
	char *list = strdup(patterns), *save = NULL, *p;
	bool any = false;
	size_t i;

	for (p = strtok_r(list, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		bool hit = false;

		for (i = 0; i < vh_nr_tests; i++) {
			if (!fnmatch(p, vh_tests[i].name, 0)) {
				vh_tests[i].selected = true;
				hit = true;
			}
		}
		if (!hit) {
			fprintf(stderr, "vma: no test matches '%s' (see ./vma --list)\n",
				p);
			exit(2);
		}
		any = true;
	}
	free(list);
	return any;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "test", required_argument, NULL, 't' },
		{ "list", no_argument, NULL, 'l' },
		{ "seed", required_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "torture", no_argument, NULL, 'X' },
		{ "threads", required_argument, NULL, 'N' },
		{ "seconds", required_argument, NULL, 'S' },
		{ "bench", no_argument, NULL, 'B' },
		{ "explore", no_argument, NULL, 'E' },
		{ "strategy", required_argument, NULL, 'y' },
		{ "depth", required_argument, NULL, 'd' },
		{ "preemptions", required_argument, NULL, 'P' },
		{ "schedules", required_argument, NULL, 'n' },
		{ "shard", required_argument, NULL, 'H' },
		{ "replay", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	bool list = false, selected = false, torture = false, bench = false;
	bool explore = false, seconds_set = false;
	unsigned long threads = 4, seconds = 10;
	struct vh_explore_opts xo;
	int passed = 0, failed = 0, skipped = 0, hung = 0, c, n = 0;
	char *end;
	size_t i;

	vh_run_seed = (unsigned long)time(NULL);
	vh_explore_opts_init(&xo, 0);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":t:ls:vh", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			selected |= vh_select(optarg);
			break;
		case 'l':
			list = true;
			break;
		case 's':
		case 'T':
		case 'N':
		case 'S': {
			unsigned long v;

			errno = 0;
			v = strtoul(optarg, &end, 0);
			if (errno || *end || !*optarg) {
				fprintf(stderr, "vma: option needs a number: '%s'\n",
					optarg);
				return 2;
			}
			if (c == 's')
				vh_run_seed = v;
			else if (c == 'T')
				vh_timeout_s = v;
			else if (c == 'N')
				threads = v;
			else
				seconds = v;
			seconds_set |= c == 'S';
			break;
		}
		case 'E':
			explore = true;
			break;
		case 'y':
		case 'd':
		case 'P':
		case 'n':
		case 'H':
		case 'R':
			if (vh_explore_option(&xo, c, optarg))
				return 2;
			break;
		case 'v':
			vh_verbose++;
			break;
		case 'X':
			torture = true;
			break;
		case 'B':
			bench = true;
			break;
		case 'h':
			vh_usage(stdout);
			return 0;
		case ':':
			fprintf(stderr, "vma: option '%s' needs an argument (try --help)\n",
				argv[optind - 1]);
			return 2;
		default:
			fprintf(stderr, "vma: unknown option '%s' (try --help)\n",
				argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc && !explore) {
		fprintf(stderr, "vma: unexpected argument '%s' (try --help)\n",
			argv[optind]);
		return 2;
	}
	if (xo.set && !explore) {
		fprintf(stderr, "vma: --strategy, --depth, --preemptions, --schedules, --shard and --replay need --explore\n");
		return 2;
	}

	if (list) {
		for (i = 0; i < vh_nr_tests; i++) {
			if (selected && !vh_tests[i].selected)
				continue;
			if (vh_verbose)
				printf("%s\t%s\n", vh_tests[i].name,
				       vh_tests[i].rule);
			else
				printf("%s\n", vh_tests[i].name);
		}
		return 0;
	}

	rcu_register_thread();
	vh_env_init();
	if (torture)
		return vh_torture(threads, seconds);
	if (bench)
		return vh_bench(threads, seconds);
	if (explore) {
		xo.seed = vh_run_seed;
		xo.seconds = seconds_set ? seconds : 0;
		return vh_explore_main(argv + optind, argc - optind, &xo,
				       VH_KTREE " (Linux " VH_KVERSION ")");
	}

	for (i = 0; i < vh_nr_tests; i++)
		if (!selected || vh_tests[i].selected)
			n++;
	printf("KTAP version 1\n");
	printf("# vma: kernel tree %s (Linux %s)\n", VH_KTREE, VH_KVERSION);
	printf("# seed: %lu (replay with --seed %lu)\n", vh_run_seed,
	       vh_run_seed);
	printf("1..%d\n", n);
	fflush(stdout);
	n = 0;
	for (i = 0; i < vh_nr_tests; i++) {
		struct vh_test *t = &vh_tests[i];
		enum vh_result r;

		if (selected && !t->selected)
			continue;
		n++;
		if (t->skip) {
			printf("ok %d %s # SKIP %s\n", n, t->name, t->skip);
			skipped++;
			continue;
		}
		if (vh_verbose)
			vh_diag("rule: %s", t->rule);
		r = vh_run_one(t);
		if (r == VH_PASS) {
			printf("ok %d %s\n", n, t->name);
			passed++;
		} else {
			printf("not ok %d %s%s\n", n, t->name,
			       r == VH_HANG ? " # TIMEOUT" : "");
			failed++;
			hung += r == VH_HANG;
		}
		fflush(stdout);
	}
	vh_env_report();
	printf("vma: %d passed, %d failed, %d skipped\n", passed, failed,
	       skipped);
	fflush(stdout);
	/* Hung threads cannot be joined; aborted explorer runs are left. */
	if (hung || vh_explore_abandoned)
		_exit(failed ? 1 : 0);
	vh_env_exit();
	rcu_unregister_thread();
	return failed ? 1 : 0;
}
