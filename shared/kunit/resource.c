// SPDX-License-Identifier: GPL-2.0
/*
 * What a test body hands to the runner to release or print once it ends:
 * memory (vh_test_alloc()) and the row's reason (vh_why()), both built on
 * vh_defer(), so that an assertion that ends the body early loses nothing.
 */
#include <stdlib.h>
#include "../env/report.h"
#include "test.h"

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

void vh_why(const char *why)
{
	if (why)
		vh_defer(vh_why_print, (void *)why);
}
