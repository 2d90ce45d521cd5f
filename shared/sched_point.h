/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scheduling points.  Every shared-memory operation that kernel code performs
 * through the stub layer (atomics, refcounts, RCU, locks, sleeps and
 * wake-ups) calls vh_sched_point(addr) with the address it operates on.
 * Outside explorer mode, and unless the thread has a breakpoint armed
 * (shared/test.h), it costs one predictable branch.
 */
#ifndef _VH_SCHED_POINT_H
#define _VH_SCHED_POINT_H

#include <stdbool.h>

struct vh_break;

extern bool vh_explorer_active;
extern __thread struct vh_break *vh_break_armed;
void vh_sched_slow(const volatile void *addr);

static inline void vh_sched_point(const volatile void *addr)
{
	if (__builtin_expect(vh_explorer_active || vh_break_armed != NULL, 0))
		vh_sched_slow(addr);
}

#endif /* _VH_SCHED_POINT_H */
