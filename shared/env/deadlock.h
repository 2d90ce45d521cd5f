/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Deadlock detection for real threads (shared/env/deadlock.c).
 *
 * Every harness thread is a registered task.  A stub that blocks for real
 * (schedule(), an rwsem, synchronize_rcu(), a join, a test handshake)
 * describes its wait in a struct vh_wait and brackets the wait with
 * vh_wait_begin()/vh_wait_end(), which take one global lock.  The runner
 * calls vh_deadlock_check() while it waits for a test: when every task of
 * the test is inside such a wait, it holds that lock (so that no task can
 * leave or enter a wait) and asks each wait whether it could go on now;
 * blocked tasks change no state the waits depend on, so when none can, none
 * ever will: nothing else runs kernel code here (there are no timers, and
 * wake-ups, signals and unlocks come from tasks).  A livelock (a task that
 * spins) is left to the watchdog.
 */
#ifndef _VH_DEADLOCK_H
#define _VH_DEADLOCK_H

#include <stdbool.h>
#include <stddef.h>

struct task_struct;
struct vh_wait;

/*
 * Called by the detector with every task blocked and the global lock held:
 * may the waiter go on?  Must not block: take the waiter's object lock with
 * a trylock and answer true when it is busy (somebody is active).
 */
typedef bool (*vh_wait_ready_t)(const struct vh_wait *w);
/* Appends what the task waits for (after @what) to @buf; optional. */
typedef void (*vh_wait_describe_t)(const struct vh_wait *w, char *buf,
				   size_t size);

#define VH_WAIT_MAX_READERS	16

struct vh_wait {
	const char *what;		/* "schedule()", "down_write()", ... */
	vh_wait_ready_t ready;
	vh_wait_describe_t describe;
	const void *obj;		/* what is waited on */
	long arg;
	bool can_give_up;		/* a harness wait: may return early */
	bool give_up;			/* ... and should (set by the detector) */
	/* synchronize_rcu(): the read-side critical sections it waits for. */
	int nr_readers;
	struct {
		unsigned long id;	/* the task's registry id */
		unsigned long section;	/* its task_struct.rcu_sections */
	} readers[VH_WAIT_MAX_READERS];
};

/* Bracket a real wait of the calling task (no-ops for unregistered ones). */
void vh_wait_begin(struct vh_wait *w);
void vh_wait_end(void);
/* The detector asks a harness wait (can_give_up) to return. */
static inline bool vh_wait_gave_up(const struct vh_wait *w)
{
	return __atomic_load_n(&w->give_up, __ATOMIC_ACQUIRE);
}
/* synchronize_rcu(): note the read-side sections now open, then begin. */
void vh_wait_rcu_begin(struct vh_wait *w);

/* Task registry (shared/kunit/thread.c): a harness thread starts and ends. */
void vh_dl_task_start(void *fn);
void vh_dl_task_exit(void);

/* For descriptions: "task 12 (rd_writer)"; the readers of an rwsem. */
void vh_dl_task_name(const struct task_struct *t, char *buf, size_t size);
void vh_dl_rwsem_readers(const void *sem, char *buf, size_t size);

/* The runner: a new test starts (earlier tasks no longer count). */
void vh_deadlock_new_test(void);

enum vh_deadlock {
	VH_DL_NONE,		/* some task runs or can be woken */
	VH_DL_GAVE_UP,		/* all blocked; harness waits were told to return */
	VH_DL_STUCK,		/* all blocked for good */
};
/*
 * Check the tasks of the current test; on VH_DL_GAVE_UP and VH_DL_STUCK,
 * @report gets the report (one task per paragraph, with its stack), which
 * the caller frees.
 */
enum vh_deadlock vh_deadlock_check(char **report);

#endif /* _VH_DEADLOCK_H */
