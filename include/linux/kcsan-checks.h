/* SPDX-License-Identifier: GPL-2.0 */
/* Shadows include/linux/kcsan-checks.h: no KCSAN in userspace. */
#ifndef _LINUX_KCSAN_CHECKS_H
#define _LINUX_KCSAN_CHECKS_H

#define ASSERT_EXCLUSIVE_WRITER(var)	do { } while (0)
#define ASSERT_EXCLUSIVE_ACCESS(var)	do { } while (0)
#define kcsan_check_read(ptr, size)	do { } while (0)
#define kcsan_check_write(ptr, size)	do { } while (0)
#define kcsan_nestable_atomic_begin()	do { } while (0)
#define kcsan_nestable_atomic_end()	do { } while (0)
#define kcsan_atomic_next(n)		do { } while (0)

#endif /* _LINUX_KCSAN_CHECKS_H */
