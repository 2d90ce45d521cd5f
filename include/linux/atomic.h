/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/atomic.h with the kernel's memory-ordering contract
 * (Documentation/atomic_t.txt) mapped onto the compiler's __atomic builtins:
 * non-value-returning RMW and plain read/set are relaxed, value-returning RMW
 * are fully ordered, and the _acquire/_release/_relaxed variants are what
 * their names say.  Every operation is a scheduling point of the explorer.
 */
#ifndef _LINUX_ATOMIC_H
#define _LINUX_ATOMIC_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <asm/barrier.h>
#include "../../shared/env/sched_point.h"

#define ATOMIC_INIT(i)	{ (i) }

/* Under ThreadSanitizer, reads are acquires: see READ_ONCE() in compiler.h. */
#ifdef __SANITIZE_THREAD__
#define __VH_READ	__ATOMIC_ACQUIRE
#else
#define __VH_READ	__ATOMIC_RELAXED
#endif
#define __VH_RELAXED	__ATOMIC_RELAXED
#define __VH_ACQUIRE	__ATOMIC_ACQUIRE
#define __VH_RELEASE	__ATOMIC_RELEASE
#define __VH_FULL	__ATOMIC_SEQ_CST

#define __VH_ATOMIC_OPS(pfx, atype, vtype)				\
static inline vtype pfx##_read(const atype *v)				\
{									\
	vh_sched_point(&v->counter);						\
	return __atomic_load_n(&v->counter, __VH_READ);			\
}									\
static inline vtype pfx##_read_acquire(const atype *v)			\
{									\
	vh_sched_point(&v->counter);						\
	return __atomic_load_n(&v->counter, __VH_ACQUIRE);		\
}									\
static inline void pfx##_set(atype *v, vtype i)			\
{									\
	vh_sched_point(&v->counter);						\
	__atomic_store_n(&v->counter, i, __VH_RELAXED);			\
}									\
static inline void pfx##_set_release(atype *v, vtype i)		\
{									\
	vh_sched_point(&v->counter);						\
	__atomic_store_n(&v->counter, i, __VH_RELEASE);			\
}									\
static inline void pfx##_add(vtype i, atype *v)			\
{									\
	vh_sched_point(&v->counter);						\
	__atomic_fetch_add(&v->counter, i, __VH_RELAXED);		\
}									\
static inline void pfx##_sub(vtype i, atype *v)			\
{									\
	vh_sched_point(&v->counter);						\
	__atomic_fetch_sub(&v->counter, i, __VH_RELAXED);		\
}									\
static inline void pfx##_inc(atype *v) { pfx##_add(1, v); }		\
static inline void pfx##_dec(atype *v) { pfx##_sub(1, v); }		\
static inline vtype pfx##_fetch_add_relaxed(vtype i, atype *v)		\
{									\
	vh_sched_point(&v->counter);						\
	return __atomic_fetch_add(&v->counter, i, __VH_RELAXED);	\
}									\
static inline vtype pfx##_fetch_add(vtype i, atype *v)			\
{									\
	vh_sched_point(&v->counter);						\
	return __atomic_fetch_add(&v->counter, i, __VH_FULL);		\
}									\
static inline vtype pfx##_fetch_sub_release(vtype i, atype *v)		\
{									\
	vh_sched_point(&v->counter);						\
	return __atomic_fetch_sub(&v->counter, i, __VH_RELEASE);	\
}									\
static inline vtype pfx##_fetch_sub(vtype i, atype *v)			\
{									\
	vh_sched_point(&v->counter);						\
	return __atomic_fetch_sub(&v->counter, i, __VH_FULL);		\
}									\
static inline vtype pfx##_add_return(vtype i, atype *v)		\
{									\
	return pfx##_fetch_add(i, v) + i;				\
}									\
static inline vtype pfx##_sub_return(vtype i, atype *v)		\
{									\
	return pfx##_fetch_sub(i, v) - i;				\
}									\
static inline vtype pfx##_inc_return(atype *v)				\
{									\
	return pfx##_add_return(1, v);					\
}									\
static inline vtype pfx##_dec_return(atype *v)				\
{									\
	return pfx##_sub_return(1, v);					\
}									\
static inline bool pfx##_dec_and_test(atype *v)			\
{									\
	return pfx##_sub_return(1, v) == 0;				\
}									\
static inline bool pfx##_sub_and_test(vtype i, atype *v)		\
{									\
	return pfx##_sub_return(i, v) == 0;				\
}									\
static inline bool pfx##_inc_and_test(atype *v)			\
{									\
	return pfx##_add_return(1, v) == 0;				\
}									\
static inline bool __##pfx##_try_cmpxchg(atype *v, vtype *old,	\
					 vtype new, int order)		\
{									\
	vh_sched_point(&v->counter);						\
	return __atomic_compare_exchange_n(&v->counter, old, new,	\
			false, order,					\
			order == __VH_RELEASE ? __VH_RELAXED :		\
			order);						\
}									\
static inline bool pfx##_try_cmpxchg(atype *v, vtype *old, vtype new)	\
{									\
	return __##pfx##_try_cmpxchg(v, old, new, __VH_FULL);		\
}									\
static inline bool pfx##_try_cmpxchg_relaxed(atype *v, vtype *old,	\
					     vtype new)			\
{									\
	return __##pfx##_try_cmpxchg(v, old, new, __VH_RELAXED);	\
}									\
static inline bool pfx##_try_cmpxchg_acquire(atype *v, vtype *old,	\
					     vtype new)			\
{									\
	return __##pfx##_try_cmpxchg(v, old, new, __VH_ACQUIRE);	\
}									\
static inline bool pfx##_try_cmpxchg_release(atype *v, vtype *old,	\
					     vtype new)			\
{									\
	return __##pfx##_try_cmpxchg(v, old, new, __VH_RELEASE);	\
}									\
static inline vtype pfx##_cmpxchg(atype *v, vtype old, vtype new)	\
{									\
	pfx##_try_cmpxchg(v, &old, new);				\
	return old;							\
}									\
static inline vtype pfx##_cmpxchg_relaxed(atype *v, vtype old,		\
					  vtype new)			\
{									\
	pfx##_try_cmpxchg_relaxed(v, &old, new);			\
	return old;							\
}									\
static inline vtype pfx##_cmpxchg_release(atype *v, vtype old,		\
					  vtype new)			\
{									\
	pfx##_try_cmpxchg_release(v, &old, new);			\
	return old;							\
}									\
static inline vtype pfx##_xchg(atype *v, vtype new)			\
{									\
	vh_sched_point(&v->counter);						\
	return __atomic_exchange_n(&v->counter, new, __VH_FULL);	\
}									\
static inline bool pfx##_add_unless(atype *v, vtype a, vtype u)	\
{									\
	vtype c = pfx##_read(v);					\
									\
	do {								\
		if (unlikely(c == u))					\
			return false;					\
	} while (!pfx##_try_cmpxchg(v, &c, c + a));			\
	return true;							\
}									\
static inline bool pfx##_inc_not_zero(atype *v)			\
{									\
	return pfx##_add_unless(v, 1, 0);				\
}									\
static inline bool pfx##_inc_unless_negative(atype *v)			\
{									\
	vtype c = pfx##_read(v);					\
									\
	do {								\
		if (unlikely(c < 0))					\
			return false;					\
	} while (!pfx##_try_cmpxchg(v, &c, c + 1));			\
	return true;							\
}

__VH_ATOMIC_OPS(atomic, atomic_t, int)
__VH_ATOMIC_OPS(atomic_long, atomic_long_t, long)

typedef struct {
	s64 counter;
} atomic64_t;
__VH_ATOMIC_OPS(atomic64, atomic64_t, s64)

/*
 * Barriers.  ThreadSanitizer does not model fences; under it a seq_cst
 * read-modify-write of one shared word stands in for each of them.  That
 * orders more than a fence does (it may hide a race, never invent one).
 */
#ifdef __SANITIZE_THREAD__
extern int vh_tsan_fence_word;
#define vh_mb() ((void)__atomic_fetch_add(&vh_tsan_fence_word, 0, \
					   __ATOMIC_SEQ_CST))
#define vh_acquire_fence()	vh_mb()
#define vh_release_fence()	vh_mb()
#else
#define vh_mb()			__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define vh_acquire_fence()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define vh_release_fence()	__atomic_thread_fence(__ATOMIC_RELEASE)
#endif

/* Each is at least as strong as the kernel's: rmb/acquire, wmb/release. */
#define smp_acquire__after_ctrl_dep()	vh_acquire_fence()
#define smp_mb__before_atomic()		vh_mb()
#define smp_mb__after_atomic()		vh_mb()
#undef smp_mb
#undef smp_rmb
#undef smp_wmb
#define smp_mb()			vh_mb()
#define smp_rmb()			vh_acquire_fence()
#define smp_wmb()			vh_release_fence()
#ifdef __SANITIZE_THREAD__
/* So that TSan pairs them with the fences above (seqcounts do). */
#undef smp_load_acquire
#undef smp_store_release
#define smp_load_acquire(p) ({						\
	__typeof__((void)0, *(p)) ___p = READ_ONCE(*(p));		\
	vh_acquire_fence();						\
	___p;								\
})
#define smp_store_release(p, v) do {					\
	vh_release_fence();						\
	WRITE_ONCE(*(p), v);						\
} while (0)
#endif

#endif /* _LINUX_ATOMIC_H */
