/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/kcsan-checks.h.  Under make KCSAN=1 the kernel's
 * annotations reach the race detector (shared/env/kcsan.c), with the
 * kernel's meaning; otherwise they compile to nothing.
 */
#ifndef _LINUX_KCSAN_CHECKS_H
#define _LINUX_KCSAN_CHECKS_H

#include <stddef.h>
#include "../../shared/env/kcsan.h"

#ifdef VH_KCSAN

#define kcsan_check_access(ptr, size, type)				\
	__kcsan_check_access((ptr), (size), (type))
#define kcsan_check_read(ptr, size)	__kcsan_check_access(ptr, size, 0)
#define kcsan_check_write(ptr, size)					\
	__kcsan_check_access(ptr, size, KCSAN_ACCESS_WRITE)
#define kcsan_check_atomic_read(ptr, size)				\
	__kcsan_check_access(ptr, size, KCSAN_ACCESS_ATOMIC)
#define kcsan_check_atomic_write(ptr, size)				\
	__kcsan_check_access(ptr, size,					\
			     KCSAN_ACCESS_ATOMIC | KCSAN_ACCESS_WRITE)

/* No other thread writes @var (accesses it) concurrently. */
#define ASSERT_EXCLUSIVE_WRITER(var)					\
	__kcsan_check_access(&(var), sizeof(var), KCSAN_ACCESS_ASSERT)
#define ASSERT_EXCLUSIVE_ACCESS(var)					\
	__kcsan_check_access(&(var), sizeof(var),			\
			     KCSAN_ACCESS_WRITE | KCSAN_ACCESS_ASSERT)

#else /* !VH_KCSAN */

static inline void kcsan_disable_current(void) { }
static inline void kcsan_enable_current(void) { }
static inline void kcsan_nestable_atomic_begin(void) { }
static inline void kcsan_nestable_atomic_end(void) { }
static inline void kcsan_flat_atomic_begin(void) { }
static inline void kcsan_flat_atomic_end(void) { }
static inline void kcsan_atomic_next(int n) { }

#define kcsan_check_access(ptr, size, type)	do { } while (0)
#define kcsan_check_read(ptr, size)		do { } while (0)
#define kcsan_check_write(ptr, size)		do { } while (0)
#define kcsan_check_atomic_read(ptr, size)	do { } while (0)
#define kcsan_check_atomic_write(ptr, size)	do { } while (0)
#define ASSERT_EXCLUSIVE_WRITER(var)		do { } while (0)
#define ASSERT_EXCLUSIVE_ACCESS(var)		do { } while (0)

#endif /* VH_KCSAN */

/*
 * The bit-mask variants rely on KCSAN's value-change check, which a
 * happens-before detector has no use for: not checked.
 */
#define ASSERT_EXCLUSIVE_BITS(var, mask)	do { } while (0)
#define ASSERT_EXCLUSIVE_WRITER_SCOPED(var)	do { } while (0)
#define ASSERT_EXCLUSIVE_ACCESS_SCOPED(var)	do { } while (0)

#endif /* _LINUX_KCSAN_CHECKS_H */
