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
#include "../env/report.h"
#include "test.h"
#include "ktap.h"
#include "mode.h"
#include "../env/env.h"
#include "../env/deadlock.h"
#include "parallel.h"
#include "../env/room.h"

VH_ROOM(kunit, "env",
	"the test runner and its API: tables, assertions, deferred clean-up, threads, breakpoints, KTAP, workers (-j), run modes' registry");

#ifndef VH_KTREE
#define VH_KTREE "?"
#endif
#ifndef VH_KVERSION
#define VH_KVERSION "?"
#endif

struct vh_test {
	char *name;		/* "<table>.<desc>" */
	const char *table;
	const char *file;	/* the table's source file */
	const char *desc;
	const char *rule;
	const void *row;
	vh_body_t body;
	const char *skip;
	bool selected;
};

static struct vh_test *vh_tests;
static size_t vh_nr_tests, vh_cap_tests;

static void vh_apply_needs(struct vh_test *t);

void vh_register_table(const char *file, const char *name, const char *rule,
		       const void *rows, size_t nr_rows, size_t row_size,
		       size_t desc_offset, vh_body_t body, const char *skip)
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
		t->table = name;
		t->file = file;
		t->desc = desc;
		t->rule = rule;
		t->row = row;
		t->body = body;
		t->skip = skip;
		t->selected = false;
		vh_apply_needs(t);
	}
}

/*
 * What tests need of the configuration (VH_NEEDS_CONFIG()): a test whose
 * name matches a need's glob is skipped, with the reason, when the build
 * lacks the symbol.  Needs and tables register in any order.
 */
struct vh_need {
	const char *glob;
	const char *sym;
};
static struct vh_need *vh_needs;
static size_t vh_nr_needs;

static void vh_apply_needs(struct vh_test *t)
{
	size_t i;

	for (i = 0; i < vh_nr_needs && !t->skip; i++)
		if (!fnmatch(vh_needs[i].glob, t->name, 0))
			t->skip = vh_config_needs(vh_needs[i].sym);
}

void vh_register_need(const char *glob, const char *sym)
{
	size_t i;

	vh_needs = realloc(vh_needs, (vh_nr_needs + 1) * sizeof(*vh_needs));
	if (!vh_needs)
		abort();
	vh_needs[vh_nr_needs++] = (struct vh_need){ glob, sym };
	for (i = 0; i < vh_nr_tests; i++)
		vh_apply_needs(&vh_tests[i]);
}

/* State of the running test, shared by all of its threads. */
static pthread_mutex_t vh_state_lock = PTHREAD_MUTEX_INITIALIZER;
static bool vh_failed;
static int vh_expect_depth;
static int vh_expected_warns;
static const char *vh_expect_what;
static unsigned long vh_run_seed, vh_rand_state;
static void (*vh_failure_hook)(void);
static bool vh_abandoned_threads;

struct vh_run_opts vh_opts = {
	.threads = 4,
	.seconds = 10,
	.timeout_s = 30,
	.tree = VH_KTREE " (Linux " VH_KVERSION ")",
};

void vh_on_failure(void (*fn)(void))
{
	vh_failure_hook = fn;
}

void vh_abandon(void)
{
	vh_abandoned_threads = true;
}

bool vh_abandoned(void)
{
	return vh_abandoned_threads;
}

static void vh_vdiag(const char *prefix, const char *fmt, va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	vh_ktap_diag("%s%s", prefix, buf);
}

static void vh_runner_diag(const char *fmt, va_list ap)
{
	vh_vdiag("", fmt, ap);
}

/*
 * Is a report expected?  Only inside vh_expect_warn_begin(what), and only if
 * its text names @what (alternatives separated by '|').  Called with
 * vh_state_lock held; counts it.
 */
static bool vh_expected_locked(const char *text)
{
	const char *p, *bar;
	char alt[256];

	if (vh_expect_depth <= 0 || !vh_expect_what)
		return false;
	for (p = vh_expect_what; *p; p = *bar ? bar + 1 : bar) {
		bar = strchrnul(p, '|');
		snprintf(alt, sizeof(alt), "%.*s", (int)(bar - p), p);
		if (*alt && strstr(text, alt)) {
			vh_expected_warns++;
			return true;
		}
	}
	return false;
}

/* Count a report: expected, or a failure of the running test. */
static bool vh_account(const char *text)
{
	bool expected;

	pthread_mutex_lock(&vh_state_lock);
	expected = vh_expected_locked(text);
	if (!expected)
		vh_failed = true;
	pthread_mutex_unlock(&vh_state_lock);
	if (!expected && vh_failure_hook)
		vh_failure_hook();
	return expected;
}

static void vh_runner_report(const char *kind, const char *file, int line,
			     const char *fmt, va_list ap)
{
	char msg[768], text[1024];
	bool expected;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = 0;
	snprintf(text, sizeof(text), "%s at %s:%d: %s", kind, file, line, msg);
	expected = vh_account(text);
	if (expected && !vh_verbose)
		return;
	vh_diag("%s%s", expected ? "expected " : "", text);
	if (vh_verbose > 1)
		vh_dump_stack();
}

static void vh_runner_splat(const char *text, bool stack)
{
	const char *p = text, *nl;
	bool expected = vh_account(text);

	if (expected && !vh_verbose)
		return;
	for (; *p; p = nl + 1) {
		nl = strchrnul(p, '\n');
		vh_diag("%s%.*s", p == text && expected ? "expected " : "",
			(int)(nl - p), p);
		if (!*nl)
			break;
	}
	if (stack && (!expected || vh_verbose > 1))
		vh_dump_stack();
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
	if (vh_failure_hook)
		vh_failure_hook();
	vh_diag("ASSERTION FAILED at %s:%d: %s", file, line, msg);
}

void vh_test_reset(void)
{
	pthread_mutex_lock(&vh_state_lock);
	vh_failed = false;
	vh_expect_depth = 0;
	vh_expect_what = NULL;
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

/* After a BUG(): the kernel would oops this task; end this thread. */
static void vh_runner_oops(void)
{
	vh_thread_exit_current();
}

void vh_expect_warn_begin(const char *what)
{
	pthread_mutex_lock(&vh_state_lock);
	if (!vh_expect_depth++)
		vh_expected_warns = 0;
	vh_expect_what = what;
	pthread_mutex_unlock(&vh_state_lock);
}

static bool vh_runner_warn_expected(void)
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
	if (!--vh_expect_depth)
		vh_expect_what = NULL;
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
	unsigned long long h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return (unsigned long)h;
}

/* Running one test in its own thread under the watchdog. */
static pthread_mutex_t vh_done_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t vh_done_cond = PTHREAD_COND_INITIALIZER;
static bool vh_done;

/* Clean-up actions of the running test (vh_defer()), last first. */
#define VH_MAX_DEFERRED	32
static struct {
	void (*fn)(void *arg);
	void *arg;
} vh_deferred[VH_MAX_DEFERRED];
static int vh_nr_deferred;

void vh_defer(void (*fn)(void *arg), void *arg)
{
	pthread_mutex_lock(&vh_state_lock);
	if (vh_nr_deferred == VH_MAX_DEFERRED) {
		pthread_mutex_unlock(&vh_state_lock);
		vh_fail(__FILE__, __LINE__, "more than %d vh_defer() actions",
			VH_MAX_DEFERRED);
		fn(arg);
		return;
	}
	vh_deferred[vh_nr_deferred].fn = fn;
	vh_deferred[vh_nr_deferred].arg = arg;
	vh_nr_deferred++;
	pthread_mutex_unlock(&vh_state_lock);
}

static void vh_run_deferred(void)
{
	void (*fn)(void *arg);
	void *arg;

	for (;;) {
		pthread_mutex_lock(&vh_state_lock);
		if (!vh_nr_deferred) {
			pthread_mutex_unlock(&vh_state_lock);
			return;
		}
		vh_nr_deferred--;
		fn = vh_deferred[vh_nr_deferred].fn;
		arg = vh_deferred[vh_nr_deferred].arg;
		pthread_mutex_unlock(&vh_state_lock);
		fn(arg);
	}
}

static void vh_test_thread(void *arg)
{
	struct vh_test *t = arg;

	/* Per thread, so new here whatever the previous test left. */
	vh_relaxed_lock_asserts = false;
	vh_relaxed_lock_assert_count = 0;
	vh_nr_deferred = 0;
	t->body(t->row);
	vh_run_deferred();
}

static void vh_test_done(void)
{
	pthread_mutex_lock(&vh_done_lock);
	vh_done = true;
	pthread_cond_signal(&vh_done_cond);
	pthread_mutex_unlock(&vh_done_lock);
}

/*
 * HANG: the watchdog fired (a livelock, or a wait the deadlock detection
 * does not see); STUCK: every task of the test is blocked for good.  Either
 * way tasks stay behind in kernel code, holding what they hold.
 */
enum vh_result { VH_PASS, VH_FAIL, VH_HANG, VH_STUCK, VH_SKIP };

/* Each line of @report as a diagnostic, indented under @head. */
static void vh_diag_report(const char *head, const char *report)
{
	const char *p = report, *nl;

	vh_diag("%s", head);
	for (; p && *p; p = nl + 1) {
		nl = strchrnul(p, '\n');
		vh_diag("  %.*s", (int)(nl - p), p);
		if (!*nl)
			break;
	}
}

/* Every task of the test is blocked: fail it, or let a harness wait end. */
static enum vh_deadlock vh_check_deadlock(void)
{
	enum vh_deadlock dl;
	char *report;

	dl = vh_deadlock_check(&report);
	if (dl == VH_DL_STUCK) {
		pthread_mutex_lock(&vh_state_lock);
		vh_failed = true;
		pthread_mutex_unlock(&vh_state_lock);
		vh_diag_report("DEADLOCK: every task of the test is blocked and none can be woken:",
			       report);
	} else if (dl == VH_DL_GAVE_UP && vh_verbose) {
		vh_diag_report("every task of the test is blocked; vh_wait_blocked() gives up:",
			       report);
	}
	free(report);
	return dl;
}

static bool vh_durations;	/* --durations */

/* The test that runs now, for the rooms above (vh_current_test()). */
static struct vh_test *vh_running;

const char *vh_current_test(void)
{
	struct vh_test *t = __atomic_load_n(&vh_running, __ATOMIC_ACQUIRE);

	return t ? t->name : NULL;
}

/* Tables of the rooms above: with --list -v, and after a run. */
static void (*vh_summary_list)(void);
static void (*vh_summary_after)(void);

void vh_register_summary(void (*list)(void), void (*after)(void))
{
	vh_summary_list = list;
	vh_summary_after = after;
}

static enum vh_result vh_run_one_timed(struct vh_test *t);

/* With --durations, each test's wall time as a diagnostic. */
static enum vh_result vh_run_one(struct vh_test *t)
{
	struct timespec a, b;
	enum vh_result r;

	clock_gettime(CLOCK_MONOTONIC, &a);
	r = vh_run_one_timed(t);
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (vh_durations)
		vh_diag("duration: %.3fs", (b.tv_sec - a.tv_sec) +
			(b.tv_nsec - a.tv_nsec) / 1e9);
	return r;
}

static enum vh_result vh_run_one_timed(struct vh_test *t)
{
	struct timespec start, now, slice;
	struct vh_thread *th;

	vh_failed = false;
	vh_expect_depth = 0;
	vh_expect_what = NULL;
	vh_rand_state = (vh_run_seed ^ vh_hash(t->name)) | 1;
	vh_done = false;
	vh_deadlock_new_test();
	__atomic_store_n(&vh_running, t, __ATOMIC_RELEASE);
	th = vh_thread_start_notify(vh_test_thread, t, vh_test_done);

	/* Wait, looking for a deadlock every few milliseconds. */
	clock_gettime(CLOCK_MONOTONIC, &start);
	pthread_mutex_lock(&vh_done_lock);
	while (!vh_done) {
		clock_gettime(CLOCK_REALTIME, &slice);
		slice.tv_nsec += 5 * 1000 * 1000;
		if (slice.tv_nsec >= 1000000000) {
			slice.tv_sec++;
			slice.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&vh_done_cond, &vh_done_lock, &slice);
		if (vh_done)
			break;
		pthread_mutex_unlock(&vh_done_lock);
		if (vh_check_deadlock() == VH_DL_STUCK) {
			vh_thread_abandon(th);
			return VH_STUCK;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= (time_t)vh_opts.timeout_s) {
			vh_diag("watchdog: %s still running after %us (a livelock, or a hang outside the environment's waits)",
				t->name, vh_opts.timeout_s);
			vh_thread_abandon(th);
			return VH_HANG;
		}
		pthread_mutex_lock(&vh_done_lock);
	}
	pthread_mutex_unlock(&vh_done_lock);
	vh_thread_join(th);
	return vh_test_failed() ? VH_FAIL : VH_PASS;
}

/* Run modes (shared/kunit/mode.h), in the order they registered. */
#define VH_MAX_MODES	8
static const struct vh_mode *vh_modes[VH_MAX_MODES];
static int vh_nr_modes;

void vh_register_mode(const struct vh_mode *mode)
{
	if (vh_nr_modes == VH_MAX_MODES)
		abort();
	vh_modes[vh_nr_modes++] = mode;
}

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

/* The test run: every selected test, one table after another, as KTAP. */
static int vh_run_tests(bool selected, bool summary)
{
	int nr_tables = 0, ret, hung = 0;
	char *stuck = NULL;
	size_t i, k;

	for (i = 0; i < vh_nr_tests; i++)
		vh_tests[i].selected |= !selected;
	for (i = 0; i < vh_nr_tests; i = k) {
		bool any = false;

		for (k = i; k < vh_nr_tests &&
		     vh_tests[k].table == vh_tests[i].table; k++)
			any |= vh_tests[k].selected;
		nr_tables += any;
	}
	vh_ktap_begin(nr_tables);
	for (i = 0; i < vh_nr_tests; i = k) {
		int n = 0;

		for (k = i; k < vh_nr_tests &&
		     vh_tests[k].table == vh_tests[i].table; k++)
			n += vh_tests[k].selected;
		if (!n)
			continue;
		vh_ktap_suite_begin(vh_tests[i].table, n);
		if (vh_verbose)
			vh_diag("rule: %s", vh_tests[i].rule);
		for (; i < k; i++) {
			struct vh_test *t = &vh_tests[i];
			enum vh_result r;

			if (!t->selected)
				continue;
			if (t->skip || stuck) {
				vh_ktap_result(VH_KTAP_SKIP, t->desc,
					       t->skip ?: stuck);
				continue;
			}
			r = vh_run_one(t);
			if (r != VH_PASS)
				vh_diag("reproduce: ./vma -t %s --seed %lu",
					t->name, vh_run_seed);
			vh_ktap_result(r == VH_PASS ? VH_KTAP_PASS : VH_KTAP_FAIL,
				       t->desc, r == VH_HANG ? "TIMEOUT" : NULL);
			/*
			 * Its tasks stay blocked in kernel code, holding
			 * locks, RCU read-side sections, references: later
			 * tests would wait on them.  They are not run.
			 */
			if ((r == VH_HANG || r == VH_STUCK) && !stuck &&
			    asprintf(&stuck, "not run: tasks of %s are stuck in kernel code",
				     t->name) < 0)
				abort();
			hung += r == VH_HANG || r == VH_STUCK;
		}
		vh_ktap_suite_end();
	}
	__atomic_store_n(&vh_running, NULL, __ATOMIC_RELEASE);
	if ((summary || vh_verbose) && vh_summary_after)
		vh_summary_after();
	ret = vh_ktap_end();
	/* Hung threads cannot be joined; aborted explorer runs are left. */
	if (hung || vh_abandoned())
		_exit(ret);
	return ret;
}

/*
 * The test run in worker processes (-j, parallel.h): the same tests, the
 * same per-test seeds and the same KTAP, in the same order; a test that
 * leaves tasks stuck only costs its worker.
 */
static struct vh_test **vh_sel;
static int vh_nr_sel, vh_worker_status;

static unsigned long vh_jobs;

static bool vh_parallel(bool selected)
{
	size_t i;
	int runnable = 0;

	if (!vh_jobs) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		vh_jobs = cpus > 0 ? (cpus < 64 ? cpus : 64) : 1;
	}
	vh_sel = calloc(vh_nr_tests + 1, sizeof(*vh_sel));
	if (!vh_sel)
		abort();
	for (i = 0; i < vh_nr_tests; i++) {
		if (selected && !vh_tests[i].selected)
			continue;
		vh_sel[vh_nr_sel++] = &vh_tests[i];
		runnable += !vh_tests[i].skip;
	}
	return vh_jobs > 1 && runnable > 1;
}

static void vh_worker_init(void)
{
	rcu_register_thread();
	vh_env_init();
}

static int vh_worker_run(int i)
{
	if (vh_sel[i]->skip)
		return VH_SKIP;
	vh_test_reset();
	return vh_run_one(vh_sel[i]);
}

static bool vh_worker_fatal(int r)
{
	return r == VH_HANG || r == VH_STUCK || vh_abandoned();
}

static int vh_worker_exit(void)
{
	vh_thread_pool_drain();
	vh_env_exit();
	rcu_unregister_thread();
	return 0;
}

/*
 * What a worker printed, as diagnostics at the current level: its own
 * diagnostics ("# ...", indented to whatever level the worker thought it
 * was at) and anything else (a sanitizer's report, messages on stderr).
 */
static void vh_print_output(const char *out)
{
	const char *p, *nl, *q;

	for (p = out; *p; p = nl + 1) {
		nl = strchrnul(p, '\n');
		for (q = p; q + 4 <= nl && !strncmp(q, "    ", 4); q += 4)
			;
		if (q + 2 <= nl && q[0] == '#' && q[1] == ' ')
			p = q + 2;
		if (nl > p)
			vh_ktap_diag("%.*s", (int)(nl - p), p);
		if (!*nl)
			break;
	}
}

/*
 * Tasks stuck in kernel code cost a worker each, and their reports (stacks)
 * take a while: after a few, the tests not started yet are not run.
 */
#define VH_MAX_STUCK	3
static int vh_nr_stuck;
static char *vh_stuck_why;

static bool vh_job_stop(int i, int r)
{
	if (r != VH_HANG && r != VH_STUCK && r != -1)
		return false;
	if (++vh_nr_stuck < VH_MAX_STUCK)
		return false;
	if (asprintf(&vh_stuck_why, "not run: %d tests left tasks stuck in kernel code or crashed (the last: %s)",
		     vh_nr_stuck, vh_sel[i]->name) < 0)
		abort();
	return true;
}

static void vh_job_done(int i, int r, const char *out, const char *why)
{
	struct vh_test *t = vh_sel[i];
	int n = 0, k;

	if (!i || vh_sel[i - 1]->table != t->table) {
		for (k = i; k < vh_nr_sel && vh_sel[k]->table == t->table; k++)
			n++;
		vh_ktap_suite_begin(t->table, n);
		if (vh_verbose)
			vh_diag("rule: %s", t->rule);
	}
	vh_print_output(out);
	if (why)
		vh_diag("%s", why);
	if (r == VH_SKIP || r == -2) {
		vh_ktap_result(VH_KTAP_SKIP, t->desc,
			       r == VH_SKIP ? t->skip : vh_stuck_why);
	} else {
		if (r != VH_PASS)
			vh_diag("reproduce: ./vma -t %s --seed %lu", t->name,
				vh_run_seed);
		vh_ktap_result(r == VH_PASS ? VH_KTAP_PASS : VH_KTAP_FAIL,
			       t->desc, r == VH_HANG ? "TIMEOUT" : NULL);
	}
	if (i + 1 == vh_nr_sel || vh_sel[i + 1]->table != t->table)
		vh_ktap_suite_end();
}

static void vh_worker_ended(int status, const char *out)
{
	vh_print_output(out);
	if (status) {
		vh_diag("a worker process ended with status %d (a sanitizer or Valgrind report above?)",
			status);
		vh_worker_status = vh_worker_status ?: status;
	}
}

static const struct vh_par_ops vh_par_ops = {
	.worker_init = vh_worker_init,
	.run = vh_worker_run,
	.fatal = vh_worker_fatal,
	.worker_exit = vh_worker_exit,
	.stop = vh_job_stop,
	.done = vh_job_done,
	.worker_ended = vh_worker_ended,
};

static int vh_run_parallel(void)
{
	int nr_tables = 0, ret, i;

	for (i = 0; i < vh_nr_sel; i++)
		nr_tables += !i || vh_sel[i - 1]->table != vh_sel[i]->table;
	vh_ktap_begin(nr_tables);
	vh_par_run(vh_nr_sel, vh_jobs, &vh_par_ops);
	ret = vh_ktap_end();
	/* The workers were checked; nothing here is worth a leak scan. */
	fflush(stdout);
	_exit(ret ?: vh_worker_status);
}

/* The file @path names, from its room's directory on (tests/x.c). */
static const char *vh_repo_path(const char *path)
{
	const char *p = strstr(path, "/tests/");

	if (!p)
		p = strstr(path, "/shared/");
	return p ? p + 1 : path;
}

/*
 * ./vma --list -v: the rooms of the harness, top down, as they declared
 * themselves (VH_ROOM()), each with the rooms it may use, then the tests
 * room: the tables and their files.
 */
static void vh_list_rooms(void)
{
	const struct vh_room *rooms[16];
	size_t n = vh_rooms(rooms, sizeof(rooms) / sizeof(rooms[0])), i, t;
	const char *prev = NULL;

	printf("# rooms, top down; each uses only the rooms it names:\n");
	printf("#   tests/ (uses every room of shared/ but modes): the tables:");
	for (t = 0; t < vh_nr_tests; t++) {
		if (prev && !strcmp(prev, vh_tests[t].table))
			continue;
		prev = vh_tests[t].table;
		printf(" %s (%s)", prev, vh_repo_path(vh_tests[t].file));
	}
	printf("\n");
	for (i = 0; i < n; i++)
		printf("#   shared/%s/ (uses %s): %s\n", rooms[i]->name,
		       *rooms[i]->uses ? rooms[i]->uses : "nothing",
		       rooms[i]->what);
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

static const struct vh_report_ops vh_runner_report_ops = {
	.report = vh_runner_report,
	.splat = vh_runner_splat,
	.diag = vh_runner_diag,
	.warn_expected = vh_runner_warn_expected,
	.oops = vh_runner_oops,
};

static void __attribute__((constructor)) vh_runner_init(void)
{
	vh_report_register(&vh_runner_report_ops);
}
