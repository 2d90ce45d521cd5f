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

/* The levels tools/testing/shared's kernel.h lacks (validate_mm()). */
#ifndef pr_warn
#define pr_warn printk
#endif
#ifndef pr_emerg
#define pr_emerg printk
#endif
/* The stack, as the kernel prints it (shared/env/report.c). */
void vh_dump_stack(void);
#define dump_stack()	vh_dump_stack()
/* tools/testing/shared's pr_err() is printk(); so is this. */
#ifndef pr_warn_once
#define pr_warn_once(fmt, ...)	printk(fmt, ##__VA_ARGS__)
#endif

#endif /* _VH_LINUX_KERNEL_H */
