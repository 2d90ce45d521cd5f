// SPDX-License-Identifier: GPL-2.0
/*
 * The state of the running test, shared by its threads: failures
 * (vh_fail()), WARN/BUG reports counted or expected
 * (vh_expect_warn_begin()), the seed and random numbers; and the report
 * hooks the environment calls (shared/env/report.h).
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

/* State of the running test, shared by all of its threads. */
static pthread_mutex_t vh_state_lock = PTHREAD_MUTEX_INITIALIZER;
static bool vh_failed;
/* vh_expect_warn_begin() brackets, innermost last. */
#define VH_MAX_EXPECT	8
static struct {
	const char *what;	/* NULL: expects nothing */
	int count;		/* reports it counted */
	bool maybe;		/* vh_expect_warn_maybe(): none may come */
} vh_expect[VH_MAX_EXPECT];
static int vh_expect_depth;
unsigned long vh_run_seed;
static unsigned long vh_rand_state;
static void (*vh_failure_hook)(void);
static bool vh_abandoned_threads;

static unsigned long vh_hash(const char *s)
{
	unsigned long long h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return (unsigned long)h;
}

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

/* Does @text name @what (alternatives separated by '|')? */
static bool vh_names(const char *text, const char *what)
{
	const char *p, *bar;
	char alt[256];

	for (p = what; p && *p; p = *bar ? bar + 1 : bar) {
		bar = strchrnul(p, '|');
		snprintf(alt, sizeof(alt), "%.*s", (int)(bar - p), p);
		if (*alt && strstr(text, alt))
			return true;
	}
	return false;
}

/*
 * Is a report expected?  Only inside vh_expect_warn_begin(what) brackets,
 * and only if its text names the @what of one; the innermost such bracket
 * counts it.  Called with vh_state_lock held.
 */
static bool vh_expected_locked(const char *text)
{
	int i;

	for (i = vh_expect_depth - 1; i >= 0; i--) {
		if (vh_names(text, vh_expect[i].what)) {
			vh_expect[i].count++;
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
	pthread_mutex_unlock(&vh_state_lock);
}

/* A new test: no failure yet, its random numbers seeded from @name. */
void vh_test_begin(const char *name)
{
	vh_test_reset();
	pthread_mutex_lock(&vh_state_lock);
	vh_rand_state = (vh_run_seed ^ vh_hash(name)) | 1;
	pthread_mutex_unlock(&vh_state_lock);
}

/* A failure found by the runner itself (a deadlock verdict). */
void vh_test_mark_failed(void)
{
	pthread_mutex_lock(&vh_state_lock);
	vh_failed = true;
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

static void vh_expect_push(const char *what, bool maybe)
{
	pthread_mutex_lock(&vh_state_lock);
	if (vh_expect_depth == VH_MAX_EXPECT) {
		pthread_mutex_unlock(&vh_state_lock);
		vh_fail(__FILE__, __LINE__,
			"vh_expect_warn_begin() nested more than %d deep",
			VH_MAX_EXPECT);
		vh_end_test();
	}
	vh_expect[vh_expect_depth].what = what;
	vh_expect[vh_expect_depth].count = 0;
	vh_expect[vh_expect_depth].maybe = maybe;
	vh_expect_depth++;
	pthread_mutex_unlock(&vh_state_lock);
}

void vh_expect_warn_begin(const char *what)
{
	vh_expect_push(what, false);
}

void vh_expect_warn_maybe(const char *what)
{
	vh_expect_push(what, true);
}

static bool vh_runner_warn_expected(void)
{
	bool e;

	pthread_mutex_lock(&vh_state_lock);
	e = vh_expect_depth > 0;
	pthread_mutex_unlock(&vh_state_lock);
	return e;
}

int vh_expect_warn_end_at(const char *file, int line)
{
	const char *what = NULL;
	bool maybe = false;
	int n = -1;

	pthread_mutex_lock(&vh_state_lock);
	if (vh_expect_depth > 0) {
		vh_expect_depth--;
		what = vh_expect[vh_expect_depth].what;
		n = vh_expect[vh_expect_depth].count;
		maybe = vh_expect[vh_expect_depth].maybe;
	}
	pthread_mutex_unlock(&vh_state_lock);
	if (n < 0)
		vh_fail(file, line,
			"vh_expect_warn_end() without vh_expect_warn_begin()");
	else if (what && !n && !maybe)
		vh_fail(file, line,
			"expected a warning matching '%s' since vh_expect_warn_begin(); none came",
			what);
	return n < 0 ? 0 : n;
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
