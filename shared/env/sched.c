// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduling points (sched_point.h): where the interleaving explorer and
 * test breakpoints hook into the environment.  The layers above register
 * their handlers here; the environment itself calls nothing above it.
 */
#include <stddef.h>
#include "sched_point.h"

bool vh_explorer_active;
__thread struct vh_break *vh_break_armed;
__thread struct vh_ex_thread *vh_ex_self;

static const struct vh_sched_ops *vh_sched_ops;
static void (*vh_break_hit)(const volatile void *addr);

void vh_sched_register(const struct vh_sched_ops *ops)
{
	vh_sched_ops = ops;
}

void vh_break_register(void (*hit)(const volatile void *addr))
{
	vh_break_hit = hit;
}

/* Not inlined: the return address is the kernel code's scheduling point. */
__attribute__((noinline)) void vh_sched_slow(const volatile void *addr)
{
	if (vh_explorer_active && vh_ex_self)
		vh_sched_ops->point(addr, __builtin_return_address(0));
	if (vh_break_armed && vh_break_hit)
		vh_break_hit(addr);
}

void vh_explore_block(vh_ready_t ready, const void *arg, const char *what)
{
	vh_sched_ops->block(ready, arg, what);
}

bool vh_explore_rcu_sync(void)
{
	return vh_sched_ops->rcu_sync();
}

void vh_explore_rcu_qs(void)
{
	vh_sched_ops->rcu_qs();
}

struct vh_ex_thread *vh_explore_thread_new(void *handle)
{
	return vh_sched_ops ? vh_sched_ops->thread_new(handle) : NULL;
}

void vh_explore_thread_enter(struct vh_ex_thread *x)
{
	vh_sched_ops->thread_enter(x);
}

void vh_explore_thread_exiting(void)
{
	vh_sched_ops->thread_exiting();
}

void vh_explore_thread_exit(void)
{
	vh_sched_ops->thread_exit();
}

void vh_explore_join(struct vh_ex_thread *x)
{
	vh_sched_ops->join(x);
}
