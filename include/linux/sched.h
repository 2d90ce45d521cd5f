/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/sched.h: a task is a harness thread.  Sleeping follows
 * the kernel protocol (set_current_state(); check condition; schedule()) and
 * wake_up_process() makes a sleeping task runnable again, so lost wake-ups in
 * the code under test are real hangs here too (caught by the watchdog).
 */
#ifndef _LINUX_SCHED_H
#define _LINUX_SCHED_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <pthread.h>
#include <sys/types.h>

#define TASK_RUNNING		0x00000000
#define TASK_INTERRUPTIBLE	0x00000001
#define TASK_UNINTERRUPTIBLE	0x00000002
#define TASK_WAKEKILL		0x00000100
#define TASK_KILLABLE		(TASK_WAKEKILL | TASK_UNINTERRUPTIBLE)
#define TASK_NORMAL		(TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)

enum {
	TASK_COMM_LEN = 16,
};

struct mm_struct;
struct vh_rwsem_held;
struct lockdep_map;

/* One entry of a task's held-lock record (shared/env/lockdep.c). */
struct vh_held_lock {
	const struct lockdep_map *map;
	unsigned long acquire_ip;
	unsigned int seq;		/* lock_sequence() */
	int read;			/* 0: exclusive, 1: shared, 2: recursive */
};

#define VH_MAX_LOCK_DEPTH	48

struct task_struct {
	char comm[TASK_COMM_LEN];
	pid_t pid;
	struct mm_struct *mm;
	unsigned int personality;
	unsigned long maj_flt, min_flt;	/* mm/memory.c: mm_account_fault() */
	/*
	 * What kernel/bpf/task_iter.c reads of another task: PF_* flags, and
	 * alloc_lock (task_lock()), a bare mutex as tools/'s spinlock_t.
	 */
	unsigned int flags;
	pthread_mutex_t alloc_lock;

	/* Harness model. */
	int __state;			/* TASK_* */
	bool fatal_signal;		/* SIGKILL pending */
	bool sigpending;		/* any signal pending */
	pthread_mutex_t sleep_lock;
	pthread_cond_t sleep_cond;
	unsigned long nr_sleeps;	/* times schedule() really slept */
	int rcu_depth;			/* rcu_read_lock() nesting */
	unsigned long rcu_sections;	/* outermost rcu_read_lock()s */
	int nr_read_held;		/* rwsems read-held by this task */
	unsigned long nr_read_locks;	/* rwsems read-locked so far */
	const void *read_held[8];

	/* Debug-kernel discipline (shared/env/lockdep.c). */
	int preempt_count;		/* preempt_disable() nesting */
	int lockdep_depth;		/* entries of held_locks[] */
	unsigned int lockdep_seq;	/* acquisitions so far */
	struct vh_held_lock held_locks[VH_MAX_LOCK_DEPTH];
};

struct task_struct *vh_current(void);
#define current vh_current()

void vh_set_current_state(int state, bool mb);
#define set_current_state(state)	vh_set_current_state(state, true)
#define __set_current_state(state)	vh_set_current_state(state, false)
void schedule(void);
int wake_up_process(struct task_struct *p);

/*
 * CONFIG_DEBUG_ATOMIC_SLEEP: a function that may sleep, called inside an
 * RCU read-side critical section or with preemption disabled, fails the
 * test with "BUG: sleeping function called from invalid context"
 * (shared/env/lockdep.c).  schedule(), the rwsem's down_*() and the end of
 * an rcuwait wait check it too.
 */
void __might_sleep(const char *file, int line);
#define might_sleep()		__might_sleep(__FILE__, __LINE__)
#define might_sleep_if(cond)	do { if (cond) might_sleep(); } while (0)
#define cond_resched()		({ __might_sleep(__FILE__, __LINE__); 0; })
#define might_resched()		do { } while (0)
#define sched_clock()		0ULL

#endif /* _LINUX_SCHED_H */
