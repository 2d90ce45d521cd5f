// SPDX-License-Identifier: GPL-2.0
/*
 * The rw_semaphore model behind mmap_lock.  Writers are preferred over new
 * readers, as the kernel's rwsem hands off to a waiting writer.  The writer
 * is recorded as owner and each reader in its task's list, so that the
 * assertions check the calling task, not just "somebody holds it".
 * Killable waits give up with -EINTR once a fatal signal is pending.
 * For the race detector, acquiring the rwsem is an acquire and releasing it
 * a release, as on the kernel's sem->count.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <linux/kernel.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/bug.h>
#include <linux/lockdep.h>
#include "report.h"
#include "sched_point.h"
#include "deadlock.h"
#include "kcsan.h"
#include "lockdep.h"

void __init_rwsem(struct rw_semaphore *sem, const char *name,
		  struct lock_class_key *key)
{
	pthread_mutex_init(&sem->lock, NULL);
	pthread_cond_init(&sem->wait, NULL);
	sem->readers = 0;
	sem->writers_waiting = 0;
	sem->owner = NULL;
	lockdep_init_map(&sem->dep_map, name, key, 0);
	sem->dep_map.vh_kind = VH_LOCK_RWSEM;
}

/* What a task still held when it ended is released (lockdep.c). */
static void vh_rwsem_release_held(const struct lockdep_map *map, int read)
{
	struct rw_semaphore *sem = (struct rw_semaphore *)
		container_of(map, struct rw_semaphore, dep_map);

	if (read)
		up_read(sem);
	else
		up_write(sem);
}

static void __attribute__((constructor)) vh_rwsem_init(void)
{
	vh_lockdep_release_rwsem = vh_rwsem_release_held;
}

static void vh_read_held_add(const struct rw_semaphore *sem)
{
	struct task_struct *t = current;

	if (WARN_ON(t->nr_read_held >= (int)ARRAY_SIZE(t->read_held)))
		return;
	t->read_held[t->nr_read_held++] = sem;
}

static bool vh_read_held_del(const struct rw_semaphore *sem)
{
	struct task_struct *t = current;
	int i;

	for (i = t->nr_read_held - 1; i >= 0; i--) {
		if (t->read_held[i] == sem) {
			t->read_held[i] = t->read_held[--t->nr_read_held];
			return true;
		}
	}
	return false;
}

static bool vh_read_held_by_me(const struct rw_semaphore *sem)
{
	struct task_struct *t = current;
	int i;

	for (i = 0; i < t->nr_read_held; i++)
		if (t->read_held[i] == sem)
			return true;
	return false;
}

/*
 * What a waiter waits for: under the explorer (see vh_rwsem_wait()), and
 * for deadlock detection (its wait, for the whole of the caller's loop).
 */
struct vh_rwsem_waiter {
	const struct rw_semaphore *sem;
	struct task_struct *task;
	bool write;
	bool killable;
	bool waiting;		/* wait begun */
	struct vh_wait wait;
};

static bool vh_rwsem_ready(const void *arg)
{
	const struct vh_rwsem_waiter *w = arg;
	const struct rw_semaphore *sem = w->sem;

	if (w->killable && fatal_signal_pending(w->task))
		return true;
	if (w->write)
		return !sem->owner && !sem->readers;
	return !sem->owner && !sem->writers_waiting;
}

/* Deadlock detection: may the waiter go on? */
static bool vh_rwsem_wait_ready(const struct vh_wait *w)
{
	const struct vh_rwsem_waiter *rw =
		container_of(w, struct vh_rwsem_waiter, wait);
	struct rw_semaphore *sem = (struct rw_semaphore *)rw->sem;
	bool ready;

	if (pthread_mutex_trylock(&sem->lock))
		return true;
	ready = vh_rwsem_ready(rw);
	pthread_mutex_unlock(&sem->lock);
	return ready;
}

static void vh_rwsem_wait_describe(const struct vh_wait *w, char *buf,
				   size_t size)
{
	const struct vh_rwsem_waiter *rw =
		container_of(w, struct vh_rwsem_waiter, wait);
	const struct rw_semaphore *sem = rw->sem;
	char who[256];
	size_t n;

	if (sem->owner)
		vh_dl_task_name(sem->owner, who, sizeof(who));
	else
		vh_dl_rwsem_readers(sem, who, sizeof(who));
	n = snprintf(buf, size, " on rw_semaphore %p, held for %s by %s",
		     sem, sem->owner ? "write" : "read",
		     who[0] ? who : "nobody");
	if (n < size && sem->writers_waiting - rw->write > 0)
		snprintf(buf + n, size - n, "; %d other writer(s) waiting",
			 sem->writers_waiting - rw->write);
}

/* Before the first real wait of the caller's loop. */
static void vh_rwsem_wait_begin(struct vh_rwsem_waiter *rw)
{
	if (rw->waiting || vh_explored())
		return;
	rw->waiting = true;
	rw->wait = (struct vh_wait){
		.what = rw->write ? "down_write()" : "down_read()",
		.ready = vh_rwsem_wait_ready,
		.describe = vh_rwsem_wait_describe,
	};
	vh_wait_begin(&rw->wait);
}

static void vh_rwsem_wait_end(struct vh_rwsem_waiter *rw)
{
	if (rw->waiting)
		vh_wait_end();
}

/*
 * Wait on the rwsem; with @killable, give up when a fatal signal arrives.
 * Under the explorer the wait is a vh_explore_block() until the loop
 * condition of the caller (@write: __down_write()'s) may have changed.
 */
static int vh_rwsem_wait(struct rw_semaphore *sem, bool killable, bool write)
{
	struct timespec ts;

	if (vh_explored()) {
		struct vh_rwsem_waiter w = {
			.sem = sem, .task = current,
			.write = write, .killable = killable,
		};

		pthread_mutex_unlock(&sem->lock);
		vh_explore_block(vh_rwsem_ready, &w,
				 write ? "down_write" : "down_read");
		pthread_mutex_lock(&sem->lock);
		return killable && fatal_signal_pending(current) ? -EINTR : 0;
	}
	if (!killable) {
		pthread_cond_wait(&sem->wait, &sem->lock);
		return 0;
	}
	if (fatal_signal_pending(current))
		return -EINTR;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_cond_timedwait(&sem->wait, &sem->lock, &ts);
	return fatal_signal_pending(current) ? -EINTR : 0;
}

static int __down_read(struct rw_semaphore *sem, bool killable, bool try)
{
	struct vh_rwsem_waiter rw = {
		.sem = sem, .task = current, .killable = killable,
	};
	int ret = 0;

	vh_sched_point(sem);
	pthread_mutex_lock(&sem->lock);
	WARN_ON(sem->owner == current);
	while (sem->owner || sem->writers_waiting) {
		if (try) {
			ret = -EBUSY;
			goto out;
		}
		vh_rwsem_wait_begin(&rw);
		ret = vh_rwsem_wait(sem, killable, false);
		if (ret)
			goto out;
	}
	sem->readers++;
	current->nr_read_locks++;
	vh_read_held_add(sem);
	vh_kcsan_acquire(sem);
out:
	vh_rwsem_wait_end(&rw);
	pthread_mutex_unlock(&sem->lock);
	return ret;
}

static int __down_write(struct rw_semaphore *sem, bool killable, bool try)
{
	struct vh_rwsem_waiter rw = {
		.sem = sem, .task = current, .write = true, .killable = killable,
	};
	int ret = 0;

	vh_sched_point(sem);
	pthread_mutex_lock(&sem->lock);
	WARN_ON(sem->owner == current || vh_read_held_by_me(sem));
	if (try && (sem->owner || sem->readers)) {
		ret = -EBUSY;
		goto out;
	}
	sem->writers_waiting++;
	while (sem->owner || sem->readers) {
		vh_rwsem_wait_begin(&rw);
		ret = vh_rwsem_wait(sem, killable, true);
		if (ret)
			break;
	}
	vh_rwsem_wait_end(&rw);
	sem->writers_waiting--;
	if (!ret) {
		sem->owner = current;
		vh_kcsan_acquire(sem);
	} else {
		pthread_cond_broadcast(&sem->wait);
	}
out:
	pthread_mutex_unlock(&sem->lock);
	return ret;
}

/* As kernel/locking/rwsem.c: might_sleep(), then lockdep's record. */
void down_read(struct rw_semaphore *sem)
{
	might_sleep();
	__down_read(sem, false, false);
	rwsem_acquire_read(&sem->dep_map, 0, 0, _RET_IP_);
}

int down_read_killable(struct rw_semaphore *sem)
{
	int ret;

	might_sleep();
	ret = __down_read(sem, true, false);
	if (!ret)
		rwsem_acquire_read(&sem->dep_map, 0, 0, _RET_IP_);
	return ret;
}

int down_read_trylock(struct rw_semaphore *sem)
{
	int ret = __down_read(sem, false, true) == 0;

	if (ret)
		rwsem_acquire_read(&sem->dep_map, 0, 1, _RET_IP_);
	return ret;
}

void up_read(struct rw_semaphore *sem)
{
	rwsem_release(&sem->dep_map, _RET_IP_);
	vh_sched_point(sem);
	pthread_mutex_lock(&sem->lock);
	vh_kcsan_release(sem);
	if (!WARN_ON(sem->readers <= 0 || !vh_read_held_del(sem)) &&
	    --sem->readers == 0)
		pthread_cond_broadcast(&sem->wait);
	pthread_mutex_unlock(&sem->lock);
}

void down_write(struct rw_semaphore *sem)
{
	might_sleep();
	__down_write(sem, false, false);
	rwsem_acquire(&sem->dep_map, 0, 0, _RET_IP_);
}

int down_write_killable(struct rw_semaphore *sem)
{
	int ret;

	might_sleep();
	ret = __down_write(sem, true, false);
	if (!ret)
		rwsem_acquire(&sem->dep_map, 0, 0, _RET_IP_);
	return ret;
}

int down_write_trylock(struct rw_semaphore *sem)
{
	int ret = __down_write(sem, false, true) == 0;

	if (ret)
		rwsem_acquire(&sem->dep_map, 0, 1, _RET_IP_);
	return ret;
}

void (*vh_rwsem_up_write_hook)(struct rw_semaphore *sem);

void up_write(struct rw_semaphore *sem)
{
	if (vh_rwsem_up_write_hook)
		vh_rwsem_up_write_hook(sem);
	rwsem_release(&sem->dep_map, _RET_IP_);
	vh_sched_point(sem);
	pthread_mutex_lock(&sem->lock);
	if (!WARN_ON(sem->owner != current)) {
		vh_kcsan_release(sem);
		sem->owner = NULL;
		pthread_cond_broadcast(&sem->wait);
	}
	pthread_mutex_unlock(&sem->lock);
}

void downgrade_write(struct rw_semaphore *sem)
{
	lock_downgrade(&sem->dep_map, _RET_IP_);
	vh_sched_point(sem);
	pthread_mutex_lock(&sem->lock);
	if (!WARN_ON(sem->owner != current)) {
		vh_kcsan_release(sem);
		sem->owner = NULL;
		sem->readers++;
		vh_read_held_add(sem);
		pthread_cond_broadcast(&sem->wait);
	}
	pthread_mutex_unlock(&sem->lock);
}

int rwsem_is_locked(struct rw_semaphore *sem)
{
	int locked;

	pthread_mutex_lock(&sem->lock);
	locked = sem->owner || sem->readers;
	pthread_mutex_unlock(&sem->lock);
	return locked;
}

int rwsem_is_contended(struct rw_semaphore *sem)
{
	return __atomic_load_n(&sem->writers_waiting, __ATOMIC_RELAXED) > 0;
}

bool vh_rwsem_read_held_by_me(const struct rw_semaphore *sem)
{
	struct rw_semaphore *s = (struct rw_semaphore *)sem;
	bool held;

	pthread_mutex_lock(&s->lock);
	held = vh_read_held_by_me(s);
	pthread_mutex_unlock(&s->lock);
	return held;
}

void vh_rwsem_assert_held(const struct rw_semaphore *sem, bool write,
			  const char *file, int line)
{
	struct rw_semaphore *s = (struct rw_semaphore *)sem;
	bool held;

	/* &mm->mmap_lock of a NULL mm (upstream tests leave vmg->mm unset). */
	if ((uintptr_t)sem < 4096) {
		if (vh_relaxed_lock_asserts) {
			vh_relaxed_lock_assert_count++;
			return;
		}
		vh_report("WARN", file, line, "lock assertion on a NULL mm");
		return;
	}
	pthread_mutex_lock(&s->lock);
	held = s->owner == current || (!write && vh_read_held_by_me(s));
	pthread_mutex_unlock(&s->lock);
	if (held)
		return;
	if (vh_relaxed_lock_asserts) {
		vh_relaxed_lock_assert_count++;
		return;
	}
	vh_report("WARN", file, line, "lock not held for %s by this task",
		  write ? "write" : "read");
}
