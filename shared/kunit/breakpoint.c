// SPDX-License-Identifier: GPL-2.0
/*
 * Breakpoints (test.h): stop a thread right before its next operation on a
 * given address, so that a test can run another thread in exactly that
 * window.  The environment calls vh_break_hit() from its scheduling points
 * (shared/env/sched_point.h) while a breakpoint is armed.
 */
#include <stddef.h>
#include "test.h"
#include "../env/sched_point.h"

void vh_break_arm(struct vh_break *b, const volatile void *addr, int skip)
{
	b->addr = addr;
	b->skip = skip;
	b->then = false;
	/* The test may already be waiting on these from another thread. */
	__atomic_store_n(&b->hit.done, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&b->resume.done, 0, __ATOMIC_RELAXED);
	vh_break_armed = b;
}

void vh_break_disarm(void)
{
	vh_break_armed = NULL;
}

static void vh_break_hit(const volatile void *addr)
{
	struct vh_break *b = vh_break_armed;

	if (!b || b->addr != addr)
		return;
	if (b->skip-- > 0)
		return;
	vh_break_armed = NULL;
	vh_event_signal(&b->hit);
	vh_event_wait(&b->resume);
	/* vh_break_resume_then(): stop again, further on. */
	if (b->then) {
		b->then = false;
		b->addr = b->then_addr;
		b->skip = b->then_skip;
		__atomic_store_n(&b->resume.done, 0, __ATOMIC_RELAXED);
		vh_break_armed = b;
	}
}

void vh_break_resume_then(struct vh_break *b, const volatile void *addr,
			  int skip)
{
	b->then_addr = addr;
	b->then_skip = skip;
	b->then = true;
	__atomic_store_n(&b->hit.done, 0, __ATOMIC_RELAXED);
	vh_event_signal(&b->resume);
}

static void __attribute__((constructor)) vh_break_init(void)
{
	vh_break_register(vh_break_hit);
}
