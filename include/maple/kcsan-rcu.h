/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For the maple tree's build under make KCSAN=1 (the Makefile force-includes
 * it): tools/testing/shared/linux/rcupdate.h, then liburcu's
 * rcu_dereference() and rcu_assign_pointer() through the race detector.
 * The maple tree is not checked for races, but it is how a lockless reader
 * finds a VMA: its rcu_assign_pointer() publishes what the writer
 * initialised and its rcu_dereference() orders what the reader then reads,
 * as a release store and, for the address dependency the runtime cannot
 * follow, an acquire load (shared/env/kcsan.h).
 */
#ifndef _VH_MAPLE_KCSAN_RCU_H
#define _VH_MAPLE_KCSAN_RCU_H

#include <linux/rcupdate.h>
#include "../../shared/env/kcsan.h"

#undef rcu_dereference
#undef rcu_assign_pointer
#define rcu_dereference(p)						\
	((__typeof__(p))(uintptr_t)vh_kcsan_load(&(p), sizeof(p),	\
						 __ATOMIC_ACQUIRE))
#define rcu_assign_pointer(p, v)					\
	vh_kcsan_store(&(p), sizeof(p), (uint64_t)(uintptr_t)(v),	\
		       __ATOMIC_RELEASE)

#endif /* _VH_MAPLE_KCSAN_RCU_H */
