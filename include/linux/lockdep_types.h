/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/lockdep_types.h.  The harness builds the code under
 * test with CONFIG_LOCKDEP and CONFIG_DEBUG_LOCK_ALLOC, as a debug kernel
 * is built: a lockdep_map names a lock, and each task keeps the record of
 * the locks it holds (struct vh_held_lock in linux/sched.h), so that
 * lock_is_held() and the maple tree's and mmap_lock.h's lock conditions
 * answer for the calling task (shared/env/lockdep.c).  Lock classes and
 * lock ordering are not modelled.
 */
#ifndef __LINUX_LOCKDEP_TYPES_H
#define __LINUX_LOCKDEP_TYPES_H

struct lock_class_key { };

/* What kind of lock a map belongs to (for reports and clean-up). */
enum vh_lock_kind {
	VH_LOCK_OTHER,
	VH_LOCK_RWSEM,		/* embedded in a struct rw_semaphore */
};

struct lockdep_map {
	struct lock_class_key *key;
	const char *name;
	int vh_kind;		/* enum vh_lock_kind */
};

#endif /* __LINUX_LOCKDEP_TYPES_H */
