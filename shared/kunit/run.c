// SPDX-License-Identifier: GPL-2.0
/*
 * Running tests: each in its own harness thread, under the watchdog and
 * the deadlock verdict, one table after another as KTAP, in this process
 * or in worker processes (parallel.c).
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

/* Running one test in its own thread under the watchdog. */
static pthread_mutex_t vh_done_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t vh_done_cond = PTHREAD_COND_INITIALIZER;
static bool vh_done;

static void vh_test_body(void *arg)
{
	struct vh_test *t = arg;

	t->body(t->row);
}

static void vh_test_thread(void *arg)
{
	struct vh_test *t = arg;

	/* Per thread, so new here whatever the previous test left. */
	vh_relaxed_lock_asserts = false;
	vh_relaxed_lock_assert_count = 0;
	vh_deferred_reset();
	/* The row's reason, printed last (after a failure, or with -v). */
	vh_why_row(t->why);
	if (!vh_catch(vh_test_body, t)) {
		/*
		 * An assertion ended the body: what the task holds by the
		 * environment's record (a lock, an RCU read-side section)
		 * is reported and released as at a task's exit, so that
		 * the clean-up below does not wait on it.
		 */
		vh_lockdep_task_exit(current);
	}
	vh_run_deferred();
}

static void vh_test_done(void)
{
	pthread_mutex_lock(&vh_done_lock);
	vh_done = true;
	pthread_cond_signal(&vh_done_cond);
	pthread_mutex_unlock(&vh_done_lock);
}

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
		vh_test_mark_failed();
		vh_diag_report("DEADLOCK: every task of the test is blocked and none can be woken:",
			       report);
	} else if (dl == VH_DL_GAVE_UP && vh_verbose) {
		vh_diag_report("every task of the test is blocked; vh_wait_blocked() gives up:",
			       report);
	}
	free(report);
	return dl;
}

bool vh_durations;	/* --durations */

/* The test that runs now, for the rooms above (vh_current_test()). */
static struct vh_test *vh_running;

const char *vh_current_test(void)
{
	struct vh_test *t = __atomic_load_n(&vh_running, __ATOMIC_ACQUIRE);

	return t ? t->name : NULL;
}

static enum vh_result vh_run_one_timed(struct vh_test *t);

/* With --durations, each test's wall time as a diagnostic. */
enum vh_result vh_run_one(struct vh_test *t)
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

	vh_test_begin(t->name);
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
	return vh_test_failed() ? VH_FAILED : VH_PASS;
}

/* The test run: every selected test, one table after another, as KTAP. */
int vh_run_tests(bool selected, bool summary)
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

unsigned long vh_jobs;

bool vh_parallel(bool selected)
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

int vh_run_parallel(void)
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

