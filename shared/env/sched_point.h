/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scheduling points.  Every shared-memory operation that kernel code performs
 * through the stub layer (atomics, refcounts, RCU, locks, sleeps and
 * wake-ups) calls vh_sched_point(addr) with the address it operates on.
 * Outside explorer mode, and unless the thread has a breakpoint armed
 * (shared/kunit/test.h), it costs one predictable branch.
 *
 * Under the interleaving explorer (shared/explore/core.c) the threads of a
 * scenario run one at a time, and each scheduling point is where the
 * explorer may switch to another thread.  A stub that would block (wait for
 * a lock, sleep in schedule(), wait for a grace period, join a thread) must
 * then not block for real, or the thread holding the one right to run would
 * wait for a thread that cannot run: it calls vh_explore_block() with a
 * predicate that says when it may go on, and re-checks its condition when
 * that returns, as it would after a condition-variable wait.
 */
#ifndef _VH_SCHED_POINT_H
#define _VH_SCHED_POINT_H

#include <stdbool.h>

struct vh_break;
struct vh_ex_thread;

extern bool vh_explorer_active;
extern __thread struct vh_break *vh_break_armed;
extern __thread struct vh_ex_thread *vh_ex_self;
void vh_sched_slow(const volatile void *addr);

static inline void vh_sched_point(const volatile void *addr)
{
	if (__builtin_expect(vh_explorer_active || vh_break_armed != NULL, 0))
		vh_sched_slow(addr);
}

/* Is the calling thread run by the explorer?  (Slow paths only.) */
static inline bool vh_explored(void)
{
	return vh_explorer_active && vh_ex_self;
}

/*
 * Block the calling explored thread until @ready(@arg) is true; @what names
 * the wait in deadlock reports.  The predicate is evaluated by whichever
 * explored thread is deciding who runs next, with no other explored thread
 * running: it may read shared state without locks, must not block and must
 * not reach a scheduling point.  If every live thread is blocked, the
 * explorer reports a deadlock (a lost wake-up shows up this way) and ends
 * the schedule: the thread is then unwound and does not return.
 */
typedef bool (*vh_ready_t)(const void *arg);
void vh_explore_block(vh_ready_t ready, const void *arg, const char *what);

/*
 * RCU under the explorer (shared/env/rcu.c): vh_explore_rcu_sync() waits until
 * every other explored thread that was inside a read-side critical section
 * has left it, and returns true when none is inside one now (the caller may
 * then also wait for a liburcu grace period without deadlocking);
 * vh_explore_rcu_qs() notes that the calling thread left its outermost
 * read-side critical section.
 */
bool vh_explore_rcu_sync(void);
void vh_explore_rcu_qs(void);

/*
 * Thread life cycle (shared/kunit/thread.c).  A thread started by an explored
 * thread, or the first one started while a schedule begins, gets a slot
 * from vh_explore_thread_new() (NULL otherwise); the new thread calls
 * vh_explore_thread_enter() before running its function and
 * vh_explore_thread_exit() after its last scheduling point;
 * vh_explore_thread_exiting() when it starts its clean-up (an aborted run
 * then lets it finish that instead of exiting it).
 * vh_explore_join() blocks until the slot's thread has exited.
 */
struct vh_ex_thread *vh_explore_thread_new(void *handle);
void vh_explore_thread_enter(struct vh_ex_thread *x);
void vh_explore_thread_exiting(void);
void vh_explore_thread_exit(void);
void vh_explore_join(struct vh_ex_thread *x);

/**
 * struct vh_sched_ops - what the explorer plugs into the environment
 * @point:		a scheduling point reached by the explored thread
 *			vh_ex_self, from kernel code at @pc
 * @block:		implements vh_explore_block()
 * @rcu_sync:		implements vh_explore_rcu_sync()
 * @rcu_qs:		implements vh_explore_rcu_qs()
 * @thread_new:		implements vh_explore_thread_new()
 * @thread_enter:	implements vh_explore_thread_enter()
 * @thread_exiting:	implements vh_explore_thread_exiting()
 * @thread_exit:	implements vh_explore_thread_exit()
 * @join:		implements vh_explore_join()
 *
 * The environment calls these only while vh_explorer_active is set, which
 * only the registered explorer does (shared/env/sched.c).
 */
struct vh_sched_ops {
	void (*point)(const volatile void *addr, void *pc);
	void (*block)(vh_ready_t ready, const void *arg, const char *what);
	bool (*rcu_sync)(void);
	void (*rcu_qs)(void);
	struct vh_ex_thread *(*thread_new)(void *handle);
	void (*thread_enter)(struct vh_ex_thread *x);
	void (*thread_exiting)(void);
	void (*thread_exit)(void);
	void (*join)(struct vh_ex_thread *x);
};
void vh_sched_register(const struct vh_sched_ops *ops);
/* What an armed breakpoint does at a scheduling point (the test runner). */
void vh_break_register(void (*hit)(const volatile void *addr));

#endif /* _VH_SCHED_POINT_H */
