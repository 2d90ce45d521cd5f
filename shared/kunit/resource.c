// SPDX-License-Identifier: GPL-2.0
/*
 * What a test body hands to the runner to release or print once it ends:
 * memory (vh_test_alloc()) and the row's reason (vh_why()), both built on
 * vh_defer(), so that an assertion that ends the body early loses nothing.
 */
#include <stdlib.h>
#include "../env/report.h"
#include "test.h"
#include "mode.h"

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
