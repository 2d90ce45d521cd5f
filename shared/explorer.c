// SPDX-License-Identifier: GPL-2.0
/*
 * The slow path of scheduling points (shared/sched_point.h): breakpoints
 * that stop a thread right before its next operation on a given address,
 * so that a test can run another thread in exactly that window.
 */
#include <stddef.h>
#include "sched_point.h"
#include "test.h"

bool vh_explorer_active;
__thread struct vh_break *vh_break_armed;

void vh_break_arm(struct vh_break *b, const volatile void *addr, int skip)
{
	b->addr = addr;
	b->skip = skip;
	b->hit.done = 0;
	b->resume.done = 0;
	vh_break_armed = b;
}

void vh_break_disarm(void)
{
	vh_break_armed = NULL;
}

void vh_sched_slow(const volatile void *addr)
{
	struct vh_break *b = vh_break_armed;

	if (!b || b->addr != addr)
		return;
	if (b->skip-- > 0)
		return;
	vh_break_armed = NULL;
	vh_event_signal(&b->hit);
	vh_event_wait(&b->resume);
}
