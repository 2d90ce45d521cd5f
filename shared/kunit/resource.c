// SPDX-License-Identifier: GPL-2.0
/*
 * What a test body hands to the runner to release or print once it ends:
 * clean-up actions (vh_defer()), memory (vh_test_alloc()) and the row's
 * reason (vh_why()), so that an assertion that ends the body early loses
 * nothing.
 */
#include <pthread.h>
#include <stdlib.h>
#include "../env/report.h"
#include "test.h"
#include "mode.h"
#include "runner.h"

void *vh_test_alloc(size_t size)
{
	void *p = calloc(1, size);

	if (!p)
		abort();
	vh_defer(free, p);
	return p;
}

static void vh_why_print(void *why)
{
	if (vh_verbose || vh_test_failed())
		vh_diag("why: %s", (const char *)why);
}

static bool vh_row_why_said;

/* The running row's .why, which the runner hands over (vh_why_row()). */
static const char *vh_row_why;

void vh_why_row(const char *why)
{
	vh_row_why = why;
	vh_row_why_said = false;
	vh_why(why);
}

void vh_why(const char *why)
{
	/* A body of the first API still says its row's reason itself. */
	if (why && (why != vh_row_why || !vh_row_why_said)) {
		vh_row_why_said |= why == vh_row_why;
		vh_defer(vh_why_print, (void *)why);
	}
}

/* Clean-up actions of the running test (vh_defer()), last first. */
#define VH_MAX_DEFERRED	32
static struct {
	void (*fn)(void *arg);
	void *arg;
} vh_deferred[VH_MAX_DEFERRED];
static int vh_nr_deferred;
static pthread_mutex_t vh_defer_lock = PTHREAD_MUTEX_INITIALIZER;

void vh_defer(void (*fn)(void *arg), void *arg)
{
	pthread_mutex_lock(&vh_defer_lock);
	if (vh_nr_deferred == VH_MAX_DEFERRED) {
		pthread_mutex_unlock(&vh_defer_lock);
		vh_fail(__FILE__, __LINE__, "more than %d vh_defer() actions",
			VH_MAX_DEFERRED);
		fn(arg);
		return;
	}
	vh_deferred[vh_nr_deferred].fn = fn;
	vh_deferred[vh_nr_deferred].arg = arg;
	vh_nr_deferred++;
	pthread_mutex_unlock(&vh_defer_lock);
}

void vh_run_deferred(void)
{
	void (*fn)(void *arg);
	void *arg;

	for (;;) {
		pthread_mutex_lock(&vh_defer_lock);
		if (!vh_nr_deferred) {
			pthread_mutex_unlock(&vh_defer_lock);
			return;
		}
		vh_nr_deferred--;
		fn = vh_deferred[vh_nr_deferred].fn;
		arg = vh_deferred[vh_nr_deferred].arg;
		pthread_mutex_unlock(&vh_defer_lock);
		/* An assertion that ends one action lets the next run. */
		vh_catch(fn, arg);
	}
}

/* A new test: no action left from the one before (per thread). */
void vh_deferred_reset(void)
{
	pthread_mutex_lock(&vh_defer_lock);
	vh_nr_deferred = 0;
	pthread_mutex_unlock(&vh_defer_lock);
}
