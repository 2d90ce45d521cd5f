/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/rcupdate.h with liburcu (the memb flavour, the same
 * one the maple tree of tools/testing/shared uses, so grace periods cover
 * both).  The harness tracks read-side nesting per task so that
 * rcu_read_lock_held() and RCU_LOCKDEP_WARN() really check.
 */
#ifndef __LINUX_RCUPDATE_H
#define __LINUX_RCUPDATE_H

#include <urcu.h>
#include <linux/compiler.h>
#include <linux/sched.h>
#include "../../shared/env/report.h"
#include "../../shared/env/sched_point.h"

/* liburcu's names for these are macros; the kernel's are ours. */
#undef rcu_read_lock
#undef rcu_read_unlock
#undef synchronize_rcu
#undef rcu_dereference
#undef rcu_assign_pointer

void rcu_read_lock(void);
void rcu_read_unlock(void);
void synchronize_rcu(void);
int rcu_read_lock_held(void);

#ifdef VH_KCSAN
/*
 * For the race detector, the address dependency that orders what a reader
 * reads through the pointer after its load is an acquire (consume, as
 * C11 would say; the runtime cannot follow dependencies).
 */
#include <linux/atomic.h>
#define rcu_dereference(p)		smp_load_acquire(&(p))
#define rcu_assign_pointer(p, v) do {					\
	vh_sched_point(&(p));						\
	smp_store_release(&(p), (v));					\
} while (0)
#else
#define rcu_dereference(p)		READ_ONCE(p)
#define rcu_assign_pointer(p, v) do {					\
	vh_sched_point(&(p));						\
	__atomic_store_n(&(p), (v), __ATOMIC_RELEASE);			\
} while (0)
#endif
#define rcu_dereference_raw(p)		rcu_dereference(p)
#define rcu_dereference_check(p, c)	rcu_dereference(p)
#define rcu_dereference_protected(p, c)	(p)
#define rcu_access_pointer(p)		READ_ONCE(p)
#define RCU_INIT_POINTER(p, v)		WRITE_ONCE(p, v)

#define RCU_LOCKDEP_WARN(c, s) do {					\
	if (unlikely(c))						\
		vh_report("RCU_LOCKDEP_WARN", __FILE__, __LINE__,	\
			  "%s: %s", #c, s);				\
} while (0)

#define rcu_read_lock_bh	rcu_read_lock
#define rcu_read_unlock_bh	rcu_read_unlock

#endif /* __LINUX_RCUPDATE_H */
