// SPDX-License-Identifier: GPL-2.0
/* Placeholder until the torture mode and the benchmark land. */
#include <stdio.h>
#include "modes.h"

int vh_torture(unsigned long threads, unsigned long seconds)
{
	fprintf(stderr, "vma: --torture is not implemented yet\n");
	return 2;
}

int vh_bench(unsigned long threads, unsigned long seconds)
{
	fprintf(stderr, "vma: --bench is not implemented yet\n");
	return 2;
}
