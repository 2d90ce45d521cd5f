/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scheduling points.  Every shared-memory operation that kernel code performs
 * through the stub layer calls vh_sched_point(); outside explorer mode it
 * costs one predictable branch.
 */
#ifndef _VH_SCHED_POINT_H
#define _VH_SCHED_POINT_H

#include <stdbool.h>

extern bool vh_explorer_active;
void vh_explorer_yield(void);

static inline void vh_sched_point(void)
{
	if (__builtin_expect(vh_explorer_active, 0))
		vh_explorer_yield();
}

#endif /* _VH_SCHED_POINT_H */
