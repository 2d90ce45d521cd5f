// SPDX-License-Identifier: GPL-2.0
/*
 * What a debug kernel checks about lock and RCU discipline, for the code
 * under test and the harness alike:
 *
 *  - lockdep's per-task record of held locks (CONFIG_LOCKDEP): every
 *    lock_acquire() pushes an entry, lock_release() pops it, and
 *    lock_is_held_type() and lock_sequence() answer from the calling task's
 *    record, so that lockdep_is_held(), lockdep_assert_held*(), the maple
 *    tree's mt_locked()/mt_write_locked() and mmap_lock.h's
 *    vma_assert_locked() check the calling task, as with lockdep.  Releasing
 *    a lock the task does not hold is "WARNING: bad unlock balance
 *    detected!".  Lock classes and lock order are not modelled.
 *
 *  - CONFIG_DEBUG_ATOMIC_SLEEP: __might_sleep() (might_sleep(), and
 *    everything that may sleep: schedule(), down_*(), synchronize_rcu(),
 *    the end of an rcuwait wait) inside an RCU read-side critical section
 *    or with preemption disabled is "BUG: sleeping function called from
 *    invalid context".
 *
 *  - CONFIG_PROVE_RCU: lockdep_rcu_suspicious(), behind
 *    rcu_dereference_check(), rcu_dereference_protected() and
 *    RCU_LOCKDEP_WARN() (linux/rcupdate.h), is "WARNING: suspicious RCU
 *    usage".
 *
 *  - debug_check_no_locks_held(): a task that ends (a test thread, an
 *    explored thread) inside an RCU read-side critical section or holding a
 *    lock is "BUG: ... is exiting with locks still held!"; what it held is
 *    then released on its behalf, so that the rest of the test fails for
 *    that reason and not by hanging.
 *
 * Each report fails the running test (vh_splat()) and names the held locks.
 */
#include <stdio.h>
#include <string.h>
#include <urcu.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include "report.h"
#include "lockdep.h"

void (*vh_lockdep_release_rwsem)(const struct lockdep_map *map, int read);
void (*vh_lockdep_release_other)(const struct lockdep_map *map, int read);

/* "comm/pid" of a task, as lockdep names it. */
static const char *vh_task_name(struct task_struct *t, char *buf, size_t n)
{
	snprintf(buf, n, "%s/%d", t->comm[0] ? t->comm : "vma", t->pid);
	return buf;
}

static const char *vh_lock_name(const struct lockdep_map *map)
{
	return map && map->name ? map->name : "(unnamed lock)";
}

/* Append to @buf (of @size, @len used) like snprintf; returns the new len. */
static __printf(4, 5) size_t vh_cat(char *buf, size_t size, size_t len,
				     const char *fmt, ...);
static size_t vh_cat(char *buf, size_t size, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (len >= size)
		return len;
	va_start(ap, fmt);
	n = vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
	return n < 0 ? len : len + n;
}

size_t vh_lockdep_describe(struct task_struct *t, char *buf, size_t size,
			   size_t len)
{
	char name[48];
	int i;

	vh_task_name(t, name, sizeof(name));
	if (t->rcu_depth)
		len = vh_cat(buf, size, len,
			     "%s is inside an RCU read-side critical section (nesting %d)\n",
			     name, t->rcu_depth);
	if (!t->lockdep_depth)
		return vh_cat(buf, size, len, "no locks held by %s.\n", name);
	len = vh_cat(buf, size, len, "%d lock%s held by %s:\n",
		     t->lockdep_depth, t->lockdep_depth > 1 ? "s" : "", name);
	for (i = 0; i < t->lockdep_depth; i++) {
		const struct vh_held_lock *h = &t->held_locks[i];

		len = vh_cat(buf, size, len, " #%d: %p (%s){%s}, at: %p\n", i,
			     (const void *)h->map, vh_lock_name(h->map),
			     h->read ? "read" : "write",
			     (void *)h->acquire_ip);
	}
	return len;
}

static void vh_lockdep_splat(char *buf, size_t size, size_t len)
{
	vh_lockdep_describe(current, buf, size, len);
	buf[size - 1] = 0;
	vh_splat(buf);
}

#ifdef CONFIG_LOCKDEP
void lockdep_init_map(struct lockdep_map *lock, const char *name,
		      struct lock_class_key *key, int subclass __always_unused)
{
	if (!lock)
		return;
	lock->name = name;
	lock->key = key;
}

const struct lockdep_map *vh_rwsem_map(const struct rw_semaphore *sem)
{
	return &sem->dep_map;
}

void lock_acquire(struct lockdep_map *lock,
		  unsigned int subclass __always_unused,
		  int trylock __always_unused, int read,
		  int check __always_unused,
		  struct lockdep_map *nest_lock __always_unused,
		  unsigned long ip)
{
	struct task_struct *t = current;
	struct vh_held_lock *h;
	char buf[2048];

	if (!lock)
		return;
	if (t->lockdep_depth >= VH_MAX_LOCK_DEPTH) {
		size_t len = snprintf(buf, sizeof(buf),
				      "BUG: MAX_LOCK_DEPTH too low!\nacquiring %s\n",
				      vh_lock_name(lock));

		vh_lockdep_splat(buf, sizeof(buf), len);
		return;
	}
	h = &t->held_locks[t->lockdep_depth++];
	h->map = lock;
	h->acquire_ip = ip;
	h->seq = ++t->lockdep_seq;
	h->read = read;
}

static int vh_find_held(struct task_struct *t, const struct lockdep_map *lock)
{
	int i;

	for (i = t->lockdep_depth - 1; i >= 0; i--)
		if (t->held_locks[i].map == lock)
			return i;
	return -1;
}

static void vh_unlock_imbalance(const struct lockdep_map *lock,
				unsigned long ip, const char *what)
{
	char buf[2048], name[48];
	size_t len;

	len = snprintf(buf, sizeof(buf),
		       "WARNING: bad unlock balance detected!\n%s is trying to %s lock (%s) at:\n%p\nbut there are no more locks to release!\n\nother info that might help us debug this:\n",
		       vh_task_name(current, name, sizeof(name)), what,
		       vh_lock_name(lock), (void *)ip);
	vh_lockdep_splat(buf, sizeof(buf), len);
}

void lock_release(struct lockdep_map *lock, unsigned long ip)
{
	struct task_struct *t = current;
	int i;

	if (!lock)
		return;
	i = vh_find_held(t, lock);
	if (i < 0) {
		vh_unlock_imbalance(lock, ip, "release");
		return;
	}
	memmove(&t->held_locks[i], &t->held_locks[i + 1],
		(t->lockdep_depth - i - 1) * sizeof(t->held_locks[0]));
	t->lockdep_depth--;
}

void lock_downgrade(struct lockdep_map *lock, unsigned long ip)
{
	struct task_struct *t = current;
	int i = vh_find_held(t, lock);

	if (i < 0) {
		vh_unlock_imbalance(lock, ip, "downgrade");
		return;
	}
	WARN(t->held_locks[i].read, "downgrading a read lock");
	t->held_locks[i].read = 1;
}

/*
 * Held while RCU callbacks run (the maple tree's dead-node walks check it):
 * liburcu runs them, out of the harness's sight, so it is never known.
 */
struct lockdep_map rcu_callback_map = { .name = "rcu_callback" };

int lock_is_held_type(const struct lockdep_map *lock, int read)
{
	struct task_struct *t = current;
	int i;

	if (!lock || lock == &rcu_callback_map)
		return LOCK_STATE_UNKNOWN;
	for (i = 0; i < t->lockdep_depth; i++) {
		const struct vh_held_lock *h = &t->held_locks[i];

		if (h->map == lock && (read == -1 || !!h->read == read))
			return LOCK_STATE_HELD;
	}
	return LOCK_STATE_NOT_HELD;
}

u32 lock_sequence(struct lockdep_map *lock)
{
	struct task_struct *t = current;
	int i = vh_find_held(t, lock);

	return i < 0 ? ~0U : t->held_locks[i].seq;
}

void vh_lockdep_assert_failed(const char *cond, const char *file, int line)
{
	vh_report("WARN", file, line, "%s", cond);
}

#endif /* CONFIG_LOCKDEP */

void __might_sleep(const char *file, int line)
{
	struct task_struct *t = current;
	char buf[2048], name[48];
	size_t len;

	/* Without CONFIG_DEBUG_ATOMIC_SLEEP, might_sleep() checks nothing. */
	if (!IS_ENABLED(CONFIG_DEBUG_ATOMIC_SLEEP) ||
	    __builtin_expect(!t->rcu_depth && !t->preempt_count, 1))
		return;
	len = snprintf(buf, sizeof(buf),
		       "BUG: sleeping function called from invalid context at %s:%d\nin_atomic(): %d, irqs_disabled(): 0, non_block: 0, pid: %d, name: %s\npreempt_count: %x, expected: 0\nRCU nest depth: %d, expected: 0\n",
		       file, line, t->preempt_count > 0, t->pid,
		       vh_task_name(t, name, sizeof(name)), t->preempt_count,
		       t->rcu_depth);
	vh_lockdep_splat(buf, sizeof(buf), len);
}

void lockdep_rcu_suspicious(const char *file, const int line, const char *s)
{
	char buf[2048];
	size_t len;

	len = snprintf(buf, sizeof(buf),
		       "WARNING: suspicious RCU usage\n%s:%d %s!\n\nother info that might help us debug this:\n\nrcu_scheduler_active = 2, debug_locks = 1\n",
		       file, line, s);
	vh_lockdep_splat(buf, sizeof(buf), len);
}

/*
 * debug_check_no_locks_held() for a task that ends, then what it held is
 * released on its behalf.  (The explorer empties the record of a thread it
 * unwinds from an aborted run: that run's state is abandoned as it is.)
 */
void vh_lockdep_task_exit(struct task_struct *t)
{
	char buf[2048], name[48];
	size_t len;

	if (!t || (!t->rcu_depth && !t->lockdep_depth))
		return;
	len = snprintf(buf, sizeof(buf),
		       "BUG: %s is exiting with locks still held!\n",
		       vh_task_name(t, name, sizeof(name)));
	vh_lockdep_splat(buf, sizeof(buf), len);
	while (t->rcu_depth > 0) {
		t->rcu_depth--;
		urcu_memb_read_unlock();
	}
	while (t->lockdep_depth > 0) {
		struct vh_held_lock h = t->held_locks[t->lockdep_depth - 1];
		int before = t->lockdep_depth;

		if (h.map->vh_kind == VH_LOCK_RWSEM) {
			if (vh_lockdep_release_rwsem)
				vh_lockdep_release_rwsem(h.map, h.read);
		} else if (vh_lockdep_release_other) {
			vh_lockdep_release_other(h.map, h.read);
		}
		/* Whatever could not be released is forgotten. */
		if (t->lockdep_depth == before)
			t->lockdep_depth--;
	}
}

#ifdef CONFIG_LOCKDEP
/*
 * tools/testing/shared/linux/lockdep.h declares lockdep_is_held() as a
 * function, for the maple tree's internal spinlock: untracked, so unknown.
 */
int (lockdep_is_held)(const void *lock __always_unused)
{
	return LOCK_STATE_UNKNOWN;
}
#endif
