/* SPDX-License-Identifier: GPL-2.0 */
/* Shadows include/linux/types.h: tools/'s, plus struct rcuwait. */
#ifndef _VH_LINUX_TYPES_H
#define _VH_LINUX_TYPES_H

#include_next <linux/types.h>

struct task_struct;

struct rcuwait {
	struct task_struct *task;
};

#endif /* _VH_LINUX_TYPES_H */
