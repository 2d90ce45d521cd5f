// SPDX-License-Identifier: GPL-2.0
/*
 * vma_start_write() call sites reached by the code under test: vma_internal.h
 * routes every vma_start_write() of mm/ through vh_write_site(), which hands
 * its file and line to whoever registered (shared/vma/sites.c).
 */
#include <stddef.h>
#include "env.h"

static void (*vh_write_site_fn)(const char *file, int line);

void vh_write_site_register(void (*fn)(const char *file, int line))
{
	vh_write_site_fn = fn;
}

void vh_write_site(const char *file, int line)
{
	if (vh_write_site_fn)
		vh_write_site_fn(file, line);
}
