/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/lockdep.h.  The harness builds without CONFIG_LOCKDEP,
 * as most production kernels do; lock ownership is checked by the rwsem
 * model instead (include/linux/rwsem.h).
 */
#ifndef _LINUX_LOCKDEP_H
#define _LINUX_LOCKDEP_H

#include <linux/lockdep_types.h>

#define lock_acquire_shared(l, s, t, n, i)	((void)(l))
#define lock_acquire_exclusive(l, s, t, n, i)	((void)(l))
#define lock_release(l, i)			((void)(l))
#define lock_acquired(l, i)			((void)(l))
#define lock_contended(l, i)			((void)(l))
#define lockdep_init_map(m, n, k, s)		do { } while (0)
#define lockdep_set_class(l, k)			do { } while (0)
#define lockdep_assert_held(l)			((void)(l))
#define lockdep_assert_held_write(l)		((void)(l))
#define lockdep_assert_held_read(l)		((void)(l))
#define lockdep_assert(c)			do { } while (0)
#define lockdep_assert_irqs_disabled()		do { } while (0)
#define lockdep_assert_preemption_disabled()	do { } while (0)
#define might_lock(l)				do { } while (0)
#define might_lock_read(l)			do { } while (0)
#define lock_is_held(l)				1
#define lockdep_is_held(l)			1
#define seqcount_acquire(m, s, t, i)		do { } while (0)
#define seqcount_acquire_read(m, s, t, i)	do { } while (0)
#define seqcount_release(m, i)			do { } while (0)
#define lockdep_off()				do { } while (0)
#define lockdep_on()				do { } while (0)
#define STATIC_LOCKDEP_MAP_INIT(n, k)		{ }
#define SINGLE_DEPTH_NESTING			1

#endif /* _LINUX_LOCKDEP_H */
