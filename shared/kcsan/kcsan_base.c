// SPDX-License-Identifier: GPL-2.0
/*
 * What both halves of the race detector (kcsan.c, the runtime, and
 * kcsan_report.c, the reporter) share: its lock, its counters and its
 * allocator.
 */
#ifdef VH_KCSAN

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "kcsan_int.h"

pthread_mutex_t kc_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * Counters for the summary line; kcsan.c moves them into memory shared
 * with the worker processes the runner forks (./vma -j), so that the
 * parent sums up the run.
 */
static struct kc_stats kc_stats_private;
struct kc_stats *kc_stats = &kc_stats_private;

void kc_die(const char *msg)
{
	fprintf(stderr, "vma: KCSAN: %s\n", msg);
	abort();
}

void *kc_zalloc(size_t n)
{
	void *p = calloc(1, n);

	if (!p)
		kc_die("out of memory");
	return p;
}

#endif /* VH_KCSAN */
