/* SPDX-License-Identifier: GPL-2.0 */
/* Shadows include/linux/compiler.h: tools/'s, plus what real headers use. */
#ifndef _VH_LINUX_COMPILER_H
#define _VH_LINUX_COMPILER_H

#include_next <linux/compiler.h>
#include <linux/export.h>

#ifndef __nonnull_args
#define __nonnull_args(...)	__attribute__((__nonnull__(__VA_ARGS__)))
#endif
#ifndef __must_check
#define __must_check		__attribute__((__warn_unused_result__))
#endif
#ifndef __always_inline
#define __always_inline		inline __attribute__((__always_inline__))
#endif
#ifndef __init
#define __init
#endif
#ifndef __read_mostly
#define __read_mostly
#endif
#ifndef __randomize_layout
#define __randomize_layout
#endif
#ifndef data_race
#define data_race(expr)		(expr)
#endif
#ifndef _RET_IP_
#define _RET_IP_		((unsigned long)__builtin_return_address(0))
#endif

/*
 * ThreadSanitizer does not see the volatile accesses of READ_ONCE() and
 * WRITE_ONCE() as the marked accesses they are in the kernel's memory
 * model (KCSAN treats them as atomic): tell it, with atomics.  The kernel
 * also orders a marked load before the stores that depend on it, by
 * address or control dependency; TSan knows no dependencies, so under it a
 * marked load is an acquire (stronger: it may hide a race, not invent one).
 */
#ifdef __SANITIZE_THREAD__
#undef READ_ONCE
#undef WRITE_ONCE
#define READ_ONCE(x) ({						\
	__typeof__((void)0, x) __r;					\
	__atomic_load(&(x), &__r, __ATOMIC_ACQUIRE);			\
	__r;								\
})
#define WRITE_ONCE(x, val) ({						\
	__typeof__(x) __w = (val);					\
	__atomic_store(&(x), &__w, __ATOMIC_RELAXED);			\
})
#endif

#endif /* _VH_LINUX_COMPILER_H */
