/* SPDX-License-Identifier: GPL-2.0 */
/* Shadows include/linux/lockdep_types.h (no CONFIG_LOCKDEP). */
#ifndef __LINUX_LOCKDEP_TYPES_H
#define __LINUX_LOCKDEP_TYPES_H

struct lock_class_key { };
struct lockdep_map { };

#endif /* __LINUX_LOCKDEP_TYPES_H */
