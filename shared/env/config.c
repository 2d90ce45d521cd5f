// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration the environment was built as (configs/NAME, through
 * the Makefile's CONFIG=): its name and CONFIG_ symbols, for the layers
 * above.  A test that needs a facility the configuration lacks (lockdep's
 * held-lock record, DEBUG_VM's warnings) asks vh_config_has() and is
 * skipped with that reason; ./vma --config prints it all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "env.h"

#ifndef VH_CONFIG
#define VH_CONFIG	"debug"
#define VH_CONFIG_SYMS	""
#define VH_CONFIG_DESC	""
#endif

const char *vh_config_name(void)
{
	return VH_CONFIG;
}

const char *vh_config_desc(void)
{
	return VH_CONFIG_DESC;
}

const char *vh_config_symbols(void)
{
	return VH_CONFIG_SYMS;
}

bool vh_config_has(const char *sym)
{
	const char *p = VH_CONFIG_SYMS;
	size_t n;

	if (!strncmp(sym, "CONFIG_", 7))
		sym += 7;
	n = strlen(sym);
	while ((p = strstr(p, "CONFIG_"))) {
		p += 7;
		if (!strncmp(p, sym, n) && (p[n] == ' ' || !p[n]))
			return true;
	}
	return false;
}

const char *vh_config_needs(const char *sym)
{
	char *why;

	if (vh_config_has(sym))
		return NULL;
	if (asprintf(&why, "needs CONFIG_%s, which configuration %s lacks",
		     strncmp(sym, "CONFIG_", 7) ? sym : sym + 7,
		     VH_CONFIG) < 0)
		abort();
	return why;
}
