/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/atomic.h with the kernel's memory-ordering contract
 * (Documentation/atomic_t.txt): non-value-returning RMW and plain read/set
 * are relaxed, value-returning RMW are fully ordered, and the
 * _acquire/_release/_relaxed variants are what their names say.  Every
 * operation is a scheduling point of the explorer.
 *
 * The operations go through __vh_load() and friends: the compiler's
 * __atomic builtins, or under make KCSAN=1 the race detector's runtime
 * (shared/env/kcsan.h), which performs them and applies their ordering,
 * in every translation unit that inlines them.
 */
#ifndef _LINUX_ATOMIC_H
#define _LINUX_ATOMIC_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <asm/barrier.h>
#include "../../shared/env/sched_point.h"
#include "../../shared/env/kcsan.h"

#define ATOMIC_INIT(i)	{ (i) }

#define __VH_RELAXED	__ATOMIC_RELAXED
#define __VH_ACQUIRE	__ATOMIC_ACQUIRE
#define __VH_RELEASE	__ATOMIC_RELEASE
#define __VH_FULL	__ATOMIC_SEQ_CST

#ifdef VH_KCSAN
#define __vh_load(p, mo)						\
	((__typeof__(*(p)))vh_kcsan_load((p), sizeof(*(p)), (mo)))
#define __vh_store(p, v, mo)						\
	vh_kcsan_store((p), sizeof(*(p)), (uint64_t)(v), (mo))
#define __vh_rmw(p, op, v, mo)						\
	((__typeof__(*(p)))vh_kcsan_rmw((p), sizeof(*(p)), VH_KCSAN_##op, \
					(uint64_t)(v), (mo)))
#define __vh_cmpxchg(p, oldp, new, mo, fail_mo) ({			\
	uint64_t __o = (uint64_t)*(oldp);				\
	bool __r = vh_kcsan_cmpxchg((p), sizeof(*(p)), &__o,		\
				    (uint64_t)(new), (mo), (fail_mo));	\
	*(oldp) = (__typeof__(*(oldp)))__o;				\
	__r;								\
})
#else
#define __vh_load(p, mo)		__atomic_load_n((p), (mo))
#define __vh_store(p, v, mo)		__atomic_store_n((p), (v), (mo))
#define __vh_rmw(p, op, v, mo)		__vh_rmw_##op((p), (v), (mo))
#define __vh_rmw_XCHG			__atomic_exchange_n
#define __vh_rmw_ADD			__atomic_fetch_add
#define __vh_rmw_SUB			__atomic_fetch_sub
#define __vh_cmpxchg(p, oldp, new, mo, fail_mo)				\
	__atomic_compare_exchange_n((p), (oldp), (new), false, (mo), (fail_mo))
#endif

#define __VH_ATOMIC_OPS(pfx, atype, vtype)				\
static inline vtype pfx##_read(const atype *v)				\
{									\
	vh_sched_point(&v->counter);						\
	return __vh_load(&v->counter, __VH_RELAXED);			\
}									\
static inline vtype pfx##_read_acquire(const atype *v)			\
{									\
	vh_sched_point(&v->counter);						\
	return __vh_load(&v->counter, __VH_ACQUIRE);		\
}									\
static inline void pfx##_set(atype *v, vtype i)			\
{									\
	vh_sched_point(&v->counter);						\
	__vh_store(&v->counter, i, __VH_RELAXED);			\
}									\
static inline void pfx##_set_release(atype *v, vtype i)		\
{									\
	vh_sched_point(&v->counter);						\
	__vh_store(&v->counter, i, __VH_RELEASE);			\
}									\
static inline void pfx##_add(vtype i, atype *v)			\
{									\
	vh_sched_point(&v->counter);						\
	(void)__vh_rmw(&v->counter, ADD, i, __VH_RELAXED);		\
}									\
static inline void pfx##_sub(vtype i, atype *v)			\
{									\
	vh_sched_point(&v->counter);						\
	(void)__vh_rmw(&v->counter, SUB, i, __VH_RELAXED);		\
}									\
static inline void pfx##_inc(atype *v) { pfx##_add(1, v); }		\
static inline void pfx##_dec(atype *v) { pfx##_sub(1, v); }		\
static inline vtype pfx##_fetch_add_relaxed(vtype i, atype *v)		\
{									\
	vh_sched_point(&v->counter);						\
	return __vh_rmw(&v->counter, ADD, i, __VH_RELAXED);	\
}									\
static inline vtype pfx##_fetch_add(vtype i, atype *v)			\
{									\
	vh_sched_point(&v->counter);						\
	return __vh_rmw(&v->counter, ADD, i, __VH_FULL);		\
}									\
static inline vtype pfx##_fetch_sub_release(vtype i, atype *v)		\
{									\
	vh_sched_point(&v->counter);						\
	return __vh_rmw(&v->counter, SUB, i, __VH_RELEASE);	\
}									\
static inline vtype pfx##_fetch_sub_relaxed(vtype i, atype *v)		\
{									\
	vh_sched_point(&v->counter);					\
	return __vh_rmw(&v->counter, SUB, i, __VH_RELAXED);		\
}									\
static inline vtype pfx##_fetch_sub(vtype i, atype *v)			\
{									\
	vh_sched_point(&v->counter);						\
	return __vh_rmw(&v->counter, SUB, i, __VH_FULL);		\
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
	return __vh_cmpxchg(&v->counter, old, new, order,		\
			    order == __VH_RELEASE ? __VH_RELAXED : order); \
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
	return __vh_rmw(&v->counter, XCHG, new, __VH_FULL);	\
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
 * Barriers, each with its own strength: smp_rmb() orders loads, smp_wmb()
 * stores, smp_mb() everything.  Without KCSAN they are at least as strong
 * as the kernel's (rmb: acquire fence, wmb: release fence); the race
 * detector models each as what it is (shared/env/kcsan.c).
 */
#ifdef VH_KCSAN
#define vh_mb()				vh_kcsan_fence(VH_KCSAN_MB)
#define smp_acquire__after_ctrl_dep()	vh_kcsan_fence(VH_KCSAN_ACQUIRE)
#define __vh_rmb()			vh_kcsan_fence(VH_KCSAN_RMB)
#define __vh_wmb()			vh_kcsan_fence(VH_KCSAN_WMB)
#else
#define vh_mb()			__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_acquire__after_ctrl_dep()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define __vh_rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define __vh_wmb()		__atomic_thread_fence(__ATOMIC_RELEASE)
#endif

#undef smp_mb
#undef smp_rmb
#undef smp_wmb
#ifdef CONFIG_SMP
#define smp_mb__before_atomic()		vh_mb()
#define smp_mb__after_atomic()		vh_mb()
#define smp_mb()			vh_mb()
#define smp_rmb()			__vh_rmb()
#define smp_wmb()			__vh_wmb()
#else
/*
 * !CONFIG_SMP, as include/asm-generic/barrier.h defines them then: compiler
 * barriers, and acquire/release a READ_ONCE()/WRITE_ONCE() next to one.
 * Sound only on one CPU (configs/up runs ./vma on CPU 0).
 */
#undef smp_acquire__after_ctrl_dep
#undef smp_load_acquire
#undef smp_store_release
#define smp_mb__before_atomic()		barrier()
#define smp_mb__after_atomic()		barrier()
#define smp_mb()			barrier()
#define smp_rmb()			barrier()
#define smp_wmb()			barrier()
#define smp_acquire__after_ctrl_dep()	smp_rmb()
#define smp_load_acquire(p) ({						\
	__typeof__(*(p)) ___p1 = READ_ONCE(*(p));			\
	barrier();							\
	___p1;								\
})
#define smp_store_release(p, v) do {					\
	barrier();							\
	WRITE_ONCE(*(p), v);						\
} while (0)
#endif

#ifdef VH_KCSAN
/* Acquire and release accesses of any scalar type, through the runtime. */
#undef smp_load_acquire
#undef smp_store_release
#define smp_load_acquire(p)						\
	((__typeof__(*(p)))(uintptr_t)vh_kcsan_load((p), sizeof(*(p)),	\
						    __ATOMIC_ACQUIRE))
#define smp_store_release(p, v)						\
	vh_kcsan_store((p), sizeof(*(p)), (uint64_t)(uintptr_t)(v),	\
		       __ATOMIC_RELEASE)
#endif

#endif /* _LINUX_ATOMIC_H */
