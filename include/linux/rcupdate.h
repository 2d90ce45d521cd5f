/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/rcupdate.h with liburcu (the memb flavour, the same
 * one the maple tree of tools/testing/shared uses, so grace periods cover
 * both).  The harness tracks read-side nesting per task, and checks as
 * CONFIG_PROVE_RCU does: rcu_dereference() outside a read-side critical
 * section, rcu_dereference_check() whose condition is false outside one,
 * rcu_dereference_protected() whose condition is false, and a true
 * RCU_LOCKDEP_WARN() are each "WARNING: suspicious RCU usage"
 * (shared/env/lockdep.c).
 */
#ifndef __LINUX_RCUPDATE_H
#define __LINUX_RCUPDATE_H

#include <urcu.h>
#include <linux/compiler.h>
#include <linux/lockdep.h>
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
#define __vh_rcu_deref(p)		smp_load_acquire(&(p))
#define rcu_assign_pointer(p, v) do {					\
	vh_sched_point(&(p));						\
	smp_store_release(&(p), (v));					\
} while (0)
#else
#define __vh_rcu_deref(p)		READ_ONCE(p)
#define rcu_assign_pointer(p, v) do {					\
	vh_sched_point(&(p));						\
	__atomic_store_n(&(p), (v), __ATOMIC_RELEASE);			\
} while (0)
#endif

void lockdep_rcu_suspicious(const char *file, const int line, const char *s);

#ifdef CONFIG_PROVE_RCU
/* CONFIG_PROVE_RCU: the conditions are checked (shared/env/lockdep.c). */
#define __vh_rcu_check(c, s) do {					\
	if (__builtin_expect(!rcu_read_lock_held() && !(c), 0))	\
		lockdep_rcu_suspicious(__FILE__, __LINE__, s);		\
} while (0)

#define rcu_dereference_check(p, c) ({					\
	__vh_rcu_check(c, "suspicious rcu_dereference_check() usage");	\
	__vh_rcu_deref(p);						\
})
#define rcu_dereference(p)		rcu_dereference_check(p, 0)
#define rcu_dereference_raw(p)		__vh_rcu_deref(p)
#define rcu_dereference_protected(p, c) ({				\
	if (__builtin_expect(!(c), 0))					\
		lockdep_rcu_suspicious(__FILE__, __LINE__,		\
			"suspicious rcu_dereference_protected() usage");	\
	(p);								\
})
#define rcu_access_pointer(p)		READ_ONCE(p)
#define RCU_INIT_POINTER(p, v)		WRITE_ONCE(p, v)

#define RCU_LOCKDEP_WARN(c, s) do {					\
	if (unlikely(c))						\
		lockdep_rcu_suspicious(__FILE__, __LINE__, s);		\
} while (0)
#else
/* As without CONFIG_PROVE_RCU: no condition is evaluated. */
#define rcu_dereference_check(p, c)	__vh_rcu_deref(p)
#define rcu_dereference(p)		__vh_rcu_deref(p)
#define rcu_dereference_raw(p)		__vh_rcu_deref(p)
#define rcu_dereference_protected(p, c)	(p)
#define rcu_access_pointer(p)		READ_ONCE(p)
#define RCU_INIT_POINTER(p, v)		WRITE_ONCE(p, v)
#define RCU_LOCKDEP_WARN(c, s)		do { } while (0 && (c))
#endif

#define rcu_read_lock_bh	rcu_read_lock
#define rcu_read_unlock_bh	rcu_read_unlock

#endif /* __LINUX_RCUPDATE_H */
