/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/kernel.h through tools/testing/shared's version,
 * minus its empty schedule(): here schedule() really sleeps (linux/sched.h).
 */
#ifndef _VH_LINUX_KERNEL_H
#define _VH_LINUX_KERNEL_H

#include <linux/math.h>
/*
 * tools/include's kernel.h makes synchronize_rcu() an empty macro; a unit
 * that included <urcu.h> first has liburcu's name for it already.
 */
#undef synchronize_rcu
#include_next <linux/kernel.h>
#undef schedule
#include <linux/bug.h>
/* As tools/testing/shared's pr_err(); printed every time, not once. */
#define pr_warn_once	printk
/* ... a no-op: not here. */
#undef synchronize_rcu
void synchronize_rcu(void);

#endif /* _VH_LINUX_KERNEL_H */
