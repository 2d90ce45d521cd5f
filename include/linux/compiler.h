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
#define __latent_entropy
/* No initcalls: what a kernel file runs at boot, the environment calls. */
#define subsys_initcall(fn) \
	static __attribute__((__unused__)) int (*__vh_initcall_##fn)(void) = fn
#ifndef __read_mostly
#define __read_mostly
#endif
#ifndef __randomize_layout
#define __randomize_layout
#endif
#ifndef _RET_IP_
#define _RET_IP_		((unsigned long)__builtin_return_address(0))
#endif

/*
 * KCSAN's annotations of benign races.  data_race() is the kernel's
 * (include/linux/compiler.h): its accesses are not checked under make
 * KCSAN=1 (shared/env/kcsan.c), and it is an expression otherwise.
 */
#include <linux/kcsan-checks.h>
#undef data_race
#define data_race(expr) ({						\
	kcsan_disable_current();					\
	__auto_type __v = (expr);					\
	kcsan_enable_current();						\
	__v;								\
})
#ifndef __no_kcsan
#define __no_kcsan	__attribute__((__no_sanitize_thread__))
#endif

#endif /* _VH_LINUX_COMPILER_H */
