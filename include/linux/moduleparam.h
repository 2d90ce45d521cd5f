/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/moduleparam.h (and tools/include's): there is no
 * kernel command line, so a core_param() keeps its variable's initial
 * value.
 */
#ifndef _VH_LINUX_MODULEPARAM_H
#define _VH_LINUX_MODULEPARAM_H

#define MODULE_PARM_DESC(parm, desc)
#define core_param(name, var, type, perm) \
	static __attribute__((__unused__)) void *__vh_param_##name = &(var)

#endif /* _VH_LINUX_MODULEPARAM_H */
