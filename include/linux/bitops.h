/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/bitops.h: tools/'s, plus the atomic bit operations
 * (tools/ makes set_bit()/clear_bit() aliases of these).  Value-returning
 * atomic RMW operations are fully ordered in the kernel's memory model.
 */
#ifndef _VH_LINUX_BITOPS_H
#define _VH_LINUX_BITOPS_H

#include_next <linux/bitops.h>

static inline int test_and_set_bit(long nr, volatile unsigned long *addr)
{
	unsigned long mask = BIT_MASK(nr);

	return !!(__atomic_fetch_or(addr + BIT_WORD(nr), mask,
				    __ATOMIC_SEQ_CST) & mask);
}

static inline int test_and_clear_bit(long nr, volatile unsigned long *addr)
{
	unsigned long mask = BIT_MASK(nr);

	return !!(__atomic_fetch_and(addr + BIT_WORD(nr), ~mask,
				     __ATOMIC_SEQ_CST) & mask);
}

#endif /* _VH_LINUX_BITOPS_H */
